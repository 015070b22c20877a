"""Use cases for /history: a page of transactions, narrowed by category, period or note, and
deleting one after the user confirmed it. Session keyword-only, plain values out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.periods import Period, label, local_now, parse_period, period_from_key, period_key
from models import transactions as tx
from models.categories import categories_by_name
from models.services.results import STALE, Stale
from models.transactions import Entry
from models.users import Profile

HISTORY_SIZE = 10
# /history 50 shows this many: a page of one-line entries that still fits a phone's screen.
HISTORY_MAX = 30


@dataclass(frozen=True)
class History:
    """A page of transactions, newest first; ``start`` is the index of the first one shown."""

    entries: list[Entry]
    today: date
    removed: Entry | None = None
    start: int = 0
    total: int | None = None  # None: just these
    size: int = HISTORY_SIZE
    heading: str | None = None  # what the list is narrowed to (``Food``, ``November 2026``)
    key: str = ""  # the narrowing, as a page button carries it

    @property
    def more(self) -> bool:
        return self.total is not None and self.start + len(self.entries) < self.total


async def history(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    words: str = "",
    key: str | None = None,
    offset: int = 0,
    size: int = HISTORY_SIZE,
) -> History:
    """The user's transactions, newest first, a page at a time: ``/history`` (the last 10),
    ``/history 20`` (the last 20), ``/history food`` (a category), ``/history last month`` (a
    period) or ``/history taxi`` (a word in the note). A page button passes back ``key``."""
    today = local_now(now, profile.timezone).date()
    words = " ".join(words.split())
    if key is None:
        if words.isdigit():
            size, words = min(max(int(words), 1), HISTORY_MAX), ""
        key = await _history_key(session, profile, today, words)
    found = await _history_filter(session, profile, today, key)
    if found is None:  # a forged or outdated key: the plain list
        key, found = "", _Filter()
    entries, total = await tx.page_entries(
        session=session,
        user_id=profile.user_id,
        offset=max(offset, 0),
        limit=size,
        category_ids=found.category_ids,
        period=found.period,
        text=found.text,
    )
    return History(entries, today, None, max(offset, 0), total, size, found.heading, key)


@dataclass(frozen=True)
class _Filter:
    heading: str | None = None
    category_ids: tuple[int, ...] = ()
    period: Period | None = None
    text: str = ""


async def _history_key(session: AsyncSession, profile: Profile, today: date, words: str) -> str:
    """What ``/history`` words narrow to, as a short key: ``c12.40``, ``m1``, ``ttaxi``."""
    if not words:
        return ""
    start = profile.month_start_day
    period = parse_period(words, today, start)
    if period is not None:
        return period_key(period, today, start)
    named = [
        c.id
        for c in (await categories_by_name(session=session, user_id=profile.user_id)).values()
        if c.name.casefold() == words.casefold()
    ]
    if named:
        return "c" + ".".join(str(i) for i in sorted(named))
    # ":" would end the word in a button's data; 30 characters find any note worth finding.
    return "t" + words.replace(":", " ")[:30].strip()


async def _history_filter(
    session: AsyncSession, profile: Profile, today: date, key: str
) -> _Filter | None:
    if not key:
        return _Filter()
    if key[0] == "t" and len(key) > 1:
        return _Filter(f"“{key[1:]}”", text=key[1:])
    if key[0] == "c":
        ids = [int(i) for i in key[1:].split(".") if i.isdigit()]
        known = await categories_by_name(session=session, user_id=profile.user_id)
        names = [c.name for c in known.values() if c.id in ids]
        return _Filter(names[0], category_ids=tuple(ids)) if names else None
    period = period_from_key(key, today, profile.month_start_day)
    return _Filter(label(period), period=period) if period is not None else None


async def entry_to_delete(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> History | Stale:
    """The one transaction a /history delete button names, to confirm before it goes."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None:
        return STALE
    return History([entry], local_now(now, profile.timezone).date())


async def delete_from_history(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> History | Stale:
    """Remove one transaction picked from /history and return the refreshed list."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None:
        return STALE
    await tx.delete_entries(session=session, user_id=profile.user_id, ids=[tx_id], now=now)
    refreshed = await history(session=session, profile=profile, now=now)
    return History(refreshed.entries, refreshed.today, removed=entry)
