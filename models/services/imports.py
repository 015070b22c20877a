"""/import use cases: keep an uploaded CSV until confirmed, preview it, then bulk insert it.

Reading the file is CPU work that must not run on the event loop, nor inside a database
transaction (on SQLite every other user would wait for the one connection meanwhile). So an
import is a few short units of work with the file work between them, run by the caller in the
import worker (``models.services.import_worker`` runs ``bot.core.csv_import.jobs``):

* upload: ``reading_options`` → ``jobs.read_upload`` → ``keep_upload``;
* a column picked: ``pending_upload`` → ``jobs.reread`` → ``save_reading``;
* either of those may answer :class:`NeedsSummary`: → ``jobs.summarize`` → :func:`preview`;
* confirm: ``pending_upload`` → ``jobs.fresh_rows`` → ``claim_import`` → ``add_rows`` per batch.

The rows of a confirmed import are stored in batches, each its own short transaction: storing
100,000 rows at once held SQLite's one writer for seconds while everybody else waited. If the
bot stops in the middle, sending the file again stores the rest (what is stored is skipped).

Transactions already stored are skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.csv_import import ImportRow, Mapping, RowError
from bot.core.csv_import.duplicates import WINDOW, Likely
from bot.core.csv_import.jobs import NO_COLUMN, TWO_COLUMNS, Reading, StoredKeys, Summary
from bot.core.periods import local_now
from models import imports as repo
from models import rules
from models import transactions as tx
from models.categories import MAX_PER_KIND
from models.services.receipts import Removed
from models.services.results import STALE, Stale
from models.users import Profile

__all__ = [
    "NO_COLUMN",
    "ROLES",
    "TWO_COLUMNS",
    "AskColumn",
    "Imported",
    "Invalid",
    "NeedsSummary",
    "Pending",
    "Preview",
    "ReadOptions",
    "Step",
]

ROLES = ("date", "amount", "note", "debit", "credit")
KINDS = ("expense", "income")


@dataclass(frozen=True)
class ReadOptions:
    """How to read the user's files: the day/month order and the currency of plain amounts."""

    month_first: bool
    default_currency: str


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
    # Rows left out as not transactions, and the lines about the account before the header.
    zero_rows: int = 0
    undated_rows: int = 0
    card_payments: int = 0
    failed_rows: int = 0
    continued_rows: int = 0
    preamble: int = 0
    # A card statement: None for a bank account, else whether it writes charges as positive.
    charges_positive: bool | None = None
    # Rows that look like entries the user typed in chat: left out unless they say otherwise.
    likely: int = 0
    likely_shown: tuple[Likely, ...] = ()
    expensebot: bool = False  # the export of the closed @ExpenseBot
    # Rows that move money between accounts: imported unless the user leaves them out.
    transfers: int = 0
    transfers_shown: tuple[ImportRow, ...] = ()

    @property
    def to_import(self) -> int:
        """Rows confirming imports: neither in Penny nor looking like entries typed in."""
        return self.rows - self.duplicates - self.likely


@dataclass(frozen=True)
class AskColumn:
    """Penny can't tell which column holds ``role``: the user picks one with a button."""

    import_id: int
    role: str
    choices: list[tuple[int, str]]  # (column index, label)
    optional: bool


@dataclass(frozen=True)
class Invalid:
    """Lines that can't be read (the first few, and how many); nothing was or will be imported."""

    errors: list[RowError]
    count: int


@dataclass(frozen=True)
class NeedsSummary:
    """The columns are known: the preview's figures are for the import worker to work out."""

    import_id: int
    filename: str
    text: str
    reading: Reading
    stored: StoredKeys
    known: frozenset[tuple[str, str]]
    default_currency: str
    rules: tuple[tuple[str, str, str], ...] = ()  # (keyword, kind, category name) taught


@dataclass(frozen=True)
class Pending:
    """A kept upload, as the import worker needs it."""

    import_id: int
    filename: str
    text: str
    mapping: Mapping
    stored: StoredKeys  # the user's transactions in the file's dates (for confirming)
    known: frozenset[tuple[str, str]] = frozenset()  # their categories (kind, lower name)
    rules: tuple[tuple[str, str, str], ...] = ()  # the words they taught


@dataclass(frozen=True)
class Imported:
    count: int
    duplicates: int
    first: date | None
    last: date | None
    likely: int = 0  # left out: they look like entries typed in
    transfers: int = 0  # left out: transfers between accounts


Step = AskColumn | Invalid | NeedsSummary


async def reading_options(*, session: AsyncSession, profile: Profile, now: datetime) -> ReadOptions:
    # 03/04/2026 is 4 March in most of the world and 3 April in the US.
    month_first = profile.currency == "USD" and profile.timezone.startswith("America/")
    return ReadOptions(month_first, profile.currency)


async def keep_upload(
    *, session: AsyncSession, profile: Profile, now: datetime, filename: str, reading: Reading
) -> Step:
    """Keep a read upload until confirmed (it replaces the user's earlier one)."""
    assert reading.text is not None
    row = await repo.replace_pending(
        session=session,
        user_id=profile.user_id,
        filename=filename,
        content=reading.text,
        mapping=_kept_mapping(reading),
        now=now,
    )
    return await _next_step(
        session=session, profile=profile, import_id=row.id, filename=row.filename,
        text=reading.text, reading=reading,
    )  # fmt: skip


async def pending_upload(
    *, session: AsyncSession, profile: Profile, now: datetime, import_id: int
) -> Pending | Stale:
    """The user's kept upload, with their stored transactions in its dates once those are
    known."""
    row = await repo.get_pending(session=session, user_id=profile.user_id, import_id=import_id)
    if row is None:
        return STALE
    kept = json.loads(row.mapping)
    stored: StoredKeys = StoredKeys()
    if kept.get("first") and kept.get("last"):
        stored = await repo.stored_keys(
            session=session,
            user_id=profile.user_id,
            first=date.fromisoformat(kept["first"]) - WINDOW,
            last=date.fromisoformat(kept["last"]) + WINDOW,
        )
    known = await repo.category_ids(session=session, user_id=profile.user_id)
    return Pending(
        row.id,
        row.filename,
        row.content,
        Mapping.from_json(row.mapping),
        stored,
        frozenset(known),
        await _rules(session=session, profile=profile),
    )


def with_column(mapping: Mapping, role: str, column: int) -> Mapping:
    """The mapping with the column the user tapped for ``role`` (``NO_COLUMN``: none)."""
    chosen = None if column in (NO_COLUMN, TWO_COLUMNS) else column
    if column == TWO_COLUMNS:
        return replace(mapping, amount=None, debit=None, credit=None, two_columns=True)
    if role == "amount":
        return replace(mapping, amount=chosen, debit=None, credit=None, two_columns=False)
    if role in ("debit", "credit"):
        if chosen is None:
            return mapping
        if role == "debit":
            return replace(mapping, amount=None, two_columns=True, debit=chosen)
        return replace(mapping, amount=None, two_columns=True, credit=chosen)
    if role == "date":
        return replace(mapping, date=chosen)
    return replace(mapping, note=NO_COLUMN if chosen is None else chosen)


async def save_reading(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    import_id: int,
    text: str,
    reading: Reading,
) -> Step | Stale:
    """Keep the mapping after a column was picked; the next question or the summary to make."""
    row = await repo.get_pending(session=session, user_id=profile.user_id, import_id=import_id)
    if row is None:
        return STALE
    row.mapping = _kept_mapping(reading)
    return await _next_step(
        session=session, profile=profile, import_id=row.id, filename=row.filename, text=text,
        reading=reading,
    )  # fmt: skip


def preview(step: NeedsSummary, summary: Summary) -> Preview | Invalid:
    """The preview from the import worker's figures."""
    reading = step.reading
    if reading.first is None or reading.last is None:
        return Invalid([], 0)
    mapping = reading.mapping
    return Preview(
        import_id=step.import_id,
        filename=step.filename,
        rows=summary.rows,
        duplicates=summary.duplicates,
        totals=summary.totals,
        first=reading.first,
        last=reading.last,
        new_categories=list(summary.new_categories),
        encoding=reading.encoding,
        delimiter=reading.delimiter,
        date_format=mapping.date_format or "",
        decimal=mapping.decimal,
        zero_rows=reading.skipped.zero,
        undated_rows=reading.skipped.undated,
        card_payments=reading.skipped.payments,
        failed_rows=reading.skipped.failed,
        continued_rows=reading.skipped.continued,
        preamble=reading.preamble,
        charges_positive=reading.card.charges_positive if reading.card else None,
        likely=summary.likely,
        likely_shown=summary.likely_shown,
        expensebot=mapping.expensebot,
        transfers=summary.transfers,
        transfers_shown=summary.transfers_shown,
    )


async def claim_import(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    import_id: int,
    categories: Sequence[tuple[str, str]],
) -> dict[tuple[str, str], int] | Stale:
    """Use up the upload (a second tap on Import finds it gone) and add the categories its rows
    are filed under; ``{(kind, lower name): id}`` to store the rows with."""
    if not await repo.delete_pending(session=session, user_id=profile.user_id, import_id=import_id):
        return STALE
    return await _category_ids(session=session, user_id=profile.user_id, names=categories)


async def add_rows(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    rows: Sequence[tuple[date, str, int, str, str | None, str]],
    category_ids: dict[tuple[str, str], int],
    source: tuple[int, int] | None = None,
    start: int = 0,
) -> int:
    """Store one batch of a claimed import's rows (see ``jobs.Fresh``) in one statement.

    ``source`` is the (chat, message) of the import's preview and ``start`` the batch's first
    position: the rows of one import share the message, so Undo and /undo remove them all.
    """
    chat_id, message_id = source if source is not None else (None, None)
    await repo.add_imported(
        session=session,
        user_id=profile.user_id,
        rows=[
            {
                "occurred_on": day,
                "kind": kind,
                "amount_minor": minor,
                "currency": currency,
                "category_id": category_ids.get((kind, name.lower())) if name else None,
                "note": note,
                "source_chat_id": chat_id,
                "source_message_id": message_id,
                "position": start + offset if source is not None else 0,
            }
            for offset, (day, kind, minor, currency, name, note) in enumerate(rows)
        ],
        now=now,
    )
    return len(rows)


async def undo_import(
    *, session: AsyncSession, profile: Profile, now: datetime, chat_id: int, message_id: int
) -> Removed | Stale:
    """Remove every row a confirmed import stored (they share its preview's message)."""
    entries = await tx.entries_from_message(
        session=session, user_id=profile.user_id, chat_id=chat_id, message_id=message_id
    )
    if not entries:
        return STALE
    await tx.delete_entries(
        session=session, user_id=profile.user_id, ids=[e.id for e in entries], now=now
    )
    return Removed(entries, local_now(now, profile.timezone).date())


async def cancel_import(
    *, session: AsyncSession, profile: Profile, now: datetime, import_id: int
) -> Stale | None:
    """Forget an upload."""
    if not await repo.delete_pending(session=session, user_id=profile.user_id, import_id=import_id):
        return STALE
    return None


# --- helpers ---


def _kept_mapping(reading: Reading) -> str:
    """The mapping as stored, with the file's dates (to look up duplicates when confirming)."""
    dates = {
        "first": reading.first.isoformat() if reading.first else None,
        "last": reading.last.isoformat() if reading.last else None,
    }
    return json.dumps({**asdict(reading.mapping), **dates}, separators=(",", ":"))


async def _next_step(
    *,
    session: AsyncSession,
    profile: Profile,
    import_id: int,
    filename: str,
    text: str,
    reading: Reading,
) -> Step:
    mapping = reading.mapping
    width = len(reading.labels)
    used = replace(mapping, note=None).used() if mapping.note == NO_COLUMN else mapping.used()
    free = [i for i in range(width) if i not in used]
    missing = mapping.missing()
    if missing:
        choices = free or list(range(width))
        return AskColumn(import_id, missing[0], [(i, reading.labels[i]) for i in choices], False)
    if mapping.note is None and free:
        return AskColumn(import_id, "note", [(i, reading.labels[i]) for i in free], True)
    if reading.error_count or reading.first is None or reading.last is None:
        await repo.delete_pending(session=session, user_id=profile.user_id, import_id=import_id)
        return Invalid(list(reading.errors), reading.error_count)
    # A few days around the file's dates: an entry typed the day of a purchase that posted later.
    stored = await repo.stored_keys(
        session=session,
        user_id=profile.user_id,
        first=reading.first - WINDOW,
        last=reading.last + WINDOW,
    )
    known = await repo.category_ids(session=session, user_id=profile.user_id)
    return NeedsSummary(
        import_id,
        filename,
        text,
        reading,
        stored,
        frozenset(known),
        profile.currency,
        await _rules(session=session, profile=profile),
    )


async def _rules(*, session: AsyncSession, profile: Profile) -> tuple[tuple[str, str, str], ...]:
    """The words the user taught, for the import worker: (keyword, kind, category name)."""
    if not profile.has_rules:
        return ()
    taught = await rules.user_rules(session=session, user_id=profile.user_id)
    return tuple((r.keyword, r.category.kind, r.category.name) for r in taught)


async def _category_ids(
    *, session: AsyncSession, user_id: int, names: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """``{(kind, lower name): id}`` for the user, adding the (kind, name) categories missing."""
    ids = await repo.category_ids(session=session, user_id=user_id)
    wanted: dict[tuple[str, str], tuple[str, str]] = {}
    for kind, name in names:
        key = (kind, name.lower())
        if key not in ids:
            wanted.setdefault(key, (kind, name))
    # Names beyond the per-kind limit are not created; those rows stay uncategorised.
    room = {kind: MAX_PER_KIND - sum(1 for k, _ in ids if k == kind) for kind in KINDS}
    allowed: list[tuple[str, str]] = []
    for key, value in wanted.items():
        if room.get(key[0], 0) > 0:
            room[key[0]] -= 1
            allowed.append(value)
    if allowed:
        await repo.add_categories(session=session, user_id=user_id, names=allowed)
        return await repo.category_ids(session=session, user_id=user_id)
    return ids
