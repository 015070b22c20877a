"""The offline terminal chat: the real bot against the embedded fake Bot API server.

``make run`` without ``TELEGRAM_BOT_TOKEN`` lands here. The bot is the same Application and the
same HTTP code path as in production; only the Bot API base URLs point at 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import secrets
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr

from bot.offline.server import BotMessage, FakeTelegram, InlineButton, running_application

USER_ID = 1
USER_NAME = "You"
PROMPT = "you › "
MORE_PROMPT = "    … "
# /group: a group chat with you, a second person and Penny, to try a shared ledger.
GROUP_ID = -100
GROUP_TITLE = "Home"
OTHER_ID = 2
OTHER_NAME = "Sam"
FILES_DIR = Path("local_chat_files")
# How long the bot must stay quiet before the next prompt is shown, so replies come first.
SETTLE_SECONDS = 0.3

BANNER = """\
Penny — offline local chat (no TELEGRAM_BOT_TOKEN set).
The real bot is running against a fake Telegram server on 127.0.0.1; nothing leaves this machine.
  • Type a message and press Enter:  coffee 4.50   /start   /help
  • A message of several lines:      end a line with \\ to go on in the next one
  • Press a button:                  #2 presses [2] under the latest message
  • Edit your last message:          /edit coffee 5.20
  • Send a file (e.g. for /import):  /send path/to/statement.csv
  • Open the dashboard in a browser: /dashboard, then open the link it prints
  • A group with Sam (a household):  /group, then /as sam or /as you to speak as either,
    /reply text (a reply to Penny), /admin (make Penny an admin), /leave sam, /private
  • Quit:                            /quit or Ctrl-D
Files the bot sends are saved in {files_dir}/.
To chat on Telegram instead, put TELEGRAM_BOT_TOKEN=<token from @BotFather> in .env and run again.
"""


def local_settings(settings: Any, fake: FakeTelegram) -> Any:
    """``settings`` pointed at the fake server."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(fake.token),
            "telegram_api_base_url": fake.base_url,
            "telegram_api_base_file_url": fake.base_file_url,
        }
    )


async def run_local_chat(
    settings: Any,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    build: Callable[[Any], Any] | None = None,
) -> None:
    """Run the bot on an embedded Bot API server and chat with it in the terminal.

    ``build`` (settings -> Application) replaces ``bot.app.build_application`` in tests.
    """
    if build is None:
        from bot.app import build_application

        build = build_application

    # A token of this run's own: the dashboard accepts Mini App init data signed with it, so
    # the fixed test token would let anything that reaches 127.0.0.1 sign in as anyone.
    fake = FakeTelegram(files_dir=FILES_DIR, token=f"123456:{secrets.token_urlsafe(32)}")
    # You have "talked to the bot before": reminders may reach you before you type anything.
    fake.register_user(USER_ID, first_name=USER_NAME)
    await fake.start()
    try:
        app = build(local_settings(settings, fake))
        async with running_application(app, fake):
            await LocalChat(fake, stdin=stdin, stdout=stdout).run()
    finally:
        await fake.stop()


def main_local(settings: Any) -> None:
    """Blocking entry point: run the local chat; Ctrl-C quits without a traceback."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_local_chat(settings))
    print()


class LineReader:
    """Reads lines in a daemon thread, so /quit and Ctrl-C never wait for a blocked input()."""

    def __init__(self, loop: asyncio.AbstractEventLoop, stdin: TextIO | None) -> None:
        self._loop = loop
        self._stdin = stdin
        self._prompts: queue.Queue[str] = queue.Queue()
        self._waiting: asyncio.Future[str | None] | None = None
        self.prompting = False
        self._thread = threading.Thread(target=self._run, name="local-chat-stdin", daemon=True)
        self._thread.start()

    async def readline(self, prompt: str) -> str | None:
        """The next line without its newline, or None at end of input."""
        self._waiting = self._loop.create_future()
        self._prompts.put(prompt)
        return await self._waiting

    def _run(self) -> None:
        if self._stdin is None:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401  -- arrow keys and history for input()
        while True:
            prompt = self._prompts.get()
            line: str | None
            self.prompting = True
            try:
                line = self._read(prompt)
            except EOFError:
                line = None
            finally:
                self.prompting = False
            try:
                self._loop.call_soon_threadsafe(self._deliver, line)
            except RuntimeError:  # the loop is gone: the chat has ended
                return
            if line is None:
                return

    def _read(self, prompt: str) -> str:
        if self._stdin is None:
            return input(prompt)
        line = self._stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def _deliver(self, line: str | None) -> None:
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_result(line)


class LocalChat:
    """The REPL: your lines go to the bot as user 1, the bot's outputs are printed as they come."""

    def __init__(
        self, fake: FakeTelegram, *, stdin: TextIO | None = None, stdout: TextIO | None = None
    ) -> None:
        self.fake = fake
        self.out = stdout or sys.stdout
        self._stdin = stdin
        self._tty = stdin is None and self.out.isatty()
        self._interactive = stdin is None and sys.stdin.isatty()
        self._reader: LineReader | None = None
        # The keyboard that #n presses: the latest message shown with buttons, per chat.
        self._keyboards: dict[int, tuple[int, list[InlineButton]]] = {}
        self._last_sent: int | None = None
        self._closing = False
        # Where your lines go and who says them: your private chat, or the /group as you or Sam.
        self.chat_id = USER_ID
        self.speaker = USER_ID
        self._group_printer: asyncio.Task[None] | None = None

    async def run(self) -> None:
        self._reader = LineReader(asyncio.get_running_loop(), self._stdin)
        self._write(BANNER.format(files_dir=FILES_DIR))
        printer = asyncio.create_task(self._print_outputs(USER_ID), name="local-chat-printer")
        try:
            while True:
                line = await self._reader.readline(self.prompt)
                # "coffee 4.50 \" + Enter goes on: one message of several lines, as a phone sends.
                while line is not None and line.endswith("\\"):
                    more = await self._reader.readline(MORE_PROMPT)
                    line = line[:-1].rstrip() + "\n" + (more or "")
                if line is None:
                    break
                if not self._interactive:
                    self._write(line)  # input() doesn't echo piped input; keep the transcript whole
                if not await self._handle(line.strip()):
                    break
                await self._settle()
        finally:
            for task in (printer, self._group_printer):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            # Interrupted at the prompt (Ctrl-C): end that line rather than redraw it.
            self._closing = True
            if self._tty and self._reader.prompting:
                self.out.write("\n")
            self._write("Bye.")

    async def _handle(self, line: str) -> bool:
        """Act on one input line; False means quit."""
        if not line:
            return True
        if line in {"/quit", "/exit"}:
            return False
        if line.startswith("#") and line[1:].isdigit():
            await self._press(int(line[1:]))
        elif line == "/edit" or line.startswith("/edit "):
            await self._edit(line.removeprefix("/edit").strip())
        elif line == "/send" or line.startswith("/send "):
            await self._send_file(line.removeprefix("/send").strip())
        elif await self._group_command(line):
            pass
        else:
            await self._say(line)
        return True

    @property
    def prompt(self) -> str:
        if self.chat_id == USER_ID:
            return PROMPT
        who = "you" if self.speaker == USER_ID else OTHER_NAME.lower()
        return f"{who} @ {GROUP_TITLE} › "

    async def _say(self, text: str, *, reply_to: int | None = None) -> None:
        chat = None if self.chat_id == USER_ID else self.chat_id
        name = USER_NAME if self.speaker == USER_ID else OTHER_NAME
        sent = await self.fake.send_text(
            self.speaker, text, chat_id=chat, first_name=name, reply_to=reply_to
        )
        self._last_sent = sent["message_id"]

    async def _group_command(self, line: str) -> bool:
        """/group, /private, /as, /reply, /admin, /leave: False when ``line`` is none of them."""
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == "/group":
            if self._group_printer is None:
                self.fake.register_user(OTHER_ID, first_name=OTHER_NAME, username="sam")
                self.fake.groups.create(GROUP_ID, GROUP_TITLE, owner=USER_ID, members=(OTHER_ID,))
                self._group_printer = asyncio.create_task(self._print_outputs(GROUP_ID))
            self.chat_id, self.speaker = GROUP_ID, USER_ID
        elif word == "/private":
            self.chat_id, self.speaker = USER_ID, USER_ID
        elif word in {"/as", "/admin", "/leave", "/reply"} and self.chat_id == USER_ID:
            self._write("(that works in the group: /group first)")
        elif word == "/as":
            if rest.lower() not in {"you", OTHER_NAME.lower()}:
                self._write(f"(/as you or /as {OTHER_NAME.lower()})")
            else:
                self.speaker = USER_ID if rest.lower() == "you" else OTHER_ID
        elif word == "/admin":
            self.fake.groups.promote_bot(GROUP_ID, by=USER_ID)
        elif word == "/leave":
            leaving = USER_ID if rest.lower() == "you" else OTHER_ID
            self.fake.groups.remove_member(GROUP_ID, leaving)
            self._write(f"({'you' if leaving == USER_ID else OTHER_NAME} left {GROUP_TITLE})")
            if leaving == self.speaker:
                self.chat_id, self.speaker = USER_ID, USER_ID
        elif word == "/reply":
            latest = [m for m in self.fake.chat_messages(self.chat_id) if m.from_bot]
            if not latest or not rest:
                self._write("(usage: /reply text — answers Penny's latest message here)")
            else:
                await self._say(rest, reply_to=latest[-1].message_id)
        else:
            return False
        return True

    async def _press(self, number: int) -> None:
        message_id, keyboard = self._keyboards.get(self.chat_id, (0, []))
        if not keyboard:
            self._write("(there are no buttons to press)")
            return
        if not 1 <= number <= len(keyboard):
            self._write(f"(press #1 to #{len(keyboard)})")
            return
        button = keyboard[number - 1]
        if button.callback_data is None:
            self._write(
                f"(link: {button.url})" if button.url else "(this button does nothing here)"
            )
            return
        chat = None if self.chat_id == USER_ID else self.chat_id
        query_id = await self.fake.press(
            self.speaker, message_id, button.callback_data, chat_id=chat
        )
        await self._settle()
        answer = self.fake.callback_answers.get(query_id) or {}
        if answer.get("text"):
            self._write(f"  ({answer['text']})")

    async def _edit(self, text: str) -> None:
        if self._last_sent is None:
            self._write("(you haven't sent anything to edit yet)")
        elif not text:
            self._write("(usage: /edit <new text>)")
        else:
            chat = None if self.chat_id == USER_ID else self.chat_id
            await self.fake.edit_text(self.speaker, self._last_sent, text, chat_id=chat)

    async def _send_file(self, path_text: str) -> None:
        """Upload a local file as a document, e.g. a CSV for /import."""
        content = await asyncio.to_thread(_read_file, path_text) if path_text else None
        if content is None:
            self._write("(usage: /send path/to/file.csv — an existing file)")
            return
        sent = await self.fake.send_document(USER_ID, Path(path_text).name, content)
        self._last_sent = sent["message_id"]

    async def _settle(self) -> None:
        """Let the bot answer before the next prompt, so the conversation reads in order."""
        with contextlib.suppress(AssertionError):
            await self.fake.wait_idle(quiet=SETTLE_SECONDS, timeout=15)

    async def _print_outputs(self, chat_id: int) -> None:
        async for message in self.fake.outputs(chat_id):
            self._write(self.render(message))

    def render(self, message: BotMessage) -> str:
        """One bot output as terminal text; remembers its buttons for #n in its chat."""
        chat = message.chat_id
        shown = self._keyboards.get(chat, (None, []))[0]
        where = "" if chat == USER_ID else f"[{GROUP_TITLE}] "
        if message.event == "deleteMessage":
            if message.message_id == shown:
                self._keyboards.pop(chat, None)
            return _indent(f"{where}(deleted) ", message.text or "")
        edited = message.event.startswith("edit")
        lines = [_indent(where + ("(edited) " if edited else "penny › "), message.text or "")]
        for attachment in (message.document, message.photo_file):
            if attachment is not None:
                lines.append("📎 saved to " + _shown_path(attachment.path, attachment.filename))
        if message.buttons:
            self._keyboards[chat] = (message.message_id, message.all_buttons())
            number = 0
            for row in message.buttons:
                labels = []
                for button in row:
                    number += 1
                    link = " 🔗" if button.callback_data is None and button.url else ""
                    labels.append(f"[{number}] {button.text}{link}")
                lines.append("   ".join(labels))
            # A link can't be clicked in a terminal button row: print it whole to copy or click.
            links = [b.url for b in message.all_buttons() if b.callback_data is None and b.url]
            lines += [f"   🔗 {url}" for url in links]
        elif message.message_id == shown:
            self._keyboards.pop(chat, None)
        return "\n".join(line for line in lines if line)

    def _write(self, text: str) -> None:
        reader = self._reader
        redraw = self._tty and reader is not None and reader.prompting and not self._closing
        if redraw:
            self.out.write("\r\x1b[K")  # clear the prompt line, print, then put the prompt back
        self.out.write(text + "\n")
        if redraw:
            self.out.write(self.prompt + _line_buffer())
        self.out.flush()


def _indent(first: str, text: str) -> str:
    pad = " " * len(first)
    return first + text.replace("\n", "\n" + pad)


def _shown_path(path: Path | None, filename: str) -> str:
    if path is None:
        return f"{FILES_DIR}/{filename}"
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path(os.getcwd()).resolve()))
    return str(path)


def _line_buffer() -> str:
    try:
        import readline
    except ImportError:
        return ""
    return readline.get_line_buffer()


def _read_file(path_text: str) -> bytes | None:
    path = Path(path_text).expanduser()
    return path.read_bytes() if path.is_file() else None
