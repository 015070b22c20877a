"""The aggregates reports and charts read: summed and grouped in SQL, scoped by the owner.

Amounts come back per currency, never summed across currencies; converting them is the use
case's business. Periods are half-open ``[start, end)``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import from_minor
from bot.core.periods import Period
from models.tables import Category, Rate, Transaction

EXPENSE = "expense"
UNCATEGORIZED = "Uncategorized"

# (category name, emoji, amount)
Named = tuple[str, str | None, Decimal]


def _in(period: Period) -> tuple[Any, ...]:
    return (Transaction.occurred_on >= period.start, Transaction.occurred_on < period.end)


def as_date(value: date | str) -> date:
    # Grouped expressions can come back from SQLite as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def totals(
    *, session: AsyncSession, user_id: int, period: Period
) -> dict[tuple[str, str], Decimal]:
    """``{(currency, kind): total}`` over the period."""
    rows = await session.execute(
        select(Transaction.currency, Transaction.kind, func.sum(Transaction.amount_minor))
        .where(Transaction.user_id == user_id, *_in(period))
        .group_by(Transaction.currency, Transaction.kind)
    )
    return {(cur, kind): from_minor(int(minor), cur) for cur, kind, minor in rows}


async def first_day(*, session: AsyncSession, user_id: int) -> date | None:
    """The day of the user's earliest entry (None without any)."""
    value = await session.scalar(
        select(func.min(Transaction.occurred_on)).where(Transaction.user_id == user_id)
    )
    return None if value is None else as_date(value)


async def breakdown(
    *, session: AsyncSession, user_id: int, period: Period
) -> tuple[dict[tuple[str, str], Decimal], dict[str, list[Named]]]:
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
    found: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    categories: dict[str, list[Named]] = defaultdict(list)
    for cur, kind, category_id, minor in grouped:
        amount = from_minor(int(minor), cur)
        found[(cur, kind)] += amount
        if kind == EXPENSE:
            name, emoji = names.get(category_id, (UNCATEGORIZED, None))
            categories[cur].append((name, emoji, amount))
    return dict(found), categories


async def _category_names(
    session: AsyncSession, user_id: int
) -> dict[int | None, tuple[str, str | None]]:
    rows = await session.execute(
        select(Category.id, Category.name, Category.emoji).where(Category.user_id == user_id)
    )
    return {cid: (name, emoji) for cid, name, emoji in rows}


async def category_totals(
    *, session: AsyncSession, user_id: int, period: Period
) -> dict[str, list[Named]]:
    """``{currency: [(category, emoji, spent)]}`` for expenses in the period."""
    rows = await session.execute(
        select(Transaction.currency, Transaction.category_id, func.sum(Transaction.amount_minor))
        .where(Transaction.user_id == user_id, Transaction.kind == EXPENSE, *_in(period))
        .group_by(Transaction.currency, Transaction.category_id)
    )
    grouped = rows.all()
    names = await _category_names(session, user_id)
    found: dict[str, list[Named]] = defaultdict(list)
    for cur, category_id, minor in grouped:
        name, emoji = names.get(category_id, (UNCATEGORIZED, None))
        found[cur].append((name, emoji, from_minor(int(minor), cur)))
    return found


async def biggest(
    *, session: AsyncSession, user_id: int, period: Period, currency: str
) -> tuple[Decimal, str, str, date] | None:
    """(amount, category, note, day) of the period's biggest expense in ``currency``."""
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
    return from_minor(int(minor), currency), name or UNCATEGORIZED, note, as_date(day)


async def daily_expenses(
    *, session: AsyncSession, user_id: int, period: Period
) -> list[tuple[date, str, Decimal]]:
    """(day, currency, spent) for every day of the period with expenses."""
    rows = await session.execute(
        select(Transaction.occurred_on, Transaction.currency, func.sum(Transaction.amount_minor))
        .where(Transaction.user_id == user_id, Transaction.kind == EXPENSE, *_in(period))
        .group_by(Transaction.occurred_on, Transaction.currency)
    )
    return [(as_date(day), cur, from_minor(int(minor), cur)) for day, cur, minor in rows]


async def daily_totals(
    *, session: AsyncSession, user_id: int, period: Period
) -> list[tuple[date, str, str, Decimal]]:
    """(day, currency, kind, total) for every day of the period with entries.

    Grouped by day in SQL (portable across SQLite and PostgreSQL); callers fold days into months.
    """
    rows = await session.execute(
        select(
            Transaction.occurred_on,
            Transaction.currency,
            Transaction.kind,
            func.sum(Transaction.amount_minor),
        )
        .where(Transaction.user_id == user_id, *_in(period))
        .group_by(Transaction.occurred_on, Transaction.currency, Transaction.kind)
    )
    return [
        (as_date(day), cur, kind, from_minor(int(minor), cur)) for day, cur, kind, minor in rows
    ]


# --- the user's conversion rates ---


async def rates(*, session: AsyncSession, user_id: int, home: str) -> dict[str, Decimal]:
    """The user's rates into ``home``; ones set for a previous home currency don't apply."""
    rows = await session.execute(
        select(Rate.currency, Rate.rate).where(Rate.user_id == user_id, Rate.base == home)
    )
    return {cur: Decimal(text) for cur, text in rows}


async def set_rate(
    *,
    session: AsyncSession,
    user_id: int,
    currency: str,
    base: str,
    rate: Decimal | None,
    now: datetime,
) -> None:
    """Store what one unit of ``currency`` is worth in ``base``; None removes it."""
    await session.execute(delete(Rate).where(Rate.user_id == user_id, Rate.currency == currency))
    if rate is not None:
        session.add(
            Rate(user_id=user_id, currency=currency, base=base, rate=str(rate), updated_at=now)
        )
        await session.flush()
