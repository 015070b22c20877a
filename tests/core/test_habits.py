"""Streak arithmetic and the points rules, as tables with a fixed today."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.core.habits import (
    BUDGET_DAY_POINTS,
    SETTLE_DAYS_BACK,
    Streak,
    budget_day_points,
    daily_share,
    days_to_settle,
    goal_points,
    is_nothing_today,
    streak,
)

D = Decimal
TODAY = date(2026, 11, 23)


def days_ago(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


@pytest.mark.parametrize(
    ("logged", "expected"),
    [
        ([], Streak(0, 0, False)),
        (days_ago(0), Streak(1, 1, True)),
        (days_ago(0, 1, 2), Streak(3, 3, True)),
        # Today not logged yet: yesterday's run still stands.
        (days_ago(1, 2), Streak(2, 2, False)),
        # A whole day without: broken.
        (days_ago(2, 3, 4), Streak(0, 3, False)),
        (days_ago(0, 2, 3, 4, 5), Streak(1, 4, True)),
        # Days in the future (a clock change) don't count.
        ([TODAY + timedelta(days=1), *days_ago(0)], Streak(1, 1, True)),
        # Duplicates and order don't matter.
        (days_ago(1, 0, 1, 0), Streak(2, 2, True)),
    ],
)
def test_streak(logged: list[date], expected: Streak) -> None:
    assert streak(logged, TODAY) == expected


@pytest.mark.parametrize(
    ("logged", "spent", "shares_", "points"),
    [
        (True, {"a": D(90)}, {"a": D(100)}, BUDGET_DAY_POINTS),
        (True, {"a": D(100)}, {"a": D(100)}, BUDGET_DAY_POINTS),  # exactly the share is within
        (True, {"a": D("100.01")}, {"a": D(100)}, 0),
        (True, {}, {"a": D(100)}, BUDGET_DAY_POINTS),  # nothing spent
        (True, {"a": D(10), "b": D(60)}, {"a": D(100), "b": D(50)}, 0),  # every budget counts
        (False, {}, {"a": D(100)}, 0),  # a day not logged earns nothing
        (True, {"a": D(1)}, {}, 0),  # no budgets, nothing to earn
    ],
)
def test_budget_day_points(
    logged: bool, spent: dict[str, Decimal], shares_: dict[str, Decimal], points: int
) -> None:
    assert budget_day_points(logged, spent, shares_) == points


def test_daily_share() -> None:
    assert daily_share(D(3000), 30) == D(100)
    assert daily_share(D(70), 7) == D(10)


@pytest.mark.parametrize(
    ("before", "after", "target", "points"),
    [
        ("0", "300", "1200", 25),
        ("300", "1200", "1200", 75),
        ("0", "1", "1200", 0),  # under 1%: nothing yet…
        ("0", "12", "1200", 1),  # …a whole percent: one point
        ("11", "13", "1200", 1),  # crossing 1% earns it, whoever pays the last cent
        ("1200", "1500", "1200", 0),  # past the target: capped
        ("0", "5000", "1200", 100),
    ],
)
def test_goal_points(before: str, after: str, target: str, points: int) -> None:
    assert goal_points(D(before), D(after), D(target)) == points


@pytest.mark.parametrize(
    ("before", "after", "target", "earned", "points"),
    [
        ("100", "200", "200", 100, 0),  # the target was raised after its 100 were earned
        ("100", "200", "200", 60, 40),  # only what is left of the 100
        ("0", "50", "100", 0, 50),
        ("0", "50", "100", 120, 0),  # never negative
    ],
)
def test_goal_points_stop_at_the_goals_100(
    before: str, after: str, target: str, earned: int, points: int
) -> None:
    assert goal_points(D(before), D(after), D(target), earned) == points


@pytest.mark.parametrize(
    ("settled", "first", "expected"),
    [
        (None, TODAY, []),  # started today: nothing finished yet
        (None, TODAY - timedelta(days=2), days_ago(2, 1)),
        (TODAY - timedelta(days=1), TODAY - timedelta(days=9), []),
        (TODAY - timedelta(days=3), TODAY - timedelta(days=9), days_ago(2, 1)),
        # Long away: only the last month is scored.
        (TODAY - timedelta(days=90), TODAY - timedelta(days=99), None),
    ],
)
def test_days_to_settle(settled: date | None, first: date, expected: list[date] | None) -> None:
    found = days_to_settle(settled, first, TODAY)
    if expected is None:
        assert len(found) == SETTLE_DAYS_BACK and found[-1] == TODAY - timedelta(days=1)
    else:
        assert found == expected


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        ("nothing today", True),
        ("Nothing", True),
        ("no spending today!", True),
        ("spent nothing today", True),
        ("nothing to log", True),
        ("nothing spent today.", True),
        ("nothing for lunch", False),
        ("coffee 4", False),
        ("nothing 4", False),
    ],
)
def test_nothing_today(text: str, nothing: bool) -> None:
    assert is_nothing_today(text) is nothing
