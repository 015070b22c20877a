"""Use cases for /recurring: entries Penny posts on their day (rent, salary, subscriptions)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.periods import local_now
from bot.core.schedules import RecurringUsage, parse_recurring
from models import recurring
from models.categories import fallback_category
from models.recurring import RecurringView
from models.services.entries import parse_for_user, resolve_entries
from models.services.results import STALE, Rejected, Stale
from models.users import Profile


@dataclass(frozen=True)
class RecurringHelp:
    """The /recurring add arguments fit no form."""


@dataclass(frozen=True)
class Remaining:
    """The rules left after a delete, and where the deleted one stood among them."""

    rules: list[RecurringView]
    position: int


async def add_recurring(
    *, session: AsyncSession, profile: Profile, now: datetime, words: list[str]
) -> RecurringView | Rejected | RecurringHelp:
    """Save a recurring transaction from ``rent 15000 monthly on 1``.

    The day defaults to today's in the user's own time zone.
    """
    try:
        spec = parse_recurring(words, local_now(now, profile.timezone).date())
    except RecurringUsage:
        return RecurringHelp()
    parsed = parse_for_user(spec.entry_text, now=now, profile=profile)
    if isinstance(parsed, Rejected):
        return parsed
    if len(parsed) != 1:
        return Rejected("I need one amount and what it is for, like “rent 15000”.")
    new = await resolve_entries(session=session, profile=profile, parsed=parsed)
    if isinstance(new, Rejected):
        return new
    entry = new[0]
    if entry.category_id is None:
        other = await fallback_category(session=session, user_id=profile.user_id, kind=entry.kind)
        entry = replace(entry, category_id=other.id if other else None)
    return await recurring.add_recurring(
        session=session,
        user_id=profile.user_id,
        entry=entry,
        spec=spec,
        today=local_now(now, profile.timezone).date(),
        zone=profile.timezone,
    )


async def list_recurring(
    *, session: AsyncSession, profile: Profile, now: datetime
) -> list[RecurringView]:
    return await recurring.list_recurring(session=session, user_id=profile.user_id)


async def delete_recurring(
    *, session: AsyncSession, profile: Profile, now: datetime, recurring_id: int
) -> Remaining | Stale:
    """Delete a rule and return the rest."""
    before = await recurring.list_recurring(session=session, user_id=profile.user_id)
    position = next((n for n, rule in enumerate(before) if rule.id == recurring_id), None)
    if position is None or not await recurring.delete_recurring(
        session=session, user_id=profile.user_id, recurring_id=recurring_id
    ):
        return STALE
    return Remaining([rule for rule in before if rule.id != recurring_id], position)
