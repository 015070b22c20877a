"""Budget points: scoring the finished days not yet scored, once each.

A day is scored against the budgets in force on it: whatever changes a budget scores the days
before first (``models.services.budgets``), and /balance, /report and the summaries score what
is left when they show the points.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import habits as rules
from bot.core.periods import Period, month_period
from models import habits as repo


async def settle(
    *,
    session: AsyncSession,
    user_id: int,
    today: date,
    month_start_day: int = 1,
    logged: set[date] | None = None,
) -> None:
    """Score the finished days not yet scored for budget points (at most a month back).

    ``logged`` are the user's logging days when the caller has read them already.
    """
    has_state, through = await repo.settled_through(session=session, user_id=user_id)
    since = today - timedelta(days=rules.SETTLE_DAYS_BACK)
    if logged is None:
        logged = set(await repo.logged_days(session=session, user_id=user_id, since=since))
    logged = {d for d in logged if d >= since}
    if not has_state and not logged:
        return
    first_logged = min(logged, default=today)
    days = rules.days_to_settle(through if has_state else None, first_logged, today)
    budgets = await repo.budget_limits(session=session, user_id=user_id) if days else []
    if days and budgets:
        spent = await repo.spent_by_day(
            session=session, user_id=user_id, period=Period(days[0], today)
        )
        earned = {}
        for day in days:
            shares, used = _budget_day(day, budgets, spent.get(day, {}), month_start_day)
            earned[day] = rules.budget_day_points(day in logged, used, shares)
        await repo.award_days(
            session=session, user_id=user_id, reason=repo.BUDGET_DAY, points=earned
        )
    await repo.set_settled_through(session=session, user_id=user_id, day=today - timedelta(1))


def _budget_day(
    day: date,
    budgets: list[tuple[int | None, Decimal, str, str, date]],
    spent: dict[tuple[str, int | None], Decimal],
    month_start_day: int,
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(daily share, spent) per budget scope in force on ``day``."""
    shares: dict[str, Decimal] = {}
    used: dict[str, Decimal] = {}
    for category_id, limit, currency, frequency, created_on in budgets:
        if created_on > day:
            continue
        days = 7 if frequency == "weekly" else month_period(day, month_start_day).days
        scope = f"{currency}:{category_id}"
        shares[scope] = rules.daily_share(limit, days)
        under = [
            amount
            for (cur, cat), amount in spent.items()
            if cur == currency and (category_id is None or cat == category_id)
        ]
        used[scope] = sum(under, Decimal(0))
    return shares, used
