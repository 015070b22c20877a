"""What the ticker sends: due scheduled messages and recurring entries, claimed once.

The claim and what it needs to say are read in one transaction; the handler sends after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.periods import Period, local_now, month_period, previous, week_period
from models import budgets, recurring, schedules
from models import habits as habit_repo
from models import transactions as tx
from models.budgets import BudgetView
from models.categories import CategoryInfo, list_categories
from models.recurring import Posted
from models.schedules import Claimed
from models.services import feedback, goals, habits
from models.services.goals import TargetLine
from models.services.habits import Standing


@dataclass(frozen=True)
class PeriodFigures:
    label: str
    period: Period
    income: dict[str, Decimal]
    expenses: dict[str, Decimal]
    top: list[tuple[str, str, Decimal]]  # (category label, currency, amount)


@dataclass(frozen=True)
class DueMessage:
    """A scheduled message to send: ``kind`` says how to render it."""

    user_id: int
    kind: str
    figures: PeriodFigures | None = None
    days_idle: int = 0
    categories: list[CategoryInfo] = field(default_factory=list)
    budgets: list[BudgetView] = field(default_factory=list)
    # Weekly and month-end: the month's savings target, streak and points (facts, not nags).
    target: TargetLine | None = None
    standing: Standing | None = None
    # Month-end only, at most every 30 days and never while the user is logging.
    offer_rating: bool = False
    # Nudge and digest: a "Nothing today" button keeps the streak on a day without spending.
    offer_nothing: bool = False
    to_sort: int = 0  # entries saved in Other still to sort: the message reminds of /sort


async def _figures(
    session: AsyncSession, user_id: int, label: str, period: Period
) -> PeriodFigures:
    totals = await tx.totals_by_currency(session=session, user_id=user_id, period=period)
    top = [
        (f"{emoji} {name}" if emoji else name, cur, amount)
        for name, emoji, cur, amount in await tx.top_expense_categories(
            session=session, user_id=user_id, period=period, limit=3
        )
    ]
    return PeriodFigures(
        label,
        period,
        {c: v for (c, k), v in totals.items() if k == "income"},
        {c: v for (c, k), v in totals.items() if k == "expense"},
        top,
    )


async def compose(*, session: AsyncSession, claimed: Claimed, now: datetime) -> DueMessage | None:
    """What a claimed schedule should say now, or None when there is nothing worth sending.

    Summaries (digest, weekly, monthly) also say how many entries are still to sort.
    """
    message = await _compose(session=session, claimed=claimed, now=now)
    if message is None or message.kind == "nudge":
        return message
    to_sort = await tx.unsorted_count(session=session, user_id=claimed.user_id)
    return replace(message, to_sort=to_sort) if to_sort else message


async def _compose(*, session: AsyncSession, claimed: Claimed, now: datetime) -> DueMessage | None:
    if claimed.stale:
        return None
    user_id = claimed.user_id
    today = local_now(now, claimed.timezone).date()
    if claimed.kind == "nudge":
        last = await tx.last_logged_at(session=session, user_id=user_id) or now
        idle = now - last
        every = timedelta(days=claimed.every_days)
        recently_nudged = claimed.last_sent_at is not None and now - claimed.last_sent_at < every
        # "Nothing today" is a word from the user too: no nudge for a day they spoke up.
        said = await habit_repo.last_day(session=session, user_id=user_id)
        days_idle = idle.days if said is None else min(idle.days, (today - said).days)
        if idle < every or days_idle < claimed.every_days or recently_nudged:
            return None
        categories = await list_categories(session=session, user_id=user_id, kind="expense")
        return DueMessage(
            user_id, "nudge", days_idle=days_idle, categories=categories[:6], offer_nothing=True
        )
    if claimed.kind == "digest":
        figures = await _figures(session, user_id, "Today", Period(today, today + timedelta(1)))
        mood = await _standing(session, claimed, today, None)
        quiet_day = not figures.expenses and not mood.streak.today_done
        return DueMessage(user_id, "digest", figures=figures, offer_nothing=quiet_day)
    if claimed.kind == "weekly":
        week = week_period(today)
        return DueMessage(
            user_id,
            "weekly",
            figures=await _figures(session, user_id, "This week", week),
            target=await goals.month_target(
                session=session,
                user_id=user_id,
                month=month_period(today, claimed.month_start_day),
            ),
            standing=await _standing(session, claimed, today, week),
        )
    if claimed.kind == "monthly":
        ended = previous(month_period(today, claimed.month_start_day), claimed.month_start_day)
        label = f"{ended.start:%-d %b} – {ended.end - timedelta(days=1):%-d %b %Y}"
        views = await budgets.budget_views(
            session=session,
            user_id=user_id,
            today=ended.end - timedelta(days=1),
            month_start_day=claimed.month_start_day,
        )
        return DueMessage(
            user_id,
            "monthly",
            figures=await _figures(session, user_id, label, ended),
            budgets=[v for v in views if v.frequency == "monthly"],
            target=await goals.month_target(session=session, user_id=user_id, month=ended),
            standing=await _standing(session, claimed, today, ended),
            offer_rating=await feedback.offer_rating(session=session, user_id=user_id, now=now),
        )
    return None


async def _standing(
    session: AsyncSession, claimed: Claimed, today: date, period: Period | None
) -> Standing:
    return await habits.standing_of(
        session=session,
        user_id=claimed.user_id,
        today=today,
        month_start_day=claimed.month_start_day,
        period=period,
    )


@dataclass(frozen=True)
class Tick:
    messages: list[DueMessage]
    posted: list[Posted]
    claimed: int


async def claim_tick(*, session: AsyncSession, now: datetime, limit: int = 500) -> Tick:
    """Claim due schedules and post due recurring transactions in one transaction."""
    claimed = await schedules.claim_due(session=session, now=now, limit=limit)
    messages = []
    for item in claimed:
        message = await compose(session=session, claimed=item, now=now)
        if message is not None:
            messages.append(message)
            await schedules.mark_sent(session=session, user_id=item.user_id, kind=item.kind, at=now)
    posted = await recurring.post_due(session=session, now=now, limit=limit)
    return Tick(messages, posted, len(claimed))


async def pause_blocked(*, session: AsyncSession, user_id: int) -> None:
    await schedules.pause_blocked(session=session, user_id=user_id)
