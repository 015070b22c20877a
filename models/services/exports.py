"""/export: a user's transactions, oldest first, optionally within a period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.exporting import ExportRequest, ExportRow, parse_export_args
from bot.core.periods import local_now
from models import transactions as tx
from models.users import Profile


@dataclass(frozen=True)
class ExportData:
    request: ExportRequest
    rows: list[ExportRow]
    today: date


async def export_data(
    *, session: AsyncSession, profile: Profile, now: datetime, args: Sequence[str]
) -> ExportData:
    """What ``/export ARGS`` asks for; raises ExportArgsError for a period it can't read."""
    today = local_now(now, profile.timezone).date()
    request = parse_export_args(args, today, profile.month_start_day)
    rows = await tx.export_rows(session=session, user_id=profile.user_id, period=request.period)
    return ExportData(request, rows, today)
