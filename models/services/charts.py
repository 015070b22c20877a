"""/chart: the data behind each chart kind, in the user's currency at the user's rates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

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
from bot.core.money import format_amount
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
from bot.core.rates import convert
from models import budgets
from models import report_queries as q
from models.services.reports import UNREADABLE, Unreadable
from models.users import Profile

EXPENSE, INCOME = "expense", "income"
KINDS = ("cat", "day", "cum", "mon")
ZERO = Decimal(0)


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


async def chart(
    *, session: AsyncSession, profile: Profile, now: datetime, kind: str, period: str
) -> Chart | Unreadable:
    """Data for one chart kind over ``period`` (a button key or words)."""
    if kind not in KINDS:
        return UNREADABLE
    today = local_now(now, profile.timezone).date()
    start = profile.month_start_day
    span = period_from_key(period, today, start) or (
        parse_period(period, today, start) if period.strip() else month_period(today, start)
    )
    if span is None:
        return UNREADABLE
    user_id, home = profile.user_id, profile.currency
    rates = await q.rates(session=session, user_id=user_id, home=home)
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
    rows = await q.category_totals(session=session, user_id=user_id, period=span)
    merged: dict[str, Decimal] = defaultdict(Decimal)
    left_out: dict[str, Decimal] = {}
    for cur, items in rows.items():
        if cur != home and cur not in rates:
            left_out[cur] = sum((amount for _, _, amount in items), ZERO)
            continue
        for name, emoji, amount in items:
            merged[f"{emoji} {name}" if emoji else name] += convert(amount, rates.get(cur), home)
    # A category whose refunds outweigh its spending is no slice: a donut has no negative wedge.
    slices = tuple(Slice(name, amount) for name, amount in sorted(merged.items()) if amount > 0)
    if not slices:
        return None
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
    sums: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    left_out: dict[str, Decimal] = defaultdict(Decimal)
    for day, cur, kind, amount in await q.daily_totals(
        session=session, user_id=user_id, period=months
    ):
        if cur != home and cur not in rates:
            if kind == EXPENSE:
                left_out[cur] += amount
            continue
        sums[(day.replace(day=1), kind)] += convert(amount, rates.get(cur), home)
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


async def _daily(
    session: AsyncSession, user_id: int, home: str, rates: dict[str, Decimal], period: Period
) -> tuple[list[Decimal], dict[str, Decimal]]:
    """Expenses per day of the period in the home currency, and what was left out unconverted."""
    days = [ZERO] * period.days
    left_out: dict[str, Decimal] = defaultdict(Decimal)
    for day, cur, amount in await q.daily_expenses(session=session, user_id=user_id, period=period):
        if cur != home and cur not in rates:
            left_out[cur] += amount
            continue
        days[(day - period.start).days] += convert(amount, rates.get(cur), home)
    return days, left_out
