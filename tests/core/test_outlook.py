"""bot.core.outlook: the safe daily allowance and the projected spend, as tables of cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.outlook import daily_allowance, days_left, projected_spend
from bot.core.periods import Period

NOVEMBER = Period(date(2026, 11, 1), date(2026, 12, 1))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 10, 31), 30),  # before the period: all of it is still to come
        (date(2026, 11, 1), 30),
        (date(2026, 11, 23), 8),  # today counts: it isn't over
        (date(2026, 11, 30), 1),
        (date(2026, 12, 1), 0),
    ],
)
def test_days_left(today: date, expected: int) -> None:
    assert days_left(NOVEMBER, today) == expected


@pytest.mark.parametrize(
    ("left", "days", "currency", "expected"),
    [
        ("100", 8, "USD", "12.50"),
        ("100", 3, "USD", "33.33"),  # rounded down, so following it never overshoots
        ("100", 3, "JPY", "33"),
        ("1", 3, "BHD", "0.333"),
        ("0", 5, "USD", "0"),
        ("-20", 5, "USD", "0"),  # already over: nothing is safe
        ("100", 0, "USD", "0"),
    ],
)
def test_daily_allowance(left: str, days: int, currency: str, expected: str) -> None:
    assert daily_allowance(Decimal(left), days, currency) == Decimal(expected)


@pytest.mark.parametrize(
    ("spent", "today", "expected"),
    [
        ("16.50", date(2026, 11, 23), "21.52"),  # 16.50 over 23 days, for 30
        ("30", date(2026, 11, 1), "900.00"),  # one day's pace, the whole month
        ("0", date(2026, 11, 15), "0.00"),
        ("500", date(2026, 12, 2), None),  # over: its real total is known
        ("500", date(2026, 10, 2), None),  # not started: no pace yet
    ],
)
def test_projected_spend(spent: str, today: date, expected: str | None) -> None:
    found = projected_spend(Decimal(spent), NOVEMBER, today, "USD")
    assert found == (None if expected is None else Decimal(expected))
