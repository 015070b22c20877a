"""Users and their settings. The first message creates the account, with default categories."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.categories import default_categories
from models.tables import Category, User


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sent the update, and what a brand-new account starts with."""

    user_id: int
    default_currency: str
    default_timezone: str


@dataclass(frozen=True, slots=True)
class Profile:
    user_id: int
    currency: str
    timezone: str
    is_new: bool = False


async def ensure_user(*, session: AsyncSession, actor: Actor) -> Profile:
    """The user's profile, creating it (and their default categories) on first contact.

    Two first messages can arrive at once, so the insert ignores a conflict instead of failing.
    """
    found = await session.get(User, actor.user_id)
    if found is not None:
        return Profile(found.id, found.currency, found.timezone)
    values = {
        "id": actor.user_id,
        "currency": actor.default_currency,
        "timezone": actor.default_timezone,
    }
    dialect = session.get_bind().dialect.name
    upsert = pg_insert(User) if dialect == "postgresql" else sqlite_insert(User)
    result = await session.execute(upsert.values(**values).on_conflict_do_nothing())
    created = bool(getattr(result, "rowcount", 0))
    if created:
        await session.execute(
            insert(Category),
            [
                {
                    "user_id": actor.user_id,
                    "kind": kind,
                    "name": name,
                    "emoji": emoji,
                    "position": i,
                }
                for i, (kind, name, emoji) in enumerate(default_categories())
            ],
        )
    user = (await session.execute(select(User).where(User.id == actor.user_id))).scalar_one()
    return Profile(user.id, user.currency, user.timezone, is_new=created)


async def set_currency(*, session: AsyncSession, user_id: int, currency: str) -> None:
    await session.execute(update(User).where(User.id == user_id).values(currency=currency))


async def set_timezone(*, session: AsyncSession, user_id: int, timezone: str) -> None:
    await session.execute(update(User).where(User.id == user_id).values(timezone=timezone))
