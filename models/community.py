"""The /compare opt-in, and the per-person category totals its medians are computed from.

The totals leave this module only to be turned into shares and medians
(``bot.core.compare``); nothing here is ever shown as it is.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import from_minor
from bot.core.periods import Period
from models.db import insert_ignoring_conflicts
from models.tables import Category, CompareOptIn, Transaction, User


async def is_opted_in(*, session: AsyncSession, user_id: int) -> bool:
    return await session.get(CompareOptIn, user_id) is not None


async def opt_in(*, session: AsyncSession, user_id: int, now: datetime) -> None:
    await session.execute(
        insert_ignoring_conflicts(session, CompareOptIn)
        .values(user_id=user_id, opted_at=now)
        .on_conflict_do_nothing()
    )


async def opt_out(*, session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(CompareOptIn).where(CompareOptIn.user_id == user_id))


async def opted_in_count(*, session: AsyncSession, currency: str) -> int:
    """People who opted in and keep their books in ``currency``."""
    value = await session.scalar(
        select(func.count())
        .select_from(CompareOptIn)
        .join(User, User.id == CompareOptIn.user_id)
        .where(User.currency == currency)
    )
    return int(value or 0)


async def category_totals(
    *, session: AsyncSession, currency: str, period: Period
) -> dict[int, dict[str, Decimal]]:
    """Per opted-in person with ``currency``: expenses in it by category name (summed in SQL)."""
    rows = await session.execute(
        select(Transaction.user_id, Category.name, func.sum(Transaction.amount_minor))
        .join(CompareOptIn, CompareOptIn.user_id == Transaction.user_id)
        .join(User, User.id == Transaction.user_id)
        .join(Category, Category.id == Transaction.category_id)
        .where(
            User.currency == currency,
            Transaction.currency == currency,
            Transaction.kind == "expense",
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        )
        .group_by(Transaction.user_id, Category.name)
    )
    people: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for user_id, name, minor in rows:
        people[user_id][name] = from_minor(int(minor), currency)
    return people
