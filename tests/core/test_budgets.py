"""Budget and schedule rules as tables of cases with a fixed clock: no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from bot.core.budgets import (
    BudgetUsage,
    Status,
    budget_period,
    parse_budget_args,
    progress_bar,
    rollover_limit,
    thresholds_reached,
)
from bot.core.periods import Period
from bot.core.schedules import (
    Quiet,
    RecurringUsage,
    next_daily,
    next_occurrence,
    next_run,
    parse_recurring,
)

D = Decimal


@pytest.mark.parametrize(
    ("spent", "limit", "reached"),
    [
        ("0", "100", []),
        ("79.99", "100", []),
        ("80", "100", [80]),
        ("100", "100", [80]),
        ("100.01", "100", [80, 100]),
        ("500", "100", [80, 100]),
    ],
)
def test_thresholds(spent: str, limit: str, reached: list[int]) -> None:
    assert thresholds_reached(D(spent), D(limit)) == reached


def test_rollover_carries_unspent_and_overspent() -> None:
    assert rollover_limit(D(1000), [D(800), D(1100)]) == D(1100)  # +200 then -100
    assert rollover_limit(D(1000), []) == D(1000)


def test_safe_daily_allowance_rounds_down() -> None:
    status = Status(
        D(5000), D(1900), Period(date(2026, 11, 1), date(2026, 12, 1)), date(2026, 11, 21), "USD"
    )
    assert status.days_left == 10
    assert status.left == D(3100)
    assert status.safe_daily == D("310.00")
    over = Status(D(100), D(150), status.period, date(2026, 11, 21), "USD")
    assert over.safe_daily == 0 and over.left == D(-50)


def test_progress_bar() -> None:
    assert progress_bar(D("0.5")) == "▓▓▓▓▓░░░░░"
    assert progress_bar(D("3")) == "▓" * 10


@pytest.mark.parametrize(
    ("day", "frequency", "start_day", "period"),
    [
        (date(2026, 11, 23), "monthly", 1, (date(2026, 11, 1), date(2026, 12, 1))),
        (date(2026, 11, 23), "monthly", 25, (date(2026, 10, 25), date(2026, 11, 25))),
        (date(2026, 11, 25), "monthly", 25, (date(2026, 11, 25), date(2026, 12, 25))),
        (date(2027, 1, 3), "monthly", 25, (date(2026, 12, 25), date(2027, 1, 25))),
        (date(2026, 11, 23), "weekly", 1, (date(2026, 11, 23), date(2026, 11, 30))),
        (date(2026, 11, 29), "weekly", 25, (date(2026, 11, 23), date(2026, 11, 30))),
    ],
)
def test_budget_period(
    day: date, frequency: str, start_day: int, period: tuple[date, date]
) -> None:
    assert budget_period(day, frequency, start_day) == Period(*period)


@pytest.mark.parametrize(
    ("args", "action", "category", "amount", "frequency", "rollover"),
    [
        ([], "show", None, None, "monthly", None),
        (["20000"], "set", None, "20000", "monthly", None),
        (["food", "5000"], "set", "food", "5000", "monthly", None),
        (["Eating", "out", "5k"], "set", "Eating out", "5000", "monthly", None),
        (["food", "1500", "weekly"], "set", "food", "1500", "weekly", None),
        (["food", "5,000", "rollover"], "set", "food", "5000", "monthly", True),
        (["food", "off"], "remove", "food", None, "monthly", None),
        (["groceries", "0"], "remove", "groceries", None, "monthly", None),  # no limit: none
        (["0.00"], "remove", None, None, "monthly", None),
    ],
)
def test_parse_budget_args(
    args: list[str],
    action: str,
    category: str | None,
    amount: str | None,
    frequency: str,
    rollover: bool | None,
) -> None:
    command = parse_budget_args(args)
    assert (command.action, command.category, command.frequency, command.rollover) == (
        action,
        category,
        frequency,
        rollover,
    )
    assert command.amount == (D(amount) if amount else None)


@pytest.mark.parametrize(
    "args", [["food"], ["food", "lots"], ["weekly"], ["food", "0.0.0"], ["food", "-5"]]
)
def test_parse_budget_args_rejects(args: list[str]) -> None:
    with pytest.raises(BudgetUsage):
        parse_budget_args(args)


def test_daily_time_in_india_and_california() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    # 20:00 IST (UTC+5:30) is 14:30 UTC, still ahead today.
    assert next_daily(now, "Asia/Kolkata", time(20)) == datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    # 20:00 PST (UTC-8) is 04:00 UTC the next day.
    assert next_daily(now, "America/Los_Angeles", time(20)) == datetime(
        2026, 11, 24, 4, 0, tzinfo=UTC
    )


def test_dst_change_day_keeps_wall_clock_time() -> None:
    # Europe/Berlin leaves summer time on 2026-10-25: 19:00 local is 17:00 UTC before, 18:00 after.
    before = next_daily(datetime(2026, 10, 24, 12, tzinfo=UTC), "Europe/Berlin", time(19))
    after = next_daily(before, "Europe/Berlin", time(19))
    assert before == datetime(2026, 10, 24, 17, tzinfo=UTC)
    assert after == datetime(2026, 10, 25, 18, tzinfo=UTC)
    # US spring forward 2027-03-14: 02:30 does not exist; it still fires that day, once.
    gap = next_daily(datetime(2027, 3, 14, 0, tzinfo=UTC), "America/New_York", time(2, 30))
    assert gap.date() == date(2027, 3, 14)


def test_quiet_hours_push_to_their_end() -> None:
    quiet = Quiet(time(22), time(8))
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert next_daily(now, "UTC", time(23), quiet=quiet) == datetime(2026, 11, 24, 8, tzinfo=UTC)
    assert next_daily(now, "UTC", time(20), quiet=quiet) == datetime(2026, 11, 23, 20, tzinfo=UTC)


def test_weekly_and_monthly_reports() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)  # a Monday
    assert next_run("weekly", after=now, zone="UTC", at_minute=19 * 60, weekday=6) == datetime(
        2026, 11, 29, 19, tzinfo=UTC
    )
    assert next_run("monthly", after=now, zone="UTC", at_minute=9 * 60) == datetime(
        2026, 12, 1, 9, tzinfo=UTC
    )
    assert next_run(
        "monthly", after=now, zone="UTC", at_minute=9 * 60, month_start_day=25
    ) == datetime(2026, 11, 25, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("frequency", "day", "month", "after", "expected"),
    [
        ("monthly", 31, None, date(2026, 10, 31), date(2026, 11, 30)),  # 30-day month
        ("monthly", 31, None, date(2026, 11, 30), date(2026, 12, 31)),
        ("monthly", 1, None, date(2026, 11, 23), date(2026, 12, 1)),
        ("monthly", 30, None, date(2027, 1, 30), date(2027, 2, 28)),
        ("weekly", 0, None, date(2026, 11, 23), date(2026, 11, 30)),
        ("weekly", 4, None, date(2026, 11, 23), date(2026, 11, 27)),
        ("yearly", 29, 2, date(2027, 1, 1), date(2027, 2, 28)),
        ("yearly", 3, 11, date(2026, 11, 3), date(2027, 11, 3)),
    ],
)
def test_next_occurrence(
    frequency: str, day: int, month: int | None, after: date, expected: date
) -> None:
    assert next_occurrence(frequency, day, month, after) == expected


def test_parse_recurring() -> None:
    today = date(2026, 11, 23)
    spec = parse_recurring(["rent", "15000", "monthly", "on", "1"], today)
    assert (spec.entry_text, spec.frequency, spec.day) == ("rent 15000", "monthly", 1)
    assert parse_recurring(["netflix", "9.99", "monthly"], today).day == 23
    assert parse_recurring(["gym", "30", "weekly", "on", "friday"], today).day == 4
    yearly = parse_recurring(["insurance", "300", "yearly", "on", "3", "nov"], today)
    assert (yearly.day, yearly.month) == (3, 11)
    # no frequency: monthly, on today's date or the day given
    gym = parse_recurring(["gym", "800"], today)
    assert (gym.entry_text, gym.frequency, gym.day) == ("gym 800", "monthly", 23)
    assert parse_recurring(["gym", "800", "on", "5th"], today).day == 5
    for bad in ("", "on 5", "monthly on 1", "rent 100 monthly on 45", "x 1 weekly on funday"):
        with pytest.raises(RecurringUsage):
            parse_recurring(bad.split(), today)
