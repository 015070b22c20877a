"""The Bot API methods the offline server implements, and the checks that need the stored chat.

Each method takes the decoded parameters and the uploaded files and returns the ``result`` of
Telegram's answer, or raises ApiError with Telegram's description. Checks that depend only on
the request live in ``validation.py``; here are those that need the world: the chat exists,
the message to edit or reply to exists, the new content differs, the query is still open.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any

from bot.offline import groups
from bot.offline.errors import NOT_MODIFIED, QUERY_INVALID, SUPERSEDED, ApiError, bad_request
from bot.offline.messages import FileInfo, JSONDict
from bot.offline.state import StoredMessage, World
from bot.offline.validation import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    check_commands,
    checked_caption,
    checked_markup,
    checked_text,
)

# One Bot API method: (params, files) -> result, or an awaitable of it (getUpdates waits).
Handler = Callable[[JSONDict, dict[str, FileInfo]], Any]


class BotApiMethods:
    """Telegram's side of every method the bot calls; all state lives in ``world``."""

    def __init__(self, world: World) -> None:
        self.world = world

    def by_name(self) -> dict[str, Handler]:
        """Every method by its lowercased name: Telegram matches names case-insensitively."""
        return {
            name.lower(): handler
            for name, handler in {
                "getMe": self.get_me,
                "getUpdates": self.get_updates,
                "deleteWebhook": self.delete_webhook,
                "setWebhook": self.set_webhook,
                "getWebhookInfo": self.get_webhook_info,
                "setMyCommands": self.set_my_commands,
                "getMyCommands": self.get_my_commands,
                "deleteMyCommands": self.delete_my_commands,
                "setChatMenuButton": self.set_chat_menu_button,
                "getChatMenuButton": self.get_chat_menu_button,
                "sendMessage": self.send_message,
                "editMessageText": self.edit_message_text,
                "editMessageReplyMarkup": self.edit_message_reply_markup,
                "editMessageCaption": self.edit_message_caption,
                "editMessageMedia": self.edit_message_media,
                "deleteMessage": self.delete_message,
                "deleteMessages": self.delete_messages,
                "answerCallbackQuery": self.answer_callback_query,
                "sendDocument": self.send_document,
                "sendPhoto": self.send_photo,
                "sendChatAction": self.ok,
                "getFile": self.get_file,
                "getChat": self.get_chat,
                "getChatMember": self.get_chat_member,
                "getChatAdministrators": self.get_chat_administrators,
                "getChatMemberCount": self.get_chat_member_count,
                "close": self.ok,
                "logOut": self.ok,
            }.items()
        }

    # ---- the methods ----------------------------------------------------------------------

    def ok(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        return True

    def get_me(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        return dict(self.world.bot_user)

    async def get_updates(self, params: JSONDict, files: dict[str, FileInfo]) -> list[JSONDict]:
        if self.world.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if params.get("allowed_updates") is not None:
            self.world.allowed_updates = list(params["allowed_updates"])
        if offset > 0:
            self.world.updates = [u for u in self.world.updates if u["update_id"] >= offset]
            self.world.acknowledged_update_id = max(self.world.acknowledged_update_id, offset - 1)
        elif offset < 0:
            self.world.updates = self.world.updates[offset:]
        # Only the newest long poll lives, like Telegram's 409 for concurrent getUpdates.
        self.world.poll_generation += 1
        generation = self.world.poll_generation

        def ready() -> bool:
            return (
                self.world.closing
                or generation != self.world.poll_generation
                or any(self.world.allowed(u) for u in self.world.updates)
            )

        await self.world.updates_changed.wait_for(ready, timeout)
        if generation != self.world.poll_generation and not self.world.closing:
            raise ApiError(409, SUPERSEDED)
        self.world.updates = [u for u in self.world.updates if self.world.allowed(u)]
        batch = self.world.updates[:limit]
        if batch:
            self.world.delivered_update_id = max(
                self.world.delivered_update_id, batch[-1]["update_id"]
            )
        return copy.deepcopy(batch)

    def delete_webhook(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        self.world.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.world.updates.clear()
            self.world.delivered_update_id = self.world.last_update_id
        return True

    def set_webhook(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        self.world.webhook_url = str(params.get("url") or "")
        return True

    def get_webhook_info(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        return {
            "url": self.world.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.updates),
        }

    def _commands_key(self, params: JSONDict) -> str:
        """Commands are kept per scope and language, as setMyCommands sets them."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def set_my_commands(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        commands = check_commands(params.get("commands"))
        self.world.commands[self._commands_key(params)] = commands
        return True

    def get_my_commands(self, params: JSONDict, files: dict[str, FileInfo]) -> list[JSONDict]:
        return self.world.commands.get(self._commands_key(params), [])

    def delete_my_commands(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        self.world.commands.pop(self._commands_key(params), None)
        return True

    def set_chat_menu_button(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        kind = button.get("type") if isinstance(button, dict) else None
        if kind not in {"commands", "web_app", "default"}:
            raise bad_request("can't parse menu button: unsupported type")
        if kind == "web_app":
            app = button.get("web_app")
            url = str(app.get("url", "")) if isinstance(app, dict) else ""
            if not str(button.get("text", "")) or not url.startswith("https://"):
                raise bad_request("BUTTON_URL_INVALID")  # Mini Apps open only over HTTPS
        chat = params.get("chat_id")
        key = "" if chat is None else str(self._target_chat(params))
        self.world.menu_buttons[key] = dict(button)
        return True

    def get_chat_menu_button(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        chat = params.get("chat_id")
        key = "" if chat is None else str(self._target_chat(params))
        return (
            self.world.menu_buttons.get(key)
            or self.world.menu_buttons.get("")
            or {"type": "commands"}
        )

    def send_message(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        chat = self._target_chat(params)
        raw_text = params.get("text")
        if raw_text is None or raw_text == "":
            raise bad_request("message text is empty")
        text, entities = checked_text(str(raw_text), params, "entities", MAX_TEXT_LENGTH)
        markup = checked_markup(params)
        message = self._bot_message(chat, params, text=text)
        if entities:
            message["entities"] = entities
        if markup:
            message["reply_markup"] = markup
        if isinstance(params.get("link_preview_options"), dict):
            message["link_preview_options"] = params["link_preview_options"]
        return self._emit("sendMessage", message, params, raw_text=str(raw_text))

    def edit_message_text(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        stored = self._editable(params)
        message = stored.message
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        raw_text = params.get("text")
        if raw_text is None or raw_text == "":
            raise bad_request("message text is empty")
        text, entities = checked_text(str(raw_text), params, "entities", MAX_TEXT_LENGTH)
        markup = checked_markup(params)
        before = (message.get("text"), message.get("entities", []), message.get("reply_markup"))
        if before == (text, entities, markup):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message["text"] = text
        _set_or_drop(message, "entities", entities)
        _set_or_drop(message, "reply_markup", markup)
        return self._edited("editMessageText", stored, params, raw_text=str(raw_text))

    def edit_message_reply_markup(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        stored = self._editable(params)
        markup = checked_markup(params)
        if stored.message.get("reply_markup") == markup:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        _set_or_drop(stored.message, "reply_markup", markup)
        return self._edited("editMessageReplyMarkup", stored, params, raw_text=stored.raw_text)

    def edit_message_caption(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        stored = self._editable(params)
        message = stored.message
        if not any(key in message for key in ("document", "photo")):
            raise bad_request("there is no caption in the message to edit")
        raw_caption = str(params.get("caption") or "")
        caption, entities = checked_text(
            raw_caption, params, "caption_entities", MAX_CAPTION_LENGTH
        )
        markup = checked_markup(params)
        before = (
            message.get("caption", ""),
            message.get("caption_entities", []),
            message.get("reply_markup"),
        )
        if before == (caption, entities, markup):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        _set_or_drop(message, "caption", caption)
        _set_or_drop(message, "caption_entities", entities)
        _set_or_drop(message, "reply_markup", markup)
        return self._edited("editMessageCaption", stored, params, raw_text=raw_caption)

    def edit_message_media(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        stored = self._editable(params)
        message = stored.message
        media = params.get("media")
        if not isinstance(media, dict) or media.get("type") not in {"document", "photo"}:
            raise bad_request("can't parse InputMedia: media type document or photo expected")
        if not any(key in message for key in ("document", "photo")):
            raise bad_request("there is no media in the message to edit")
        info = self._input_file(str(media.get("type")), media.get("media"), files)
        raw_caption = str(media.get("caption") or "")
        caption, entities = checked_text(
            raw_caption,
            {
                "parse_mode": media.get("parse_mode"),
                "caption_entities": media.get("caption_entities"),
            },
            "caption_entities",
            MAX_CAPTION_LENGTH,
        )
        message.pop("document", None)
        message.pop("photo", None)
        if media["type"] == "document":
            message["document"] = self.world.document_object(info)
        else:
            message["photo"] = self.world.photo_sizes(info)
        _set_or_drop(message, "caption", caption)
        _set_or_drop(message, "caption_entities", entities)
        _set_or_drop(message, "reply_markup", checked_markup(params))
        stored.parse_mode = media.get("parse_mode")
        return self._edited("editMessageMedia", stored, params, raw_text=raw_caption)

    def delete_message(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        chat = self._target_chat(params)
        message_id = params.get("message_id")
        stored = self.world.messages.get(chat, {}).pop(int(message_id or 0), None)
        if stored is None:
            raise bad_request("message to delete not found")
        self.world.push_event(self.world.view("deleteMessage", stored))
        return True

    def delete_messages(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        chat = self._target_chat(params)
        for message_id in params.get("message_ids") or []:
            stored = self.world.messages.get(chat, {}).pop(int(message_id), None)
            if stored is not None:
                self.world.push_event(self.world.view("deleteMessage", stored))
        return True

    def answer_callback_query(self, params: JSONDict, files: dict[str, FileInfo]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self.world.open_queries:
            raise bad_request(QUERY_INVALID.removeprefix("Bad Request: "))
        if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        self.world.open_queries.discard(query_id)
        self.world.callback_answers[query_id] = params
        return True

    def send_document(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        chat = self._target_chat(params)
        caption = checked_caption(params)
        info = self._input_file("document", params.get("document"), files)
        message = self._bot_message(chat, params, document=self.world.document_object(info))
        return self._send_media("sendDocument", message, params, caption)

    def send_photo(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        chat = self._target_chat(params)
        caption = checked_caption(params)
        info = self._input_file("photo", params.get("photo"), files)
        message = self._bot_message(chat, params, photo=self.world.photo_sizes(info))
        return self._send_media("sendPhoto", message, params, caption)

    def get_file(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        stored = self.world.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.info.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.info.content),
            "file_path": stored.file_path,
        }

    def get_chat(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        chat = self._target_chat(params)
        return {**self.world.chats[chat], "accent_color_id": 0, "max_reaction_count": 11}

    def get_chat_member(self, params: JSONDict, files: dict[str, FileInfo]) -> JSONDict:
        chat = self._target_chat(params)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise bad_request("user not found")
        return groups.chat_member(self.world, chat, user_id)

    def get_chat_administrators(
        self, params: JSONDict, files: dict[str, FileInfo]
    ) -> list[JSONDict]:
        return groups.administrators(self.world, self._target_chat(params))

    def get_chat_member_count(self, params: JSONDict, files: dict[str, FileInfo]) -> int:
        return groups.member_count(self.world, self._target_chat(params))

    # ---- helpers --------------------------------------------------------------------------

    def _target_chat(self, params: JSONDict) -> int:
        """The id of the known chat ``chat_id`` names (a number or an @username)."""
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str):
            by_name = [
                cid
                for cid, chat in self.world.chats.items()
                if "@" + str(chat.get("username", "")).lower() == chat_id.lower()
            ]
            if not by_name:
                raise bad_request("chat not found")
            chat_id = by_name[0]
        if chat_id not in self.world.chats:
            raise bad_request("chat not found")
        return int(chat_id)

    def _bot_message(self, chat_id: int, params: JSONDict, **content: Any) -> JSONDict:
        """Store a new bot message in the chat, quoting the message it replies to."""
        reply = params.get("reply_parameters")
        reply_to = params.get("reply_to_message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            reply_to = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
        groups.check_can_post(self.world, chat_id)
        replied: StoredMessage | None = None
        if reply_to is not None:
            replied = self.world.messages.get(chat_id, {}).get(int(reply_to))
            if replied is None and not allow_missing:
                raise bad_request("message to be replied not found")
        message = self.world.new_message(self.world.chats[chat_id], self.world.bot_user, **content)
        if replied is not None:
            quoted = copy.deepcopy(replied.message)
            quoted.pop("reply_to_message", None)
            message["reply_to_message"] = quoted
        return message

    def _send_media(
        self,
        event: str,
        message: JSONDict,
        params: JSONDict,
        caption: tuple[str, list[JSONDict], JSONDict | None],
    ) -> JSONDict:
        text, entities, markup = caption
        _set_or_drop(message, "caption", text)
        _set_or_drop(message, "caption_entities", entities)
        _set_or_drop(message, "reply_markup", markup)
        raw = params.get("caption")
        return self._emit(event, message, params, raw_text=str(raw) if raw else None)

    def _emit(
        self, event: str, message: JSONDict, params: JSONDict, *, raw_text: str | None
    ) -> JSONDict:
        """Remember how the bot formatted a sent message and show it to the tests."""
        stored = self.world.messages[message["chat"]["id"]][message["message_id"]]
        stored.parse_mode = params.get("parse_mode")
        stored.raw_text = raw_text
        self.world.push_event(self.world.view(event, stored))
        return copy.deepcopy(message)

    def _editable(self, params: JSONDict) -> StoredMessage:
        """The bot's own message the edit names; inline messages are never found."""
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat = self._target_chat(params)
        stored = self.world.messages.get(chat, {}).get(int(params.get("message_id") or 0))
        if stored is None:
            raise bad_request("message to edit not found")
        if not stored.message["from"].get("is_bot"):
            raise bad_request("message can't be edited")
        return stored

    def _edited(
        self, event: str, stored: StoredMessage, params: JSONDict, *, raw_text: str | None
    ) -> JSONDict:
        """Stamp the edit and show it to the tests; a markup edit keeps the formatted text."""
        stored.message["edit_date"] = int(time.time())
        if event != "editMessageReplyMarkup":
            stored.parse_mode = params.get("parse_mode")
            stored.raw_text = raw_text
        self.world.push_event(self.world.view(event, stored))
        return copy.deepcopy(stored.message)

    def _input_file(self, kind: str, value: Any, files: dict[str, FileInfo]) -> FileInfo:
        """The file a send or edit names: an upload, a known file_id or a URL."""
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        else:
            upload = files.get(kind)
        if upload is not None:
            return self.world.store_file(upload.filename, upload.content, upload.mime_type).info
        if isinstance(value, str) and value in self.world.files:
            return self.world.files[value].info
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = value.rstrip("/").rsplit("/", 1)[-1] or kind
            return self.world.store_file(name, b"").info
        raise bad_request("wrong file identifier/HTTP URL specified")


def _set_or_drop(message: JSONDict, key: str, value: Any) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)
