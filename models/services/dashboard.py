"""Use cases for the dashboard: the period at a glance, the transactions list, edits, charts.

Session keyword-only, the caller's profile, plain values out, like every use case; the web
routes call them once per request. Where the chat already has a use case for an edit (moving an
entry to another category, deleting one, setting a budget's limit) the dashboard calls that
one, so both behave the same. Periods are half-open ``[start, end)``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.exporting import ExportRow
from bot.core.money import AmountError, D, check_amount
from bot.core.outlook import daily_allowance, days_left, projected_spend
from bot.core.periods import (
    MAX_YEAR,
    MIN_YEAR,
    Period,
    label,
    local_now,
    month_period,
    parse_period,
    period_from_key,
    period_key,
)
from bot.core.rates import convert
from models import budgets
from models import dashboard_queries as dq
from models import report_queries as q
from models import transactions as tx
from models.budgets import BudgetView
from models.categories import CategoryInfo
from models.dashboard_queries import Cursor, TransactionFilter
from models.services import entries as entry_services
from models.services import goals as goal_cases
from models.services import history as history_services
from models.services.goals import GoalLine
from models.services.results import STALE, Rejected, Stale
from models.transactions import Entry, NewEntry
from models.users import Profile

EXPENSE, INCOME = "expense", "income"
ZERO = Decimal(0)
PAGE_SIZE = 50
TOP_CATEGORIES = 5
# A note longer than this is not a note; the chat never stores one this long either.
MAX_NOTE = 500
ALL_TIME = "all"
NOT_YOUR_CATEGORY = "That category isn't one of yours for this kind of entry."


@dataclass(frozen=True, slots=True)
class Unreadable:
    """The period asked for can't be read."""


UNREADABLE = Unreadable()


@dataclass(frozen=True, slots=True)
class CategorySpend:
    category_id: int | None
    label: str
    amount: Decimal
    share: Decimal  # of the period's expenses, 0..1


@dataclass(frozen=True, slots=True)
class SafeDaily:
    """What can be spent per day for the rest of the period without going over ``basis``."""

    amount: Decimal
    days: int
    basis: str  # "budget" (the overall limit) or "income" (this period's income)


@dataclass(frozen=True, slots=True)
class Summary:
    """The period at a glance, in the user's currency; other currencies are listed apart."""

    period: Period
    label: str
    key: str
    currency: str
    income: Decimal
    expenses: Decimal
    today: date
    budgets: tuple[BudgetView, ...]
    safe_daily: SafeDaily | None
    projection: Decimal | None  # the period's expenses at the pace so far; None once over
    top: tuple[CategorySpend, ...]
    # currency -> (income, expenses) for every other currency with entries in the period
    others: dict[str, tuple[Decimal, Decimal]]
    # Savings goals, as /goal lists them (saving toward them is done in the chat).
    goals: tuple[GoalLine, ...] = ()

    @property
    def net(self) -> Decimal:
        return self.income - self.expenses


@dataclass(frozen=True, slots=True)
class TransactionPage:
    entries: tuple[Entry, ...]
    filters: TransactionFilter
    period_key: str  # what the filter form shows selected ("all" for all time)
    period_label: str
    count: int  # matching transactions in all pages
    sums: dict[tuple[str, str], Decimal]  # (currency, kind) -> total of the matches
    next_cursor: Cursor | None
    categories: tuple[CategoryInfo, ...]  # every category, for the filter and the edit form
    today: date
    currency: str


@dataclass(frozen=True, slots=True)
class Edited:
    entry: Entry


@dataclass(frozen=True, slots=True)
class Charts:
    period: Period
    label: str
    key: str
    currency: str
    categories: tuple[CategorySpend, ...]
    days: tuple[tuple[date, Decimal], ...]  # every day of the period, in the user's currency
    left_out: dict[str, Decimal]  # expenses in currencies with no rate set


def resolve_period(words: str, today: date, month_start: int) -> Period | None:
    """A button key (``m0``, ``r20261101-20261130``), period words, or this month when empty."""
    text = words.strip()
    if not text or text == "month":
        return month_period(today, month_start)
    return period_from_key(text, today, month_start) or parse_period(text, today, month_start)


# --- the period at a glance ---


async def summary(
    *, session: AsyncSession, profile: Profile, now: datetime, period: str = ""
) -> Summary | Unreadable:
    """Income, expenses and net for the period, its budgets, the safe daily spend and pace."""
    today = local_now(now, profile.timezone).date()
    start, home = profile.month_start_day, profile.currency
    span = resolve_period(period, today, start)
    if span is None:
        return UNREADABLE
    rows = await dq.period_breakdown(session=session, user_id=profile.user_id, period=span)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for cur, kind, _, amount in rows:
        totals[(cur, kind)] += amount
    income, expenses = totals.get((home, INCOME), ZERO), totals.get((home, EXPENSE), ZERO)
    others: dict[str, tuple[Decimal, Decimal]] = {}
    for cur in sorted({cur for cur, _ in totals} - {home}):
        others[cur] = (totals.get((cur, INCOME), ZERO), totals.get((cur, EXPENSE), ZERO))
    spent = [(cid, amount) for cur, kind, cid, amount in rows if cur == home and kind == EXPENSE]
    top = _ranked(await _labels(session, profile), spent)[:TOP_CATEGORIES]
    views = tuple(
        await budgets.budget_views(
            session=session, user_id=profile.user_id, today=today, month_start_day=start
        )
    )
    return Summary(
        span,
        label(span),
        period_key(span, today, start),
        home,
        income,
        expenses,
        today,
        views,
        _safe_daily(views, span, today, home, income, expenses),
        projected_spend(expenses, span, today, home),
        top,
        others,
        tuple((await goal_cases.overview(session=session, profile=profile, now=now)).lines),
    )


def _safe_daily(
    views: tuple[BudgetView, ...],
    span: Period,
    today: date,
    home: str,
    income: Decimal,
    expenses: Decimal,
) -> SafeDaily | None:
    """From the overall budget when it covers this period, else from the period's income."""
    if today not in span:
        return None
    left_days = days_left(span, today)
    for view in views:
        status = view.status
        if view.category is None and status.period == span and status.currency == home:
            return SafeDaily(status.safe_daily, status.days_left, "budget")
    if income > 0:
        return SafeDaily(daily_allowance(income - expenses, left_days, home), left_days, "income")
    return None


async def _labels(session: AsyncSession, profile: Profile) -> dict[int | None, str]:
    found: dict[int | None, str] = {None: q.UNCATEGORIZED}
    for cid, info in (await dq.category_labels(session=session, user_id=profile.user_id)).items():
        found[cid] = info.label
    return found


def _ranked(
    labels: dict[int | None, str], spent: list[tuple[int | None, Decimal]]
) -> tuple[CategorySpend, ...]:
    merged: dict[int | None, Decimal] = defaultdict(Decimal)
    for cid, amount in spent:
        merged[cid if cid in labels else None] += amount
    total = sum(merged.values(), ZERO)
    ranked = sorted(merged.items(), key=lambda item: (-item[1], labels[item[0]]))
    return tuple(
        CategorySpend(cid, labels[cid], amount, amount / total if total else ZERO)
        for cid, amount in ranked
        if amount
    )


# --- the transactions list ---


async def transactions(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    period: str = "",
    category_id: int | None = None,
    kind: str | None = None,
    text: str = "",
    after: Cursor | None = None,
    limit: int = PAGE_SIZE,
) -> TransactionPage | Unreadable:
    """One page of the user's transactions matching the filters, newest first."""
    today = local_now(now, profile.timezone).date()
    start = profile.month_start_day
    span = None if period == ALL_TIME else resolve_period(period, today, start)
    if span is None and period != ALL_TIME:
        return UNREADABLE
    filters = TransactionFilter(
        span, category_id, kind if kind in (EXPENSE, INCOME) else None, _printable(text).strip()
    )
    rows = await dq.find_entries(
        session=session, user_id=profile.user_id, filters=filters, after=after, limit=limit + 1
    )
    count, sums = await dq.matching_totals(
        session=session, user_id=profile.user_id, filters=filters
    )
    shown = rows[:limit]
    more = len(rows) > limit and shown
    every = list((await dq.category_labels(session=session, user_id=profile.user_id)).values())
    return TransactionPage(
        tuple(shown),
        filters,
        ALL_TIME if span is None else period_key(span, today, start),
        "All time" if span is None else label(span),
        count,
        sums,
        (shown[-1].occurred_on, shown[-1].id) if more else None,
        tuple(every),
        today,
        profile.currency,
    )


# --- edits ---


async def edit_entry(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    tx_id: int,
    amount: str | None = None,
    note: str | None = None,
    occurred_on: str | None = None,
    category_id: int | None = None,
) -> Edited | Stale | Rejected:
    """Change one transaction's amount, note, date or category; unset fields stay as they are.

    A new category goes through the chat's own "Change category" use case. Nothing is stored
    when any field is wrong.
    """
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None:
        return STALE
    changed = _changed_values(entry, amount, note, occurred_on)
    if isinstance(changed, Rejected):
        return changed
    if category_id is not None and (entry.category is None or category_id != entry.category.id):
        moved = await entry_services.change_category(
            session=session, profile=profile, now=now, tx_id=tx_id, category_id=category_id
        )
        if isinstance(moved, Stale):
            return Rejected(NOT_YOUR_CATEGORY)
        entry = moved.entries[0]
    if changed != _values(entry):
        await tx.update_entry(
            session=session,
            user_id=profile.user_id,
            tx_id=tx_id,
            entry=replace(changed, category_id=entry.category.id if entry.category else None),
        )
    stored = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    return Edited(stored) if stored is not None else STALE


def _printable(text: str) -> str:
    """``text`` without control characters: nobody types them, and PostgreSQL refuses NUL."""
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc")


def _values(entry: Entry) -> NewEntry:
    category_id = entry.category.id if entry.category else None
    return NewEntry(
        entry.kind,
        entry.amount,
        entry.currency,
        category_id,
        entry.note,
        entry.occurred_on,
        entry.unsorted,  # a new note or date doesn't sort it; a new category does
    )


def _changed_values(
    entry: Entry, amount: str | None, note: str | None, occurred_on: str | None
) -> NewEntry | Rejected:
    values = _values(entry)
    if amount is not None:
        try:
            parsed = check_amount(D(amount.strip().replace(",", "")), entry.currency)
            # a refund is a negative expense: its new amount is given back too
            values = replace(values, amount=-parsed if entry.refund else parsed)
        except AmountError as exc:
            return Rejected(str(exc) if exc.args else AmountError.message)
    if note is not None:
        cleaned = " ".join(_printable(note).split())
        if len(cleaned) > MAX_NOTE:
            return Rejected(f"A note can be at most {MAX_NOTE} characters.")
        values = replace(values, note=cleaned)
    if occurred_on is not None:
        try:
            day = date.fromisoformat(occurred_on.strip())
        except ValueError:
            return Rejected("Give the date as YYYY-MM-DD.")
        if not MIN_YEAR <= day.year < MAX_YEAR:
            return Rejected("That date is too far from today to be right.")
        values = replace(values, occurred_on=day)
    return values


async def delete_entry(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> Entry | Stale:
    """Delete one transaction, as the chat's /history delete button does."""
    result = await history_services.delete_from_history(
        session=session, profile=profile, now=now, tx_id=tx_id
    )
    if isinstance(result, Stale) or result.removed is None:
        return STALE
    return result.removed


# --- charts ---


async def charts(
    *, session: AsyncSession, profile: Profile, now: datetime, period: str = ""
) -> Charts | Unreadable:
    """Expenses by category and by day, in the user's currency at the user's /rate rates."""
    today = local_now(now, profile.timezone).date()
    start, home, user_id = profile.month_start_day, profile.currency, profile.user_id
    span = resolve_period(period, today, start)
    if span is None:
        return UNREADABLE
    rates = await q.rates(session=session, user_id=user_id, home=home)
    left_out: dict[str, Decimal] = defaultdict(Decimal)
    spent: list[tuple[int | None, Decimal]] = []
    for cur, cid, amount in await dq.expenses_by_category(
        session=session, user_id=user_id, period=span
    ):
        if cur != home and cur not in rates:
            left_out[cur] += amount
            continue
        spent.append((cid, convert(amount, rates.get(cur), home)))
    days = [ZERO] * span.days
    for day, cur, amount in await q.daily_expenses(session=session, user_id=user_id, period=span):
        if cur == home or cur in rates:
            days[(day - span.start).days] += convert(amount, rates.get(cur), home)
    return Charts(
        span,
        label(span),
        period_key(span, today, start),
        home,
        _ranked(await _labels(session, profile), spent),
        tuple((span.start + timedelta(days=i), d) for i, d in enumerate(days)),
        dict(left_out),
    )


# --- export ---


@dataclass(frozen=True, slots=True)
class ExportRows:
    rows: list[ExportRow]
    label: str
    filename: str


async def export(
    *, session: AsyncSession, profile: Profile, now: datetime, period: str = ALL_TIME
) -> ExportRows | Unreadable:
    """The period's transactions (every one for ``all``) in the chat's /export format."""
    today = local_now(now, profile.timezone).date()
    span = None if period == ALL_TIME else resolve_period(period, today, profile.month_start_day)
    if span is None and period != ALL_TIME:
        return UNREADABLE
    rows = await tx.export_rows(session=session, user_id=profile.user_id, period=span)
    if span is None:
        return ExportRows(rows, "All your transactions", f"penny-export-{today.isoformat()}.csv")
    last = span.end - timedelta(days=1)
    slug = f"{span.start:%Y%m%d}-{last:%Y%m%d}"
    return ExportRows(rows, label(span), f"penny-export-{slug}-{today.isoformat()}.csv")
