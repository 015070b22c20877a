"""/sort: filing, one by one, the entries Penny saved in Other because it couldn't tell where.

Each pick files the entry (``entries.change_category``, which also learns its word) and shows
the next one; Skip leaves an entry where it is for now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.periods import local_now
from models import transactions as tx
from models.categories import CategoryInfo, list_categories
from models.services.entries import file_entry
from models.services.receipts import Logged
from models.services.results import Stale
from models.transactions import Entry
from models.users import Profile


@dataclass(frozen=True)
class ToSort:
    """The next entry to sort (None when all are sorted), its choices and how many are left."""

    entry: Entry | None
    categories: list[CategoryInfo]
    left: int
    today: date


@dataclass(frozen=True)
class Sorted:
    """The entry just filed, and what comes next."""

    filed: Logged
    next: ToSort


async def next_to_sort(
    *, session: AsyncSession, profile: Profile, now: datetime, after_id: int | None = None
) -> ToSort:
    """The oldest entry still to sort, after ``after_id`` when skipping (wrapping around)."""
    user_id = profile.user_id
    entry = await tx.next_unsorted(session=session, user_id=user_id, after_id=after_id)
    if entry is None and after_id is not None:
        entry = await tx.next_unsorted(session=session, user_id=user_id)
    left = await tx.unsorted_count(session=session, user_id=user_id) if entry else 0
    categories = (
        await list_categories(session=session, user_id=user_id, kind=entry.kind) if entry else []
    )
    return ToSort(entry, categories, left, local_now(now, profile.timezone).date())


async def sort_entry(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int, category_id: int
) -> Sorted | Stale:
    """File an entry from /sort under the tapped category and move on to the next one."""
    filed = await file_entry(
        session=session, profile=profile, now=now, tx_id=tx_id, category_id=category_id
    )
    if isinstance(filed, Stale):
        return filed
    following = await next_to_sort(session=session, profile=profile, now=now, after_id=tx_id)
    return Sorted(filed, following)
