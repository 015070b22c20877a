"""The fake Bot API server, driven by a real PTB Application over HTTP."""

from __future__ import annotations

import asyncio
import io
import re
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.offline import local_chat
from bot.offline.entities import parse_html, parse_markdown_v2
from bot.offline.local_chat import run_local_chat
from bot.offline.server import FakeTelegram, running_application

USER = 42


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the text back with two buttons."""
    assert update.message is not None and update.message.text is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("↩️ Undo", callback_data="undo:1"),
                InlineKeyboardButton("🏷 Change category", callback_data="cc:1"),
            ],
            [InlineKeyboardButton("Docs", url="https://example.org/help")],
        ]
    )
    await update.message.reply_text(f"echo: {update.message.text}", reply_markup=keyboard)


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge an edited message."""
    assert update.edited_message is not None
    await update.edited_message.reply_text(f"edited to: {update.edited_message.text}")


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replace the message text with the pressed data and drop the keyboard."""
    query = update.callback_query
    assert query is not None
    await query.answer("done")
    await query.edit_message_text(f"pressed {query.data} on: {query.message.text}")  # type: ignore[union-attr]


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send a CSV file."""
    assert update.message is not None
    await update.message.reply_document(
        b"date,amount\n2026-11-23,4.50\n", filename="export.csv", caption="Your export"
    )


async def upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download an uploaded document and report its size and first line."""
    assert update.message is not None and update.message.document is not None
    file = await update.message.document.get_file()
    content = bytes(await file.download_as_bytearray())
    first = content.decode().splitlines()[0]
    await update.message.reply_text(f"got {update.message.document.file_name}: {first}")


def build(fake: FakeTelegram) -> Application:  # type: ignore[type-arg]
    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("export", export))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, edited))
    app.add_handler(MessageHandler(filters.Document.ALL, upload))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    return app


@pytest.fixture(autouse=True)
async def no_leaked_tasks() -> AsyncIterator[None]:
    """Every test leaves the loop as it found it: server, updater and handlers all stopped."""
    yield
    await asyncio.sleep(0)
    leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert not leftover, leftover


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[Any]:
    application = build(fake)
    async with running_application(application, fake):
        yield application


async def test_get_me_reports_the_bot(fake: FakeTelegram, app: Any) -> None:
    me = await app.bot.get_me()
    assert me.username == "penny_local_bot" and me.is_bot
    assert app.bot.username == "penny_local_bot"


async def test_reply_with_buttons(fake: FakeTelegram, app: Any) -> None:
    sent = await fake.send_text(USER, "coffee 4.50", first_name="You")
    reply = await fake.next_reply(USER)
    assert reply.event == "sendMessage" and reply.from_bot
    assert reply.text == "echo: coffee 4.50"
    assert reply.message_id == sent["message_id"] + 1
    assert [[b.text for b in row] for row in reply.buttons] == [
        ["↩️ Undo", "🏷 Change category"],
        ["Docs"],
    ]
    assert reply.button("undo").callback_data == "undo:1"
    assert reply.button("docs").url == "https://example.org/help"
    with pytest.raises(AssertionError, match="Change category"):
        reply.button("nope")
    await fake.no_reply(USER, wait=0.1)


async def test_press_edits_the_message_and_answers(fake: FakeTelegram, app: Any) -> None:
    await fake.send_text(USER, "taxi 12")
    reply = await fake.next_reply(USER)
    query_id = await fake.press(USER, reply.message_id, reply.button("Change").callback_data or "")
    edited_reply = await fake.next_reply(USER)
    assert edited_reply.event == "editMessageText"
    assert edited_reply.message_id == reply.message_id
    assert edited_reply.text == "pressed cc:1 on: echo: taxi 12"
    assert edited_reply.buttons == []  # an edit without reply_markup drops the keyboard
    assert fake.callback_answers[query_id]["text"] == "done"
    texts = [(m.from_bot, m.text) for m in fake.chat_messages(USER)]
    assert texts == [(False, "taxi 12"), (True, "pressed cc:1 on: echo: taxi 12")]


async def test_user_edit_reaches_the_bot(fake: FakeTelegram, app: Any) -> None:
    sent = await fake.send_text(USER, "coffee 4.50")
    await fake.next_reply(USER)
    await fake.edit_text(USER, sent["message_id"], "coffee 5")
    assert (await fake.next_reply(USER)).text == "edited to: coffee 5"
    assert fake.chat_messages(USER)[0].text == "coffee 5"


async def test_document_round_trip(fake: FakeTelegram, app: Any) -> None:
    await fake.send_text(USER, "/export")
    reply = await fake.next_reply(USER)
    assert reply.event == "sendDocument" and reply.text == "Your export"
    assert reply.document is not None and reply.document.filename == "export.csv"
    assert reply.document.content.startswith(b"date,amount\n")
    await fake.send_document(USER, "bank.csv", b"when,what\n1,2\n")
    assert (await fake.next_reply(USER)).text == "got bank.csv: when,what"


async def test_files_are_written_to_files_dir(tmp_path: Any) -> None:
    async with FakeTelegram(files_dir=tmp_path) as fake:
        application = build(fake)
        async with running_application(application, fake):
            await fake.send_text(USER, "/export")
            reply = await fake.next_reply(USER)
    assert reply.document is not None and reply.document.path == tmp_path / "export.csv"
    assert (tmp_path / "export.csv").read_bytes() == reply.document.content


def tiny_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x00" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)


async def test_photo_and_media_edit(fake: FakeTelegram, app: Any) -> None:
    await fake.send_text(USER, "hi")
    await fake.next_reply(USER)
    png = tiny_png(3, 2)
    message = await app.bot.send_photo(USER, png, caption="<b>chart</b>", parse_mode="HTML")
    assert message.photo[-1].width == 3 and message.photo[-1].height == 2
    photo = await fake.next_reply(USER)
    assert photo.event == "sendPhoto" and photo.photo == png and photo.text == "chart"
    assert photo.raw_text == "<b>chart</b>"
    await app.bot.edit_message_media(
        InputMediaDocument(b"a,b\n", filename="data.csv"), chat_id=USER, message_id=message.id
    )
    swapped = await fake.next_reply(USER)
    assert swapped.event == "editMessageMedia" and swapped.photo is None
    assert swapped.document is not None and swapped.document.content == b"a,b\n"
    await app.bot.edit_message_caption(USER, message.id, caption="new caption")
    assert (await fake.next_reply(USER)).text == "new caption"


async def test_delete_and_reply_markup_edit(fake: FakeTelegram, app: Any) -> None:
    await fake.send_text(USER, "lunch 10")
    reply = await fake.next_reply(USER)
    await app.bot.edit_message_reply_markup(USER, reply.message_id, reply_markup=None)
    cleared = await fake.next_reply(USER)
    assert cleared.event == "editMessageReplyMarkup" and cleared.buttons == []
    assert await app.bot.delete_message(USER, reply.message_id)
    deleted = await fake.next_reply(USER)
    assert deleted.event == "deleteMessage" and deleted.text == "echo: lunch 10"
    assert [m.text for m in fake.chat_messages(USER)] == ["lunch 10"]
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await app.bot.delete_message(USER, reply.message_id)


@pytest.mark.parametrize(
    ("text", "parse_mode", "error"),
    [
        ("x" * 4097, None, "message is too long"),
        ("<b>" + "x" * 4096 + "</b>", ParseMode.HTML, None),
        ("   ", None, "message text is empty"),
        ("<b></b>", ParseMode.HTML, "message text is empty"),
        ("<b>bold", ParseMode.HTML, "can't parse entities"),
        ("<b>bold</i>", ParseMode.HTML, "Unmatched end tag"),
        ("<marquee>hi</marquee>", ParseMode.HTML, 'Unsupported start tag "marquee"'),
        ("1 < 2", ParseMode.HTML, "can't parse entities"),
        ("Tom &amp; Jerry &lt;3 & co", ParseMode.HTML, None),
        ("Total: 4.50 USD", ParseMode.MARKDOWN_V2, "Character '.' is reserved"),
        ("Total: 4\\.50 USD \\(food\\)", ParseMode.MARKDOWN_V2, None),
        ("*bold", ParseMode.MARKDOWN_V2, "Can't find end of Bold entity"),
    ],
)
async def test_send_message_validation(
    fake: FakeTelegram, app: Any, text: str, parse_mode: str | None, error: str | None
) -> None:
    await fake.send_text(USER, "hi")
    await fake.next_reply(USER)
    if error is None:
        await app.bot.send_message(USER, text, parse_mode=parse_mode)
        assert (await fake.next_reply(USER)).raw_text == text
    else:
        with pytest.raises(BadRequest, match=r"(?i)" + re.escape(error)):
            await app.bot.send_message(USER, text, parse_mode=parse_mode)
        await fake.no_reply(USER, wait=0.05)


async def test_keyboard_and_edit_validation(fake: FakeTelegram, app: Any) -> None:
    await fake.send_text(USER, "hi")
    reply = await fake.next_reply(USER)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await app.bot.send_message(USER, "x", reply_markup=too_long)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=USER, message_id=999)
    with pytest.raises(BadRequest, match=r"(?i)message can.t be edited"):
        await app.bot.edit_message_text("x", chat_id=USER, message_id=reply.message_id - 1)
    await app.bot.edit_message_text("same", chat_id=USER, message_id=reply.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_text("same", chat_id=USER, message_id=reply.message_id)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await app.bot.send_message(777, "nobody here")


# PTB itself warns about its own retry_after type change when building RetryAfter.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_fail_next_raises_ptb_errors(fake: FakeTelegram, app: Any) -> None:
    await fake.send_text(USER, "hi")
    await fake.next_reply(USER)
    fake.fail_next("sendMessage", error_code=429, description="Too Many Requests", retry_after=3)
    with pytest.raises(RetryAfter) as retry:
        await app.bot.send_message(USER, "one")
    assert "Retry in 3 seconds" in str(retry.value)
    fake.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
    )
    with pytest.raises(Forbidden, match="blocked"):
        await app.bot.send_message(USER, "two")
    await app.bot.send_message(USER, "three")  # only the next call fails
    assert (await fake.next_reply(USER)).text == "three"
    assert [c.error["error_code"] for c in fake.calls if c.error] == [429, 403]


async def test_answering_a_callback_twice_fails(fake: FakeTelegram, app: Any) -> None:
    await fake.send_text(USER, "hi")
    reply = await fake.next_reply(USER)
    query_id = await fake.press(USER, reply.message_id, "undo:1")
    await fake.next_reply(USER)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await app.bot.answer_callback_query(query_id)


async def test_garbage_updates_do_not_break_polling(fake: FakeTelegram, app: Any) -> None:
    fake.inject_update(
        {"channel_post": {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "channel"}}}
    )
    await fake.press(USER, 12345, "garbage")  # a message the bot never sent
    await fake.no_reply(USER)  # the handler fails to edit; polling goes on
    [failed] = [c for c in fake.calls if c.method == "editMessageText"]
    assert failed.error is not None and "message to edit not found" in failed.error["description"]
    await fake.send_text(USER, "still alive?")
    assert (await fake.next_reply(USER)).text == "echo: still alive?"


async def test_group_chat_and_commands(fake: FakeTelegram, app: Any) -> None:
    # Privacy mode (BotFather's default): plain chatter in a group never reaches the bot.
    await fake.send_text(USER, "hello group", chat_id=-500, chat_type="group")
    await fake.no_reply(-500, wait=0.2)
    fake.groups.set_privacy_mode(False)
    await fake.send_text(USER, "hello group", chat_id=-500, chat_type="group")
    reply = await fake.next_reply(-500)
    assert reply.chat_id == -500 and reply.text == "echo: hello group"
    await fake.no_reply(USER, wait=0.05)
    from telegram import BotCommand

    await app.bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    assert [c.command for c in await app.bot.get_my_commands()] == ["start", "help"]
    [call] = [c for c in fake.calls if c.method == "setMyCommands"]
    assert call.params["commands"][0] == {"command": "start", "description": "Start"}


async def test_timeout_dumps_the_chat(fake: FakeTelegram, app: Any) -> None:
    await fake.send_text(USER, "hi")
    await fake.next_reply(USER)
    with pytest.raises(AssertionError, match="echo: hi"):
        await fake.next_reply(USER, timeout=0.05)


async def test_wait_idle(fake: FakeTelegram, app: Any) -> None:
    for n in range(3):
        await fake.send_text(USER, f"m{n}")
    await fake.wait_idle()
    assert len(fake.pending_replies(USER)) == 3


async def test_unknown_method_and_wrong_token(fake: FakeTelegram, app: Any) -> None:
    with pytest.raises(EndPointNotFound):
        await app.bot.do_api_request("noSuchMethod")
    intruder = ApplicationBuilder().token("999:WRONG").base_url(fake.base_url).build()
    with pytest.raises(InvalidToken):
        await intruder.bot.get_me()
    await intruder.bot.shutdown()


async def test_stop_is_prompt_while_polling() -> None:
    fake = FakeTelegram()
    await fake.start()
    async with running_application(build(fake), fake):
        await asyncio.sleep(0.05)  # the updater is inside a 10 s long poll now
    loop = asyncio.get_running_loop()
    started = loop.time()
    await fake.stop()
    assert loop.time() - started < 1.5


def test_parsers_report_telegram_offsets() -> None:
    text, entities = parse_html("a <b>bö</b> <a href='https://x.org'>l</a>")
    assert text == "a bö l"
    assert entities == [
        {"type": "bold", "offset": 2, "length": 2},
        {"type": "text_link", "offset": 5, "length": 1, "url": "https://x.org"},
    ]
    text, entities = parse_markdown_v2("😀 *b* `c\\`d` [t](https://x.org/a\\)b)")
    assert text == "😀 b c`d t"
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == [
        ("bold", 3, 1),
        ("code", 5, 3),
        ("text_link", 9, 1),
    ]
    assert entities[-1]["url"] == "https://x.org/a)b"


class LocalSettings(BaseModel):
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_api_base_file_url: str | None = None


def build_local(settings: LocalSettings) -> Any:
    """The echo bot on the server the local chat started (its URL and its own token)."""
    assert settings.telegram_bot_token is not None
    fake = FakeTelegram(token=settings.telegram_bot_token.get_secret_value())
    fake.base_url = settings.telegram_api_base_url or ""
    fake.base_file_url = settings.telegram_api_base_file_url or ""
    return build(fake)


async def test_local_chat_transcript(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(local_chat, "SETTLE_SECONDS", 0.1)
    stdin = io.StringIO("coffee 4.50\n#2\n#9\n/edit coffee 5\n/export\n250\n/quit\nnever sent\n")
    stdout = io.StringIO()

    await run_local_chat(LocalSettings(), stdin=stdin, stdout=stdout, build=build_local)
    transcript = stdout.getvalue()
    assert "offline local chat" in transcript and "/quit" in transcript
    assert (
        "penny › echo: coffee 4.50\n[1] ↩️ Undo   [2] 🏷 Change category\n[3] Docs 🔗" in transcript
    )
    assert "(edited) pressed cc:1 on: echo: coffee 4.50\n  (done)" in transcript
    assert "(there are no buttons to press)" in transcript
    assert "penny › edited to: coffee 5" in transcript
    assert "📎 saved to local_chat_files/export.csv" in transcript
    assert (tmp_path / "local_chat_files" / "export.csv").read_bytes().startswith(b"date,")
    assert "echo: 250" in transcript and "never sent" not in transcript.split("Bye.")[0][-20:]
    assert transcript.rstrip().endswith("Bye.")


async def test_local_chat_sends_several_lines_and_keeps_earlier_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line ending in a backslash goes on in the next one (one message, as a phone sends);
    a file from an earlier run is not overwritten by one of the same name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(local_chat, "SETTLE_SECONDS", 0.1)
    (tmp_path / "local_chat_files").mkdir()
    (tmp_path / "local_chat_files" / "export.csv").write_bytes(b"yesterday's")
    stdin = io.StringIO("lunch 12 \\\ntaxi 5\n/export\n/quit\n")
    stdout = io.StringIO()

    await run_local_chat(LocalSettings(), stdin=stdin, stdout=stdout, build=build_local)
    transcript = stdout.getvalue()
    assert "penny › echo: lunch 12\n        taxi 5" in transcript
    assert "📎 saved to local_chat_files/export-2.csv" in transcript
    assert (tmp_path / "local_chat_files" / "export.csv").read_bytes() == b"yesterday's"


async def test_local_chat_signs_with_a_token_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard trusts init data signed with the bot token; offline, a token anyone can
    read in the source would let any process on the machine (or a web page, by DNS
    rebinding) sign in as any user of the local database. Each run makes its own."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(local_chat, "SETTLE_SECONDS", 0.1)
    tokens = []

    def build_noting_token(settings: LocalSettings) -> Any:
        assert settings.telegram_bot_token is not None
        tokens.append(settings.telegram_bot_token.get_secret_value())
        return build_local(settings)

    for _ in range(2):
        stdin, stdout = io.StringIO("/quit\n"), io.StringIO()
        await run_local_chat(LocalSettings(), stdin=stdin, stdout=stdout, build=build_noting_token)
        assert stdout.getvalue().rstrip().endswith("Bye.")
    first, second = tokens
    assert first != second and FakeTelegram().token not in tokens
    assert re.fullmatch(r"\d+:[A-Za-z0-9_-]{30,}", first)


async def test_local_chat_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(local_chat, "SETTLE_SECONDS", 0.1)
    lines = "/as sam\n/group\nplain text\n/admin\n/as sam\nhi all\n#1\n/leave sam\n/private\nhey\n"
    stdout = io.StringIO()

    await run_local_chat(
        LocalSettings(), stdin=io.StringIO(lines), stdout=stdout, build=build_local
    )
    transcript = stdout.getvalue()
    assert "(that works in the group: /group first)" in transcript
    assert "echo: plain text" not in transcript  # privacy mode: Penny isn't shown chatter
    assert "[Home] penny › echo: hi all" in transcript  # as an admin it is, here as Sam
    assert "[Home] (edited) pressed undo:1 on: echo: hi all" in transcript
    assert "(Sam left Home)" in transcript
    assert "penny › echo: hey" in transcript
