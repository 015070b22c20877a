"""What the dashboard lists: transactions filtered, searched and paged, scoped by the owner.

Paging is by key (the last row's date and id), not by offset, so page 50 of 100,000 rows costs
the same as page 1 and an entry added meanwhile doesn't shift what comes next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import from_minor
from bot.core.periods import Period
from models.categories import CategoryInfo
from models.tables import Category, Transaction
from models.transactions import Entry, entries_query, entry_from_row

# Longest search text worth sending to the database.
MAX_SEARCH = 100


@dataclass(frozen=True, slots=True)
class TransactionFilter:
    """Which transactions to list; every field set narrows the list, None or "" means any.

    Shared ledgers (issue 17) add ``member: int | None`` (who recorded it) here and one clause
    in ``_where`` like ``category_id``'s; the page's filter form already sends unknown fields
    through unchanged.
    """

    period: Period | None = None
    category_id: int | None = None
    kind: str | None = None
    text: str = ""


# (occurred_on, id) of the last row shown: the next page starts after it.
Cursor = tuple[date, int]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _searching(filters: TransactionFilter) -> bool:
    return bool(filters.text.strip())


def _where(user_id: int, filters: TransactionFilter) -> list[Any]:
    clauses: list[Any] = [Transaction.user_id == user_id]
    if filters.period is not None:
        clauses += [
            Transaction.occurred_on >= filters.period.start,
            Transaction.occurred_on < filters.period.end,
        ]
    if filters.category_id is not None:
        clauses.append(Transaction.category_id == filters.category_id)
    if filters.kind is not None:
        clauses.append(Transaction.kind == filters.kind)
    text = filters.text.strip()[:MAX_SEARCH]
    if text:
        pattern = _like(text)
        # ILIKE on PostgreSQL, lower() LIKE lower() on SQLite: case-insensitive on both.
        clauses.append(
            or_(
                Transaction.note.ilike(pattern, escape="\\"),
                Category.name.ilike(pattern, escape="\\"),
            )
        )
    return clauses


async def find_entries(
    *,
    session: AsyncSession,
    user_id: int,
    filters: TransactionFilter,
    after: Cursor | None,
    limit: int,
) -> list[Entry]:
    """Up to ``limit`` matching transactions, newest day first, after ``after``."""
    query = entries_query(user_id).where(*_where(user_id, filters))
    if after is not None:
        day, tx_id = after
        query = query.where(
            or_(
                Transaction.occurred_on < day,
                and_(Transaction.occurred_on == day, Transaction.id < tx_id),
            )
        )
    rows = await session.execute(
        query.order_by(Transaction.occurred_on.desc(), Transaction.id.desc()).limit(limit)
    )
    return [entry_from_row(row) for row in rows]


async def matching_totals(
    *, session: AsyncSession, user_id: int, filters: TransactionFilter
) -> tuple[int, dict[tuple[str, str], Decimal]]:
    """How many transactions match, and their sums per (currency, kind)."""
    query = select(
        Transaction.currency, Transaction.kind, func.count(), func.sum(Transaction.amount_minor)
    )
    if _searching(filters):
        # Only a search needs the category's name; without the join the sums come from the
        # covering report index alone.
        query = query.outerjoin(Category, Category.id == Transaction.category_id)
    rows = await session.execute(
        query.where(*_where(user_id, filters)).group_by(Transaction.currency, Transaction.kind)
    )
    count = 0
    sums: dict[tuple[str, str], Decimal] = {}
    for currency, kind, n, minor in rows:
        count += int(n)
        sums[(currency, kind)] = from_minor(int(minor or 0), currency)
    return count, sums


async def period_breakdown(
    *, session: AsyncSession, user_id: int, period: Period
) -> list[tuple[str, str, int | None, Decimal]]:
    """(currency, kind, category id, total) over the period: totals and categories at once."""
    rows = await session.execute(
        select(
            Transaction.currency,
            Transaction.kind,
            Transaction.category_id,
            func.sum(Transaction.amount_minor),
        )
        .where(
            Transaction.user_id == user_id,
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        )
        .group_by(Transaction.currency, Transaction.kind, Transaction.category_id)
    )
    return [(cur, kind, cid, from_minor(int(minor), cur)) for cur, kind, cid, minor in rows]


async def category_labels(*, session: AsyncSession, user_id: int) -> dict[int, CategoryInfo]:
    """Every category of the user by id, in one query."""
    rows = await session.execute(
        select(Category.id, Category.kind, Category.name, Category.emoji)
        .where(Category.user_id == user_id)
        .order_by(Category.kind, Category.position, Category.id)
    )
    return {cid: CategoryInfo(cid, kind, name, emoji) for cid, kind, name, emoji in rows}


async def expenses_by_category(
    *, session: AsyncSession, user_id: int, period: Period
) -> list[tuple[str, int | None, Decimal]]:
    """(currency, category id, spent) for the period's expenses, summed in SQL."""
    rows = await session.execute(
        select(Transaction.currency, Transaction.category_id, func.sum(Transaction.amount_minor))
        .where(
            Transaction.user_id == user_id,
            Transaction.kind == "expense",
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        )
        .group_by(Transaction.currency, Transaction.category_id)
    )
    return [(cur, cid, from_minor(int(minor), cur)) for cur, cid, minor in rows]
