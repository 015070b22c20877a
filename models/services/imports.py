"""/import use cases: keep an uploaded CSV until confirmed, preview it, then bulk insert it.

The file is parsed by the pure ``bot.core.csv_import``; here it is scoped to its owner, checked for
transactions already stored (those are skipped, so importing the same file twice adds nothing)
and written with one multi-row INSERT inside the caller's transaction.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.categories import FALLBACK
from bot.core.csv_import import (
    ImportRow,
    Mapping,
    RowError,
    Table,
    decode,
    dedupe_key,
    detect_mapping,
    parse_rows,
    split_text,
    with_formats,
)
from bot.core.money import to_minor
from models import imports as repo
from models.categories import MAX_PER_KIND
from models.services.results import STALE, Stale
from models.tables import PendingImport
from models.transactions import NewEntry
from models.users import Profile

ROLES = ("date", "amount", "note")
NO_COLUMN = 999  # the "none" button for an optional column


@dataclass(frozen=True)
class Preview:
    """What confirming will import; nothing is stored yet."""

    import_id: int
    filename: str
    rows: int
    duplicates: int
    totals: dict[tuple[str, str], Decimal]  # (currency, kind) -> sum of what will be imported
    first: date
    last: date
    new_categories: list[str]
    # How the file was read, so the user can spot a wrong guess.
    encoding: str
    delimiter: str
    date_format: str
    decimal: str

    @property
    def to_import(self) -> int:
        return self.rows - self.duplicates


@dataclass(frozen=True)
class AskColumn:
    """Penny can't tell which column holds ``role``: the user picks one with a button."""

    import_id: int
    role: str
    choices: list[tuple[int, str]]  # (column index, label)
    optional: bool


@dataclass(frozen=True)
class Invalid:
    """Lines that can't be read; nothing was (or will be) imported."""

    errors: list[RowError]
    rows: int


@dataclass(frozen=True)
class Imported:
    count: int
    duplicates: int
    first: date | None
    last: date | None


Step = Preview | AskColumn | Invalid


async def start_import(
    *, session: AsyncSession, profile: Profile, now: datetime, filename: str, data: bytes
) -> Step:
    """Read an uploaded file; raises ImportFileError when it isn't a readable CSV."""
    text, encoding = await asyncio.to_thread(decode, data)
    table = await asyncio.to_thread(split_text, text, encoding)
    mapping = detect_mapping(table, month_first=_month_first(profile))
    row = await repo.replace_pending(
        session=session,
        user_id=profile.user_id,
        filename=filename,
        content=text,
        mapping=mapping.to_json(),
        now=now,
    )
    return await _next_step(session=session, profile=profile, row=row, table=table)


async def choose_column(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    import_id: int,
    role: str,
    column: int,
) -> Step | Stale:
    """Record the column the user tapped for ``role``."""
    row = await repo.get_pending(session=session, user_id=profile.user_id, import_id=import_id)
    if row is None or role not in ROLES:
        return STALE
    mapping = Mapping.from_json(row.mapping)
    table = await asyncio.to_thread(split_text, row.content, mapping.encoding)
    chosen = None if column == NO_COLUMN else column
    if chosen is not None and not 0 <= chosen < table.width:
        return STALE
    if role == "amount":
        mapping = replace(mapping, amount=chosen, debit=None, credit=None)
    elif role == "date":
        mapping = replace(mapping, date=chosen)
    else:
        mapping = replace(mapping, note=NO_COLUMN if chosen is None else chosen)
    mapping = with_formats(table, mapping, month_first=_month_first(profile))
    row.mapping = mapping.to_json()
    return await _next_step(session=session, profile=profile, row=row, table=table)


async def current_step(
    *, session: AsyncSession, profile: Profile, now: datetime, import_id: int
) -> Step | Stale:
    """Where an upload stands: the question still open, or its preview (to show another page)."""
    row = await repo.get_pending(session=session, user_id=profile.user_id, import_id=import_id)
    if row is None:
        return STALE
    table = await asyncio.to_thread(
        split_text, row.content, Mapping.from_json(row.mapping).encoding
    )
    return await _next_step(session=session, profile=profile, row=row, table=table)


async def confirm_import(
    *, session: AsyncSession, profile: Profile, now: datetime, import_id: int
) -> Imported | Invalid | Stale:
    """Insert the previewed rows (minus duplicates) in one statement."""
    row = await repo.get_pending(session=session, user_id=profile.user_id, import_id=import_id)
    if row is None:
        return STALE
    table = await asyncio.to_thread(split_text, row.content)
    items, errors = await asyncio.to_thread(
        parse_rows,
        table,
        _usable(Mapping.from_json(row.mapping)),
        default_currency=profile.currency,
    )
    await session.delete(row)
    if errors or not items:
        return Invalid(errors, len(table.rows))
    fresh, duplicates = await _split_duplicates(
        session=session, user_id=profile.user_id, items=items
    )
    categories = await _category_ids(session=session, user_id=profile.user_id, items=fresh)
    await repo.add_imported(
        session=session,
        user_id=profile.user_id,
        rows=[
            NewEntry(
                item.kind,
                item.amount,
                item.currency,
                _category_id(categories, item),
                item.note,
                item.occurred_on,
            ).columns()
            for item in fresh
        ],
        now=now,
    )
    days = [item.occurred_on for item in fresh]
    return Imported(len(fresh), duplicates, min(days, default=None), max(days, default=None))


async def cancel_import(
    *, session: AsyncSession, profile: Profile, now: datetime, import_id: int
) -> Stale | None:
    """Forget an upload."""
    if not await repo.delete_pending(session=session, user_id=profile.user_id, import_id=import_id):
        return STALE
    return None


# --- helpers ---


def _month_first(profile: Profile) -> bool:
    # 03/04/2026 is 4 March in most of the world and 3 April in the US.
    return profile.currency == "USD" and profile.timezone.startswith("America/")


def _usable(mapping: Mapping) -> Mapping:
    """The mapping without the "no note column" marker."""
    return replace(mapping, note=None) if mapping.note == NO_COLUMN else mapping


async def _next_step(
    *, session: AsyncSession, profile: Profile, row: PendingImport, table: Table
) -> Step:
    mapping = Mapping.from_json(row.mapping)
    used = _usable(mapping).used()
    free = [i for i in range(table.width) if i not in used]
    missing = mapping.missing()
    if missing:
        choices = free or list(range(table.width))
        return AskColumn(row.id, missing[0], [(i, table.column_label(i)) for i in choices], False)
    if mapping.note is None and free:
        return AskColumn(row.id, "note", [(i, table.column_label(i)) for i in free], True)
    items, errors = await asyncio.to_thread(
        parse_rows, table, _usable(mapping), default_currency=profile.currency
    )
    if errors or not items:
        await session.delete(row)
        return Invalid(errors, len(table.rows))
    fresh, duplicates = await _split_duplicates(
        session=session, user_id=profile.user_id, items=items
    )
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for item in fresh:
        totals[(item.currency, item.kind)] += item.amount
    known = await _category_ids(session=session, user_id=profile.user_id, items=[], create=False)
    new_categories = sorted(
        {
            name
            for item in fresh
            if (name := _category_name(item)) and (item.kind, name.lower()) not in known
        }
    )
    days = [item.occurred_on for item in items]
    return Preview(
        import_id=row.id,
        filename=row.filename,
        rows=len(items),
        duplicates=duplicates,
        totals=dict(totals),
        first=min(days),
        last=max(days),
        new_categories=new_categories,
        encoding=table.encoding,
        delimiter=table.delimiter,
        date_format=mapping.date_format or "",
        decimal=mapping.decimal,
    )


async def _split_duplicates(
    *, session: AsyncSession, user_id: int, items: Sequence[ImportRow]
) -> tuple[list[ImportRow], int]:
    """Rows not stored yet, and how many were; as multisets, so two equal coffees in the file
    and one stored import one."""
    existing = await repo.stored_keys(
        session=session,
        user_id=user_id,
        first=min(item.occurred_on for item in items),
        last=max(item.occurred_on for item in items),
    )
    fresh: list[ImportRow] = []
    for item in items:
        key = dedupe_key(item, to_minor(item.amount, item.currency))
        if existing[key] > 0:
            existing[key] -= 1
        else:
            fresh.append(item)
    return fresh, len(items) - len(fresh)


def _category_name(item: ImportRow) -> str | None:
    """The category to file the row under; None for an explicitly uncategorized row."""
    if item.category == "":
        return None
    return item.category or FALLBACK


def _category_id(ids: dict[tuple[str, str], int], item: ImportRow) -> int | None:
    name = _category_name(item)
    return ids.get((item.kind, name.lower())) if name else None


KINDS = ("expense", "income")


async def _category_ids(
    *, session: AsyncSession, user_id: int, items: Sequence[ImportRow], create: bool = True
) -> dict[tuple[str, str], int]:
    """``{(kind, lower name): id}`` for the user, adding the categories the items name."""
    ids = await repo.category_ids(session=session, user_id=user_id)
    wanted: dict[tuple[str, str], tuple[str, str]] = {}
    for item in items:
        name = _category_name(item)
        if name is None:
            continue
        key = (item.kind, name.lower())
        if key not in ids:
            wanted.setdefault(key, (item.kind, name))
    # Names beyond the per-kind limit are not created; those rows stay uncategorised.
    room = {kind: MAX_PER_KIND - sum(1 for k, _ in ids if k == kind) for kind in KINDS}
    allowed: dict[tuple[str, str], tuple[str, str]] = {}
    for key, value in wanted.items():
        if room.get(key[0], 0) > 0:
            room[key[0]] -= 1
            allowed[key] = value
    wanted = allowed
    if create and wanted:
        await repo.add_categories(session=session, user_id=user_id, names=list(wanted.values()))
        return await _category_ids(session=session, user_id=user_id, items=[], create=False)
    return ids
