"""Everything stored about one user, table by table: what ``/export json`` hands them.

Generic over the schema, so a table added later is in the download without anyone remembering
to add it: every table keyed by ``user_id`` (and the user's own row). Left out, each for a
reason the privacy text gives: login fingerprints (hashes that only check a dashboard link) and
the ids of updates already handled (no content). A column naming another user (a referral's
inviter) is left out too: their Telegram id is theirs to give, and finds them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import Base

SKIPPED = frozenset({"web_tokens", "processed_updates"})


async def everything(*, session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """``{table: [row, …]}`` for every table holding this user's rows, values JSON-ready."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in SKIPPED:
            continue
        key = table.c.id if table.name == "users" else table.c.get("user_id")
        if key is None:
            continue
        # Columns pointing at users other than the key name someone else (referrals.inviter_id).
        columns = [
            c
            for c in table.columns
            if c is key or not any(fk.column.table.name == "users" for fk in c.foreign_keys)
        ]
        query = select(*columns).where(key == user_id).order_by(*table.primary_key.columns)
        rows = (await session.execute(query)).mappings().all()
        found[table.name] = [{name: _plain(value) for name, value in r.items()} for r in rows]
    return found


def _plain(value: object) -> object:
    """A column value as JSON has it: dates in ISO form, exact decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value
