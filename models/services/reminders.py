"""Use cases for /remind: nudges, the daily digest, weekly and monthly summaries, quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedules import RemindCommand
from models import schedules
from models.categories import CategoryInfo, get_category
from models.schedules import ScheduleView
from models.services.account import DEFAULT_QUIET, toggle_quiet
from models.services.results import STALE, Stale
from models.users import Profile, quiet_hours, update_user


@dataclass(frozen=True)
class Reminders:
    schedules: list[ScheduleView]
    timezone: str
    quiet: tuple[int, int] | None


@dataclass(frozen=True)
class ReminderChange:
    """One /remind button's change; an empty one just shows the list."""

    kind: str | None = None
    toggle: bool = False
    hour: int | None = None
    every_days: int | None = None
    quiet: bool = False


async def reminders(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    change: ReminderChange | None = None,
) -> Reminders | Stale:
    """Show the user's scheduled messages after changing one if asked; ``STALE`` if bad."""
    await schedules.ensure_schedules(session=session, user_id=profile.user_id, now=now)
    change = change or ReminderChange()
    if change.quiet:
        await toggle_quiet(session=session, profile=profile, now=now)
    if change.kind is not None:
        if change.hour is not None and not 0 <= change.hour <= 23:
            return STALE
        if change.every_days is not None and not 1 <= change.every_days <= 30:
            return STALE
        ok = await schedules.change_schedule(
            session=session,
            user_id=profile.user_id,
            kind=change.kind,
            now=now,
            toggle=change.toggle,
            at_minute=change.hour * 60 if change.hour is not None else None,
            every_days=change.every_days,
        )
        if not ok:
            return STALE
    views = await schedules.list_schedules(session=session, user_id=profile.user_id)
    quiet = await quiet_hours(session=session, user_id=profile.user_id)
    return Reminders(views, profile.timezone, quiet)


@dataclass(frozen=True)
class Reminded:
    """What a typed /remind command changed, and where everything stands now."""

    command: RemindCommand
    reminders: Reminders


async def remind_command(
    *, session: AsyncSession, profile: Profile, now: datetime, command: RemindCommand
) -> Reminded:
    """Apply ``/remind digest 21:30``, ``/remind weekly off``, ``/remind quiet 23:00-07:00``."""
    await schedules.ensure_schedules(session=session, user_id=profile.user_id, now=now)
    if command.action == "quiet":
        hours: tuple[int | None, int | None] = (
            (command.quiet or DEFAULT_QUIET) if command.enabled else (None, None)
        )
        await update_user(
            session=session, user_id=profile.user_id, quiet_start=hours[0], quiet_end=hours[1]
        )
        await schedules.reschedule_user(session=session, user_id=profile.user_id, now=now)
    elif command.action == "set" and command.kind is not None:
        await schedules.change_schedule(
            session=session,
            user_id=profile.user_id,
            kind=command.kind,
            now=now,
            at_minute=command.at_minute,
            every_days=command.every_days,
            enabled=command.enabled,
        )
    views = await schedules.list_schedules(session=session, user_id=profile.user_id)
    quiet = await quiet_hours(session=session, user_id=profile.user_id)
    return Reminded(command, Reminders(views, profile.timezone, quiet))


async def quick_category(
    *, session: AsyncSession, profile: Profile, now: datetime, category_id: int
) -> CategoryInfo | Stale:
    """A category tapped on a reminder: the next amount the user types goes there."""
    category = await get_category(session=session, user_id=profile.user_id, category_id=category_id)
    if category is None:
        return STALE
    await update_user(session=session, user_id=profile.user_id, awaiting_category_id=category.id)
    return category
