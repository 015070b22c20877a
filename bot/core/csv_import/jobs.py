"""An import's work on a file as whole jobs, each from text (or bytes) to a small result. Pure.

Reading a file is the CPU-heavy part of /import: decoding, splitting, guessing the columns and
formats, reading every row. These functions do all of it in one call each and return only what
the bot needs to show or store, so a caller can run them in a worker process and never on the
event loop. Results are plain picklable values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.categories import FALLBACK
from bot.core.csv_import.columns import Mapping, detect_mapping, with_formats
from bot.core.csv_import.duplicates import Likely, split_duplicates
from bot.core.csv_import.filing import Filing
from bot.core.csv_import.formats import kind_of, to_text
from bot.core.csv_import.rows import Card, ImportRow, RowError, Skipped, read_rows
from bot.core.csv_import.table import MAX_BYTES, Table, TooLarge, decode, split_text
from bot.core.money import to_minor

NOTHING_SKIPPED = Skipped()
NO_COLUMN = 999  # the mapping's "the user said there is no note column"
TWO_COLUMNS = 998  # the amount question's "money out and in are two columns"
SHOWN_ERRORS = 10
SHOWN_LIKELY = 5


@dataclass(frozen=True)
class Reading:
    """What a file holds, as far as the columns are known; ``text`` only for a new upload."""

    text: str | None
    encoding: str
    delimiter: str
    mapping: Mapping
    labels: tuple[str, ...]  # every column's label, in order
    rows: int
    errors: tuple[RowError, ...]  # the first few lines that can't be read
    error_count: int
    first: date | None
    last: date | None
    skipped: Skipped = NOTHING_SKIPPED  # rows that are not transactions
    preamble: int = 0  # lines before the header
    card: Card | None = None  # a card statement (it shows the card paid off)

    @property
    def complete(self) -> bool:
        """Every row is read: the date and amount columns are known."""
        return not self.mapping.missing()


@dataclass(frozen=True)
class Summary:
    """What confirming would import: the preview's figures."""

    rows: int
    duplicates: int
    totals: dict[tuple[str, str], Decimal]  # (currency, kind) -> total of what is new
    new_categories: tuple[str, ...]
    likely: int = 0  # rows that look like entries the user typed
    likely_shown: tuple[Likely, ...] = ()  # the first few of them
    transfers: int = 0  # new rows that move money between accounts
    transfers_shown: tuple[ImportRow, ...] = ()


StoredKeys = Counter[tuple[Any, ...]]


def usable(mapping: Mapping) -> Mapping:
    """The mapping without the "no note column" marker."""
    return replace(mapping, note=None) if mapping.note == NO_COLUMN else mapping


def read_upload(data: bytes, *, month_first: bool, default_currency: str) -> Reading:
    """A new upload: decode, split, guess the columns and formats, read the rows.

    Raises ``ImportFileError`` when it isn't a readable CSV.
    """
    if len(data) > MAX_BYTES:
        raise TooLarge()
    kind = kind_of(data)
    text, encoding = (to_text(data, kind), kind) if kind else decode(data)
    table = split_text(text, encoding)
    mapping = detect_mapping(table, month_first=month_first, currency=default_currency)
    return _reading(table, mapping, default_currency, text=text)


def reread(
    text: str, mapping: Mapping, *, month_first: bool, default_currency: str
) -> Reading | None:
    """The kept upload with a column the user picked; None when that column isn't there."""
    table = split_text(text, mapping.encoding)
    chosen = [mapping.date, mapping.amount, mapping.debit, mapping.credit, mapping.note]
    if any(c is not None and c != NO_COLUMN and not 0 <= c < table.width for c in chosen):
        return None
    mapping = with_formats(table, mapping, month_first=month_first, currency=default_currency)
    return _reading(table, mapping, default_currency, text=None)


def summarize(
    text: str,
    mapping: Mapping,
    *,
    default_currency: str,
    stored: StoredKeys,
    known: frozenset[tuple[str, str]],
    rules: tuple[tuple[str, str, str], ...] = (),
) -> Summary:
    """The preview's figures; ``stored`` are the user's transactions in the file's dates (and
    a few days around them), ``known`` their categories as (kind, lower-case name) and
    ``rules`` the words they taught as (keyword, kind, category name)."""
    items = read_rows(
        split_text(text),
        usable(mapping),
        default_currency=default_currency,
        filing=Filing(known, rules),
    ).items
    split = split_duplicates(items, stored)
    totals: dict[tuple[str, str], Decimal] = {}
    for item in split.fresh:
        key = (item.currency, item.kind)
        totals[key] = totals.get(key, Decimal(0)) + item.amount
    new = {
        name
        for item in split.fresh
        if (name := category_name(item)) and (item.kind, name.lower()) not in known
    }
    transfers = [item for item in split.fresh if item.transfer]
    return Summary(
        len(items),
        split.exact,
        totals,
        tuple(sorted(new)),
        len(split.likely),
        tuple(split.likely[:SHOWN_LIKELY]),
        len(transfers),
        tuple(transfers[:SHOWN_LIKELY]),
    )


@dataclass(frozen=True)
class Fresh:
    """What confirming stores: the new rows as plain column values, and the rest's counts."""

    # (occurred_on, kind, amount in minor units, currency, category name or None, note)
    rows: list[tuple[date, str, int, str, str | None, str]]
    duplicates: int
    unreadable: int  # lines that can't be read: then nothing is to be stored
    categories: tuple[tuple[str, str], ...]  # (kind, name) the rows are filed under
    likely: int = 0  # rows that look like entries typed in, left out
    transfers: int = 0  # transfers between accounts, left out


def fresh_rows(
    text: str,
    mapping: Mapping,
    *,
    default_currency: str,
    stored: StoredKeys,
    with_likely: bool = False,
    with_transfers: bool = True,
    known: frozenset[tuple[str, str]] = frozenset(),
    rules: tuple[tuple[str, str, str], ...] = (),
) -> Fresh:
    """The rows to import (those not stored yet) as column values; ``with_likely`` adds those
    that only look like entries the user typed (see ``summarize`` for the rest)."""
    items, errors, *_ = read_rows(
        split_text(text),
        usable(mapping),
        default_currency=default_currency,
        filing=Filing(known, rules),
    )
    if errors or not items:
        return Fresh([], 0, len(errors), ())
    split = split_duplicates(items, stored)
    fresh = split.fresh
    if with_likely:
        chosen = {id(likely.row) for likely in split.likely} | {id(item) for item in fresh}
        fresh = [item for item in items if id(item) in chosen]  # in the file's order
    transfers = 0
    if not with_transfers:
        kept = [item for item in fresh if not item.transfer]
        transfers, fresh = len(fresh) - len(kept), kept
    rows = [
        (
            item.occurred_on,
            item.kind,
            to_minor(item.amount, item.currency),
            item.currency,
            category_name(item),
            item.note,
        )
        for item in fresh
    ]
    names = {(kind, name): None for _, kind, _, _, name, _ in rows if name is not None}
    left_out = 0 if with_likely else len(split.likely)
    return Fresh(rows, split.exact, 0, tuple(names), left_out, transfers)


def without_duplicates(items: list[ImportRow], stored: StoredKeys) -> list[ImportRow]:
    """Rows not stored yet, exactly; as multisets, so two equal coffees in the file and one
    stored import one."""
    return split_duplicates(items, stored).fresh


def category_name(item: ImportRow) -> str | None:
    """The category to file the row under; None for an explicitly uncategorized row."""
    if item.category == "":
        return None
    return item.category or FALLBACK


def _reading(table: Table, mapping: Mapping, default_currency: str, *, text: str | None) -> Reading:
    labels = tuple(table.column_label(i) for i in range(table.width))
    if mapping.missing():
        return Reading(
            text,
            table.encoding,
            table.delimiter,
            mapping,
            labels,
            len(table.rows),
            (),
            0,
            None,
            None,
        )
    items, errors, skipped, card = read_rows(
        table, usable(mapping), default_currency=default_currency
    )
    days = [item.occurred_on for item in items]
    return Reading(
        text,
        table.encoding,
        table.delimiter,
        mapping,
        labels,
        len(items) if not errors else len(table.rows),
        tuple(errors[:SHOWN_ERRORS]),
        len(errors),
        min(days, default=None),
        max(days, default=None),
        skipped,
        table.preamble,
        card,
    )
