"""Budgets: limits per user, what has been spent against them, and alerts said once per period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.budgets import Status, budget_period, rollover_limit, thresholds_reached
from bot.core.money import from_minor, to_minor
from bot.core.periods import Period, previous
from models.categories import CategoryInfo
from models.db import insert_ignoring_conflicts
from models.tables import Budget, BudgetAlert, Category, Transaction, User

OVERALL = "all"

# Rollover looks back at most this many periods, so an old budget stays cheap to evaluate.
MAX_ROLLOVER_PERIODS = 36


def scope_of(category_id: int | None) -> str:
    return OVERALL if category_id is None else f"c{category_id}"


@dataclass(frozen=True, slots=True)
class BudgetView:
    id: int
    category: CategoryInfo | None
    frequency: str
    rollover: bool
    base: Decimal
    status: Status

    @property
    def name(self) -> str:
        return self.category.name if self.category else "Overall"


@dataclass(frozen=True, slots=True)
class Alert:
    """A threshold a budget has just reached."""

    budget: BudgetView
    threshold: int


async def set_budget(
    *,
    session: AsyncSession,
    user_id: int,
    category_id: int | None,
    amount: Decimal,
    currency: str,
    frequency: str,
    rollover: bool | None,
    today: date,
) -> int:
    """Create or change the user's budget for a scope; returns its id."""
    scope = scope_of(category_id)
    existing = await session.scalar(
        select(Budget).where(Budget.user_id == user_id, Budget.scope == scope)
    )
    if existing is None:
        existing = Budget(
            user_id=user_id,
            category_id=category_id,
            scope=scope,
            amount_minor=to_minor(amount, currency),
            currency=currency,
            frequency=frequency,
            rollover=bool(rollover),
            created_on=today,
        )
        session.add(existing)
    else:
        if existing.frequency != frequency or existing.currency != currency:
            # A new kind of period starts a new history: old alerts and carry-over no longer apply.
            existing.created_on = today
            await session.execute(delete(BudgetAlert).where(BudgetAlert.budget_id == existing.id))
        existing.amount_minor = to_minor(amount, currency)
        existing.currency = currency
        existing.frequency = frequency
        if rollover is not None:
            existing.rollover = rollover
    await session.flush()
    return existing.id


async def weekly_categories(*, session: AsyncSession, user_id: int) -> set[int]:
    """The user's categories whose budget runs by the week (their receipts speak of the week)."""
    rows = await session.scalars(
        select(Budget.category_id).where(
            Budget.user_id == user_id,
            Budget.frequency == "weekly",
            Budget.category_id.is_not(None),
        )
    )
    return {int(c) for c in rows if c is not None}


async def remove_budget(*, session: AsyncSession, user_id: int, category_id: int | None) -> bool:
    result = await session.execute(
        delete(Budget).where(Budget.user_id == user_id, Budget.scope == scope_of(category_id))
    )
    return bool(getattr(result, "rowcount", 0))


async def scale_limit(
    *,
    session: AsyncSession,
    user_id: int,
    budget_id: int,
    percent: int | None = None,
    amount: Decimal | None = None,
    if_limit: Decimal | None = None,
) -> bool:
    """Raise a limit by a percentage or set it to an amount; False if not the user's budget,
    or (with ``if_limit``) if its limit has changed since (a raise applies once per alert)."""
    budget = await session.scalar(
        select(Budget).where(Budget.id == budget_id, Budget.user_id == user_id)
    )
    if budget is None:
        return False
    if if_limit is not None and budget.amount_minor != to_minor(if_limit, budget.currency):
        return False
    if amount is not None:
        budget.amount_minor = to_minor(amount, budget.currency)
    elif percent is not None:
        budget.amount_minor = budget.amount_minor * (100 + percent) // 100
    # A new limit deserves its own warnings: crossing 80% or 100% of it alerts again.
    await session.execute(delete(BudgetAlert).where(BudgetAlert.budget_id == budget.id))
    await session.flush()
    return True


async def _spent(session: AsyncSession, user_id: int, budget: Budget, period: Period) -> Decimal:
    query = select(func.coalesce(func.sum(Transaction.amount_minor), 0)).where(
        Transaction.user_id == user_id,
        Transaction.kind == "expense",
        Transaction.currency == budget.currency,
        Transaction.occurred_on >= period.start,
        Transaction.occurred_on < period.end,
    )
    if budget.category_id is not None:
        query = query.where(Transaction.category_id == budget.category_id)
    return from_minor(int(await session.scalar(query) or 0), budget.currency)


async def _view(
    session: AsyncSession,
    user_id: int,
    budget: Budget,
    category: CategoryInfo | None,
    today: date,
    month_start_day: int,
) -> BudgetView:
    period = budget_period(today, budget.frequency, month_start_day)
    base = from_minor(budget.amount_minor, budget.currency)
    limit = base
    if budget.rollover:
        earlier: list[Decimal] = []
        cursor = period
        for _ in range(MAX_ROLLOVER_PERIODS):
            cursor = previous(cursor, month_start_day)
            if cursor.end <= budget.created_on:
                break
            earlier.append(await _spent(session, user_id, budget, cursor))
        limit = rollover_limit(base, earlier)
    spent = await _spent(session, user_id, budget, period)
    status = Status(limit, spent, period, today, budget.currency)
    return BudgetView(budget.id, category, budget.frequency, budget.rollover, base, status)


async def budget_views(
    *,
    session: AsyncSession,
    user_id: int,
    today: date,
    month_start_day: int,
    category_ids: set[int | None] | None = None,
) -> list[BudgetView]:
    """Every budget of the user (or those for ``category_ids``; None = overall) as of ``today``."""
    rows = await session.execute(
        select(Budget, Category)
        .outerjoin(Category, Category.id == Budget.category_id)
        .where(Budget.user_id == user_id)
        .order_by(Budget.category_id.is_not(None), Category.position, Budget.id)
    )
    views = []
    for budget, category in rows:
        if category_ids is not None and budget.category_id not in category_ids:
            continue
        info = (
            CategoryInfo(category.id, category.kind, category.name, category.emoji)
            if category
            else None
        )
        views.append(await _view(session, user_id, budget, info, today, month_start_day))
    return views


async def budget_view(
    *, session: AsyncSession, user_id: int, budget_id: int, today: date, month_start_day: int
) -> BudgetView | None:
    views = await budget_views(
        session=session, user_id=user_id, today=today, month_start_day=month_start_day
    )
    return next((v for v in views if v.id == budget_id), None)


async def new_alerts(
    *,
    session: AsyncSession,
    user_id: int,
    category_ids: set[int | None],
    today: date,
    month_start_day: int,
) -> list[Alert]:
    """Thresholds that budgets touched by new expenses have reached for the first time this period.

    Recording the alert and testing for it is one INSERT … ON CONFLICT DO NOTHING, so an undo and
    re-add, or two processes, never announce the same threshold twice.
    """
    views = await budget_views(
        session=session,
        user_id=user_id,
        today=today,
        month_start_day=month_start_day,
        category_ids=category_ids | {None},
    )
    alerts = []
    for view in views:
        fresh = []
        for threshold in thresholds_reached(view.status.spent, view.status.limit):
            result = await session.execute(
                insert_ignoring_conflicts(session, BudgetAlert)
                .values(
                    budget_id=view.id, period_start=view.status.period.start, threshold=threshold
                )
                .on_conflict_do_nothing()
            )
            if getattr(result, "rowcount", 0):
                fresh.append(threshold)
        if fresh:
            # Crossing 80% and 100% at once is one message: the over-limit one.
            alerts.append(Alert(view, max(fresh)))
    return alerts


async def await_limit(*, session: AsyncSession, user_id: int, budget_id: int | None) -> None:
    """Remember (or forget) that the user's next amount is a new limit for this budget."""
    await session.execute(
        update(User).where(User.id == user_id).values(awaiting_limit_budget_id=budget_id)
    )
