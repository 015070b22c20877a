"""Goal commands, contribution and target sentences, and progress, as tables with a fixed today."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.goals import (
    GoalDate,
    GoalDatePassed,
    GoalName,
    GoalUsage,
    ListGoals,
    NewGoal,
    RemoveGoal,
    Saved,
    SetTarget,
    TargetStatus,
    goal_among_entries,
    matching_goals,
    months_left,
    parse_deadline,
    parse_goal_args,
    parse_saved,
    parse_target,
    percent_of,
    progress,
    read_amount,
)

D = Decimal
TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", ListGoals()),
        ("laptop 1200 by june", NewGoal("laptop", D(1200), None, date(2027, 6, 30))),
        ("laptop 1200", NewGoal("laptop", D(1200), None, None)),
        ("laptop 1200 no date", NewGoal("laptop", D(1200), None, None, no_deadline=True)),
        ("Laptop 1,200 by 15 june 2027", NewGoal("Laptop", D(1200), None, date(2027, 6, 15))),
        ("new bike 1.5k by march 5", NewGoal("new bike", D("1500.0"), None, date(2027, 3, 5))),
        (
            "trip to japan 3000 EUR in 10 months",
            NewGoal("trip to japan", D(3000), "EUR", date(2027, 9, 23)),
        ),
        ("laptop 1200eur by 2027-06", NewGoal("laptop", D(1200), "EUR", date(2027, 6, 30))),
        ("laptop $1200 by 2027-06-01", NewGoal("laptop", D(1200), None, date(2027, 6, 1))),
        # The amount is the last number before the date words.
        ("trip 2027 3000 by june", NewGoal("trip 2027", D(3000), None, date(2027, 6, 30))),
        ("car 5000 by end of year", NewGoal("car", D(5000), None, date(2026, 12, 31))),
        ("fund 100 in 2 weeks", NewGoal("fund", D(100), None, date(2026, 12, 7))),
        ("for my laptop 900 by nov", NewGoal("laptop", D(900), None, date(2026, 11, 30))),
        ("sofa 700 by 23 nov", NewGoal("sofa", D(700), None, date(2026, 11, 23))),
        ("laptop off", RemoveGoal("laptop")),
        ("new bike remove", RemoveGoal("new bike")),
        ("delete laptop", RemoveGoal("laptop")),
        ("save 500 a month", SetTarget(D(500), None, "every")),
        ("save 200 this month", SetTarget(D(200), None, "this")),
        ("save off", SetTarget(None, None)),
    ],
)
def test_goal_arguments(args: str, expected: object) -> None:
    assert parse_goal_args(args, TODAY) == expected


@pytest.mark.parametrize(
    ("args", "mistake"),
    [
        ("laptop", GoalUsage),
        ("1200", GoalUsage),
        ("laptop lots", GoalUsage),
        ("save lots", GoalUsage),
        ("laptop 1200 by someday", GoalDate),
        ("laptop 1200 by june 2026", GoalDatePassed),
        ("laptop 1200 by 2026-02-30", GoalDate),
        ("laptop 1200 in 0 months", GoalDate),
        ("laptop 1200 by june 2099", GoalDate),
        ("x" * 40 + " 100", GoalName),
        ("the 100", GoalName),
    ],
)
def test_goal_argument_mistakes(args: str, mistake: type[Exception]) -> None:
    with pytest.raises(mistake):
        parse_goal_args(args, TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by june", date(2027, 6, 30)),
        ("by november", date(2026, 11, 30)),  # this month still counts
        ("by jan 2027", date(2027, 1, 31)),
        ("until the 15th of jan", date(2027, 1, 15)),
        ("by someday", None),
        ("by 1st dec", date(2026, 12, 1)),
        ("in a year", date(2027, 11, 23)),
        ("in 3 months", date(2027, 2, 23)),
        ("in 90 days", date(2027, 2, 21)),
        ("in june", date(2027, 6, 30)),
        ("by end of month", date(2026, 11, 30)),
    ],
)
def test_deadlines(text: str, expected: date | None) -> None:
    if expected is None:
        with pytest.raises(GoalDate):
            parse_deadline(text, TODAY)
    else:
        assert parse_deadline(text, TODAY) == expected


def test_in_months_keeps_the_day_or_the_months_last() -> None:
    assert parse_deadline("in 3 months", date(2026, 11, 30)) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("saved 100 for laptop", Saved(D(100), None, "laptop")),
        ("Saved $100 for the laptop!", Saved(D(100), None, "laptop")),
        ("saved 100 eur for laptop", Saved(D(100), "EUR", "laptop")),
        ("I saved 20 towards my new bike", Saved(D(20), None, "new bike")),
        ("set aside 100 toward trip", Saved(D(100), None, "trip")),
        ("put 50 aside for trip", Saved(D(50), None, "trip")),
        ("put 100 towards laptop", Saved(D(100), None, "laptop")),
        ("stashed 1.5k into trip fund", Saved(D("1500.0"), None, "trip")),
        ("added 40 to laptop", Saved(D(40), None, "laptop")),
        ("saved 100", Saved(D(100), None, None)),
        ("put 50 aside", Saved(D(50), None, None)),
        # Not contributions: spending, discounts, other words.
        ("put 50 on gas", None),
        ("put 50 in gas", None),
        ("saved 50 on groceries", None),
        ("saved 100 now for laptop", None),  # "now" is no currency
        ("coffee 4.50", None),
        ("saved for laptop", None),
        ("saved 0 for laptop", None),
        ("saved lots for laptop", None),
    ],
)
def test_saved_sentences(text: str, expected: Saved | None) -> None:
    assert parse_saved(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("save 500 this month", SetTarget(D(500), None, "this")),
        ("save 500 a month", SetTarget(D(500), None, "every")),
        ("Save $500 per month.", SetTarget(D(500), None, "every")),
        ("I want to save 300 eur every month", SetTarget(D(300), "EUR", "every")),
        ("save 1k monthly", SetTarget(D(1000), None, "every")),
        ("save off", SetTarget(None, None)),
        ("save 500", None),
        ("save 500 for laptop", None),
        ("saved 500 this month", None),
    ],
)
def test_target_sentences(text: str, expected: SetTarget | None) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100", (D(100), None)),
        ("$12.50", (D("12.50"), None)),
        ("100 eur", (D(100), "EUR")),
        ("100eur", (D(100), "EUR")),
        ("1.5k", (D("1500.0"), None)),
        ("coffee 4", None),
        ("100 for laptop", None),
        ("100 xyz", None),
    ],
)
def test_bare_amounts(text: str, expected: tuple[Decimal, str | None] | None) -> None:
    assert read_amount(text) == expected


@pytest.mark.parametrize(
    ("typed", "names", "expected"),
    [
        ("laptop", ["laptop", "new laptop"], ["laptop"]),  # exact wins
        ("Laptop", ["laptop"], ["laptop"]),
        ("bike", ["new bike", "trip"], ["new bike"]),
        ("japan trip", ["trip to japan"], ["trip to japan"]),
        ("new", ["new bike", "new laptop"], ["new bike", "new laptop"]),  # ambiguous
        ("car", ["new bike"], []),
    ],
)
def test_matching_goals(typed: str, names: list[str], expected: list[str]) -> None:
    assert matching_goals(typed, names) == expected


@pytest.mark.parametrize(
    ("today", "deadline", "start_day", "months"),
    [
        (date(2026, 11, 23), date(2027, 6, 30), 1, 8),
        (date(2026, 11, 23), date(2026, 11, 30), 1, 1),
        (date(2026, 11, 30), date(2026, 12, 1), 1, 2),
        (date(2026, 11, 23), date(2026, 11, 22), 1, 0),
        # Months from the 25th (payday): 23 Nov is in the month that began 25 Oct.
        (date(2026, 11, 23), date(2026, 12, 24), 25, 2),
        (date(2026, 11, 25), date(2026, 12, 24), 25, 1),
    ],
)
def test_months_left(today: date, deadline: date, start_day: int, months: int) -> None:
    assert months_left(today, deadline, start_day) == months


@pytest.mark.parametrize(
    ("saved", "target", "currency", "deadline", "per_month", "percent", "overdue"),
    [
        ("0", "1200", "USD", date(2027, 6, 30), "150.00", 0, False),
        ("300", "1200", "USD", date(2027, 6, 30), "112.50", 25, False),
        ("0", "1000", "USD", date(2027, 1, 31), "333.34", 0, False),  # rounded up, never short
        ("0", "1000", "JPY", date(2027, 1, 31), "334", 0, False),
        ("1199.99", "1200", "USD", date(2027, 6, 30), "0.01", 99, False),  # never "100%" early
        ("1300", "1200", "USD", date(2027, 6, 30), None, 108, False),
        ("100", "1200", "USD", None, None, 8, False),
        ("100", "1200", "USD", date(2026, 11, 1), None, 8, True),
    ],
)
def test_progress(
    saved: str,
    target: str,
    currency: str,
    deadline: date | None,
    per_month: str | None,
    percent: int,
    overdue: bool,
) -> None:
    found = progress(D(saved), D(target), currency, deadline, TODAY)
    assert found.per_month == (D(per_month) if per_month else None)
    assert (found.percent, found.overdue) == (percent, overdue)
    assert found.reached == (D(saved) >= D(target))
    assert found.remaining == max(D(target) - D(saved), D(0))


def test_target_status_never_goes_below_zero_percent() -> None:
    assert TargetStatus(D(500), D(-50), "USD").percent == 0
    assert not TargetStatus(D(500), D(-50), "USD").met
    assert TargetStatus(D(500), D(500), "USD").met
    assert percent_of(D(1), D(3)) == 33


@pytest.mark.parametrize(
    ("text", "mixed"),
    [
        ("coffee 4\nsaved 100 for laptop", True),
        ("coffee 4, saved 100 for laptop", True),
        ("saved 100 for trip and 50 for bike", True),
        ("save 500 a month; lunch 12", True),
        ("saved 100 for laptop", False),
        ("saved 30 for rock and roll", False),  # "roll" holds no number: one sentence
        ("coffee 4, lunch 12", False),  # no goal sentence: the parser's business
        ("saved 50 on groceries\nlunch 12", False),  # spending, not a contribution
    ],
)
def test_goal_among_entries(text: str, mixed: bool) -> None:
    assert goal_among_entries(text) is mixed
