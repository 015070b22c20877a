"""Category management and the keyword rules each user teaches Penny (their rules win)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.categories import MAX_PER_KIND, CategoryInfo, find_category
from models.tables import Budget, Category, CategoryRule, Recurring, Transaction


@dataclass(frozen=True, slots=True)
class Rule:
    keyword: str
    category: CategoryInfo


async def user_rules(*, session: AsyncSession, user_id: int) -> list[Rule]:
    rows = await session.execute(
        select(CategoryRule.keyword, Category)
        .join(Category, Category.id == CategoryRule.category_id)
        .where(CategoryRule.user_id == user_id)
        .order_by(CategoryRule.keyword)
    )
    return [Rule(keyword, CategoryInfo(c.id, c.kind, c.name, c.emoji)) for keyword, c in rows]


async def learn(*, session: AsyncSession, user_id: int, keyword: str, category_id: int) -> None:
    """File notes with ``keyword`` under the category from now on (replacing an older rule)."""
    existing = await session.scalar(
        select(CategoryRule).where(CategoryRule.user_id == user_id, CategoryRule.keyword == keyword)
    )
    if existing is None:
        session.add(CategoryRule(user_id=user_id, keyword=keyword, category_id=category_id))
    else:
        existing.category_id = category_id
    await session.flush()


async def forget(*, session: AsyncSession, user_id: int, keyword: str) -> bool:
    result = await session.execute(
        delete(CategoryRule).where(CategoryRule.user_id == user_id, CategoryRule.keyword == keyword)
    )
    return bool(getattr(result, "rowcount", 0))


async def add_category(
    *, session: AsyncSession, user_id: int, kind: str, name: str, emoji: str | None
) -> CategoryInfo | None:
    """A new category; None if the user already has one by that name or has too many."""
    if await find_category(session=session, user_id=user_id, kind=kind, name=name):
        return None
    count = await session.scalar(
        select(func.count()).where(Category.user_id == user_id, Category.kind == kind)
    )
    if int(count or 0) >= MAX_PER_KIND:
        return None
    position = await session.scalar(
        select(func.coalesce(func.max(Category.position), 0)).where(Category.user_id == user_id)
    )
    row = Category(
        user_id=user_id, kind=kind, name=name, emoji=emoji, position=int(position or 0) + 1
    )
    session.add(row)
    await session.flush()
    return CategoryInfo(row.id, row.kind, row.name, row.emoji)


async def rename_category(
    *, session: AsyncSession, user_id: int, category_id: int, name: str, emoji: str | None
) -> None:
    values: dict[str, object] = {"name": name}
    if emoji is not None:
        values["emoji"] = emoji
    await session.execute(
        update(Category)
        .where(Category.id == category_id, Category.user_id == user_id)
        .values(**values)
    )


async def set_emoji(*, session: AsyncSession, user_id: int, category_id: int, emoji: str) -> None:
    await session.execute(
        update(Category)
        .where(Category.id == category_id, Category.user_id == user_id)
        .values(emoji=emoji)
    )


async def remove_category(
    *, session: AsyncSession, user_id: int, category: CategoryInfo, fallback: CategoryInfo
) -> int:
    """Delete a category; its transactions and recurring entries move to ``fallback``.

    Returns how many transactions moved. Its budget and rules go with it.
    """
    moved = await session.execute(
        update(Transaction)
        .where(Transaction.user_id == user_id, Transaction.category_id == category.id)
        .values(category_id=fallback.id)
    )
    await session.execute(
        update(Recurring)
        .where(Recurring.user_id == user_id, Recurring.category_id == category.id)
        .values(category_id=fallback.id)
    )
    await session.execute(
        delete(Budget).where(Budget.user_id == user_id, Budget.category_id == category.id)
    )
    await session.execute(
        delete(Category).where(Category.id == category.id, Category.user_id == user_id)
    )
    return int(getattr(moved, "rowcount", 0))
