"""Totals and exports over a user's transactions: what reports, receipts and /export read.

Part of the transactions repository (``models.transactions`` re-exports every name), kept
apart because these only read and sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.exporting import ExportRow
from bot.core.money import from_minor
from bot.core.periods import Period
from bot.core.schedules import as_utc
from models.households import member_label
from models.tables import Category, Member, Transaction, User


async def category_total(
    *, session: AsyncSession, user_id: int, category_id: int, currency: str, period: Period
) -> Decimal:
    """What one category adds up to in one currency over a period."""
    minor = await session.scalar(
        select(func.coalesce(func.sum(Transaction.amount_minor), 0)).where(
            Transaction.user_id == user_id,
            Transaction.category_id == category_id,
            Transaction.currency == currency,
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        )
    )
    return from_minor(int(minor or 0), currency)


async def totals_by_currency(
    *, session: AsyncSession, user_id: int, period: Period | None
) -> dict[tuple[str, str], Decimal]:
    """``{(currency, kind): total}`` summed in the database; all time when ``period`` is None."""
    query = (
        select(Transaction.currency, Transaction.kind, func.sum(Transaction.amount_minor))
        .where(Transaction.user_id == user_id)
        .group_by(Transaction.currency, Transaction.kind)
    )
    if period is not None:
        query = query.where(
            Transaction.occurred_on >= period.start, Transaction.occurred_on < period.end
        )
    rows = await session.execute(query)
    return {(cur, kind): from_minor(int(minor), cur) for cur, kind, minor in rows}


# --- entries still to sort, and finding entries a message speaks of ---


async def category_summary(
    *, session: AsyncSession, user_id: int, category_ids: Sequence[int], period: Period
) -> dict[str, tuple[Decimal, int]]:
    """``{currency: (total, entries)}`` of some categories over a period."""
    rows = await session.execute(
        select(Transaction.currency, func.sum(Transaction.amount_minor), func.count())
        .where(
            Transaction.user_id == user_id,
            Transaction.category_id.in_(category_ids),
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        )
        .group_by(Transaction.currency)
    )
    return {cur: (from_minor(int(minor), cur), int(n)) for cur, minor, n in rows}


async def top_expense_categories(
    *, session: AsyncSession, user_id: int, period: Period, limit: int
) -> list[tuple[str, str | None, str, Decimal]]:
    """(name, emoji, currency, amount) of the biggest expense categories in ``[start, end)``."""
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
        .limit(limit)
    )
    return [(name, emoji, cur, from_minor(int(minor), cur)) for name, emoji, cur, minor in rows]


async def last_logged_at(*, session: AsyncSession, user_id: int) -> datetime | None:
    """When the user last logged anything, or when the account opened if never (aware UTC)."""
    last = await session.scalar(
        select(func.max(Transaction.created_at)).where(Transaction.user_id == user_id)
    )
    if last is None:
        last = await session.scalar(select(User.created_at).where(User.id == user_id))
    return as_utc(last) if last is not None else None


async def export_rows(
    *, session: AsyncSession, user_id: int, period: Period | None
) -> list[ExportRow]:
    """The user's transactions as plain rows; ``period`` is half-open, None means all."""
    query = (
        select(
            Transaction.occurred_on,
            Transaction.kind,
            Transaction.amount_minor,
            Transaction.currency,
            Category.name,
            Transaction.note,
            Member.id,
            Member.name,
            Member.person_id,
        )
        .outerjoin(Category, Category.id == Transaction.category_id)
        .outerjoin(Member, Member.id == Transaction.member_id)
        .where(Transaction.user_id == user_id)
        .order_by(Transaction.occurred_on, Transaction.id)
    )
    if period is not None:
        query = query.where(
            Transaction.occurred_on >= period.start, Transaction.occurred_on < period.end
        )
    result = await session.stream(query)
    return [
        # a refund (a negative expense) is written as type "refund" with a positive amount
        ExportRow(
            day,
            "refund" if kind == "expense" and minor < 0 else kind,
            from_minor(abs(minor), currency),
            currency,
            category or "",
            note,
            member_label(name, person) if member is not None else "",
        )
        async for day, kind, minor, currency, category, note, member, name, person in result
    ]
