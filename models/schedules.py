"""Scheduled messages in the database: created per user, claimed atomically when due.

A claim advances ``next_run_at`` in the claiming transaction with one UPDATE that only matches
rows still due (and on PostgreSQL the due rows are locked with FOR UPDATE SKIP LOCKED), so
several bot processes on one database never claim the same message twice, and a restart finds
every schedule where it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedules import MAX_LATENESS, SCHEDULE_KINDS, Quiet, as_utc, minute_time, next_run
from models.tables import Schedule, User


@dataclass(frozen=True, slots=True)
class ScheduleView:
    kind: str
    enabled: bool
    at_minute: int
    every_days: int
    weekday: int | None
    next_run_at: datetime | None


@dataclass(frozen=True, slots=True)
class Claimed:
    """A scheduled message this process now owns: send it (unless stale)."""

    user_id: int
    kind: str
    due_at: datetime
    stale: bool
    timezone: str
    month_start_day: int
    every_days: int
    last_sent_at: datetime | None


def quiet_of(user: User) -> Quiet | None:
    if user.quiet_start is None or user.quiet_end is None:
        return None
    return Quiet(minute_time(user.quiet_start), minute_time(user.quiet_end))


def _next(schedule: Schedule, user: User, after: datetime) -> datetime | None:
    if not schedule.enabled or user.blocked:
        return None
    return next_run(
        schedule.kind,
        after=after,
        zone=user.timezone,
        at_minute=schedule.at_minute,
        weekday=schedule.weekday,
        month_start_day=user.month_start_day,
        quiet=quiet_of(user),
    )


async def ensure_schedules(*, session: AsyncSession, user_id: int, now: datetime) -> None:
    """Give the user a row for every schedule kind they don't have yet, with the defaults."""
    user = await session.get(User, user_id)
    if user is None:
        return
    have = set(await session.scalars(select(Schedule.kind).where(Schedule.user_id == user_id)))
    for kind, defaults in SCHEDULE_KINDS.items():
        if kind in have:
            continue
        schedule = Schedule(
            user_id=user_id,
            kind=kind,
            enabled=defaults.enabled,
            at_minute=defaults.at_minute,
            every_days=defaults.every_days,
            weekday=defaults.weekday,
        )
        schedule.next_run_at = _next(schedule, user, now)
        session.add(schedule)
    await session.flush()


async def reschedule_user(*, session: AsyncSession, user_id: int, now: datetime) -> None:
    """Recompute every schedule of the user after a settings change (zone, quiet hours, block)."""
    user = await session.get(User, user_id)
    if user is None:
        return
    for schedule in await session.scalars(select(Schedule).where(Schedule.user_id == user_id)):
        schedule.next_run_at = _next(schedule, user, now)
    await session.flush()


async def list_schedules(*, session: AsyncSession, user_id: int) -> list[ScheduleView]:
    rows = await session.scalars(select(Schedule).where(Schedule.user_id == user_id))
    order = list(SCHEDULE_KINDS)
    return sorted(
        (
            ScheduleView(
                s.kind,
                s.enabled,
                s.at_minute,
                s.every_days,
                s.weekday,
                as_utc(s.next_run_at) if s.next_run_at else None,
            )
            for s in rows
        ),
        key=lambda v: order.index(v.kind) if v.kind in order else len(order),
    )


async def change_schedule(
    *,
    session: AsyncSession,
    user_id: int,
    kind: str,
    now: datetime,
    toggle: bool = False,
    at_minute: int | None = None,
    every_days: int | None = None,
    enabled: bool | None = None,
) -> bool:
    """Switch a schedule on/off, move its time or change N days; False for an unknown kind."""
    schedule = await session.scalar(
        select(Schedule).where(Schedule.user_id == user_id, Schedule.kind == kind)
    )
    user = await session.get(User, user_id)
    if schedule is None or user is None:
        return False
    if toggle:
        schedule.enabled = not schedule.enabled
    if enabled is not None:
        schedule.enabled = enabled
    if at_minute is not None:
        schedule.at_minute = at_minute % (24 * 60)
    if every_days is not None:
        schedule.every_days = every_days
    schedule.next_run_at = _next(schedule, user, now)
    await session.flush()
    return True


async def claim_due(*, session: AsyncSession, now: datetime, limit: int = 500) -> list[Claimed]:
    """Take up to ``limit`` due scheduled messages and move each to its next time.

    One UPDATE … WHERE next_run_at <= now RETURNING id advances the batch: a row another
    process advanced first no longer matches, so it comes back only to the process that won.
    Call inside a transaction and send only after it commits: each message is sent at most once.
    """
    due = (
        select(Schedule.id)
        .where(Schedule.next_run_at <= now)
        .order_by(Schedule.next_run_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Other processes skip the rows this one is working on instead of queueing behind it.
        due = due.with_for_update(skip_locked=True)
    ids = list(await session.scalars(due))
    if not ids:
        return []
    rows = (
        await session.execute(
            select(Schedule, User)
            .join(User, User.id == Schedule.user_id)
            .where(Schedule.id.in_(ids), Schedule.next_run_at.is_not(None))
            .execution_options(populate_existing=True)
        )
    ).all()
    following = {
        schedule.id: _next(schedule, user, max(now, as_utc(schedule.next_run_at)))
        for schedule, user in rows
        if schedule.next_run_at is not None
    }
    if not following:  # another process disabled or took them between the two reads
        return []
    won = set(
        await session.scalars(
            update(Schedule)
            .where(Schedule.id.in_(following), Schedule.next_run_at <= now)
            .values(next_run_at=case(following, value=Schedule.id, else_=Schedule.next_run_at))
            .returning(Schedule.id)
            .execution_options(synchronize_session=False)
        )
    )
    claimed = []
    for schedule, user in rows:
        if schedule.id not in won or schedule.next_run_at is None:
            continue
        due_at = as_utc(schedule.next_run_at)
        claimed.append(
            Claimed(
                user.id,
                schedule.kind,
                due_at,
                now - due_at > MAX_LATENESS.get(schedule.kind, MAX_LATENESS["nudge"]),
                user.timezone,
                user.month_start_day,
                schedule.every_days,
                as_utc(schedule.last_sent_at) if schedule.last_sent_at else None,
            )
        )
    return claimed


async def mark_sent(*, session: AsyncSession, user_id: int, kind: str, at: datetime) -> None:
    await session.execute(
        update(Schedule)
        .where(Schedule.user_id == user_id, Schedule.kind == kind)
        .values(last_sent_at=at)
    )


async def pause_blocked(*, session: AsyncSession, user_id: int) -> None:
    """The user blocked the bot: stop every scheduled message until they write again."""
    await session.execute(update(User).where(User.id == user_id).values(blocked=True))
    await session.execute(
        update(Schedule).where(Schedule.user_id == user_id).values(next_run_at=None)
    )
