"""Streaks and points: the arithmetic and the rules, written once (``/help points`` shows them).

Pure: every function takes the days and ``today`` it needs; nothing reads a clock.

* A **logging day** is a day (on the user's clock) on which they logged something themselves in
  the chat, or tapped/typed "nothing today". Imports and recurring entries don't count: they
  are not the habit.
* The **streak** is the run of logging days up to today. Today not logged yet doesn't break it:
  it is only broken once a whole day passes without one.
* **Points**: :data:`BUDGET_DAY_POINTS` for each finished logging day on which every budget
  stayed within its daily share (limit ÷ days in its period), and one point for each 1% of a
  goal's target put aside (at most 100 a goal), plus :data:`GOAL_REACHED_POINTS` when it is
  reached. Undoing a contribution takes its points back, and the reaching too when it was the
  contribution that reached the goal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

BUDGET_DAY_POINTS = 10
GOAL_REACHED_POINTS = 50
GOAL_POINTS_CAP = 100
# Unsettled budget days further back than this are let go: nobody remembers that far.
SETTLE_DAYS_BACK = 31

POINTS_RULES = (
    "⭐ Points and streaks\n\n"
    "Streak: the days in a row on which you logged something here, or told me there was "
    "nothing to log (tap “Nothing to log” on a reminder, or type “nothing today”). Today "
    "counts once you do; the streak only breaks after a whole day without either.\n\n"
    "Points:\n"
    f"• {BUDGET_DAY_POINTS} for each logged day on which every budget stayed within its daily "
    "share (its limit divided by the days of its month or week). Without a budget there are "
    "none to earn.\n"
    f"• 1 for each 1% of a goal's target you put aside (up to {GOAL_POINTS_CAP} a goal), and "
    f"{GOAL_REACHED_POINTS} more when you reach it. Undo a contribution and its points go "
    "too (with the ones for reaching, if it was what reached the goal).\n\n"
    "Imports and recurring entries don't count: points are for the habit, not the paperwork. "
    "You see them in /balance, /report, the weekly summary and the month-end report. There is "
    "nothing to lose."
)


@dataclass(frozen=True, slots=True)
class Streak:
    current: int
    best: int
    today_done: bool


def streak(days: Iterable[date], today: date) -> Streak:
    """The run of logging days ending today (or yesterday, while today is still open)."""
    logged = {d for d in days if d <= today}
    if not logged:
        return Streak(0, 0, False)
    cursor = today if today in logged else today - timedelta(days=1)
    current = 0
    while cursor in logged:
        current += 1
        cursor -= timedelta(days=1)
    best = run = 0
    previous: date | None = None
    for day in sorted(logged):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return Streak(current, best, today in logged)


def daily_share(limit: Decimal, period_days: int) -> Decimal:
    """What a budget allows per day of its period."""
    return limit / max(period_days, 1)


def within_budget(spent: Mapping[str, Decimal], shares: Mapping[str, Decimal]) -> bool:
    """True when every budget scope's spending that day is at most its daily share.

    ``spent`` maps a budget scope to what was spent under it that day (missing: nothing).
    """
    return all(spent.get(scope, Decimal(0)) <= share for scope, share in shares.items())


def budget_day_points(
    logged: bool, spent: Mapping[str, Decimal], shares: Mapping[str, Decimal]
) -> int:
    """Points a finished day earns: only a logged day, only with budgets, only within them."""
    if not logged or not shares:
        return 0
    return BUDGET_DAY_POINTS if within_budget(spent, shares) else 0


def goal_points(
    saved_before: Decimal, saved_after: Decimal, target: Decimal, earned: int = 0
) -> int:
    """Points one contribution earns: the whole percents of the target it adds, and no more
    than the goal has left of its 100 (``earned``: what its other contributions got, which
    can be more than its percents now if the target was raised since)."""

    def reached(saved: Decimal) -> int:
        if target <= 0:
            return GOAL_POINTS_CAP
        share = min(max(saved, Decimal(0)), target) * GOAL_POINTS_CAP / target
        return int(share)

    return max(min(reached(saved_after) - reached(saved_before), GOAL_POINTS_CAP - earned), 0)


def days_to_settle(settled_through: date | None, created_on: date, today: date) -> list[date]:
    """Finished days not yet scored: after ``settled_through`` (or the first day), before today."""
    first = created_on if settled_through is None else settled_through + timedelta(days=1)
    first = max(first, today - timedelta(days=SETTLE_DAYS_BACK))
    return [first + timedelta(days=i) for i in range((today - first).days)]


_NOTHING = re.compile(
    r"(?:nothing|nada|zero|no\s+spending|no\s+expenses|spent\s+nothing|nothing\s+spent"
    r"|nothing\s+to\s+log|no\s+spend)(?:\s+(?:today|so\s+far))?(?:\s+today)?[.!]*",
    re.IGNORECASE,
)


def is_nothing_today(text: str) -> bool:
    """``nothing today``, ``no spending today``, ``nothing`` — an explicit quiet day."""
    return _NOTHING.fullmatch(" ".join(text.split())) is not None
