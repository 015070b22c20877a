"""Use cases for /budget and the buttons on budget alerts.

Session keyword-only, the caller's profile, plain values out; ``STALE`` for a budget that is
gone or not the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.budgets import BudgetCommand, raised_limit
from bot.core.money import AmountError, check_amount, from_minor
from bot.core.periods import local_now
from models import budgets, rules
from models.budgets import BudgetView
from models.categories import CategoryInfo, find_category, list_categories
from models.services import points
from models.services.results import STALE, Stale
from models.users import Profile


async def _score_days_before(session: AsyncSession, profile: Profile, now: datetime) -> None:
    """Score the finished days for budget points against the budgets they had, before a change.

    Otherwise a day is scored when the points are next shown, against whatever the budgets
    are by then: raising a limit would make past days within it, removing one would lose them.
    """
    await points.settle(
        session=session,
        user_id=profile.user_id,
        today=local_now(now, profile.timezone).date(),
        month_start_day=profile.month_start_day,
    )


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
    *, session: AsyncSession, profile: Profile, now: datetime, command: BudgetCommand
) -> Budgets | UnknownCategory | BadLimit:
    """Show, set or remove budgets as ``/budget`` arguments asked."""
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
        await _score_days_before(session, profile, now)
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
        await _score_days_before(session, profile, now)
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


async def create_and_budget(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    name: str,
    amount: Decimal,
    weekly: bool,
) -> Budgets | BadLimit | Stale:
    """Add the expense category a /budget named that didn't exist, and give it the budget.

    ``STALE`` when the button is old: the category exists by now, or there are too many.
    """
    if await find_category(session=session, user_id=profile.user_id, kind="expense", name=name):
        return STALE
    added = await rules.add_category(
        session=session, user_id=profile.user_id, kind="expense", name=name, emoji=None
    )
    if added is None:
        return STALE
    command = BudgetCommand("set", added.name, amount, "weekly" if weekly else "monthly")
    result = await budget_command(session=session, profile=profile, now=now, command=command)
    assert not isinstance(result, UnknownCategory), "just added"
    return result


async def raise_limit(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    budget_id: int,
    percent: int,
    limit_minor: int,
) -> BudgetView | BadLimit | Stale:
    """Raise a budget by a percentage from its over-limit alert, once: the alert's buttons
    carry the limit it was sent for, and apply only while the budget still has it."""
    current = await _view(session=session, profile=profile, now=now, budget_id=budget_id)
    if isinstance(current, Stale):
        return STALE
    currency = current.status.currency
    base = from_minor(limit_minor, currency)
    new = raised_limit(base, percent, currency)
    try:
        check_amount(new, currency)
    except AmountError as exc:
        return BadLimit(str(exc))
    await _score_days_before(session, profile, now)
    if not await budgets.scale_limit(
        session=session, user_id=profile.user_id, budget_id=budget_id, amount=new, if_limit=base
    ):
        return STALE
    return await _view(session=session, profile=profile, now=now, budget_id=budget_id)


async def set_limit(
    *, session: AsyncSession, profile: Profile, now: datetime, budget_id: int, amount: Decimal
) -> BudgetView | Stale | BadLimit:
    """Set a budget's limit to ``amount`` (a typed reply in the chat, or the dashboard).

    ``STALE`` for a budget that is gone or not the user's; alerts start over for the new limit.
    The amount is checked in the budget's own currency (it keeps it when /currency changes).
    """
    current = await _view(session=session, profile=profile, now=now, budget_id=budget_id)
    if isinstance(current, Stale):
        return STALE
    try:
        check_amount(amount, current.status.currency)
    except AmountError as exc:
        return BadLimit(str(exc))
    await _score_days_before(session, profile, now)
    if not await budgets.scale_limit(
        session=session, user_id=profile.user_id, budget_id=budget_id, amount=amount
    ):
        return STALE
    return await _view(session=session, profile=profile, now=now, budget_id=budget_id)


async def budget_of(
    *, session: AsyncSession, profile: Profile, now: datetime, budget_id: int
) -> BudgetView | Stale:
    """One of the user's budgets as of now."""
    return await _view(session=session, profile=profile, now=now, budget_id=budget_id)


async def ask_limit(
    *, session: AsyncSession, profile: Profile, now: datetime, budget_id: int
) -> BudgetView | Stale:
    """Remember that the user's next amount is this budget's new limit."""
    view = await _view(session=session, profile=profile, now=now, budget_id=budget_id)
    if not isinstance(view, Stale):
        await budgets.await_limit(session=session, user_id=profile.user_id, budget_id=budget_id)
    return view


async def _view(
    *, session: AsyncSession, profile: Profile, now: datetime, budget_id: int
) -> BudgetView | Stale:
    view = await budgets.budget_view(
        session=session,
        user_id=profile.user_id,
        budget_id=budget_id,
        today=local_now(now, profile.timezone).date(),
        month_start_day=profile.month_start_day,
    )
    return STALE if view is None else view
