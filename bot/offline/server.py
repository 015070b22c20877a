"""An embedded Bot API-compatible HTTP server for the offline local chat and the e2e tests.

The bot talks to it with the real python-telegram-bot over HTTP, exactly as it talks to
api.telegram.org; only ``base_url``/``base_file_url`` differ. The user's side (sending text,
pressing buttons, uploading files) and the observations (``next_reply``, ``chat_messages``,
``calls``) are plain methods, so tests read like a conversation.

Every call is checked as Telegram would check it: against the Bot API specification when it is
beside the repository (``spec.py``: methods, parameters, types, required fields, nested objects,
limits; a missing specification fails in CI), and always against the built-in rules (text
length after entity parsing, keyboards, commands), then against the stored chat (editing a
missing or unchanged message, answering a callback query twice). A refusal is answered like
Telegram's: HTTP 400 and ``{"ok": false, "error_code": 400, "description": "Bad Request: …"}``.
So every test that drives the bot through this server is also a conformance test.

This module is the HTTP side and the public face; callers import from here. The rest lives in:
``state`` (the stored chats, messages, files and updates), ``methods`` (the Bot API methods),
``validation`` (checks on the request alone, and ``check_call``, which every call passes
before its method runs), ``spec``/``conformance`` (the specification and the checks against
it), ``params`` (decoding what PTB sends) and ``messages``/``errors`` (the dataclasses tests
read and Telegram's error texts).
"""

from __future__ import annotations

import asyncio
import copy
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar

from aiohttp import web

from bot.offline.entities import utf16_len
from bot.offline.errors import SUPERSEDED, ApiError
from bot.offline.groups import PRESENT, GroupDriver, receives, status_of
from bot.offline.messages import ApiCall, BotMessage, FileInfo, InlineButton, JSONDict
from bot.offline.methods import BotApiMethods
from bot.offline.params import read_params
from bot.offline.spec import BotApiSpec, find_spec
from bot.offline.state import Signal, World
from bot.offline.validation import check_call, render_text

__all__ = [
    "ApiCall",
    "ApiError",
    "BotMessage",
    "FakeTelegram",
    "FileInfo",
    "InlineButton",
    "render_text",
    "running_application",
]

logger = logging.getLogger(__name__)


class FakeTelegram:
    """A Bot API-compatible HTTP server on 127.0.0.1 for the local chat and the tests.

    ``spec_dir`` is where the Bot API specification is (default: ``spec.spec_dir()``); it is
    read at :meth:`start`. ``observers`` see every call any server answers, so the test suite
    can count calls and refusals over a whole run.
    """

    observers: ClassVar[list[Callable[[ApiCall], None]]] = []

    def __init__(
        self,
        *,
        token: str = "123456:LOCAL-TEST-TOKEN",
        bot_username: str = "penny_local_bot",
        files_dir: Path | None = None,
        spec_dir: Path | None = None,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        bot_id = token.split(":", 1)[0]
        bot_user: JSONDict = {
            "id": int(bot_id) if bot_id.isdigit() else 123456,
            "is_bot": True,
            "first_name": "Penny",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.world = World(bot_user=bot_user, files_dir=files_dir)
        self.calls: list[ApiCall] = []
        self._called = Signal()
        self.base_url = ""
        self.base_file_url = ""
        self.spec_dir = spec_dir
        # Set at start: None means only the built-in rules apply.
        self.spec: BotApiSpec | None = None

        self._runner: web.AppRunner | None = None
        self._failures: dict[str, list[ApiError]] = {}
        self._in_flight = 0
        self.api = BotApiMethods(self.world)
        # Group chats: create, join, leave, promote the bot, privacy mode, migrate.
        self.groups = GroupDriver(self.world)
        # Looked up per call, so a test can swap one method (tests/system/test_faults.py).
        self._methods = self.api.by_name()

    # What callers read of the world, under the names they always had.

    @property
    def port(self) -> int:
        return self.world.port

    @property
    def files_dir(self) -> Path | None:
        return self.world.files_dir

    @property
    def bot_user(self) -> JSONDict:
        return self.world.bot_user

    @property
    def commands(self) -> dict[str, list[JSONDict]]:
        return self.world.commands

    @property
    def callback_answers(self) -> dict[str, JSONDict]:
        return self.world.callback_answers

    @property
    def _events(self) -> dict[int, list[BotMessage]]:
        # bench/load_bench.py clears a user's unconsumed outputs between messages.
        return self.world.events

    # ---- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Read the Bot API specification (SpecMissing in CI without it); listen on 127.0.0.1."""
        self.spec = find_spec(self.spec_dir)
        if self.spec is None:
            logger.info("No Bot API specification found; checking calls by built-in rules only")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.world.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://127.0.0.1:{self.port}/bot"
        self.base_file_url = f"http://127.0.0.1:{self.port}/file/bot"
        if self.files_dir is not None:
            self.files_dir.mkdir(parents=True, exist_ok=True)
        logger.debug("Fake Bot API listening on 127.0.0.1:%d", self.port)

    async def stop(self) -> None:
        # Release any long poll still waiting, so shutdown doesn't wait for its timeout.
        self.world.closing = True
        self.world.updates_changed.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ---- the user's side ------------------------------------------------------------------

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str | None = None,
        username: str | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        """The user sends ``text``; returns the message as the bot will receive it.

        In a group the message is only delivered when Telegram would deliver it (see
        ``groups.receives``: privacy mode); it is in the chat either way. ``reply_to`` quotes a
        message of the chat. A ``chat_id`` the driver made a group of keeps its type.
        """
        user = self.world.user(user_id, first_name=first_name, username=username)
        known = self.world.chats.get(chat_id) if chat_id is not None else None
        if known is not None and known.get("type") != "private":
            chat_type = known["type"]
        chat = self.world.chat(user, chat_id, chat_type)
        if chat_type != "private" and status_of(self.world, chat["id"], user_id) not in PRESENT:
            raise AssertionError(f"user {user_id} is not in chat {chat['id']}: they can't write")
        content: JSONDict = {"text": text}
        if reply_to is not None:
            quoted = copy.deepcopy(self.world.messages[chat["id"]][reply_to].message)
            quoted.pop("reply_to_message", None)
            content["reply_to_message"] = quoted
        message = self.world.new_message(chat, user, **content)
        entities = _entities(text, str(self.bot_user.get("username") or ""))
        if entities:
            message["entities"] = entities
        if receives(self.world, message):
            self.inject_update({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    async def edit_text(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> JSONDict:
        """The user edits a message they sent earlier."""
        chat = chat_id if chat_id is not None else user_id
        stored = self.world.messages.get(chat, {}).get(message_id)
        if stored is None or stored.message["from"]["id"] != user_id:
            raise AssertionError(f"user {user_id} sent no message {message_id} in chat {chat}")
        message = stored.message
        message["text"] = text
        message["edit_date"] = int(time.time())
        message.pop("entities", None)
        entities = _entities(text, str(self.bot_user.get("username") or ""))
        if entities:
            message["entities"] = entities
        if receives(self.world, message):
            self.inject_update({"edited_message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    async def press(
        self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None
    ) -> str:
        """The user taps an inline button with ``data`` under bot message ``message_id``."""
        chat = chat_id if chat_id is not None else user_id
        user = self.world.user(user_id)
        if chat == user_id:
            self.world.chat(user, chat, "private")
        query_id = f"{next(self.world.callback_ids)}{user_id}"
        stored = self.world.messages.get(chat, {}).get(message_id)
        message: JSONDict
        if stored is not None:
            message = copy.deepcopy(stored.message)
        else:
            # What Telegram sends for a message the bot can no longer see.
            chat_object = self.world.chats.get(chat) or {"id": chat, "type": "private"}
            message = {"chat": chat_object, "message_id": message_id, "date": 0}
        self.inject_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": message,
                    "chat_instance": str(chat),
                    "data": data,
                }
            }
        )
        return query_id

    async def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> JSONDict:
        """The user uploads a file; the bot can fetch it with getFile."""
        user = self.world.user(user_id)
        chat = self.world.chat(user, chat_id, "private")
        stored = self.world.store_file(filename, content, save=False)
        message = self.world.new_message(chat, user, document=self.world.document_object(stored))
        if caption is not None:
            message["caption"] = caption
        self.inject_update({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    def register_user(
        self, user_id: int, *, first_name: str = "Test", username: str | None = None
    ) -> None:
        """Make the user's private chat known, as if they had started the bot before."""
        self.world.chat(
            self.world.user(user_id, first_name=first_name, username=username), None, "private"
        )

    def inject_update(self, update: JSONDict) -> None:
        """Queue any raw update; assigns ``update_id`` when missing."""
        self.world.add_update(update)

    # ---- observing the bot ----------------------------------------------------------------

    # A plain timeout argument reads best in tests; asyncio.timeout would lose the chat dump.
    async def next_reply(self, chat_id: int, *, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The next bot output in ``chat_id`` not yet consumed; fails with a dump on timeout."""
        events = self.world.events.setdefault(chat_id, [])
        if await self.world.output_changed.wait_for(lambda: bool(events), timeout):
            return events.pop(0)
        raise AssertionError(f"no reply in chat {chat_id} within {timeout}s\n{self.dump(chat_id)}")

    async def no_reply(self, chat_id: int, *, wait: float = 0.3) -> None:
        """Assert the bot outputs nothing more in ``chat_id`` for ``wait`` seconds."""
        events = self.world.events.setdefault(chat_id, [])
        if await self.world.output_changed.wait_for(lambda: bool(events), wait):
            unexpected = "\n".join("  " + event.describe() for event in events)
            raise AssertionError(f"unexpected output in chat {chat_id}:\n{unexpected}")

    async def outputs(self, chat_id: int) -> AsyncIterator[BotMessage]:
        """Every bot output in ``chat_id`` as it arrives, forever (for the local chat)."""
        events = self.world.events.setdefault(chat_id, [])
        while True:
            await self.world.output_changed.wait_for(lambda: bool(events), None)
            yield events.pop(0)

    def pending_replies(self, chat_id: int) -> list[BotMessage]:
        """Bot outputs in ``chat_id`` not yet consumed by next_reply, without consuming them."""
        return list(self.world.events.get(chat_id, []))

    def chat_messages(self, chat_id: int) -> list[BotMessage]:
        """Every message now in the chat (after edits and deletes), oldest first."""
        stored = self.world.messages.get(chat_id, {})
        return [self.world.view("message", stored[mid]) for mid in sorted(stored)]

    async def wait_idle(
        self,
        *,
        quiet: float = 0.15,
        timeout: float = 5.0,  # noqa: ASYNC109
        busy: Callable[[], bool] | None = None,
    ) -> None:
        """Wait until every queued update was fetched and the bot made no call for ``quiet`` s.

        ``busy`` (the bot's own "still handling updates") makes it exact: then the bot must also
        have acknowledged every update it fetched and report itself done, so a slow handler that
        makes no call for a while isn't mistaken for an idle bot.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            now = time.monotonic()
            fetched = self.world.delivered_update_id >= self.world.last_update_id
            if busy is not None:
                fetched = (
                    fetched
                    and self.world.acknowledged_update_id >= self.world.delivered_update_id
                    and not busy()
                )
            if fetched and self._in_flight == 0 and now - self.world.last_activity >= quiet:
                return
            if loop.time() > deadline:
                raise AssertionError(f"the bot did not go idle within {timeout}s")
            await asyncio.sleep(min(quiet / 3, 0.05))

    async def wait_for_call(
        self,
        predicate: Callable[[ApiCall], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> ApiCall:
        """The first recorded call (made already or from now on) that ``predicate`` accepts."""

        def found() -> ApiCall | None:
            return next((call for call in self.calls if predicate(call)), None)

        if not await self._called.wait_for(lambda: found() is not None, timeout):
            raise AssertionError(f"no such call within {timeout}s")
        call = found()
        assert call is not None
        return call

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next call of ``method`` with a Bot API error instead of running it."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        error = ApiError(error_code, description, parameters)
        self._failures.setdefault(method.lower(), []).append(error)

    def dump(self, chat_id: int) -> str:
        """A readable account of a chat for failing assertions."""
        lines = [f"messages in chat {chat_id}:"]
        lines += ["  " + message.describe() for message in self.chat_messages(chat_id)] or [
            "  (none)"
        ]
        others = {chat: len(events) for chat, events in self.world.events.items() if events}
        if others:
            lines.append(f"unconsumed outputs per chat: {others}")
        lines.append("last API calls:")
        for call in self.calls[-15:]:
            if call.method == "getUpdates" and call.error is None:
                continue
            outcome = f"ERROR {call.error['description']}" if call.error else "ok"
            params = {k: v for k, v in call.params.items() if k != "reply_markup"}
            lines.append(f"  {call.method} {params!r:.200} -> {outcome}")
        return "\n".join(lines)

    # ---- HTTP -----------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return await self._download(path.removeprefix("/file/bot"))
        if not path.startswith("/bot"):
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        token, _, method = path.removeprefix("/bot").partition("/")
        if token != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        name = method.lower()
        tracked = name != "getupdates"
        if tracked:
            self._in_flight += 1
        try:
            try:
                params, files = await read_params(request, method, self.spec)
            except ApiError as exc:
                return self._refuse(method, {}, exc)
            return await self._answer(method, params, files)
        finally:
            if tracked:
                self._in_flight -= 1
                self.world.last_activity = time.monotonic()

    async def _answer(
        self, method: str, params: JSONDict, files: dict[str, FileInfo]
    ) -> web.Response:
        name = method.lower()
        recorded = {**params, **files}
        handler = self._methods.get(name)
        failures = self._failures.get(name)
        if failures:
            return self._refuse(method, recorded, failures.pop(0), injected=True)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            check_call(name, params, files, spec=self.spec)
            result = handler(params, files)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as exc:
            if exc.description.startswith(SUPERSEDED):
                # A long poll the client already gave up on (the updater stopped or retried).
                return web.json_response(exc.body(), status=exc.error_code)
            return self._refuse(method, recorded, exc)
        except Exception as exc:  # a bug here must reach the bot as an error, not a hang
            logger.exception("Fake Bot API failed on %s", method)
            body = {"ok": False, "error_code": 500, "description": f"Internal error: {exc!r}"}
            self._record(ApiCall(method, recorded, None, time.time(), body))
            return web.json_response(body, status=500)
        self._record(ApiCall(method, recorded, result, time.time()))
        return web.json_response({"ok": True, "result": result})

    def _refuse(
        self, method: str, recorded: JSONDict, error: ApiError, *, injected: bool = False
    ) -> web.Response:
        logger.warning("Fake Bot API: %s -> %s", method, error.description)
        self._record(ApiCall(method, recorded, None, time.time(), error.body(), injected))
        return web.json_response(error.body(), status=error.error_code)

    def _record(self, call: ApiCall) -> None:
        call.spec_checked = self.spec is not None
        self.calls.append(call)
        for observer in self.observers:
            observer(call)
        self._called.notify()

    async def _download(self, rest: str) -> web.StreamResponse:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        file_id = self.world.file_paths.get(file_path)
        if file_id is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        info = self.world.files[file_id].info
        return web.Response(
            body=info.content, content_type=info.mime_type or "application/octet-stream"
        )


def _entities(text: str, bot_username: str) -> list[JSONDict]:
    """The entities Telegram marks in a typed text: a leading command, mentions of the bot."""
    found: list[JSONDict] = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command)})
    else:
        command = ""
    mention = f"@{bot_username}".lower()
    # "/start@penny_bot" is one command entity, not a command and a mention.
    start = text.lower().find(mention, len(command)) if bot_username else -1
    if start >= 0:
        found.append(
            {
                "type": "mention",
                "offset": utf16_len(text[:start]),
                "length": utf16_len(text[start : start + len(mention)]),
            }
        )
    return found


# --------------------------------------------------------------------------------------------
# Running a PTB application against the server


@asynccontextmanager
async def running_application(
    app: Any,
    fake: FakeTelegram | None = None,
    *,
    allowed_updates: Iterable[str] | None = None,
) -> AsyncIterator[Any]:
    """Initialize, start and poll ``app`` (a telegram.ext.Application); stop it on exit.

    Polls with ``poll_interval=0`` so an update reaches the bot as soon as it is queued. Every
    update type is requested unless ``allowed_updates`` says otherwise. ``fake`` is accepted so
    call sites read clearly; the app must already be built with its base URLs.
    """
    from telegram import Update

    if fake is not None and fake.base_url and not str(app.bot.base_url).startswith(fake.base_url):
        raise ValueError("the application is not configured with this FakeTelegram's base_url")
    kinds = list(allowed_updates) if allowed_updates is not None else list(Update.ALL_TYPES)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=10, allowed_updates=kinds)
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
