"""What the offline server holds: users, chats, messages, files and the update queue.

The Bot API methods change it and the test driver adds to it and reads it; neither keeps
chat state of its own, so there is one place to look for what the bot and the user saw. The
``Signal``s wake the long poll when an update is queued and ``next_reply`` when the bot
sends something.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import mimetypes
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.offline.messages import BotMessage, FileInfo, InlineButton, JSONDict

# Telegram delivers these only when asked for explicitly in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class StoredMessage:
    """A message in a chat, as Telegram holds it."""

    message: JSONDict
    parse_mode: str | None = None
    raw_text: str | None = None


@dataclass
class StoredFile:
    """A file as the server keeps it: its content and the ids Telegram would give it."""

    info: FileInfo
    file_unique_id: str
    file_path: str


class Signal:
    """Wakes every waiter when something changes; usable from sync code in the loop."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float | None) -> bool:
        """Wait until ``predicate()`` holds (True) or ``seconds`` pass (False); None waits on."""
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while not predicate():
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


class World:
    """Everything the server stores, as Telegram would hold it for one bot."""

    def __init__(self, *, bot_user: JSONDict, files_dir: Path | None) -> None:
        self.bot_user = bot_user
        self.files_dir = files_dir
        # Set once the server listens; every file_id carries it.
        self.port = 0
        self.commands: dict[str, list[JSONDict]] = {}
        # setChatMenuButton: per chat id, and "" for the bot's default.
        self.menu_buttons: dict[str, JSONDict] = {}
        self.callback_answers: dict[str, JSONDict] = {}
        # Set on stop, so a long poll still waiting returns at once.
        self.closing = False
        self.updates: list[JSONDict] = []
        self.update_ids = itertools.count(1)
        self.last_update_id = 0
        self.delivered_update_id = 0
        # The bot asked for updates after this one: it has every update up to here in hand.
        self.acknowledged_update_id = 0
        self.allowed_updates: list[str] = []
        self.poll_generation = 0
        self.webhook_url = ""
        self.chats: dict[int, JSONDict] = {}
        # Group chats the driver set up: chat id -> user id -> status (see groups.py).
        self.group_members: dict[int, dict[int, str]] = {}
        self.users: dict[int, JSONDict] = {}
        self.messages: dict[int, dict[int, StoredMessage]] = {}
        self.next_message_id: dict[int, int] = {}
        # Bot outputs per chat that next_reply has not consumed yet.
        self.events: dict[int, list[BotMessage]] = {}
        self.files: dict[str, StoredFile] = {}
        self.file_paths: dict[str, str] = {}
        self.file_counter = itertools.count(1)
        self.saved_names: set[str] = set()
        self.callback_ids = itertools.count(1)
        self.open_queries: set[str] = set()
        self.last_activity = time.monotonic()
        self.updates_changed = Signal()
        self.output_changed = Signal()

    def add_update(self, update: JSONDict) -> None:
        """Queue any raw update; assigns ``update_id`` when missing."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = next(self.update_ids)
        else:
            update_id = int(update["update_id"])
            self.update_ids = itertools.count(max(update_id + 1, next(self.update_ids)))
        self.last_update_id = max(self.last_update_id, update["update_id"])
        query = update.get("callback_query")
        if isinstance(query, dict) and "id" in query:
            self.open_queries.add(str(query["id"]))
        for value in update.values():
            if isinstance(value, dict) and isinstance(value.get("chat"), dict):
                chat = value["chat"]
                if isinstance(chat.get("id"), int):
                    self.chats.setdefault(chat["id"], chat)
        self.updates.append(update)
        self.last_activity = time.monotonic()
        self.updates_changed.notify()

    def user(
        self, user_id: int, *, first_name: str | None = None, username: str | None = None
    ) -> JSONDict:
        """The user, created on first sight; a copy, so callers can't change what is stored."""
        user = self.users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": first_name or "Test"}
        )
        if first_name is not None:
            user["first_name"] = first_name
        if username is not None:
            user["username"] = username
        return dict(user)

    def chat(self, user: JSONDict, chat_id: int | None, chat_type: str) -> JSONDict:
        """The chat ``user`` writes in (their private chat when ``chat_id`` is None), made known."""
        chat_id = user["id"] if chat_id is None else chat_id
        if chat_type == "private" and chat_id == user["id"]:
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            if "username" in user:
                chat["username"] = user["username"]
        else:
            known = self.chats.get(chat_id, {})
            chat = {"id": chat_id, "type": chat_type, "title": known.get("title", "Test group")}
        self.chats[chat_id] = chat
        return dict(chat)

    def new_message(self, chat: JSONDict, sender: JSONDict, **content: Any) -> JSONDict:
        """Store a message from ``sender`` with the chat's next message_id; returns it, stored."""
        chat_id = chat["id"]
        message_id = self.next_message_id.get(chat_id, 1)
        self.next_message_id[chat_id] = message_id + 1
        message: JSONDict = {
            "message_id": message_id,
            "from": dict(sender),
            "chat": dict(chat),
            "date": int(time.time()),
            **content,
        }
        self.messages.setdefault(chat_id, {})[message_id] = StoredMessage(message)
        return message

    def allowed(self, update: JSONDict) -> bool:
        """Whether getUpdates delivers ``update`` under the last allowed_updates."""
        kinds = [key for key in update if key != "update_id"]
        if not kinds:
            return True
        kind = kinds[0]
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in OPT_IN_UPDATES

    def push_event(self, message: BotMessage) -> None:
        """Record one bot output for next_reply and wake whoever waits for it."""
        self.events.setdefault(message.chat_id, []).append(message)
        self.output_changed.notify()

    def view(self, event: str, stored: StoredMessage) -> BotMessage:
        """``stored`` as the tests see it, with its buttons and files resolved."""
        message = stored.message
        markup = message.get("reply_markup") or {}
        buttons = [
            [
                InlineButton(
                    text=str(button.get("text", "")),
                    callback_data=button.get("callback_data"),
                    url=button.get("url"),
                    web_app=(button.get("web_app") or {}).get("url"),
                )
                for button in row
            ]
            for row in markup.get("inline_keyboard", [])
        ]
        document = self.file_of((message.get("document") or {}).get("file_id"))
        photos = message.get("photo") or []
        photo_file = self.file_of(photos[-1]["file_id"]) if photos else None
        text = message.get("text", message.get("caption"))
        return BotMessage(
            event=event,
            chat_id=message["chat"]["id"],
            message_id=message["message_id"],
            text=text,
            parse_mode=stored.parse_mode,
            buttons=buttons,
            document=document,
            photo=photo_file.content if photo_file else None,
            from_bot=bool(message["from"].get("is_bot")),
            raw_text=stored.raw_text if stored.raw_text is not None else text,
            photo_file=photo_file,
            raw=copy.deepcopy(message),
        )

    def store_file(
        self, filename: str, content: bytes, mime_type: str | None = None, *, save: bool = True
    ) -> StoredFile:
        """Give the file an id and a download path; with files_dir and ``save``, write it there."""
        number = next(self.file_counter)
        file_id = f"FILE{number:06d}{self.port}"
        suffix = Path(filename).suffix
        folder = "documents"
        guessed = mime_type or mimetypes.guess_type(filename)[0]
        if guessed in {None, "application/octet-stream"}:
            guessed = mimetypes.guess_type(filename)[0] or guessed
        info = FileInfo(filename, content, guessed, file_id)
        if save and self.files_dir is not None:
            info.path = self._save(filename, content)
        stored = StoredFile(info, f"U{number:06d}", f"{folder}/file_{number}{suffix}")
        self.files[file_id] = stored
        self.file_paths[stored.file_path] = file_id
        return stored

    def _save(self, filename: str, content: bytes) -> Path:
        """Write the file under files_dir, numbering the name when it was taken (in this run
        or an earlier one: yesterday's export is not overwritten by today's)."""
        assert self.files_dir is not None
        name = Path(filename).name or "file"
        stem, suffix = Path(name).stem, Path(name).suffix
        for n in itertools.count(2):
            if name not in self.saved_names and not (self.files_dir / name).exists():
                break
            name = f"{stem}-{n}{suffix}"
        self.saved_names.add(name)
        path = self.files_dir / name
        path.write_bytes(content)
        return path

    def document_object(self, info: FileInfo | StoredFile) -> JSONDict:
        """The Document object of a stored file."""
        stored = info if isinstance(info, StoredFile) else self.files[info.file_id]
        document = {
            "file_id": stored.info.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.info.filename,
            "file_size": len(stored.info.content),
        }
        if stored.info.mime_type:
            document["mime_type"] = stored.info.mime_type
        return document

    def photo_sizes(self, info: FileInfo) -> list[JSONDict]:
        """The PhotoSize list of a stored file: one size, read from a PNG header."""
        stored = self.files[info.file_id]
        width, height = image_size(info.content)
        return [
            {
                "file_id": info.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(info.content),
                "width": width,
                "height": height,
            }
        ]

    def file_of(self, file_id: str | None) -> FileInfo | None:
        """The stored file with ``file_id``, if any."""
        stored = self.files.get(file_id or "")
        return stored.info if stored else None


def image_size(content: bytes) -> tuple[int, int]:
    """Width and height of a PNG; 1x1 for anything else, which is all the bot needs."""
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    return 1, 1
