"""Feedback and ratings users send, the operator's answers, and the rating offer's state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedules import as_utc
from models.db import insert_ignoring_conflicts
from models.tables import Feedback, FeedbackPrefs, GoalContribution, Transaction


@dataclass(frozen=True, slots=True)
class FeedbackView:
    id: int
    user_id: int
    answered: bool


async def add_feedback(
    *,
    session: AsyncSession,
    user_id: int,
    now: datetime,
    text: str | None = None,
    stars: int | None = None,
) -> int:
    row = Feedback(user_id=user_id, text=text, stars=stars, created_at=now)
    session.add(row)
    await session.flush()
    return row.id


async def sent_since(*, session: AsyncSession, user_id: int, since: datetime) -> int:
    """How many written notes the user sent since ``since`` (ratings don't count)."""
    value = await session.scalar(
        select(func.count())
        .select_from(Feedback)
        .where(
            Feedback.user_id == user_id,
            Feedback.text.is_not(None),
            Feedback.created_at >= since,
        )
    )
    return int(value or 0)


async def get_feedback(*, session: AsyncSession, feedback_id: int) -> FeedbackView | None:
    row = await session.get(Feedback, feedback_id)
    if row is None or row.text is None:
        return None
    return FeedbackView(row.id, row.user_id, row.answer is not None)


async def save_answer(
    *, session: AsyncSession, feedback_id: int, answer: str, now: datetime
) -> None:
    row = await session.get(Feedback, feedback_id)
    if row is not None:
        row.answer = answer
        row.answered_at = now
        await session.flush()


# --- the rating offer ---


@dataclass(frozen=True, slots=True)
class RatingPrefs:
    offered_at: datetime | None
    off: bool


async def rating_prefs(*, session: AsyncSession, user_id: int) -> RatingPrefs:
    row = await session.get(FeedbackPrefs, user_id)
    if row is None:
        return RatingPrefs(None, False)
    offered = as_utc(row.rating_offered_at) if row.rating_offered_at is not None else None
    return RatingPrefs(offered, row.rating_off)


async def set_rating_prefs(
    *,
    session: AsyncSession,
    user_id: int,
    offered_at: datetime | None = None,
    off: bool | None = None,
) -> None:
    await session.execute(
        insert_ignoring_conflicts(session, FeedbackPrefs)
        .values(user_id=user_id, rating_off=False)
        .on_conflict_do_nothing()
    )
    row = await session.get(FeedbackPrefs, user_id)
    assert row is not None, "just inserted"
    if offered_at is not None:
        row.rating_offered_at = offered_at
    if off is not None:
        row.rating_off = off
    await session.flush()


async def ratings(*, session: AsyncSession) -> tuple[int, float | None]:
    """How many ratings there are and their average (for the operator's counts)."""
    count, average = (
        await session.execute(
            select(func.count(Feedback.stars), func.avg(Feedback.stars)).where(
                Feedback.stars.is_not(None)
            )
        )
    ).one()
    return int(count or 0), float(average) if average is not None else None


async def last_activity(*, session: AsyncSession, user_id: int) -> datetime | None:
    """When the user last logged an entry (one saved to sort included: nothing waits unsaved)
    or put money toward a goal."""
    moments = [
        await session.scalar(select(func.max(table.created_at)).where(table.user_id == user_id))
        for table in (Transaction, GoalContribution)
    ]
    found = [as_utc(m) for m in moments if m is not None]
    return max(found, default=None)


async def rated_since(*, session: AsyncSession, user_id: int, since: datetime) -> bool:
    value = await session.scalar(
        select(func.count())
        .select_from(Feedback)
        .where(
            Feedback.user_id == user_id, Feedback.stars.is_not(None), Feedback.created_at >= since
        )
    )
    return bool(value)
