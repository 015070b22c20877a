"""Property tests: the parser never crashes, and written amounts read back exactly."""

from __future__ import annotations

import contextlib
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.parsing import AmountRejected, parse_message
from bot.core.parsing.entries import _parse

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that steer random text toward the parser's interesting paths.
FRAGMENTS = [
    "coffee",
    "uber",
    "salary",
    "+",
    "-",
    "$",
    "€",
    "₹",
    "rs",
    "usd",
    "THB",
    "k",
    "lakh",
    "crore",
    "yesterday",
    "last friday",
    "3 nov",
    "15/11",
    "2026-11-01",
    "on the 5th",
    "ago",
    "and",
    ",",
    ";",
    "\n",
    "at",
    "nan",
    "inf",
    "x",
    "*",
    "1,250",
    "4,50",
    "1.234,56",
    "1,23,456",
    "0",
    " ",
    "?",
    "📱",
    "١٢٣",
    "２０",
    "/-",
    "%",
    "5pm",
    "10:30",
    "2 days",
    "spent",
    "received",
    "got",
]


def _check(text: str, default: str | None) -> None:
    try:
        entries = _parse(text, NOW, default)  # the unguarded core: a bug must surface here
    except AmountRejected as exc:
        assert str(exc)
        return
    for entry in entries:
        assert entry.amount > 0
        assert entry.kind in ("expense", "income")
        assert entry.currency is None or (len(entry.currency) == 3 and entry.currency.isupper())
        assert entry.note == entry.note.strip()


@SETTINGS
@given(st.text(max_size=4096), st.sampled_from([None, "USD", "INR", "EUR", "JPY", "KWD"]))
def test_arbitrary_text_never_crashes(text: str, default: str | None) -> None:
    _check(text, default)


@SETTINGS
@given(
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6), st.integers(0, 10**7).map(str)),
        max_size=20,
    ).map(" ".join),
    st.sampled_from([None, "USD", "INR", "EUR"]),
)
def test_message_like_text_never_crashes(text: str, default: str | None) -> None:
    _check(text, default)
    with contextlib.suppress(AmountRejected):
        parse_message(text, now=NOW, default_currency=default)


def _western(value: Decimal, sep: str, dec: str) -> str:
    whole, _, frac = f"{value:f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sep.join(groups) + (dec + frac if frac else "")


def _indian(value: Decimal) -> str:
    whole, _, frac = f"{value:f}".partition(".")
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail]) + ("." + frac if frac else "")


amounts = st.one_of(
    st.integers(1, 10**11).map(Decimal),
    st.tuples(st.integers(0, 10**9), st.integers(1, 99)).map(
        lambda t: Decimal(f"{t[0]}.{t[1]:02d}")
    ),
)


@SETTINGS
@given(
    amounts,
    st.sampled_from(["plain", "comma", "dot", "space", "indian"]),
    st.sampled_from(["{} coffee", "coffee {}", "spent {} on lunch", "{}"]),
)
def test_written_amounts_round_trip(value: Decimal, style: str, template: str) -> None:
    whole = value.to_integral_value()
    has_frac = value != whole
    if style == "plain":
        written = f"{value:f}"
    elif style == "comma":  # 1,234,567.89
        written = _western(value, ",", ".")
    elif style == "dot":  # 1.234.567,89 (only unambiguous with decimals or 2+ groups)
        written = _western(value, ".", ",")
        if not has_frac and written.count(".") == 1:
            written = _western(value, ",", ".")
    elif style == "space":  # 1 234 567,89 with narrow no-break spaces
        written = _western(value, "\u202f", ",")
    else:
        written = _indian(value) if whole >= 1000 else f"{value:f}"
    if not has_frac and style == "comma" and written.count(",") == 0:
        written = f"{value:f}"
    [entry] = parse_message(template.format(written), now=NOW)
    assert entry.amount == value


@SETTINGS
@given(st.integers(1, 999), st.sampled_from(["k", "K", " lakh", " crore", " thousand", "m"]))
def test_multipliers(value: int, suffix: str) -> None:
    factor = {"k": 1000, "K": 1000, " lakh": 10**5, " crore": 10**7, " thousand": 1000, "m": 10**6}
    [entry] = parse_message(f"rent {value}{suffix}", now=NOW)
    assert entry.amount == value * factor[suffix]
