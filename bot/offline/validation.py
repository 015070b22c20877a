"""The checks Telegram makes on what a bot sends, with Telegram's error texts.

Pure functions over the request parameters: text and caption length, entity parsing for HTML
and MarkdownV2, inline keyboards (one action per button, 64-byte ``callback_data``) and bot
commands. Checks that need the stored chat (the message to edit exists, the content changed)
stay with the method in ``methods.py``. ``check_call`` is the one function the dispatcher
calls for every call before its method runs.
"""

from __future__ import annotations

import re
from typing import Any

from bot.offline.entities import EntityParseError, parse_html, parse_markdown, parse_markdown_v2
from bot.offline.errors import bad_request
from bot.offline.messages import FileInfo, JSONDict

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200

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


def check_call(method: str, params: JSONDict, files: dict[str, FileInfo]) -> None:
    """Reject a call of ``method`` (lowercased) before it runs; raises ApiError like Telegram.

    The dispatcher calls this once for every call of a method the server implements, so
    checks against the Bot API spec (required parameters, their types) go here. It checks
    nothing yet: each method still validates what it uses, in the order Telegram reports it.
    """


def render_text(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSONDict]]:
    """What the user sees and its entities, or ApiError like Telegram's."""
    mode = (parse_mode or "").lower()
    try:
        if mode == "html":
            return parse_html(text)
        if mode == "markdownv2":
            return parse_markdown_v2(text)
        if mode == "markdown":
            return parse_markdown(text)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text, list(entities or [])


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
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None  # reply keyboards and ForceReply are not part of the message
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard button: field "inline_keyboard"')
    for row in rows:
        for button in row:
            check_button(button)
    return {"inline_keyboard": rows} if any(rows) else None


def checked_caption(params: JSONDict) -> tuple[str, list[JSONDict], JSONDict | None]:
    """Validate caption and keyboard before anything is stored."""
    raw = str(params.get("caption") or "")
    caption, entities = checked_text(raw, params, "caption_entities", MAX_CAPTION_LENGTH)
    return caption, entities, checked_markup(params)


def check_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if len(actions) != 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
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
    for command in commands:
        name = str(command.get("command", ""))
        if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("command description must be 1-256 characters")
    return commands
