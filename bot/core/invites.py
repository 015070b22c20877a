"""Invite links: the shape of a code, and the t.me links built from it. Pure."""

from __future__ import annotations

import re
from urllib.parse import quote

# Telegram's deep-link payload alphabet (A-Z a-z 0-9 _ -); Penny's codes are 8 of them.
_CODE = re.compile(r"[A-Za-z0-9_-]{8,16}")


def is_invite_code(text: str) -> bool:
    return _CODE.fullmatch(text) is not None


def invite_link(bot_username: str, code: str) -> str:
    """``https://t.me/<bot>?start=<code>``: Telegram opens the bot and sends ``/start <code>``."""
    return f"https://t.me/{bot_username}?start={code}"


def share_link(url: str, text: str) -> str:
    """Telegram's share sheet for ``url`` with ``text``, usable as an inline button's ``url``."""
    return f"https://t.me/share/url?url={quote(url, safe='')}&text={quote(text, safe='')}"
