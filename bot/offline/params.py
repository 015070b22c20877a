"""How a Bot API call's parameters arrive: query string, JSON body, or form.

PTB posts a form (multipart when it uploads a file) whose values are all strings, JSON-encoded
where the value is not a string; each is decoded back before a method sees it: by the types the
specification gives the parameter when it is loaded, else by the parameter's name. A JSON body,
as other clients send it, keeps its numbers, booleans and objects; its strings are decoded the
same way, since Telegram accepts a JSON-serialized object there too.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.offline.errors import bad_request
from bot.offline.messages import FileInfo, JSONDict
from bot.offline.spec import SCALARS, BotApiSpec

# Parameters PTB JSON-encodes (every non-str value is json.dumps'ed, str values are sent raw).
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "commands",
        "media",
        "entities",
        "caption_entities",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "scope",
        "message_ids",
        "results",
        "options",
        "menu_button",
        "rights",
    }
)
INT_PARAMS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "user_id",
        "from_chat_id",
        "max_connections",
        "duration",
        "width",
        "height",
    }
)
BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "has_spoiler",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)
FILE_PARAMS = frozenset({"document", "photo", "thumbnail", "certificate"})


async def read_params(
    request: web.Request, method: str = "", spec: BotApiSpec | None = None
) -> tuple[JSONDict, dict[str, FileInfo]]:
    """The call's parameters from the query string and the JSON or form body, and its uploads.

    Raises ApiError (400) for a body that can't be read, like Telegram.
    """
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, FileInfo] = {}
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON body") from None
        if body is not None and not isinstance(body, dict):
            raise bad_request("JSON body must be an Object")
        raw.update(body or {})
    elif request.can_read_body:
        try:
            form = await request.post()
        except ValueError:
            raise bad_request("can't parse the request body") from None
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = FileInfo(
                    filename=value.filename or key,
                    content=value.file.read(),
                    mime_type=value.content_type,
                )
            else:
                raw[key] = value
    found = spec.method(method) if spec is not None and method else None
    params: JSONDict = {}
    for key, value in raw.items():
        field = found.fields.get(key) if found is not None else None
        if field is not None:
            params[key] = decode_typed(key, value, field.types)
        else:
            params[key] = decode_param(key, value)
    return params, files


def decode_typed(key: str, value: Any, types: tuple[str, ...]) -> Any:
    """A form or query value read by the types the specification gives its parameter."""
    if not isinstance(value, str):
        return value
    if any(t not in SCALARS for t in types):  # an object or an array: JSON-serialized
        try:
            return json.loads(value)
        except ValueError:
            if "String" in types:
                return value
            raise bad_request(f"can't parse {key} JSON object") from None
    if "Integer" in types:
        try:
            return int(value)
        except ValueError:
            if "String" in types:
                return value  # chat_id "@channelusername"
            raise bad_request(f"invalid {key}") from None
    if "Float" in types:
        try:
            return float(value)
        except ValueError:
            raise bad_request(f"invalid {key}") from None
    if "Boolean" in types:
        return value.strip().lower() in {"true", "yes", "1"}
    return value


def decode_param(key: str, value: Any) -> Any:
    """A form or query value as PTB meant it: JSON, int or bool by the parameter's name."""
    if not isinstance(value, str):
        return value
    if key in JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {key} JSON object") from None
    if key in INT_PARAMS or key == "chat_id":
        try:
            return int(value)
        except ValueError:
            if key == "chat_id":
                return value  # "@channelusername"
            raise bad_request(f"invalid {key}") from None
    if key in BOOL_PARAMS:
        return value.strip().lower() in {"true", "yes", "1"}
    return value
