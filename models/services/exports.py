"""Reading a user's transactions for /export, oldest first, optionally within a period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.exporting import ExportRequest, ExportRow, parse_export_args
from bot.core.money import from_minor
from bot.core.periods import Period, local_now
from models.tables import Category, Transaction
from models.users import Actor, ensure_user


async def export_rows(
    *, session: AsyncSession, user_id: int, period: Period | None
) -> list[ExportRow]:
    """The user's transactions as plain rows; ``period`` is half-open, None means all."""
    query = (
        select(
            Transaction.occurred_on,
            Transaction.kind,
            Transaction.amount_minor,
            Transaction.currency,
            Category.name,
            Transaction.note,
        )
        .outerjoin(Category, Category.id == Transaction.category_id)
        .where(Transaction.user_id == user_id)
        .order_by(Transaction.occurred_on, Transaction.id)
    )
    if period is not None:
        query = query.where(
            Transaction.occurred_on >= period.start, Transaction.occurred_on < period.end
        )
    result = await session.stream(query)
    return [
        ExportRow(day, kind, from_minor(minor, currency), currency, category or "", note)
        async for day, kind, minor, currency, category, note in result
    ]


@dataclass(frozen=True)
class ExportData:
    request: ExportRequest
    rows: list[ExportRow]
    today: date


async def export_data(
    *, session: AsyncSession, actor: Actor, args: Sequence[str], now: datetime
) -> ExportData:
    """What ``/export ARGS`` asks for; raises ExportArgsError for a period it can't read."""
    profile = await ensure_user(session=session, actor=actor, now=now)
    today = local_now(now, profile.timezone).date()
    request = parse_export_args(args, today, profile.month_start_day)
    rows = await export_rows(session=session, user_id=profile.user_id, period=request.period)
    return ExportData(request, rows, today)
