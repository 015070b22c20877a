"""The offline server refuses what Telegram refuses: against the Bot API spec, or built-in rules.

Calls go over HTTP, as the bot makes them: JSON bodies and forms like other clients send, and
PTB's own calls. With the specification (``../shared/botapi``; a missing one fails in CI and
skips here), every call is checked against it; without it, the built-in rules still hold.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.offline.server import FakeTelegram
from bot.offline.spec import SpecMissing, find_spec, spec_dir
from tests.support.conformance import Tally, is_violation

USER = 42


def _spec_or_skip() -> None:
    try:
        found = find_spec()
    except SpecMissing as exc:  # only in CI
        pytest.fail(str(exc), pytrace=False)
    if found is None:
        pytest.skip(f"no Bot API specification at {spec_dir()} (see ../shared/botapi/README.md)")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    _spec_or_skip()
    async with FakeTelegram() as server:
        assert server.spec is not None
        server.register_user(USER)
        yield server


@pytest.fixture
async def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegram]:
    """A server that finds no specification (outside CI): only the built-in rules apply."""
    monkeypatch.delenv("CI", raising=False)
    async with FakeTelegram(spec_dir=tmp_path) as server:
        assert server.spec is None
        server.register_user(USER)
        yield server


async def call(
    fake: FakeTelegram, method: str, *, json_body: Any = None, form: Any = None
) -> tuple[int, dict[str, Any]]:
    url = f"{fake.base_url}{fake.token}/{method}"
    async with aiohttp.ClientSession() as session:
        if json_body is not None:
            response = await session.post(url, json=json_body)
        else:
            response = await session.post(url, data=form or {})
        async with response:
            return response.status, await response.json()


async def refused(fake: FakeTelegram, method: str, **kwargs: Any) -> str:
    """The description of Telegram's 400 for this call (fails if it was accepted)."""
    status, body = await call(fake, method, **kwargs)
    assert status == 400 and body["ok"] is False and body["error_code"] == 400, body
    assert body["description"].startswith("Bad Request: "), body
    return str(body["description"]).removeprefix("Bad Request: ")


async def accepted(fake: FakeTelegram, method: str, **kwargs: Any) -> Any:
    status, body = await call(fake, method, **kwargs)
    assert status == 200 and body["ok"] is True, body
    return body["result"]


def button(**fields: Any) -> dict[str, Any]:
    return {"text": "Tap", **fields}


def markup(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


# ---- against the specification ----------------------------------------------------------


async def test_unknown_method_and_unknown_parameter(fake: FakeTelegram) -> None:
    status, body = await call(fake, "sendMessagez", json_body={"chat_id": USER, "text": "x"})
    assert (status, body["description"]) == (404, "Not Found: method not found")
    assert await refused(
        fake, "sendMessage", json_body={"chat_id": USER, "text": "x", "colour": "red"}
    ) == ('unknown parameter "colour" of sendMessage')


@pytest.mark.parametrize(
    ("method", "params", "description"),
    [
        ("sendMessage", {"chat_id": USER}, "message text is empty"),
        ("sendMessage", {"text": "hi"}, "chat_id is empty"),
        ("editMessageText", {"text": "hi", "message_id": 1}, "chat_id is empty"),
        ("answerCallbackQuery", {"text": "hi"}, 'parameter "callback_query_id" is required'),
        ("sendDocument", {"chat_id": USER}, "there is no document in the request"),
        ("editMessageMedia", {"chat_id": USER, "message_id": 1}, 'parameter "media" is required'),
    ],
)
async def test_required_parameters(
    fake: FakeTelegram, method: str, params: dict[str, Any], description: str
) -> None:
    assert await refused(fake, method, json_body=params) == description


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": [USER], "text": "x"}, 'parameter "chat_id" must be of type Number'),
        ({"chat_id": USER, "text": {"a": 1}}, 'parameter "text" must be of type String'),
        ({"chat_id": USER, "text": "x", "disable_notification": "maybe"}, None),
        ({"chat_id": USER, "text": "x", "reply_markup": [1]}, "can't parse reply markup"),
        (
            {
                "chat_id": USER,
                "text": "x",
                "reply_markup": markup({"text": 5, "url": "https://x.org"}),
            },
            'can\'t parse inline keyboard button: Field "text" must be of type String',
        ),
        (
            {"chat_id": USER, "text": "x", "reply_markup": markup(button())},
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ),
        (
            {
                "chat_id": USER,
                "text": "x",
                "reply_markup": markup(button(callback_data="a", url="https://x.org")),
            },
            "can't parse inline keyboard button: exactly one of",
        ),
        (
            {
                "chat_id": USER,
                "text": "x",
                "reply_markup": markup(button(callback_data="a", colour=1)),
            },
            'can\'t parse inline keyboard button: unknown field "colour"',
        ),
        (
            {
                "chat_id": USER,
                "text": "x",
                "reply_markup": markup(button(callback_data="a", style="pink")),
            },
            'can\'t parse inline keyboard button: Field "style" must be one of',
        ),
        (
            {"chat_id": USER, "text": "x", "reply_markup": {"keyboard": [["a"]], "resize": True}},
            'can\'t parse ReplyKeyboardMarkup: unknown field "resize"',
        ),
        ({"chat_id": USER, "text": "x", "reply_markup": {"remove_keyboard": True}}, None),
        (
            {"chat_id": USER, "text": "x", "reply_markup": {"keyboard": [["a", {"text": "b"}]]}},
            None,
        ),
        (
            {"chat_id": USER, "text": "x", "reply_parameters": {"chat_id": USER}},
            "can't parse ReplyParameters: Can't find field \"message_id\"",
        ),
        (
            {"chat_id": USER, "text": "x", "entities": [{"type": "bold", "offset": 0}]},
            "can't parse MessageEntity: Can't find field \"length\"",
        ),
    ],
)
async def test_types_and_nested_objects(
    fake: FakeTelegram, params: dict[str, Any], description: str | None
) -> None:
    if description is None:  # accepted as Telegram would
        await accepted(fake, "sendMessage", json_body=params)
        return
    assert (await refused(fake, "sendMessage", json_body=params)).startswith(description)


async def test_text_is_counted_in_code_points_after_entity_parsing(fake: FakeTelegram) -> None:
    emoji = "💸" * 4096  # 4096 code points, 8192 UTF-16 code units: Telegram takes it
    await accepted(fake, "sendMessage", json_body={"chat_id": USER, "text": emoji})
    assert (
        await refused(fake, "sendMessage", json_body={"chat_id": USER, "text": emoji + "!"})
        == "message is too long"
    )
    bold = "<b>" + "a" * 4096 + "</b>"  # the tags are not part of the text
    await accepted(
        fake, "sendMessage", json_body={"chat_id": USER, "text": bold, "parse_mode": "HTML"}
    )
    assert (
        await refused(
            fake, "sendMessage", json_body={"chat_id": USER, "text": "<b>x", "parse_mode": "HTML"}
        )
    ).startswith("can't parse entities")
    assert (
        await refused(
            fake,
            "sendMessage",
            json_body={"chat_id": USER, "text": "<b></b>  ", "parse_mode": "HTML"},
        )
        == "message text is empty"
    )


async def test_caption_callback_data_and_answer_limits(fake: FakeTelegram) -> None:
    sent = await accepted(
        fake,
        "sendDocument",
        json_body={"chat_id": USER, "document": "https://example.org/a.csv", "caption": "c" * 1024},
    )
    assert (
        await refused(
            fake,
            "editMessageCaption",
            json_body={"chat_id": USER, "message_id": sent["message_id"], "caption": "c" * 1025},
        )
        == "message caption is too long"
    )
    # 32 two-byte letters fit the 64 bytes; 33 don't, though they are only 33 characters.
    fits = {"chat_id": USER, "text": "x", "reply_markup": markup(button(callback_data="é" * 32))}
    await accepted(fake, "sendMessage", json_body=fits)
    over = {"chat_id": USER, "text": "x", "reply_markup": markup(button(callback_data="é" * 33))}
    assert await refused(fake, "sendMessage", json_body=over) == "BUTTON_DATA_INVALID"
    assert (
        await refused(
            fake, "answerCallbackQuery", json_body={"callback_query_id": "1", "text": "t" * 201}
        )
        == "MESSAGE_TOO_LONG"
    )


async def test_edit_media_is_checked_by_its_type(fake: FakeTelegram) -> None:
    sent = await accepted(
        fake, "sendDocument", json_body={"chat_id": USER, "document": "https://example.org/a.csv"}
    )
    target = {"chat_id": USER, "message_id": sent["message_id"]}
    assert (
        await refused(
            fake,
            "editMessageMedia",
            json_body={**target, "media": {"type": "hologram", "media": "x"}},
        )
        == 'can\'t parse InputMedia: type "hologram" is unsupported'
    )
    assert (
        await refused(fake, "editMessageMedia", json_body={**target, "media": {"type": "document"}})
        == "can't parse InputMediaDocument: Can't find field \"media\""
    )
    assert (
        await refused(
            fake,
            "editMessageMedia",
            json_body={**target, "media": {"type": "document", "media": "attach://chart"}},
        )
        == 'file "attach://chart" is not in the request'
    )


async def test_commands_actions_and_deletions(fake: FakeTelegram) -> None:
    many = [{"command": f"c{n}", "description": "d"} for n in range(101)]
    assert await refused(fake, "setMyCommands", json_body={"commands": many}) == (
        "BOT_COMMANDS_TOO_MUCH"
    )
    assert await refused(
        fake, "setMyCommands", json_body={"commands": [{"command": "Start", "description": "d"}]}
    ) == ("BOT_COMMAND_INVALID")
    assert (await refused(fake, "setMyCommands", json_body={"commands": ["start"]})).startswith(
        "can't parse BotCommand"
    )
    assert await refused(
        fake, "sendChatAction", json_body={"chat_id": USER, "action": "dancing"}
    ) == ("wrong parameter action in request")
    await accepted(fake, "sendChatAction", json_body={"chat_id": USER, "action": "typing"})
    assert await refused(
        fake, "deleteMessages", json_body={"chat_id": USER, "message_ids": []}
    ) == ("message identifiers are not specified")
    assert await refused(
        fake, "deleteMessages", json_body={"chat_id": USER, "message_ids": list(range(1, 102))}
    ) == ("too many message identifiers specified")
    await accepted(fake, "deleteMessages", json_body={"chat_id": USER, "message_ids": [1, 2]})


async def test_keyboard_holds_at_most_100_buttons(fake: FakeTelegram) -> None:
    rows = [[button(callback_data=f"b{r}:{c}") for c in range(5)] for r in range(20)]
    await accepted(
        fake,
        "sendMessage",
        json_body={"chat_id": USER, "text": "100", "reply_markup": {"inline_keyboard": rows}},
    )
    rows.append([button(callback_data="one:more")])
    body = {"chat_id": USER, "text": "101", "reply_markup": {"inline_keyboard": rows}}
    assert await refused(fake, "sendMessage", json_body=body) == "reply markup is too long"


@pytest.mark.parametrize(
    ("url", "description"),
    [
        ("http://penny.example.com/telegram", "An HTTPS URL must be provided for webhook"),
        ("https://penny.example.com:8080/telegram", "only on ports 80, 88, 443 or 8443"),
        ("penny.example.com/telegram", "An HTTPS URL must be provided for webhook"),
    ],
)
async def test_a_webhook_needs_https_on_a_port_telegram_posts_to(
    fake: FakeTelegram, url: str, description: str
) -> None:
    reason = await refused(fake, "setWebhook", json_body={"url": url})
    assert reason.startswith("bad webhook: ") and description in reason
    assert fake.world.webhook_url == ""
    await accepted(fake, "setWebhook", json_body={"url": "https://penny.example.com:8443/t"})
    await accepted(fake, "setWebhook", json_body={"url": ""})  # removes it


async def test_web_apps_and_login_urls_need_https(fake: FakeTelegram) -> None:
    for field in (
        {"web_app": {"url": "http://penny.example.com/"}},
        {"login_url": {"url": "http://penny.example.com/login"}},
    ):
        body = {"chat_id": USER, "text": "x", "reply_markup": markup(button(**field))}
        reason = await refused(fake, "sendMessage", json_body=body)
        assert reason.startswith("can't parse ") and "must be an HTTPS URL" in reason
    body = {
        "chat_id": USER,
        "text": "x",
        "reply_markup": markup(button(web_app={"url": "https://penny.example.com/"})),
    }
    await accepted(fake, "sendMessage", json_body=body)


async def test_malformed_parameters_get_a_json_400_not_a_500(fake: FakeTelegram) -> None:
    assert await refused(
        fake, "editMessageText", form={"chat_id": str(USER), "message_id": "abc", "text": "x"}
    ) == ("invalid message_id")
    assert await refused(
        fake, "sendMessage", form={"chat_id": str(USER), "text": "x", "reply_markup": "{oops"}
    ) == ("can't parse reply_markup JSON object")
    url = f"{fake.base_url}{fake.token}/sendMessage"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data="{not json", headers={"Content-Type": "application/json"}) as r,
    ):
        assert r.status == 400 and (await r.json())["ok"] is False


async def test_json_bodies_are_decoded_like_forms(fake: FakeTelegram) -> None:
    # A JSON-serialized keyboard inside a JSON body, and a number for a string: both accepted.
    keyboard = json.dumps(markup(button(callback_data="ok")))
    sent = await accepted(
        fake, "sendMessage", json_body={"chat_id": str(USER), "text": 42, "reply_markup": keyboard}
    )
    assert sent["text"] == "42"
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok"


# ---- without the specification: the built-in rules ---------------------------------------


async def test_built_in_rules_without_the_specification(bare: FakeTelegram) -> None:
    await accepted(bare, "sendMessage", json_body={"chat_id": USER, "text": "x", "colour": "red"})
    assert await refused(
        bare, "sendChatAction", json_body={"chat_id": USER, "action": "dancing"}
    ) == ("wrong parameter action in request")
    assert await refused(
        bare, "deleteMessages", json_body={"chat_id": USER, "message_ids": list(range(101))}
    ) == ("too many message identifiers specified")
    assert (await refused(bare, "setMyCommands", json_body={"commands": [1]})).startswith(
        "can't parse BotCommand"
    )
    assert await refused(
        bare, "editMessageText", form={"chat_id": str(USER), "message_id": "x", "text": "x"}
    ) == ("invalid message_id")
    rows = [[button(callback_data=str(n)) for n in range(101)]]
    body = {"chat_id": USER, "text": "x", "reply_markup": {"inline_keyboard": rows}}
    assert await refused(bare, "sendMessage", json_body=body) == "reply markup is too long"
    assert await refused(bare, "sendMessage", json_body={"chat_id": USER, "text": "é" * 4097}) == (
        "message is too long"
    )
    assert (await refused(bare, "setWebhook", json_body={"url": "http://x.example/"})).startswith(
        "bad webhook: "
    )


async def test_ci_without_the_specification_fails_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    server = FakeTelegram(spec_dir=tmp_path)
    with pytest.raises(SpecMissing, match="specification is missing"):
        await server.start()
    await server.stop()


def test_the_tally_counts_violations_not_injected_or_stale_errors() -> None:
    from bot.offline.messages import ApiCall

    bad = {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
    stale = {"ok": False, "error_code": 400, "description": "Bad Request: query is too old and …"}
    calls = [
        ApiCall("sendMessage", {}, {}, 0.0),
        ApiCall("sendMessage", {}, None, 0.0, bad),
        ApiCall("sendMessage", {}, None, 0.0, bad, injected=True),
        ApiCall("answerCallbackQuery", {}, None, 0.0, stale),
    ]
    assert [is_violation(c) for c in calls] == [False, True, False, False]
    tally = Tally()
    tally.add("tests/e2e/test_x.py::test_y", calls)
    assert tally.calls == 4 and len(tally.methods) == 2
    assert tally.by_penny() == [
        ("tests/e2e/test_x.py::test_y", "sendMessage", "Bad Request: message is too long")
    ]


async def test_the_tally_says_which_calls_no_specification_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server pointed at the wrong folder (outside CI) falls back to the built-in rules; the
    # run's summary must say so instead of naming the specification it didn't read.
    monkeypatch.delenv("CI", raising=False)
    async with FakeTelegram(spec_dir=tmp_path / "nowhere") as server:
        server.register_user(USER)
        await accepted(server, "sendMessage", json_body={"chat_id": USER, "text": "x"})
    tally = Tally(spec_version="Bot API 10.1")
    tally.add("tests/e2e/test_x.py::test_y", server.calls)
    assert "1 calls checked by the built-in rules only" in "\n".join(tally.summary())
