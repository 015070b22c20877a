"""How a Bot API call's parameters arrive: query string, JSON body, or form.

PTB posts a form (multipart when it uploads a file) whose values are all strings, JSON-encoded
where the value is not a string; each is decoded back by the parameter's name before a method
sees it. A JSON body, as other clients send it, is taken as it is.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.offline.errors import bad_request
from bot.offline.messages import FileInfo, JSONDict

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


async def read_params(request: web.Request) -> tuple[JSONDict, dict[str, FileInfo]]:
    """The call's parameters from the query string and the JSON or form body, and its uploads."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, FileInfo] = {}
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            return {**raw, **body}, files
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = FileInfo(
                    filename=value.filename or key,
                    content=value.file.read(),
                    mime_type=value.content_type,
                )
            else:
                raw[key] = value
    params: JSONDict = {}
    for key, value in raw.items():
        params[key] = decode_param(key, value)
    return params, files


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
        return value.lower() in {"true", "1"}
    return value
