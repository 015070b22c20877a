"""Savings goals, what was put aside toward them, and monthly savings targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import from_minor, to_minor
from bot.core.periods import Period
from models.db import insert_ignoring_conflicts
from models.tables import Goal, GoalContribution, SavingsTarget

EVERY_MONTH = "every"


@dataclass(frozen=True, slots=True)
class GoalView:
    id: int
    name: str
    target: Decimal
    currency: str
    deadline: date | None
    saved: Decimal
    reached: bool


@dataclass(frozen=True, slots=True)
class Contribution:
    id: int
    goal_id: int
    amount: Decimal
    saved_on: date


async def list_goals(*, session: AsyncSession, user_id: int) -> list[GoalView]:
    """The user's goals with what each has saved, oldest first (one query)."""
    saved = (
        select(GoalContribution.goal_id, func.sum(GoalContribution.amount_minor).label("minor"))
        .where(GoalContribution.user_id == user_id)
        .group_by(GoalContribution.goal_id)
        .subquery()
    )
    rows = await session.execute(
        select(Goal, func.coalesce(saved.c.minor, 0))
        .outerjoin(saved, saved.c.goal_id == Goal.id)
        .where(Goal.user_id == user_id)
        .order_by(Goal.id)
    )
    return [
        GoalView(
            goal.id,
            goal.name,
            from_minor(goal.target_minor, goal.currency),
            goal.currency,
            goal.deadline,
            from_minor(int(minor), goal.currency),
            goal.reached_at is not None,
        )
        for goal, minor in rows
    ]


async def get_goal(*, session: AsyncSession, user_id: int, goal_id: int) -> GoalView | None:
    goals = await list_goals(session=session, user_id=user_id)
    return next((g for g in goals if g.id == goal_id), None)


async def add_goal(
    *,
    session: AsyncSession,
    user_id: int,
    name: str,
    target: Decimal,
    currency: str,
    deadline: date | None,
    now: datetime,
) -> int:
    goal = Goal(
        user_id=user_id,
        name=name,
        target_minor=to_minor(target, currency),
        currency=currency,
        deadline=deadline,
        created_at=now,
    )
    session.add(goal)
    await session.flush()
    return goal.id


async def change_goal(
    *, session: AsyncSession, user_id: int, goal_id: int, target: Decimal, deadline: date | None
) -> None:
    goal = await session.get(Goal, goal_id)
    if goal is None or goal.user_id != user_id:
        return
    goal.target_minor = to_minor(target, goal.currency)
    goal.deadline = deadline
    await session.flush()


async def delete_goal(*, session: AsyncSession, user_id: int, goal_id: int) -> bool:
    result = await session.execute(delete(Goal).where(Goal.user_id == user_id, Goal.id == goal_id))
    return bool(getattr(result, "rowcount", 0))


async def mark_reached(*, session: AsyncSession, goal_id: int, at: datetime) -> bool:
    """True only the first time: the goal is celebrated once, even if it dips and refills."""
    result = await session.execute(
        update(Goal).where(Goal.id == goal_id, Goal.reached_at.is_(None)).values(reached_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


async def unmark_reached(*, session: AsyncSession, goal_id: int) -> None:
    """Forget that the goal was reached (the contribution that reached it was taken back)."""
    await session.execute(update(Goal).where(Goal.id == goal_id).values(reached_at=None))


async def add_contribution(
    *,
    session: AsyncSession,
    user_id: int,
    goal: GoalView,
    amount: Decimal,
    saved_on: date,
    now: datetime,
    chat_id: int | None,
    message_id: int | None,
) -> tuple[int, bool]:
    """Store a contribution; (its id, True if new). A message re-delivered stores nothing new."""
    inserted = await session.execute(
        insert_ignoring_conflicts(session, GoalContribution)
        .values(
            user_id=user_id,
            goal_id=goal.id,
            amount_minor=to_minor(amount, goal.currency),
            saved_on=saved_on,
            created_at=now,
            source_chat_id=chat_id,
            source_message_id=message_id,
        )
        .on_conflict_do_nothing()
        .returning(GoalContribution.id)
    )
    new_id = inserted.scalar()
    if new_id is not None:
        return int(new_id), True
    existing = await session.scalar(
        select(GoalContribution.id).where(
            GoalContribution.user_id == user_id,
            GoalContribution.source_chat_id == chat_id,
            GoalContribution.source_message_id == message_id,
        )
    )
    return int(existing or 0), False


async def contribution_from_message(
    *, session: AsyncSession, user_id: int, chat_id: int, message_id: int
) -> int | None:
    return await session.scalar(
        select(GoalContribution.id).where(
            GoalContribution.user_id == user_id,
            GoalContribution.source_chat_id == chat_id,
            GoalContribution.source_message_id == message_id,
        )
    )


async def take_contribution(
    *, session: AsyncSession, user_id: int, contribution_id: int
) -> Contribution | None:
    """Delete one of the user's contributions and return it; None when gone or not theirs."""
    row = (
        await session.execute(
            select(GoalContribution, Goal.currency)
            .join(Goal, Goal.id == GoalContribution.goal_id)
            .where(GoalContribution.user_id == user_id, GoalContribution.id == contribution_id)
        )
    ).first()
    if row is None:
        return None
    found, currency = row
    await session.execute(delete(GoalContribution).where(GoalContribution.id == found.id))
    return Contribution(
        found.id, found.goal_id, from_minor(found.amount_minor, currency), found.saved_on
    )


async def put_aside_in(
    *, session: AsyncSession, user_id: int, period: Period
) -> dict[str, Decimal]:
    """What the user put toward goals in ``period``, per currency."""
    rows = await session.execute(
        select(Goal.currency, func.sum(GoalContribution.amount_minor))
        .join(Goal, Goal.id == GoalContribution.goal_id)
        .where(
            GoalContribution.user_id == user_id,
            GoalContribution.saved_on >= period.start,
            GoalContribution.saved_on < period.end,
        )
        .group_by(Goal.currency)
    )
    return {cur: from_minor(int(minor), cur) for cur, minor in rows}


# --- savings targets ---


def target_scope(period: Period | None) -> str:
    """``every`` for the standing target, else the month's start date."""
    return EVERY_MONTH if period is None else period.start.isoformat()


@dataclass(frozen=True, slots=True)
class Target:
    amount: Decimal
    currency: str
    every_month: bool  # False: set for this one month only


async def savings_target(*, session: AsyncSession, user_id: int, month: Period) -> Target | None:
    """The target for ``month``: one set for that month wins over the standing one."""
    rows = await session.execute(
        select(SavingsTarget.scope, SavingsTarget.amount_minor, SavingsTarget.currency).where(
            SavingsTarget.user_id == user_id,
            SavingsTarget.scope.in_([EVERY_MONTH, target_scope(month)]),
        )
    )
    found = {
        scope: Target(from_minor(minor, cur), cur, scope == EVERY_MONTH)
        for scope, minor, cur in rows
    }
    return found.get(target_scope(month)) or found.get(EVERY_MONTH)


async def set_savings_target(
    *,
    session: AsyncSession,
    user_id: int,
    month: Period | None,
    amount: Decimal | None,
    currency: str,
) -> None:
    """Set the standing target (``month`` None) or one month's; ``amount`` None removes."""
    scope = target_scope(month)
    await session.execute(
        delete(SavingsTarget).where(SavingsTarget.user_id == user_id, SavingsTarget.scope == scope)
    )
    if month is None and amount is None:
        # "save off" ends the habit: month-only targets go too.
        await session.execute(delete(SavingsTarget).where(SavingsTarget.user_id == user_id))
    if amount is not None:
        session.add(
            SavingsTarget(
                user_id=user_id,
                scope=scope,
                amount_minor=to_minor(amount, currency),
                currency=currency,
            )
        )
        await session.flush()
