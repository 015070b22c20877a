"""The checks Telegram makes on what a bot sends, with Telegram's error texts.

``check_call`` is the one function the dispatcher calls for every call before its method runs.
With the Bot API specification loaded (``spec.py``) it first checks the call against it
(``conformance.py``): method, parameters, types, required fields, nested objects, limits. Then,
with or without the specification, come the built-in rules below, which also stand in for it
when it is absent: text and caption length after entity parsing, inline keyboards (one action
per button, 64-byte ``callback_data``, at most 100 buttons), bot commands, chat actions, the
1-100 messages of deleteMessages, a webhook's HTTPS address and port. Checks that need the
stored chat (the message to edit exists, the content changed) stay with the method in
``methods.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bot.offline.conformance import check_against_spec
from bot.offline.entities import render_text
from bot.offline.errors import bad_request
from bot.offline.messages import FileInfo, JSONDict
from bot.offline.spec import BotApiSpec

__all__ = [
    "MAX_BUTTONS",
    "MAX_CALLBACK_ANSWER_LENGTH",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_TEXT_LENGTH",
    "check_call",
    "check_commands",
    "checked_caption",
    "checked_markup",
    "checked_text",
    "render_text",
]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
# Not in the specification's field tables, but Telegram refuses a bigger inline keyboard.
MAX_BUTTONS = 100
MAX_COMMANDS = 100
MAX_DELETED = 100
# None: the URL names no port, so 443.
WEBHOOK_PORTS = frozenset({None, 80, 88, 443, 8443})
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)


def check_call(
    method: str,
    params: JSONDict,
    files: dict[str, FileInfo],
    *,
    spec: BotApiSpec | None = None,
) -> None:
    """Refuse a call of ``method`` (lowercased) before it runs; raises ApiError like Telegram."""
    if spec is not None:
        check_against_spec(spec, method, params, files)
    rule = _BUILT_IN.get(method)
    if rule is not None:
        rule(params)


def _check_chat_action(params: JSONDict) -> None:
    if str(params.get("action") or "").lower() not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")


def _check_deleted(params: JSONDict) -> None:
    ids = params.get("message_ids")
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ):
        raise bad_request("can't parse message_ids JSON object")
    if not ids:
        raise bad_request("message identifiers are not specified")
    if len(ids) > MAX_DELETED:
        raise bad_request("too many message identifiers specified")


def _check_set_commands(params: JSONDict) -> None:
    check_commands(params.get("commands"))


def _check_webhook(params: JSONDict) -> None:
    """Telegram posts updates only over HTTPS and only to these ports (setWebhook's notes)."""
    url = str(params.get("url") or "")
    if not url:
        return  # an empty URL removes the webhook
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        port = -1
    if port not in WEBHOOK_PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")


_BUILT_IN: dict[str, Callable[[JSONDict], None]] = {
    "sendchataction": _check_chat_action,
    "deletemessages": _check_deleted,
    "setmycommands": _check_set_commands,
    "setwebhook": _check_webhook,
}


def checked_text(
    raw: str, params: JSONDict, entities_key: str, limit: int
) -> tuple[str, list[JSONDict]]:
    """``raw`` rendered with the call's parse_mode, checked for emptiness and ``limit``."""
    text, entities = render_text(raw, params.get("parse_mode"), params.get(entities_key))
    is_caption = entities_key == "caption_entities"
    if not is_caption and not text.strip():
        raise bad_request("message text is empty")
    if len(text) > limit:
        raise bad_request("message caption is too long" if is_caption else "message is too long")
    return text, entities


def checked_markup(params: JSONDict) -> JSONDict | None:
    """The inline keyboard the message will carry, or None when it carries none."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" not in markup:
        return None  # reply keyboards and ForceReply are not part of the message
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    if not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            check_button(button)
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return {"inline_keyboard": rows} if any(rows) else None


def checked_caption(params: JSONDict) -> tuple[str, list[JSONDict], JSONDict | None]:
    """Validate caption and keyboard before anything is stored."""
    raw = str(params.get("caption") or "")
    caption, entities = checked_text(raw, params, "caption_entities", MAX_CAPTION_LENGTH)
    return caption, entities, checked_markup(params)


def check_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    if not str(button.get("text", "")):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        # Telegram takes the first and ignores the rest; that hides a bug, so refuse it.
        raise bad_request(
            f"can't parse inline keyboard button: exactly one of {', '.join(actions)} may be used"
        )
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not re.match(r"(https?|tg)://\S+$", str(button["url"])):
        raise bad_request("BUTTON_URL_INVALID")


def check_commands(commands: Any) -> list[JSONDict]:
    """The ``commands`` of setMyCommands: a list, each with a valid name and description."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        for key in ("command", "description"):
            if not isinstance(command.get(key), str):
                raise bad_request(f'can\'t parse BotCommand: Field "{key}" must be of type String')
        if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(command["description"]) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return commands
