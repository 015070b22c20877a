"""A user's categories. Every query is scoped by the owner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.categories import FALLBACK
from models.tables import Category, CleanString

# Categories per kind a user may have: keeps every category keyboard and list within
# Telegram's limits (100 buttons, 4096 characters).
MAX_PER_KIND = 40


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    id: int
    kind: str
    name: str
    emoji: str | None
    origin: str | None = None  # the default it started as ("Food"), through renames

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}" if self.emoji else self.name

    @property
    def own_name(self) -> bool:
        """Named by the user (added, or a default renamed): its name is a word to file by."""
        return self.origin is None or self.origin != self.name


def _info(row: Category) -> CategoryInfo:
    return CategoryInfo(row.id, row.kind, row.name, row.emoji, row.origin)


async def list_categories(*, session: AsyncSession, user_id: int, kind: str) -> list[CategoryInfo]:
    rows = await session.scalars(
        select(Category)
        .where(Category.user_id == user_id, Category.kind == kind)
        .order_by(Category.position, Category.id)
    )
    return [_info(row) for row in rows]


async def get_category(
    *, session: AsyncSession, user_id: int, category_id: int
) -> CategoryInfo | None:
    row = await session.scalar(
        select(Category).where(Category.id == category_id, Category.user_id == user_id)
    )
    return _info(row) if row else None


async def categories_by_name(
    *, session: AsyncSession, user_id: int
) -> dict[tuple[str, str], CategoryInfo]:
    """``{(kind, lower-case name): category}`` for the user, read once per unit of work."""
    key = ("categories_by_name", user_id)
    cached = session.info.get(key)
    if cached is None:
        rows = await session.scalars(select(Category).where(Category.user_id == user_id))
        cached = {(row.kind, row.name.lower()): _info(row) for row in rows}
        session.info[key] = cached
    return cached


async def categories_by_origin(
    *, session: AsyncSession, user_id: int
) -> dict[tuple[str, str], CategoryInfo]:
    """``{(kind, default name): category}``: where a default category's words file now."""
    known = await categories_by_name(session=session, user_id=user_id)
    return {(c.kind, c.origin): c for c in known.values() if c.origin is not None}


async def find_category(
    *, session: AsyncSession, user_id: int, kind: str, name: str
) -> CategoryInfo | None:
    """The user's category with this name, case-insensitively."""
    row = await session.scalar(
        select(Category).where(
            Category.user_id == user_id,
            Category.kind == kind,
            # Typed as the column, so the name is bound as one: without its NUL (which
            # PostgreSQL refuses), as the name was stored.
            func.lower(Category.name, type_=CleanString()) == name.lower(),
        )
    )
    return _info(row) if row else None


async def fallback_category(
    *, session: AsyncSession, user_id: int, kind: str
) -> CategoryInfo | None:
    """The user's Other category of this kind (read from the per-update cache)."""
    known = await categories_by_name(session=session, user_id=user_id)
    return known.get((kind, FALLBACK.lower()))
