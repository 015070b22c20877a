"""Periods are half-open [start, end) date ranges; tested with a fixed today."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.periods import Period, local_now, month_label, month_of, relative_day


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 11, 23), date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1)),
        (date(2028, 2, 29), date(2028, 2, 1), date(2028, 3, 1)),
    ],
)
def test_month_of(day: date, start: date, end: date) -> None:
    period = month_of(day)
    assert period == Period(start, end)
    assert day in period and end not in period and start in period


def test_month_label_and_days() -> None:
    assert month_label(month_of(date(2026, 11, 5))) == "November 2026"
    assert month_of(date(2026, 2, 5)).days == 28


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 23), "today"),
        (date(2026, 11, 22), "yesterday"),
        (date(2026, 11, 3), "Tue 3 Nov"),
        (date(2025, 12, 31), "Wed 31 Dec 2025"),
    ],
)
def test_relative_day(day: date, text: str) -> None:
    assert relative_day(day, date(2026, 11, 23)) == text


@pytest.mark.parametrize(
    ("zone", "local_day"),
    [("Asia/Kolkata", date(2026, 11, 24)), ("America/Los_Angeles", date(2026, 11, 23))],
)
def test_local_now_crosses_midnight(zone: str, local_day: date) -> None:
    now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 01:30 next day in India, noon in LA
    assert local_now(now, zone).date() == local_day
