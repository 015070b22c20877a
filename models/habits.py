"""Logging days, points awarded, and how far budget days have been scored."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import from_minor
from bot.core.periods import Period
from models.db import insert_ignoring_conflicts
from models.tables import Budget, HabitDay, HabitState, PointsAward, Transaction

BUDGET_DAY, GOAL, GOAL_REACHED = "budget_day", "goal", "goal_reached"
# A streak longer than this is still shown, only as "400+": the query stays bounded.
STREAK_WINDOW_DAYS = 400


async def mark_day(*, session: AsyncSession, user_id: int, day: date) -> None:
    """Record that the user logged (or said "nothing today") on ``day``; idempotent."""
    await session.execute(
        insert_ignoring_conflicts(session, HabitDay)
        .values(user_id=user_id, day=day)
        .on_conflict_do_nothing()
    )


async def logged_days(*, session: AsyncSession, user_id: int, since: date) -> list[date]:
    rows = await session.scalars(
        select(HabitDay.day).where(HabitDay.user_id == user_id, HabitDay.day >= since)
    )
    return list(rows)


async def award(
    *,
    session: AsyncSession,
    user_id: int,
    reason: str,
    ref: int,
    points: int,
    earned_on: date,
    goal_id: int | None = None,
) -> None:
    """Give points once for one thing; giving them again for the same thing does nothing."""
    if points <= 0:
        return
    await session.execute(
        insert_ignoring_conflicts(session, PointsAward)
        .values(
            user_id=user_id,
            reason=reason,
            ref=ref,
            points=points,
            earned_on=earned_on,
            goal_id=goal_id,
        )
        .on_conflict_do_nothing()
    )


async def award_days(
    *, session: AsyncSession, user_id: int, reason: str, points: dict[date, int]
) -> None:
    """Give each day its points in one statement (``ref`` is the day's ordinal); idempotent."""
    rows = [
        {
            "user_id": user_id,
            "reason": reason,
            "ref": day.toordinal(),
            "points": earned,
            "earned_on": day,
            "goal_id": None,
        }
        for day, earned in points.items()
        if earned > 0
    ]
    if rows:
        await session.execute(
            insert_ignoring_conflicts(session, PointsAward).values(rows).on_conflict_do_nothing()
        )


async def take_back(*, session: AsyncSession, user_id: int, reason: str, ref: int) -> int:
    """Remove the points one thing earned; returns how many."""
    taken = await session.scalar(
        select(func.coalesce(func.sum(PointsAward.points), 0)).where(
            PointsAward.user_id == user_id, PointsAward.reason == reason, PointsAward.ref == ref
        )
    )
    await session.execute(
        delete(PointsAward).where(
            PointsAward.user_id == user_id, PointsAward.reason == reason, PointsAward.ref == ref
        )
    )
    return int(taken or 0)


async def goal_points_earned(*, session: AsyncSession, user_id: int, goal_id: int) -> int:
    """Points the goal's contributions have earned (not counting the ones for reaching it)."""
    value = await session.scalar(
        select(func.coalesce(func.sum(PointsAward.points), 0)).where(
            PointsAward.user_id == user_id,
            PointsAward.goal_id == goal_id,
            PointsAward.reason == GOAL,
        )
    )
    return int(value or 0)


async def take_back_goal(*, session: AsyncSession, user_id: int, goal_id: int) -> None:
    await session.execute(
        delete(PointsAward).where(PointsAward.user_id == user_id, PointsAward.goal_id == goal_id)
    )


async def points_totals(
    *, session: AsyncSession, user_id: int, period: Period | None = None
) -> tuple[int, int]:
    """(all points ever, points earned in ``period``; all again without one), in one query."""
    in_period = (
        case(
            (
                and_(PointsAward.earned_on >= period.start, PointsAward.earned_on < period.end),
                PointsAward.points,
            ),
            else_=0,
        )
        if period is not None
        else PointsAward.points
    )
    total, earned = (
        await session.execute(
            select(
                func.coalesce(func.sum(PointsAward.points), 0),
                func.coalesce(func.sum(in_period), 0),
            ).where(PointsAward.user_id == user_id)
        )
    ).one()
    return int(total or 0), int(earned or 0)


async def settled_through(*, session: AsyncSession, user_id: int) -> tuple[bool, date | None]:
    """(whether the user has a state row yet, the last day scored)."""
    row = await session.get(HabitState, user_id)
    return (row is not None, row.settled_through if row is not None else None)


async def set_settled_through(*, session: AsyncSession, user_id: int, day: date) -> None:
    row = await session.get(HabitState, user_id)
    if row is None:
        # Two updates of one user never run at once (per-user ordering), but the scheduler
        # can; a conflicting insert just means the other one settled first.
        await session.execute(
            insert_ignoring_conflicts(session, HabitState)
            .values(user_id=user_id, settled_through=day)
            .on_conflict_do_nothing()
        )
        return
    if row.settled_through is None or row.settled_through < day:
        row.settled_through = day
        await session.flush()


async def spent_by_day(
    *, session: AsyncSession, user_id: int, period: Period
) -> dict[date, dict[tuple[str, int | None], Decimal]]:
    """Expenses per day, by (currency, category id), summed in SQL."""
    rows = await session.execute(
        select(
            Transaction.occurred_on,
            Transaction.currency,
            Transaction.category_id,
            func.sum(Transaction.amount_minor),
        )
        .where(
            Transaction.user_id == user_id,
            Transaction.kind == "expense",
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        )
        .group_by(Transaction.occurred_on, Transaction.currency, Transaction.category_id)
    )
    days: dict[date, dict[tuple[str, int | None], Decimal]] = defaultdict(dict)
    for day, currency, category_id, minor in rows:
        days[day][(currency, category_id)] = from_minor(int(minor), currency)
    return days


async def budget_limits(
    *, session: AsyncSession, user_id: int
) -> list[tuple[int | None, Decimal, str, str, date]]:
    """Every budget: (category id or None for overall, limit, currency, frequency, created on)."""
    rows = await session.execute(
        select(
            Budget.category_id,
            Budget.amount_minor,
            Budget.currency,
            Budget.frequency,
            Budget.created_on,
        ).where(Budget.user_id == user_id)
    )
    return [
        (cat, from_minor(minor, cur), cur, freq, created) for cat, minor, cur, freq, created in rows
    ]


async def day_count(*, session: AsyncSession, user_id: int) -> int:
    """How many logging days the user has had."""
    value = await session.scalar(
        select(func.count()).select_from(HabitDay).where(HabitDay.user_id == user_id)
    )
    return int(value or 0)


async def last_day(*, session: AsyncSession, user_id: int) -> date | None:
    """The user's most recent logging day."""
    found = await session.scalar(select(func.max(HabitDay.day)).where(HabitDay.user_id == user_id))
    return found if isinstance(found, date) else None
