"""The operator's /stats: counts only — how many people and entries, never who or how much.

No profile: the operator's chat is not an account, and nothing here reads one person's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models import feedback, stats

DAYS_SHOWN = 7


@dataclass(frozen=True, slots=True)
class Stats:
    users: int
    active_week: int
    entries_per_day: list[tuple[date, int]]  # the last seven UTC days, today last
    goals: int
    feedback_open: int
    ratings: int
    average_rating: float | None
    referrals: int
    compare_opt_ins: int


async def operator_stats(*, session: AsyncSession, now: datetime) -> Stats:
    today = now.astimezone(UTC).date()
    days = [today - timedelta(days=i) for i in range(DAYS_SHOWN - 1, -1, -1)]
    starts = [datetime.combine(d, time(), tzinfo=UTC) for d in days]
    week_ago = now - timedelta(days=7)
    counts = await stats.feature_counts(session=session)
    rated, average = await feedback.ratings(session=session)
    return Stats(
        users=await stats.user_count(session=session),
        active_week=await stats.active_since(
            session=session, since=week_ago, since_day=week_ago.date()
        ),
        entries_per_day=list(
            zip(days, await stats.entries_per_day(session=session, days=starts), strict=True)
        ),
        goals=counts["goals"],
        feedback_open=counts["feedback_open"],
        ratings=rated,
        average_rating=average,
        referrals=counts["referrals"],
        compare_opt_ins=counts["compare"],
    )
