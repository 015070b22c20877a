"""Which column is which: header words in several languages, or a look at the cells."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from bot.core.csv_import.headers import NORMAL, is_expensebot, normal, role_of
from bot.core.csv_import.table import Table
from bot.core.csv_import.values import (
    any_date,
    detect_date_format,
    detect_decimal,
    parse_money,
    sample,
)
from bot.core.money import exponent, is_currency


@dataclass(frozen=True)
class Mapping:
    """Which column (0-based) holds what; None when the file has no such column."""

    date: int | None = None
    amount: int | None = None
    debit: int | None = None
    credit: int | None = None
    note: int | None = None
    currency: int | None = None
    category: int | None = None
    type: int | None = None
    date_format: str | None = None
    decimal: str = "."
    encoding: str = "utf-8"
    # The user said money out and money in are two columns: ask for both.
    two_columns: bool = False
    # The file is @ExpenseBot's export: a positive amount is money spent.
    expensebot: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in json.loads(text).items() if k in known})

    def missing(self) -> list[str]:
        """Roles the user still has to pick a column for: ``date`` and ``amount``."""
        gaps = []
        if self.date is None:
            gaps.append("date")
        if self.two_columns and self.amount is None:
            if self.debit is None:
                gaps.append("debit")
            elif self.credit is None:
                gaps.append("credit")
        elif self.amount is None and self.debit is None and self.credit is None:
            gaps.append("amount")
        return gaps

    def used(self) -> set[int]:
        roles = (self.date, self.amount, self.debit, self.credit, self.note, self.currency)
        return {i for i in (*roles, self.category, self.type) if i is not None}


# --- columns ---

PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

# Words that say which way the money went, in a direction column (``Af Bij``, ``D/K``).
DIRECTION_VALUES = frozenset(
    {"debit", "credit", "dr", "cr", "d", "c", "k", "af", "bij", "soll", "haben", "s", "h", "debet"}
)


def detect_mapping(table: Table, *, month_first: bool = False, currency: str = "USD") -> Mapping:
    """Columns from clear header names, else from what the cells look like; then the formats."""
    found: dict[str, int] = {}
    if table.header:
        names = [normal(h) for h in table.header]
        for role, synonyms in NORMAL.items():
            if role in ("date", "note"):  # a file may have several: the likeliest by the list
                ranked = sorted(
                    (synonyms.index(n), i)
                    for i, n in enumerate(names)
                    if n in synonyms and i not in found.values()
                )
                if ranked:
                    found[role] = ranked[0][1]
                continue
            for i, name in enumerate(names):
                if name in synonyms and i not in found.values():
                    found.setdefault(role, i)
        for i, header in enumerate(table.header):
            hinted = role_of(header)
            if hinted is not None and i not in found.values():
                found.setdefault(hinted, i)
        direction = _direction_column(table, set(found.values()) - {found.get("type")})
        if direction is not None:
            found["type"] = direction
            if found.get("note") == direction:
                del found["note"]
    else:
        found = _mapping_from_cells(table)
    roles: dict[str, Any] = dict(found)
    mapping = Mapping(**roles, encoding=table.encoding, expensebot=is_expensebot(table.header))
    return with_formats(table, mapping, month_first=month_first, currency=currency)


def _direction_column(table: Table, taken: set[int]) -> int | None:
    """A column whose every value says debit or credit (``Af``/``Bij``, ``DEBIT``/``CREDIT``)."""
    for i in range(table.width):
        if i in taken:
            continue
        values = {v.lower().strip(" .") for v in sample(_column(table, i)) if v}
        if values and values <= DIRECTION_VALUES and len(values) <= 4:
            return i
    return None


def _mapping_from_cells(table: Table) -> dict[str, int]:
    """For a file without a header: the date column, a lone number column, the widest text."""
    first_rows = [cells for _, cells in table.rows[:100]]
    found: dict[str, int] = {}
    numeric: list[int] = []
    text_width: dict[int, int] = {}
    for i in range(table.width):
        values = [row[i].strip() for row in first_rows if i < len(row) and row[i].strip()]
        if not values:
            continue
        if "date" not in found and all(any_date(v) for v in values):
            found["date"] = i
        elif all(parse_money(v, ".") is not None or parse_money(v, ",") for v in values):
            numeric.append(i)
        else:
            text_width[i] = sum(len(v) for v in values)
    if len(numeric) == 1:
        found["amount"] = numeric[0]
    if text_width:
        found["note"] = max(text_width, key=lambda i: text_width[i])
    return found


def with_formats(
    table: Table, mapping: Mapping, *, month_first: bool = False, currency: str = "USD"
) -> Mapping:
    """The mapping with the date format and decimal style its columns use; ``currency`` is
    the one plain amounts are in (JOD, KWD, BHD have three decimals, so ``4.750`` is 4.75)."""
    date_format = mapping.date_format
    if mapping.date is not None:
        date_format = detect_date_format(_column(table, mapping.date), month_first=month_first)
    money = [mapping.amount, mapping.debit, mapping.credit]
    values = [v for i in money if i is not None for v in sample(_column(table, i))]
    if mapping.currency is not None:
        written = Counter(v.upper() for v in sample(_column(table, mapping.currency)))
        if written and is_currency(top := written.most_common(1)[0][0]):
            currency = top
    decimal = detect_decimal(values, table.delimiter, places=exponent(currency))
    # A workbook's number cells and OFX amounts are plain numbers with a point: 1.234 is not
    # a thousand there.
    if table.encoding in ("xlsx", "ofx") and all(PLAIN_NUMBER.match(v) for v in values):
        decimal = "."
    return replace(mapping, date_format=date_format, decimal=decimal)


def _column(table: Table, index: int) -> list[str]:
    return [cells[index].strip() for _, cells in table.rows if index < len(cells)]
