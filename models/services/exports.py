"""/export: a user's transactions, oldest first, optionally within a period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.exporting import ExportRequest, ExportRow, parse_export_args
from bot.core.periods import local_now
from models import account_data
from models import transactions as tx
from models.users import Profile


@dataclass(frozen=True)
class ExportData:
    request: ExportRequest
    rows: list[ExportRow]
    today: date
    # /export json: every table's rows of this user (empty for the CSV and XLSX files).
    everything: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # A shared ledger's file names who paid each entry, in a last ``member`` column.
    members: bool = False


async def export_data(
    *, session: AsyncSession, profile: Profile, now: datetime, args: Sequence[str]
) -> ExportData:
    """What ``/export ARGS`` asks for; raises ExportArgsError for a period it can't read."""
    today = local_now(now, profile.timezone).date()
    request = parse_export_args(args, today, profile.month_start_day)
    if request.format == "json":
        tables = await account_data.everything(session=session, user_id=profile.user_id)
        return ExportData(request, [], today, tables)
    rows = await tx.export_rows(session=session, user_id=profile.user_id, period=request.period)
    return ExportData(request, rows, today, members=profile.shared)
