"""Polling that survives an update python-telegram-bot can't read.

PTB reads a whole ``getUpdates`` batch at once; one update missing a required field (a message
without ``chat``, a button press without ``from``) fails the batch before the offset moves on,
so the same batch is fetched again, forever, and nobody is answered. Here each update of the
batch is checked first; one that can't be read is logged once and replaced by an empty update
with its id, which no handler takes and which moves the offset past it.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)

_MESSAGE = ("message_id", "date", "chat")
# Fields the Bot API always sends in the update kinds Penny reads, which PTB would accept
# missing (a button press without ``from``) and leave for a handler to trip over.
REQUIRED: dict[str, tuple[str, ...]] = {
    "message": _MESSAGE,
    "edited_message": _MESSAGE,
    "channel_post": _MESSAGE,
    "edited_channel_post": _MESSAGE,
    "callback_query": ("id", "from", "chat_instance"),
}


def _missing(item: dict[str, Any]) -> str | None:
    """The first required field an update lacks, as ``kind.field``."""
    for kind, fields in REQUIRED.items():
        value = item.get(kind)
        if value is None:
            continue
        if not isinstance(value, dict):
            return kind
        for name in fields:
            if value.get(name) is None:
                return f"{kind}.{name}"
    return None


def blank_nul(value: Any) -> None:
    """Turn every NUL character in an update's strings into a space, in place.

    No person types one, PostgreSQL refuses them in text, and a NUL in a search word, a
    category or a goal name would fail or mislead whatever reads it. A space has the same
    UTF-16 length, so the offsets of the message's entities (commands, links) stay right.
    """
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                if "\x00" in item:
                    value[key] = item.replace("\x00", " ")
            else:
                blank_nul(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                if "\x00" in item:
                    value[index] = item.replace("\x00", " ")
            else:
                blank_nul(item)


def readable_updates(raw: list[Any]) -> list[Any]:
    """The batch with every unreadable update replaced by ``{"update_id": id}`` (or dropped
    when it has no id to acknowledge), NUL characters blanked (:func:`blank_nul`)."""
    blank_nul(raw)
    if all(isinstance(item, dict) and _missing(item) is None for item in raw):
        try:
            Update.de_list(raw, None)
            return raw
        except Exception:  # anything PTB can't parse: looked at one by one below
            pass
    kept: list[Any] = []
    for item in raw:
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            logger.warning("dropped an update without an update_id from getUpdates")
            continue
        problem = _missing(item)
        if problem is None:
            try:
                Update.de_json(item, None)
            except Exception as exc:  # the reason is logged and the update skipped
                problem = type(exc).__name__
        if problem is None:
            kept.append(item)
            continue
        # The field names and the reason, never the content (it may hold a message text).
        logger.warning(
            "skipped update %d that can't be read (%s; fields %s)",
            update_id,
            problem,
            ",".join(sorted(str(key) for key in item)),
        )
        kept.append({"update_id": update_id})
    return kept


class ReadableUpdatesRequest(HTTPXRequest):
    """The request object PTB uses for ``getUpdates``, with unreadable updates skipped."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        data = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list):
            data["result"] = readable_updates(result)
        return data
