"""Claiming Telegram updates by ``update_id`` so each is handled once across processes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import insert_ignoring_conflicts
from models.tables import ProcessedUpdate

# Telegram gives up re-delivering an update long before this.
KEEP = timedelta(days=1)
# Prune on one claim in this many, so the table stays small without a scheduler.
PRUNE_EVERY = 500


async def claim_update(*, session: AsyncSession, update_id: int, now: datetime) -> bool:
    """True for the first claim of ``update_id``; False when some process already took it.

    The primary key decides: concurrent inserts of one id succeed exactly once, on SQLite and
    PostgreSQL alike, without a lock held across the handling.
    """
    result = await session.execute(
        insert_ignoring_conflicts(session, ProcessedUpdate)
        .values(update_id=update_id, processed_at=now)
        .on_conflict_do_nothing(index_elements=[ProcessedUpdate.update_id])
    )
    claimed = bool(getattr(result, "rowcount", 0))
    if claimed and update_id % PRUNE_EVERY == 0:
        await session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - KEEP)
        )
    return claimed
