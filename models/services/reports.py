"""Reports and chart data: aggregates summed in the database, handed out as plain values.

Every query is scoped by the user and grouped in SQL (GROUP BY); no function loads a user's
rows one by one. Amounts are totalled per currency and never summed across currencies; a
foreign currency joins the user's own only through a rate the user set with /rate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.chartdata import (
    CategoryChart,
    ChartData,
    CumulativeChart,
    DailyChart,
    MonthlyChart,
    MonthTotals,
    Slice,
)
from bot.core.money import exponent, format_amount, from_minor, is_currency
from bot.core.periods import (
    Period,
    label,
    local_now,
    month_of,
    month_period,
    parse_period,
    period_from_key,
    period_key,
    previous,
    shift_months,
)
from models import budgets
from models.tables import Category, Rate, Transaction
from models.users import Actor, ensure_user

EXPENSE, INCOME = "expense", "income"
UNCATEGORIZED = "Uncategorized"
TOP_CATEGORIES = 5
KINDS = ("cat", "day", "cum", "mon")
# Largest rate /rate accepts, and its decimals: enough for any real currency pair.
MAX_RATE = Decimal(10) ** 9
RATE_PLACES = 10
ZERO = Decimal(0)


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryTotal:
    name: str
    emoji: str | None
    amount: Decimal
    share: Decimal  # of the currency's expenses, 0..1

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}" if self.emoji else self.name


@dataclass(frozen=True, slots=True)
class Biggest:
    amount: Decimal
    category: str
    note: str
    day: date


@dataclass(frozen=True, slots=True)
class CurrencyReport:
    """One currency's figures; ``previous_expenses`` covers the same span of the period before."""

    currency: str
    income: Decimal
    expenses: Decimal
    previous_expenses: Decimal
    top: tuple[CategoryTotal, ...]
    biggest: Biggest | None

    @property
    def net(self) -> Decimal:
        return self.income - self.expenses


@dataclass(frozen=True, slots=True)
class Converted:
    """Every currency in the user's own, at the user's rates."""

    currency: str
    income: Decimal
    expenses: Decimal
    rates: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """A budget whose current period is the reported one."""

    name: str
    spent: Decimal
    limit: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    label: str
    compared_with: str  # the span of the previous period the change is measured against
    days: int  # days of the period so far, for the average per day
    currencies: tuple[CurrencyReport, ...]  # the user's currency first
    converted: Converted | None
    missing_rates: tuple[str, ...]
    budgets: tuple[BudgetLine, ...] = ()

    @property
    def empty(self) -> bool:
        return all(c.income == 0 and c.expenses == 0 for c in self.currencies)


@dataclass(frozen=True, slots=True)
class Chart:
    """What /chart draws: the kind, the period as a button key, and the data (None: nothing)."""

    kind: str
    key: str
    label: str
    data: ChartData | None
    today: date
    period: Period
    month_start: int = 1  # the day the user's months start on, for the period buttons


@dataclass(frozen=True, slots=True)
class RateSet:
    currency: str
    base: str
    rate: Decimal | None  # None: removed


@dataclass(frozen=True, slots=True)
class RateList:
    base: str
    rates: tuple[tuple[str, Decimal], ...]


class RateError(ValueError):
    """That rate doesn't look right."""


# --- /report ------------------------------------------------------------------------------


async def report(
    *, session: AsyncSession, actor: Actor, words: str, now: datetime
) -> Report | None:
    """The summary for the period ``words`` names (this month when empty); None if unreadable."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    today = local_now(now, profile.timezone).date()
    start = profile.month_start_day
    period = parse_period(words, today, start) if words.strip() else month_period(today, start)
    if period is None:
        return None
    user_id, home = profile.user_id, profile.currency
    days = max(1, min(period.days, (today - period.start).days + 1))
    before = previous(period, start)
    # Mid-period, compare with the same number of days of the previous period.
    compared = Period(before.start, min(before.end, before.start + timedelta(days=days)))
    totals, categories = await _breakdown(session, user_id, period)
    earlier = await _totals(session, user_id, compared)
    currencies = sorted({cur for cur, _ in totals} | {home}, key=lambda c: (c != home, c))
    reports = []
    for cur in currencies:
        expenses = totals.get((cur, EXPENSE), ZERO)
        ranked = sorted(categories.get(cur, []), key=lambda c: (-c[2], c[0]))[:TOP_CATEGORIES]
        top = tuple(
            CategoryTotal(name, emoji, amount, amount / expenses if expenses else ZERO)
            for name, emoji, amount in ranked
        )
        reports.append(
            CurrencyReport(
                cur,
                totals.get((cur, INCOME), ZERO),
                expenses,
                earlier.get((cur, EXPENSE), ZERO),
                top,
                await _biggest(session, user_id, period, cur) if expenses else None,
            )
        )
    rates = await _rates(session, user_id, home)
    converted, missing = _convert_all(reports, home, rates)
    views = await budgets.budget_views(
        session=session, user_id=user_id, today=today, month_start_day=start
    )
    return Report(
        period,
        label(period),
        label(compared),
        days if today in period else period.days,
        tuple(reports),
        converted,
        missing,
        tuple(
            BudgetLine(v.name, v.status.spent, v.status.limit, v.status.currency)
            for v in views
            if v.status.period == period
        ),
    )


def _convert_all(
    reports: list[CurrencyReport], home: str, rates: dict[str, Decimal]
) -> tuple[Converted | None, tuple[str, ...]]:
    foreign = [r for r in reports if r.currency != home and (r.income or r.expenses)]
    if not foreign:
        return None, ()
    missing = tuple(r.currency for r in foreign if r.currency not in rates)
    if missing:
        return None, missing
    income = sum((convert(r.income, rates.get(r.currency), home) for r in reports), ZERO)
    expenses = sum((convert(r.expenses, rates.get(r.currency), home) for r in reports), ZERO)
    used = tuple((r.currency, rates[r.currency]) for r in foreign)
    return Converted(home, income, expenses, used), ()


def convert(amount: Decimal, rate: Decimal | None, home: str) -> Decimal:
    """``amount`` in the home currency at ``rate`` (None: it already is), rounded to its cents."""
    if rate is None:
        return amount
    quantum = Decimal(1).scaleb(-exponent(home))
    return (amount * rate).quantize(quantum, rounding=ROUND_HALF_EVEN)


# --- /chart -------------------------------------------------------------------------------


async def chart(
    *, session: AsyncSession, actor: Actor, kind: str, period: str, now: datetime
) -> Chart | None:
    """Data for one chart kind over ``period`` (a button key or words); None if unreadable."""
    if kind not in KINDS:
        return None
    profile = await ensure_user(session=session, actor=actor, now=now)
    today = local_now(now, profile.timezone).date()
    start = profile.month_start_day
    span = period_from_key(period, today, start) or (
        parse_period(period, today, start) if period.strip() else month_period(today, start)
    )
    if span is None:
        return None
    user_id, home = profile.user_id, profile.currency
    rates = await _rates(session, user_id, home)
    data: ChartData | None
    if kind == "cat":
        data = await _category_chart(session, user_id, home, rates, span)
    elif kind == "mon":
        data = await _monthly_chart(session, user_id, home, rates, span)
    else:
        limit = await _overall_limit(session, user_id, today, start, span, home)
        if kind == "day":
            data = await _daily_chart(session, user_id, home, rates, span, today, limit)
        else:
            data = await _cumulative_chart(session, user_id, home, rates, span, today, limit, start)
    return Chart(kind, period_key(span, today, start), label(span), data, today, span, start)


async def _overall_limit(
    session: AsyncSession, user_id: int, today: date, month_start: int, span: Period, home: str
) -> Decimal | None:
    """The overall budget's limit when its current period is the one charted, in ``home``."""
    views = await budgets.budget_views(
        session=session,
        user_id=user_id,
        today=today,
        month_start_day=month_start,
        category_ids={None},
    )
    for view in views:
        if view.category is None and view.status.period == span and view.status.currency == home:
            return view.status.limit
    return None


async def _category_chart(
    session: AsyncSession, user_id: int, home: str, rates: dict[str, Decimal], span: Period
) -> CategoryChart | None:
    rows = await _category_totals(session, user_id, span)
    merged: dict[str, Decimal] = defaultdict(Decimal)
    left_out: dict[str, Decimal] = {}
    for cur, items in rows.items():
        if cur != home and cur not in rates:
            left_out[cur] = sum((amount for _, _, amount in items), ZERO)
            continue
        for name, emoji, amount in items:
            merged[f"{emoji} {name}" if emoji else name] += convert(amount, rates.get(cur), home)
    if not merged:
        return None
    slices = tuple(Slice(name, amount) for name, amount in sorted(merged.items()))
    return CategoryChart(label(span), home, slices, _note(left_out, rates, home))


async def _daily_chart(
    session: AsyncSession,
    user_id: int,
    home: str,
    rates: dict[str, Decimal],
    span: Period,
    today: date,
    limit: Decimal | None,
) -> DailyChart | None:
    days, left_out = await _daily(session, user_id, home, rates, span)
    if not any(days):
        return None
    return DailyChart(
        label(span),
        home,
        span.start,
        tuple(days),
        today=today if today in span else None,
        daily_budget=(limit / span.days).quantize(Decimal("0.01")) if limit else None,
        note=_note(left_out, rates, home),
    )


async def _cumulative_chart(
    session: AsyncSession,
    user_id: int,
    home: str,
    rates: dict[str, Decimal],
    span: Period,
    today: date,
    limit: Decimal | None,
    month_start: int,
) -> CumulativeChart | None:
    before = previous(span, month_start)
    days, left_out = await _daily(session, user_id, home, rates, span)
    earlier, _ = await _daily(session, user_id, home, rates, before)
    if not any(days) and not any(earlier):
        return None
    if today in span:
        days = days[: (today - span.start).days + 1]
    return CumulativeChart(
        label(span),
        home,
        span.start,
        span.days,
        tuple(days),
        label(before),
        tuple(earlier),
        budget=limit,
        note=_note(left_out, rates, home),
    )


async def _monthly_chart(
    session: AsyncSession, user_id: int, home: str, rates: dict[str, Decimal], span: Period
) -> MonthlyChart | None:
    """Months of the period when it spans several, else the 12 months ending with its month."""
    last = month_of(span.end - timedelta(days=1))
    first = month_of(span.start)
    if first == last:
        first = month_of(shift_months(last.start, -11))
    first = month_of(max(first.start, shift_months(last.start, -23)))
    months = Period(first.start, last.end)
    query = (
        select(
            Transaction.occurred_on,
            Transaction.currency,
            Transaction.kind,
            func.sum(Transaction.amount_minor),
        )
        .where(
            Transaction.user_id == user_id,
            Transaction.occurred_on >= months.start,
            Transaction.occurred_on < months.end,
        )
        .group_by(Transaction.occurred_on, Transaction.currency, Transaction.kind)
    )
    sums: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    left_out: dict[str, Decimal] = defaultdict(Decimal)
    # Grouped by day in SQL (portable across SQLite and PostgreSQL), folded into months here.
    for day, cur, kind, minor in await session.execute(query):
        amount = from_minor(int(minor), cur)
        if cur != home and cur not in rates:
            if kind == EXPENSE:
                left_out[cur] += amount
            continue
        sums[(_as_date(day).replace(day=1), kind)] += convert(amount, rates.get(cur), home)
    if not sums:
        return None
    starts: list[date] = []
    cursor = months.start
    while cursor < months.end:
        starts.append(cursor)
        cursor = shift_months(cursor, 1)
    totals = tuple(
        MonthTotals(m, sums.get((m, INCOME), ZERO), sums.get((m, EXPENSE), ZERO)) for m in starts
    )
    return MonthlyChart(label(months), home, totals, _note(left_out, rates, home))


def _note(left_out: dict[str, Decimal], rates: dict[str, Decimal], home: str) -> str:
    if not left_out:
        return ""
    amounts = ", ".join(format_amount(v, c) for c, v in sorted(left_out.items()))
    code = sorted(left_out)[0]
    return f"Not included: {amounts} (no rate; set one with /rate {code} <{home} per {code}>)"


# --- /rate --------------------------------------------------------------------------------


async def set_rate(
    *, session: AsyncSession, actor: Actor, code: str, value: str, now: datetime
) -> RateSet:
    """Set (or with ``off`` remove) what one unit of ``code`` is worth in the user's currency."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    currency = code.upper()
    if len(currency) != 3 or not currency.isalpha() or not is_currency(currency):
        raise RateError(f"I don't know the currency {code[:10]!r}.")
    if currency == profile.currency:
        raise RateError(f"{currency} is already your currency; it needs no rate.")
    where = (Rate.user_id == profile.user_id, Rate.currency == currency)
    if value.lower() in {"off", "none", "remove", "delete"}:
        await session.execute(delete(Rate).where(*where))
        return RateSet(currency, profile.currency, None)
    rate = parse_rate(value)
    await session.execute(delete(Rate).where(*where))
    session.add(
        Rate(
            user_id=profile.user_id,
            currency=currency,
            base=profile.currency,
            rate=str(rate),
            updated_at=now,
        )
    )
    await session.flush()
    return RateSet(currency, profile.currency, rate)


async def list_rates(*, session: AsyncSession, actor: Actor, now: datetime) -> RateList:
    profile = await ensure_user(session=session, actor=actor, now=now)
    rates = await _rates(session, profile.user_id, profile.currency)
    return RateList(profile.currency, tuple(sorted(rates.items())))


def parse_rate(text: str) -> Decimal:
    """A positive decimal rate like ``1.08`` or ``0,0092``; RateError otherwise."""
    try:
        rate = Decimal(text.replace(",", ".").strip())
    except (InvalidOperation, ValueError) as exc:
        raise RateError(f"{text[:20]!r} isn't a number.") from exc
    if not rate.is_finite() or rate <= 0 or rate > MAX_RATE:
        raise RateError("A rate has to be a positive number.")
    if -rate.as_tuple().exponent > RATE_PLACES:  # type: ignore[operator]
        raise RateError(f"A rate can have at most {RATE_PLACES} decimal places.")
    return rate


# --- queries ------------------------------------------------------------------------------


def _in(period: Period) -> tuple[Any, ...]:
    return (Transaction.occurred_on >= period.start, Transaction.occurred_on < period.end)


async def _totals(
    session: AsyncSession, user_id: int, period: Period
) -> dict[tuple[str, str], Decimal]:
    rows = await session.execute(
        select(Transaction.currency, Transaction.kind, func.sum(Transaction.amount_minor))
        .where(Transaction.user_id == user_id, *_in(period))
        .group_by(Transaction.currency, Transaction.kind)
    )
    return {(cur, kind): from_minor(int(minor), cur) for cur, kind, minor in rows}


async def _breakdown(
    session: AsyncSession, user_id: int, period: Period
) -> tuple[dict[tuple[str, str], Decimal], dict[str, list[tuple[str, str | None, Decimal]]]]:
    """Totals per (currency, kind) and expenses per currency and category, in one query."""
    rows = await session.execute(
        select(
            Transaction.currency,
            Transaction.kind,
            Transaction.category_id,
            func.sum(Transaction.amount_minor),
        )
        .where(Transaction.user_id == user_id, *_in(period))
        .group_by(Transaction.currency, Transaction.kind, Transaction.category_id)
    )
    grouped = rows.all()
    names = await _category_names(session, user_id)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    categories: dict[str, list[tuple[str, str | None, Decimal]]] = defaultdict(list)
    for cur, kind, category_id, minor in grouped:
        amount = from_minor(int(minor), cur)
        totals[(cur, kind)] += amount
        if kind == EXPENSE:
            name, emoji = names.get(category_id, (UNCATEGORIZED, None))
            categories[cur].append((name, emoji, amount))
    return dict(totals), categories


async def _category_names(
    session: AsyncSession, user_id: int
) -> dict[int | None, tuple[str, str | None]]:
    rows = await session.execute(
        select(Category.id, Category.name, Category.emoji).where(Category.user_id == user_id)
    )
    return {cid: (name, emoji) for cid, name, emoji in rows}


async def _category_totals(
    session: AsyncSession, user_id: int, period: Period
) -> dict[str, list[tuple[str, str | None, Decimal]]]:
    """``{currency: [(category, emoji, spent)]}`` for expenses in the period."""
    rows = await session.execute(
        select(Transaction.currency, Transaction.category_id, func.sum(Transaction.amount_minor))
        .where(Transaction.user_id == user_id, Transaction.kind == EXPENSE, *_in(period))
        .group_by(Transaction.currency, Transaction.category_id)
    )
    grouped = rows.all()
    names = await _category_names(session, user_id)
    found: dict[str, list[tuple[str, str | None, Decimal]]] = defaultdict(list)
    for cur, category_id, minor in grouped:
        name, emoji = names.get(category_id, (UNCATEGORIZED, None))
        found[cur].append((name, emoji, from_minor(int(minor), cur)))
    return found


async def _biggest(
    session: AsyncSession, user_id: int, period: Period, currency: str
) -> Biggest | None:
    row = (
        await session.execute(
            select(
                Transaction.amount_minor, Category.name, Transaction.note, Transaction.occurred_on
            )
            .outerjoin(Category, Category.id == Transaction.category_id)
            .where(
                Transaction.user_id == user_id,
                Transaction.kind == EXPENSE,
                Transaction.currency == currency,
                *_in(period),
            )
            .order_by(Transaction.amount_minor.desc(), Transaction.id)
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    minor, name, note, day = row
    return Biggest(from_minor(int(minor), currency), name or UNCATEGORIZED, note, _as_date(day))


async def _daily(
    session: AsyncSession, user_id: int, home: str, rates: dict[str, Decimal], period: Period
) -> tuple[list[Decimal], dict[str, Decimal]]:
    """Expenses per day of the period in the home currency, and what was left out unconverted."""
    rows = await session.execute(
        select(Transaction.occurred_on, Transaction.currency, func.sum(Transaction.amount_minor))
        .where(Transaction.user_id == user_id, Transaction.kind == EXPENSE, *_in(period))
        .group_by(Transaction.occurred_on, Transaction.currency)
    )
    days = [ZERO] * period.days
    left_out: dict[str, Decimal] = defaultdict(Decimal)
    for day, cur, minor in rows:
        amount = from_minor(int(minor), cur)
        if cur != home and cur not in rates:
            left_out[cur] += amount
            continue
        days[(_as_date(day) - period.start).days] += convert(amount, rates.get(cur), home)
    return days, left_out


async def _rates(session: AsyncSession, user_id: int, home: str) -> dict[str, Decimal]:
    """The user's rates into ``home``; ones set for a previous home currency don't apply."""
    rows = await session.execute(
        select(Rate.currency, Rate.rate).where(Rate.user_id == user_id, Rate.base == home)
    )
    return {cur: Decimal(text) for cur, text in rows}


def _as_date(value: date | str) -> date:
    # Grouped expressions can come back from SQLite as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))
