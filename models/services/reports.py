"""/report and /rate: a period's totals, top categories, budgets and change, as plain values.

Aggregates come from ``models.report_queries`` (summed in SQL); amounts stay per currency and a
foreign currency joins the user's own only through a rate the user set with /rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import is_currency
from bot.core.periods import Period, label, local_now, month_period, parse_period, previous
from bot.core.rates import RateError, convert, parse_rate
from models import budgets
from models import report_queries as q
from models.budgets import BudgetView
from models.users import Profile

EXPENSE, INCOME = "expense", "income"
TOP_CATEGORIES = 5
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """The period words couldn't be read."""


UNREADABLE = Unreadable()


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
    """A budget whose current period is the reported one, or lies in a report of the present
    (a weekly budget in this month's report)."""

    name: str
    spent: Decimal
    limit: Decimal
    currency: str
    weekly: bool = False

    @property
    def over(self) -> bool:
        return self.spent > self.limit


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    label: str
    compared_with: str  # the span of the previous period the change is measured against
    days: int  # days of the period so far that have data, for the average per day
    currencies: tuple[CurrencyReport, ...]  # the user's currency first
    converted: Converted | None
    missing_rates: tuple[str, ...]
    budgets: tuple[BudgetLine, ...] = ()

    @property
    def empty(self) -> bool:
        return all(c.income == 0 and c.expenses == 0 for c in self.currencies)


@dataclass(frozen=True, slots=True)
class RateSet:
    currency: str
    base: str
    rate: Decimal | None  # None: removed


@dataclass(frozen=True, slots=True)
class RateList:
    base: str
    rates: tuple[tuple[str, Decimal], ...]


# --- /report ---


async def report(
    *, session: AsyncSession, profile: Profile, now: datetime, words: str
) -> Report | Unreadable:
    """The summary for the period ``words`` names (this month when empty)."""
    today = local_now(now, profile.timezone).date()
    start = profile.month_start_day
    period = parse_period(words, today, start) if words.strip() else month_period(today, start)
    if period is None:
        return UNREADABLE
    return await report_for(session=session, profile=profile, now=now, period=period)


async def report_for(
    *, session: AsyncSession, profile: Profile, now: datetime, period: Period
) -> Report:
    """The summary of one period (half-open): totals, change, top categories, budgets."""
    today = local_now(now, profile.timezone).date()
    start = profile.month_start_day
    user_id, home = profile.user_id, profile.currency
    before = previous(period, start)
    if today in period:
        # Mid-period, compare with the same number of days of the previous period.
        so_far = (today - period.start).days + 1
        compared = Period(before.start, min(before.end, before.start + timedelta(days=so_far)))
    else:
        compared = before  # a period that is over compares with the whole one before
    # The average runs over the days that have data: a year that started in November is
    # not spread over 335 days.
    first = await q.first_day(session=session, user_id=user_id)
    span_start = max(period.start, first) if first is not None else period.start
    days = max(0, (min(period.end, today + timedelta(days=1)) - span_start).days)
    totals, categories = await q.breakdown(session=session, user_id=user_id, period=period)
    earlier = await q.totals(session=session, user_id=user_id, period=compared)
    currencies = sorted({cur for cur, _ in totals} | {home}, key=lambda c: (c != home, c))
    reports = []
    for cur in currencies:
        expenses = totals.get((cur, EXPENSE), ZERO)
        # a category whose refunds outweigh its spending has none to rank
        spent = [c for c in categories.get(cur, []) if c[2] > 0]
        ranked = sorted(spent, key=lambda c: (-c[2], c[0]))[:TOP_CATEGORIES]
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
    rates = await q.rates(session=session, user_id=user_id, home=home)
    converted, missing = _convert_all(reports, home, rates)
    views = await budgets.budget_views(
        session=session, user_id=user_id, today=today, month_start_day=start
    )
    return Report(
        period,
        label(period),
        _compared_label(compared, today),
        days,
        tuple(reports),
        converted,
        missing,
        _budget_lines(views, period, today),
    )


def _budget_lines(views: list[BudgetView], period: Period, today: date) -> tuple[BudgetLine, ...]:
    """The budgets of the reported period, the ones that are over first."""
    lines = [
        BudgetLine(
            v.name, v.status.spent, v.status.limit, v.status.currency, v.frequency == "weekly"
        )
        for v in views
        if v.status.period == period
        or (
            today in period
            and v.status.period.start < period.end
            and period.start < v.status.period.end
        )
    ]
    return tuple(sorted(lines, key=lambda b: not b.over))


def _compared_label(compared: Period, today: date) -> str:
    if compared.days == 1 and compared.start == today - timedelta(days=1):
        return "yesterday"
    return label(compared)


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


async def _biggest(
    session: AsyncSession, user_id: int, period: Period, currency: str
) -> Biggest | None:
    found = await q.biggest(session=session, user_id=user_id, period=period, currency=currency)
    return Biggest(*found) if found else None


# --- /rate ---


async def set_rate(
    *, session: AsyncSession, profile: Profile, now: datetime, code: str, value: str
) -> RateSet:
    """Set (or with ``off`` remove) what one unit of ``code`` is worth in the user's currency."""
    currency = code.upper()
    if len(currency) != 3 or not currency.isalpha() or not is_currency(currency):
        raise RateError(f"I don't know the currency {code[:10]!r}.")
    if currency == profile.currency:
        raise RateError(f"{currency} is already your currency; it needs no rate.")
    rate = None if value.lower() in {"off", "none", "remove", "delete"} else parse_rate(value)
    await q.set_rate(
        session=session,
        user_id=profile.user_id,
        currency=currency,
        base=profile.currency,
        rate=rate,
        now=now,
    )
    return RateSet(currency, profile.currency, rate)


async def list_rates(*, session: AsyncSession, profile: Profile, now: datetime) -> RateList:
    rates = await q.rates(session=session, user_id=profile.user_id, home=profile.currency)
    return RateList(profile.currency, tuple(sorted(rates.items())))
