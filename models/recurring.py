"""Recurring transactions: stored rules, each occurrence posted once by the process claiming it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import from_minor
from bot.core.periods import month_period
from bot.core.schedules import RECURRING_AT, RecurringSpec, at_local, first_occurrence
from bot.core.schedules import next_occurrence as following_date
from models import transactions as tx
from models.categories import CategoryInfo
from models.tables import Category, Recurring, User
from models.transactions import Entry, NewEntry


@dataclass(frozen=True, slots=True)
class RecurringView:
    id: int
    kind: str
    amount: Decimal
    currency: str
    category: CategoryInfo | None
    note: str
    frequency: str
    day: int
    month: int | None
    next_on: date


@dataclass(frozen=True, slots=True)
class Posted:
    """A recurring transaction just recorded for its day."""

    user_id: int
    entry: Entry
    frequency: str
    total: Decimal | None = None  # the category's total in the entry's month, this one included


async def add_recurring(
    *,
    session: AsyncSession,
    user_id: int,
    entry: NewEntry,
    spec: RecurringSpec,
    today: date,
    zone: str,
) -> RecurringView:
    first = first_occurrence(spec.frequency, spec.day, spec.month, today)
    values = entry.columns()
    del values["occurred_on"]  # a rule has a schedule instead of one date
    row = Recurring(
        user_id=user_id,
        **values,
        frequency=spec.frequency,
        day=spec.day,
        month=spec.month,
        next_on=first,
        next_run_at=at_local(first, RECURRING_AT, zone),
    )
    session.add(row)
    await session.flush()
    views = await list_recurring(session=session, user_id=user_id)
    return next(v for v in views if v.id == row.id)


async def list_recurring(*, session: AsyncSession, user_id: int) -> list[RecurringView]:
    rows = await session.execute(
        select(Recurring, Category)
        .outerjoin(Category, Category.id == Recurring.category_id)
        .where(Recurring.user_id == user_id)
        .order_by(Recurring.next_on, Recurring.id)
    )
    return [
        RecurringView(
            r.id,
            r.kind,
            from_minor(r.amount_minor, r.currency),
            r.currency,
            CategoryInfo(c.id, c.kind, c.name, c.emoji) if c else None,
            r.note,
            r.frequency,
            r.day,
            r.month,
            r.next_on,
        )
        for r, c in rows
    ]


async def follow_timezone(*, session: AsyncSession, user_id: int, zone: str) -> None:
    """Post each rule on the morning of its day in the user's new time zone."""
    rows = await session.scalars(select(Recurring).where(Recurring.user_id == user_id))
    for rule in rows:
        rule.next_run_at = at_local(rule.next_on, RECURRING_AT, zone)
    await session.flush()


async def delete_recurring(*, session: AsyncSession, user_id: int, recurring_id: int) -> bool:
    result = await session.execute(
        delete(Recurring).where(Recurring.id == recurring_id, Recurring.user_id == user_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def post_due(*, session: AsyncSession, now: datetime, limit: int = 500) -> list[Posted]:
    """Record every occurrence that is due, each exactly once, and move its rule to the next one.

    A rule missed for several periods (the bot was down) posts each missed occurrence once, dated
    on its own day. The transaction and the advance commit together, so no occurrence is posted
    twice even with several processes.
    """
    posted: list[Posted] = []
    pg = session.get_bind().dialect.name == "postgresql"
    while len(posted) < limit:
        due = (
            select(Recurring.id)
            .where(Recurring.next_run_at <= now)
            .order_by(Recurring.next_run_at)
            .limit(limit - len(posted))
        )
        if pg:
            due = due.with_for_update(skip_locked=True)
        ids = list(await session.scalars(due))
        if not ids:
            break
        rows = await session.execute(
            select(Recurring, User.timezone, User.month_start_day)
            .join(User, User.id == Recurring.user_id)
            .where(Recurring.id.in_(ids))
            # Earlier passes advanced these rows with core UPDATEs; read them afresh.
            .execution_options(populate_existing=True)
        )
        progressed = False
        for rule, zone, month_start_day in rows:
            occurrence = rule.next_on
            upcoming = following_date(rule.frequency, rule.day, rule.month, occurrence)
            won = await session.execute(
                update(Recurring)
                .where(Recurring.id == rule.id, Recurring.next_on == occurrence)
                .values(next_on=upcoming, next_run_at=at_local(upcoming, RECURRING_AT, zone))
                .execution_options(synchronize_session=False)
            )
            if not getattr(won, "rowcount", 0):
                continue
            progressed = True
            entry = NewEntry(
                rule.kind,
                from_minor(rule.amount_minor, rule.currency),
                rule.currency,
                rule.category_id,
                rule.note,
                occurrence,
            )
            [tx_id] = await tx.add_entries(
                session=session,
                user_id=rule.user_id,
                entries=[entry],
                source_chat_id=None,
                source_message_id=None,
                created_at=now,
            )
            stored = await tx.get_entry(session=session, user_id=rule.user_id, tx_id=tx_id)
            assert stored is not None
            total = (
                await tx.category_total(
                    session=session,
                    user_id=rule.user_id,
                    category_id=stored.category.id,
                    currency=stored.currency,
                    period=month_period(occurrence, month_start_day),
                )
                if stored.category is not None
                else None
            )
            posted.append(Posted(rule.user_id, stored, rule.frequency, total))
        if not progressed:
            break
    return posted
