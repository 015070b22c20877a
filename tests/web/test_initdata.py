"""web.initdata: Telegram's init data check, case by case, with a fixed clock."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from web.initdata import InvalidInitData, check, sign

TOKEN = "123456:LOCAL-TEST-TOKEN"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def fields(**overrides: str) -> dict[str, str]:
    base = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps({"id": 279058397, "first_name": "Vladislav", "username": "vdkfrost"}),
        "auth_date": str(int(NOW.timestamp())),
        "signature": "aGVsbG8gd29ybGQ",  # Ed25519 field: part of the data-check-string too
    }
    return {**base, **overrides}


def test_the_documented_algorithm() -> None:
    """Recomputed here from Telegram's description, independently of sign()."""
    data = fields()
    check_string = "\n".join(f"{k}={v}" for k, v in sorted(data.items()))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    assert dict(parse_qsl(sign(data, TOKEN)))["hash"] == digest
    found = check(urlencode({**data, "hash": digest}), TOKEN, now=NOW)
    assert found.user_id == 279058397


def tampered(text: str, key: str, value: str) -> str:
    pairs = dict(parse_qsl(text))
    pairs[key] = value
    return urlencode(pairs)


GOOD = sign(fields(), TOKEN)


@pytest.mark.parametrize(
    ("init_data", "now"),
    [
        pytest.param(sign(fields(), "654321:OTHER-BOT"), NOW, id="another bot's token"),
        pytest.param(tampered(GOOD, "user", '{"id": 1}'), NOW, id="user swapped"),
        pytest.param(tampered(GOOD, "auth_date", str(int(NOW.timestamp()) + 1)), NOW, id="date"),
        pytest.param(tampered(GOOD, "hash", "0" * 64), NOW, id="zero hash"),
        pytest.param(GOOD.replace("&hash=", "&h="), NOW, id="no hash"),
        pytest.param(GOOD + "&user=x", NOW, id="a field twice"),
        pytest.param(GOOD, NOW + timedelta(hours=24, seconds=1), id="older than a day"),
        pytest.param(GOOD, NOW - timedelta(minutes=6), id="from the future"),
        pytest.param(sign(fields(user="not json"), TOKEN), NOW, id="user not json"),
        pytest.param(sign(fields(user='{"id": true}'), TOKEN), NOW, id="user id not a number"),
        pytest.param(sign(fields(auth_date="soon"), TOKEN), NOW, id="auth_date not a number"),
        pytest.param("", NOW, id="empty"),
        pytest.param("a" * 9000, NOW, id="oversized"),
        pytest.param("%%%&&=", NOW, id="not a query string"),
    ],
)
def test_refused(init_data: str, now: datetime) -> None:
    with pytest.raises(InvalidInitData):
        check(init_data, TOKEN, now=now)


def test_fresh_enough_within_a_day_and_small_clock_skew() -> None:
    assert check(GOOD, TOKEN, now=NOW + timedelta(hours=23, minutes=59)).user_id == 279058397
    assert check(GOOD, TOKEN, now=NOW - timedelta(minutes=4)).user_id == 279058397
