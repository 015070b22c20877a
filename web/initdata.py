"""Telegram Mini App init data: checked exactly as Telegram documents it.

The Mini App sends ``Telegram.WebApp.initData`` (a query string) as ``Authorization: tma
<initData>``. It is genuine when its ``hash`` is the hex HMAC-SHA256 of the data-check-string
(every other field, ``key=value`` sorted by key, joined by ``\\n``) under the secret key
HMAC-SHA256(key="WebAppData", message=bot token); and fresh when ``auth_date`` is recent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

# How long init data stays good after Telegram issued it: a Mini App left open past this
# asks to be reopened. Telegram's own example checks "recent"; a day is the usual choice.
MAX_AGE = timedelta(hours=24)
# Clocks differ a little; init data dated further ahead than this is not Telegram's.
CLOCK_SKEW = timedelta(minutes=5)
# Far above any real init data; a longer header is not worth hashing.
MAX_LENGTH = 8192


class InvalidInitData(Exception):
    """Init data that is malformed, forged, stale or names no user."""


@dataclass(frozen=True, slots=True)
class InitData:
    user_id: int
    auth_date: datetime
    # Telegram's theme and language are not read here; the page reads its own launch params.


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: Mapping[str, str], bot_token: str) -> str:
    """Init data as Telegram would issue it for ``fields`` (tests and the local chat use it)."""
    digest = hmac.new(
        secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    return urlencode({**fields, "hash": digest})


def check(init_data: str, bot_token: str, *, now: datetime) -> InitData:
    """The user the init data vouches for; raises InvalidInitData otherwise."""
    if not init_data or len(init_data) > MAX_LENGTH:
        raise InvalidInitData("missing or oversized init data")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InvalidInitData("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InvalidInitData("a field appears twice")
    given = fields.get("hash", "")
    expected = hmac.new(
        secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    # Constant time: the comparison must not tell a forger how many characters were right.
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise InvalidInitData("hash mismatch")
    try:
        issued = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        raise InvalidInitData("no readable auth_date") from None
    if issued > now + CLOCK_SKEW or now - issued > MAX_AGE:
        raise InvalidInitData("stale auth_date")
    try:
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, ValueError, TypeError):
        raise InvalidInitData("no user") from None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InvalidInitData("no user")
    return InitData(user_id, issued)
