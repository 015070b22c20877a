"""Counts for the operator's /stats: how many, never who or how much."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import CompareOptIn, Feedback, Goal, HabitDay, Referral, Transaction, User


async def user_count(*, session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def active_since(*, session: AsyncSession, since: datetime, since_day: date) -> int:
    """People who logged an entry (or said "nothing today") since then."""
    active = union(
        select(Transaction.user_id).where(Transaction.created_at >= since),
        select(HabitDay.user_id).where(HabitDay.day >= since_day),
    ).subquery()
    return int(await session.scalar(select(func.count()).select_from(active)) or 0)


async def entries_per_day(*, session: AsyncSession, days: list[datetime]) -> list[int]:
    """Transactions created in each UTC day starting at the instants in ``days``."""
    counts = []
    for start in days:
        value = await session.scalar(
            select(func.count())
            .select_from(Transaction)
            .where(
                Transaction.created_at >= start,
                Transaction.created_at < start + timedelta(days=1),
            )
        )
        counts.append(int(value or 0))
    return counts


async def feature_counts(*, session: AsyncSession) -> dict[str, int]:
    """How many goals, open feedback notes, referrals and /compare opt-ins exist."""
    queries = {
        "goals": select(func.count()).select_from(Goal),
        "feedback_open": select(func.count())
        .select_from(Feedback)
        .where(Feedback.text.is_not(None), Feedback.answer.is_(None)),
        "referrals": select(func.count()).select_from(Referral),
        "compare": select(func.count()).select_from(CompareOptIn),
    }
    return {name: int(await session.scalar(query) or 0) for name, query in queries.items()}
