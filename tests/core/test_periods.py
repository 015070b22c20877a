"""Periods are half-open [start, end) date ranges; tested with a fixed today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.periods import (
    Period,
    following,
    label,
    local_now,
    month_label,
    month_of,
    parse_period,
    period_from_key,
    period_key,
    previous,
    relative_day,
    shift_months,
    week_period,
    year_of,
)
from bot.core.zones import resolve_zone


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


# --- period words, as /report and /chart read them (today is Monday 23 Nov 2026) ---

TODAY = date(2026, 11, 23)


def P(start: str, end: str) -> Period:
    """The period from ``start`` to ``end``, both included as people say them."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return Period(first, last + timedelta(days=1))


@pytest.mark.parametrize(
    ("words", "period"),
    [
        ("today", P("2026-11-23", "2026-11-23")),
        ("yesterday", P("2026-11-22", "2026-11-22")),
        ("week", P("2026-11-23", "2026-11-29")),
        ("this week", P("2026-11-23", "2026-11-29")),
        ("last week", P("2026-11-16", "2026-11-22")),
        ("month", P("2026-11-01", "2026-11-30")),
        ("This Month", P("2026-11-01", "2026-11-30")),
        ("last month", P("2026-10-01", "2026-10-31")),
        ("year", P("2026-01-01", "2026-12-31")),
        ("last year", P("2025-01-01", "2025-12-31")),
        ("march", P("2026-03-01", "2026-03-31")),
        ("Nov", P("2026-11-01", "2026-11-30")),
        ("december", P("2025-12-01", "2025-12-31")),  # the most recent December, not the next
        ("march 2025", P("2025-03-01", "2025-03-31")),
        ("2026-10", P("2026-10-01", "2026-10-31")),
        ("2025", P("2025-01-01", "2025-12-31")),
        ("2026-10-05", P("2026-10-05", "2026-10-05")),
        ("5 oct", P("2026-10-05", "2026-10-05")),
        ("oct 5", P("2026-10-05", "2026-10-05")),
        ("1 oct - 15 oct", P("2026-10-01", "2026-10-15")),
        ("1 oct-15 oct", P("2026-10-01", "2026-10-15")),
        ("1 Oct – 15 Oct", P("2026-10-01", "2026-10-15")),
        ("1 oct to 15 oct", P("2026-10-01", "2026-10-15")),
        ("15 dec - 5 jan", P("2025-12-15", "2026-01-05")),
        ("2026-10-01..2026-10-15", P("2026-10-01", "2026-10-15")),
        ("2026-10-01 - 2026-10-15", P("2026-10-01", "2026-10-15")),
        ("29 feb 2028", P("2028-02-29", "2028-02-29")),
        ("last 7 days", P("2026-11-17", "2026-11-23")),
        ("past 1 day", P("2026-11-23", "2026-11-23")),
        ("last 2 weeks", P("2026-11-10", "2026-11-23")),
        ("last 3 months", P("2026-09-01", "2026-11-30")),
    ],
)
def test_parse_period(words: str, period: Period) -> None:
    assert parse_period(words, TODAY) == period


@pytest.mark.parametrize(
    "words",
    [
        "",
        "   ",
        "soon",
        "2026-13",
        "feb 30",
        "31 sept",
        "15 oct - 1 oct 2026",
        "2026-10-15..2026-10-01",
        "1 oct - later",
        "2000-01-01..2026-01-01",  # longer than anyone reads in one chart
        "march 20266",
        "0001",
        "last 0 days",
        "last 999 months",
    ],
)
def test_parse_period_rejects(words: str) -> None:
    assert parse_period(words, TODAY) is None


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (P("2026-11-01", "2026-11-30"), "November 2026"),
        (P("2026-01-01", "2026-12-31"), "2026"),
        (P("2026-11-23", "2026-11-23"), "23 Nov 2026"),
        (P("2025-12-01", "2026-11-30"), "Dec 2025 – Nov 2026"),
        (P("2026-10-01", "2026-10-15"), "1 Oct – 15 Oct 2026"),
        (P("2025-12-15", "2026-01-05"), "15 Dec 2025 – 5 Jan 2026"),
    ],
)
def test_label(period: Period, text: str) -> None:
    assert label(period) == text


@pytest.mark.parametrize(
    ("period", "before", "after"),
    [
        (
            P("2026-11-01", "2026-11-30"),
            P("2026-10-01", "2026-10-31"),
            P("2026-12-01", "2026-12-31"),
        ),
        (
            P("2026-03-01", "2026-03-31"),
            P("2026-02-01", "2026-02-28"),
            P("2026-04-01", "2026-04-30"),
        ),
        (
            P("2026-01-01", "2026-12-31"),
            P("2025-01-01", "2025-12-31"),
            P("2027-01-01", "2027-12-31"),
        ),
        (
            P("2026-11-23", "2026-11-29"),
            P("2026-11-16", "2026-11-22"),
            P("2026-11-30", "2026-12-06"),
        ),
        (
            P("2026-10-01", "2026-10-15"),
            P("2026-09-16", "2026-09-30"),
            P("2026-10-16", "2026-10-30"),
        ),
    ],
)
def test_previous_and_following(period: Period, before: Period, after: Period) -> None:
    assert previous(period) == before
    assert following(period) == after
    assert following(previous(period)) == period


@pytest.mark.parametrize(
    ("words", "key"),
    [
        ("today", "d0"),
        ("yesterday", "d1"),
        ("week", "w0"),
        ("last week", "w1"),
        ("month", "m0"),
        ("last month", "m1"),
        ("december", "m11"),
        ("year", "y0"),
        ("last year", "y1"),
        ("1 oct - 15 oct", "r20261001-20261015"),
    ],
)
def test_period_keys_round_trip(words: str, key: str) -> None:
    period = parse_period(words, TODAY)
    assert period is not None
    assert period_key(period, TODAY) == key
    assert period_from_key(key, TODAY) == period
    assert len(f"ch:cum:{key}".encode()) <= 64


def test_old_periods_fall_back_to_range_keys() -> None:
    old = P("1990-03-01", "1990-03-31")
    key = period_key(old, TODAY)
    assert key == "r19900301-19900331"
    assert period_from_key(key, TODAY) == old


@pytest.mark.parametrize(
    "key",
    [
        "",
        "m",
        "x1",
        "m-1",
        "m100",
        "mm",
        "r2026100120261015",
        "r20261315-20261401",
        "r20261015-20261001",
        "r19000101-20261001",
        "d0; drop table",
        "m 1",
    ],
)
def test_forged_period_keys_are_rejected(key: str) -> None:
    assert period_from_key(key, TODAY) is None


def test_week_and_year_helpers() -> None:
    assert week_period(date(2026, 11, 29)) == P("2026-11-23", "2026-11-29")
    assert year_of(date(2028, 2, 29)) == P("2028-01-01", "2028-12-31")
    assert shift_months(date(2026, 1, 31), -1) == date(2025, 12, 1)
    assert shift_months(date(2026, 11, 5), 14) == date(2028, 1, 1)


def test_months_can_start_on_payday() -> None:
    # Months from the 25th: on 23 Nov "this month" began on 25 Oct.
    this = parse_period("month", TODAY, month_start=25)
    assert this == P("2026-10-25", "2026-11-24")
    assert parse_period("last month", TODAY, month_start=25) == P("2026-09-25", "2026-10-24")
    assert this is not None and label(this) == "25 Oct – 24 Nov 2026"
    assert period_key(this, TODAY, 25) == "m0"
    assert period_from_key("m1", TODAY, 25) == P("2026-09-25", "2026-10-24")
    assert following(this) == P("2026-11-25", "2026-12-24")
    # Named months stay calendar months.
    assert parse_period("october", TODAY, month_start=25) == P("2026-10-01", "2026-10-31")


def test_previous_month_follows_the_users_month_start() -> None:
    from bot.core.periods import month_period, previous

    shifted = month_period(date(2026, 11, 23), 25)  # 25 Oct – 24 Nov
    assert previous(shifted, 25) == month_period(date(2026, 10, 1), 25)  # 25 Sep – 24 Oct
    assert previous(month_period(date(2026, 3, 5))) == month_period(date(2026, 2, 5))
    week = week_period(date(2026, 11, 23))
    assert previous(week) == week_period(date(2026, 11, 16))


@pytest.mark.parametrize(
    ("text", "zones"),
    [
        ("Asia/Kolkata", ("Asia/Kolkata",)),
        ("asia/kolkata", ("Asia/Kolkata",)),
        ("Mumbai", ("Asia/Kolkata",)),
        ("IST", ("Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin")),
        ("new york", ("America/New_York",)),
        ("Berlin", ("Europe/Berlin",)),
        ("utc", ("UTC",)),
        ("Narnia", ()),
        ("", ()),
    ],
)
def test_resolve_zone(text: str, zones: tuple[str, ...]) -> None:
    assert resolve_zone(text) == zones
