"""Users and their settings. The first message creates the account, with default categories."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.categories import default_categories
from models.db import insert_ignoring_conflicts
from models.schedules import ensure_schedules, reschedule_user
from models.tables import Budget, Category, CategoryRule, User


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sent the update, and what a brand-new account starts with."""

    user_id: int
    default_currency: str
    default_timezone: str


@dataclass(frozen=True, slots=True)
class Profile:
    """The account an update acts on: a person's own ledger, or a group's shared one.

    ``member_id`` is who acts in a shared ledger (their ``members`` row); it is decided per
    update (``handlers.common.call``), never stored with the account, so anything that keeps
    profiles between updates must keep it out.
    """

    user_id: int
    currency: str
    timezone: str
    is_new: bool = False
    month_start_day: int = 1
    awaiting_limit_budget_id: int | None = None
    awaiting_category_id: int | None = None
    # Whether any budget or taught rule exists, so logging skips those queries when none does.
    has_budgets: bool = False
    has_rules: bool = False
    awaiting_goal_id: int | None = None
    # users.revision when this was read (see models.services.quick).
    revision: int = 0
    shared: bool = False
    title: str | None = None
    member_id: int | None = None


def _profile(
    user: User, *, is_new: bool = False, has_budgets: bool = False, has_rules: bool = False
) -> Profile:
    return Profile(
        user.id,
        user.currency,
        user.timezone,
        is_new,
        user.month_start_day,
        user.awaiting_limit_budget_id,
        user.awaiting_category_id,
        has_budgets,
        has_rules,
        user.awaiting_goal_id,
        user.revision,
        user.shared,
        user.title,
    )


async def ensure_user(*, session: AsyncSession, actor: Actor, now: datetime) -> Profile:
    """The user's profile, creating it (with default categories and schedules) on first contact.

    Two first messages can arrive at once, so the insert ignores a conflict instead of failing.
    A user who had blocked the bot and writes again gets their scheduled messages back.
    """
    row = (
        await session.execute(
            select(
                User,
                exists().where(Budget.user_id == User.id),
                exists().where(CategoryRule.user_id == User.id),
            ).where(User.id == actor.user_id)
        )
    ).first()
    if row is not None:
        found, has_budgets, has_rules = row
        if found.blocked:
            found.blocked = False
            await reschedule_user(session=session, user_id=found.id, now=now)
        return _profile(found, has_budgets=bool(has_budgets), has_rules=bool(has_rules))
    values = {
        "id": actor.user_id,
        "currency": actor.default_currency,
        "timezone": actor.default_timezone,
        # Random, so a copy of an erased account's state never matches the new one's.
        "revision": secrets.randbits(62),
    }
    result = await session.execute(
        insert_ignoring_conflicts(session, User).values(**values).on_conflict_do_nothing()
    )
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
                    "origin": name,
                }
                for i, (kind, name, emoji) in enumerate(default_categories())
            ],
        )
        await ensure_schedules(session=session, user_id=actor.user_id, now=now)
    user = (await session.execute(select(User).where(User.id == actor.user_id))).scalar_one()
    return _profile(user, is_new=created)


async def set_currency(*, session: AsyncSession, user_id: int, currency: str) -> None:
    await session.execute(update(User).where(User.id == user_id).values(currency=currency))


async def set_timezone(*, session: AsyncSession, user_id: int, timezone: str) -> None:
    await session.execute(update(User).where(User.id == user_id).values(timezone=timezone))


async def update_user(*, session: AsyncSession, user_id: int, **values: object) -> None:
    """Change user settings columns (month start, quiet hours, what they're asked to type)."""
    await session.execute(update(User).where(User.id == user_id).values(**values))


async def quiet_hours(*, session: AsyncSession, user_id: int) -> tuple[int, int] | None:
    """The user's quiet hours as (start, end) minutes after midnight, or None when off."""
    row = (
        await session.execute(select(User.quiet_start, User.quiet_end).where(User.id == user_id))
    ).first()
    if row is None or row.quiet_start is None or row.quiet_end is None:
        return None
    return (row.quiet_start, row.quiet_end)


async def arm_erase(*, session: AsyncSession, user_id: int, nonce: int, now: datetime) -> None:
    """Remember the /deleteme prompt just shown; any earlier one stops working."""
    await session.execute(
        update(User).where(User.id == user_id).values(erase_nonce=nonce, erase_asked_at=now)
    )


async def disarm_erase(
    *, session: AsyncSession, user_id: int, nonce: int, asked_since: datetime
) -> bool:
    """Use up the /deleteme prompt with ``nonce`` if it is the one armed and was shown after
    ``asked_since``; False when it isn't (expired, answered, replaced, or not this user's)."""
    taken = await session.scalar(
        update(User)
        .where(
            User.id == user_id,
            User.erase_nonce == nonce,
            User.erase_asked_at >= asked_since,
        )
        .values(erase_nonce=None, erase_asked_at=None)
        .returning(User.id)
    )
    return taken is not None
