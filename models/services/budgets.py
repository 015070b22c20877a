"""Use cases for limits and schedules: /budget, /remind, /recurring, /settings and the ticker.

Like models/services.py: session keyword-only, one call per update, plain values out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.budgets import BudgetCommand
from bot.core.money import AmountError, check_amount, from_minor
from bot.core.periods import Period, local_now, month_period, previous, week_period
from bot.core.schedules import RecurringUsage, as_utc, parse_recurring
from models import budgets, recurring, schedules
from models import transactions as tx
from models.budgets import BudgetView
from models.categories import CategoryInfo, find_category, get_category, list_categories
from models.recurring import Posted, RecurringView
from models.schedules import Claimed, ScheduleView
from models.services.entries import Rejected, parse_for_user, resolve_entries
from models.tables import Category, Transaction, User
from models.users import Actor, Profile, ensure_user, update_user

DEFAULT_QUIET = (22 * 60, 8 * 60)


# --- budgets ---


@dataclass(frozen=True)
class Budgets:
    views: list[BudgetView]
    currency: str
    changed: str | None = None  # name of the budget just set or removed
    removed: bool = False


@dataclass(frozen=True)
class BadLimit:
    reason: str


@dataclass(frozen=True)
class UnknownCategory:
    name: str
    known: list[str]


async def budget_command(
    *, session: AsyncSession, actor: Actor, command: BudgetCommand, now: datetime
) -> Budgets | UnknownCategory | BadLimit:
    """Show, set or remove budgets as ``/budget`` arguments asked."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    today = local_now(now, profile.timezone).date()
    category: CategoryInfo | None = None
    if command.category is not None:
        category = await find_category(
            session=session, user_id=profile.user_id, kind="expense", name=command.category
        )
        if category is None:
            known = await list_categories(session=session, user_id=profile.user_id, kind="expense")
            return UnknownCategory(command.category, [c.name for c in known])
    changed = None
    removed = False
    if command.action == "set" and command.amount is not None:
        try:
            check_amount(command.amount, profile.currency)
        except AmountError as exc:
            return BadLimit(str(exc))
        await budgets.set_budget(
            session=session,
            user_id=profile.user_id,
            category_id=category.id if category else None,
            amount=command.amount,
            currency=profile.currency,
            frequency=command.frequency,
            rollover=command.rollover,
            today=today,
        )
        changed = category.name if category else "Overall"
    elif command.action == "remove":
        removed = await budgets.remove_budget(
            session=session, user_id=profile.user_id, category_id=category.id if category else None
        )
        changed = category.name if category else "Overall"
    views = await budgets.budget_views(
        session=session,
        user_id=profile.user_id,
        today=today,
        month_start_day=profile.month_start_day,
    )
    return Budgets(views, profile.currency, changed, removed)


async def raise_limit(
    *, session: AsyncSession, actor: Actor, budget_id: int, percent: int, now: datetime
) -> BudgetView | None:
    """Raise a budget by a percentage from its over-limit alert."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    if not await budgets.scale_limit(
        session=session, user_id=profile.user_id, budget_id=budget_id, percent=percent
    ):
        return None
    return await budgets.budget_view(
        session=session,
        user_id=profile.user_id,
        budget_id=budget_id,
        today=local_now(now, profile.timezone).date(),
        month_start_day=profile.month_start_day,
    )


async def budget_of(
    *, session: AsyncSession, actor: Actor, budget_id: int, now: datetime
) -> BudgetView | None:
    """One of the user's budgets as of now; None if it is gone or not theirs."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    return await budgets.budget_view(
        session=session,
        user_id=profile.user_id,
        budget_id=budget_id,
        today=local_now(now, profile.timezone).date(),
        month_start_day=profile.month_start_day,
    )


async def ask_limit(
    *, session: AsyncSession, actor: Actor, budget_id: int, now: datetime
) -> BudgetView | None:
    """Remember that the user's next amount is this budget's new limit."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    view = await budgets.budget_view(
        session=session,
        user_id=profile.user_id,
        budget_id=budget_id,
        today=local_now(now, profile.timezone).date(),
        month_start_day=profile.month_start_day,
    )
    if view is not None:
        await budgets.await_limit(session=session, user_id=profile.user_id, budget_id=budget_id)
    return view


# --- settings ---


@dataclass(frozen=True)
class Settings:
    profile: Profile
    quiet: tuple[int, int] | None


async def user_settings(*, session: AsyncSession, actor: Actor, now: datetime) -> Settings:
    profile = await ensure_user(session=session, actor=actor, now=now)
    user = await session.get(User, profile.user_id)
    assert user is not None
    quiet = (
        (user.quiet_start, user.quiet_end)
        if user.quiet_start is not None and user.quiet_end is not None
        else None
    )
    return Settings(profile, quiet)


async def set_month_start(
    *, session: AsyncSession, actor: Actor, day: int, now: datetime
) -> Settings | None:
    """Start every monthly period on ``day`` (1–28); None when out of range."""
    if not 1 <= day <= 28:
        return None
    profile = await ensure_user(session=session, actor=actor, now=now)
    await update_user(session=session, user_id=profile.user_id, month_start_day=day)
    await schedules.reschedule_user(session=session, user_id=profile.user_id, now=now)
    return await user_settings(session=session, actor=actor, now=now)


async def toggle_quiet(*, session: AsyncSession, actor: Actor, now: datetime) -> Settings:
    """Switch quiet hours (22:00–08:00) on or off; schedules move out of them."""
    current = await user_settings(session=session, actor=actor, now=now)
    start, end = (None, None) if current.quiet else DEFAULT_QUIET
    await update_user(
        session=session, user_id=current.profile.user_id, quiet_start=start, quiet_end=end
    )
    await schedules.reschedule_user(session=session, user_id=current.profile.user_id, now=now)
    return await user_settings(session=session, actor=actor, now=now)


# --- reminders ---


@dataclass(frozen=True)
class Reminders:
    schedules: list[ScheduleView]
    timezone: str
    quiet: tuple[int, int] | None


@dataclass(frozen=True)
class ReminderChange:
    """One /remind button's change; an empty one just shows the list."""

    kind: str | None = None
    toggle: bool = False
    hour: int | None = None
    every_days: int | None = None
    quiet: bool = False


async def reminders(
    *, session: AsyncSession, actor: Actor, now: datetime, change: ReminderChange | None = None
) -> Reminders | None:
    """Show the user's scheduled messages after changing one if asked; None for a bad change."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    await schedules.ensure_schedules(session=session, user_id=profile.user_id, now=now)
    change = change or ReminderChange()
    if change.quiet:
        await toggle_quiet(session=session, actor=actor, now=now)
    if change.kind is not None:
        if change.hour is not None and not 0 <= change.hour <= 23:
            return None
        if change.every_days is not None and not 1 <= change.every_days <= 30:
            return None
        ok = await schedules.change_schedule(
            session=session,
            user_id=profile.user_id,
            kind=change.kind,
            now=now,
            toggle=change.toggle,
            at_minute=change.hour * 60 if change.hour is not None else None,
            every_days=change.every_days,
        )
        if not ok:
            return None
    views = await schedules.list_schedules(session=session, user_id=profile.user_id)
    settings = await user_settings(session=session, actor=actor, now=now)
    return Reminders(views, profile.timezone, settings.quiet)


async def quick_category(
    *, session: AsyncSession, actor: Actor, category_id: int, now: datetime
) -> CategoryInfo | None:
    """A category tapped on a reminder: the next amount the user types goes there."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    category = await get_category(session=session, user_id=profile.user_id, category_id=category_id)
    if category is not None:
        await update_user(
            session=session, user_id=profile.user_id, awaiting_category_id=category.id
        )
    return category


# --- recurring ---


@dataclass(frozen=True)
class RecurringHelp:
    """The /recurring add arguments fit no form."""


async def add_recurring(
    *, session: AsyncSession, actor: Actor, words: list[str], now: datetime
) -> RecurringView | Rejected | RecurringHelp:
    """Save a recurring transaction from ``rent 15000 monthly on 1``.

    The day defaults to today's in the user's own time zone.
    """
    profile = await ensure_user(session=session, actor=actor, now=now)
    try:
        spec = parse_recurring(words, local_now(now, profile.timezone).date())
    except RecurringUsage:
        return RecurringHelp()
    parsed = parse_for_user(spec.entry_text, now=now, profile=profile)
    if isinstance(parsed, Rejected):
        return parsed
    if len(parsed) != 1:
        return Rejected("I need one amount and what it is for, like “rent 15000”.")
    new = await resolve_entries(session=session, profile=profile, parsed=parsed)
    if isinstance(new, Rejected):
        return new
    entry = new[0]
    if entry.category_id is None:
        other = await find_category(
            session=session, user_id=profile.user_id, kind=entry.kind, name="Other"
        )
        entry = replace(entry, category_id=other.id if other else None)
    return await recurring.add_recurring(
        session=session,
        user_id=profile.user_id,
        entry=entry,
        spec=spec,
        today=local_now(now, profile.timezone).date(),
        zone=profile.timezone,
    )


async def list_recurring(*, session: AsyncSession, actor: Actor) -> list[RecurringView]:
    return await recurring.list_recurring(session=session, user_id=actor.user_id)


async def delete_recurring(
    *, session: AsyncSession, actor: Actor, recurring_id: int
) -> list[RecurringView] | None:
    """Delete a rule and return the rest; None if it was not the user's."""
    if not await recurring.delete_recurring(
        session=session, user_id=actor.user_id, recurring_id=recurring_id
    ):
        return None
    return await recurring.list_recurring(session=session, user_id=actor.user_id)


# --- what the ticker sends ---


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


async def _figures(
    session: AsyncSession, user_id: int, label: str, period: Period
) -> PeriodFigures:
    totals = await tx.totals_by_currency(session=session, user_id=user_id, period=period)
    rows = await session.execute(
        select(
            Category.name, Category.emoji, Transaction.currency, func.sum(Transaction.amount_minor)
        )
        .join(Category, Category.id == Transaction.category_id)
        .where(
            Transaction.user_id == user_id,
            Transaction.kind == "expense",
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        )
        .group_by(Category.name, Category.emoji, Transaction.currency)
        .order_by(func.sum(Transaction.amount_minor).desc())
        .limit(3)
    )
    top = [
        (f"{emoji} {name}" if emoji else name, cur, from_minor(int(minor), cur))
        for name, emoji, cur, minor in rows
    ]
    return PeriodFigures(
        label,
        period,
        {c: v for (c, k), v in totals.items() if k == "income"},
        {c: v for (c, k), v in totals.items() if k == "expense"},
        top,
    )


async def compose(*, session: AsyncSession, claimed: Claimed, now: datetime) -> DueMessage | None:
    """What a claimed schedule should say now, or None when there is nothing worth sending."""
    if claimed.stale:
        return None
    user_id = claimed.user_id
    today = local_now(now, claimed.timezone).date()
    if claimed.kind == "nudge":
        last = await session.scalar(
            select(func.max(Transaction.created_at)).where(Transaction.user_id == user_id)
        )
        if last is None:
            user = await session.get(User, user_id)
            last = user.created_at if user else now
        idle = now - as_utc(last)
        every = timedelta(days=claimed.every_days)
        recently_nudged = claimed.last_sent_at is not None and now - claimed.last_sent_at < every
        if idle < every or recently_nudged:
            return None
        categories = await list_categories(session=session, user_id=user_id, kind="expense")
        return DueMessage(user_id, "nudge", days_idle=idle.days, categories=categories[:6])
    if claimed.kind == "digest":
        figures = await _figures(session, user_id, "Today", Period(today, today + timedelta(1)))
        return DueMessage(user_id, "digest", figures=figures)
    if claimed.kind == "weekly":
        week = week_period(today)
        return DueMessage(
            user_id, "weekly", figures=await _figures(session, user_id, "This week", week)
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
        )
    return None


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
