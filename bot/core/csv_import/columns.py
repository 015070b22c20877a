"""Which column is which: header words in several languages, or a look at the cells."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from bot.core.csv_import.table import Table
from bot.core.csv_import.values import (
    any_date,
    detect_date_format,
    detect_decimal,
    parse_money,
    sample,
)


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
        if self.amount is None and self.debit is None and self.credit is None:
            gaps.append("amount")
        return gaps

    def used(self) -> set[int]:
        roles = (self.date, self.amount, self.debit, self.credit, self.note, self.currency)
        return {i for i in (*roles, self.category, self.type) if i is not None}


# --- columns ---

SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "datum",
        "fecha",
        "data",
        "day",
        "booking date",
        "transaction date",
        "trans date",
        "posting date",
        "posted date",
        "posted",
        "value date",
        "completed date",
        "started date",
        "buchungstag",
        "valuta",
    ),
    "amount": (
        "amount",
        "sum",
        "value",
        "betrag",
        "importe",
        "montant",
        "amt",
        "transaction amount",
        "total",
    ),
    "debit": (
        "debit",
        "debits",
        "debit amount",
        "withdrawal",
        "withdrawals",
        "paid out",
        "money out",
        "out",
        "outflow",
        "spent",
        "expense",
        "expenses",
    ),
    "credit": (
        "credit",
        "credits",
        "credit amount",
        "deposit",
        "deposits",
        "paid in",
        "money in",
        "in",
        "inflow",
        "received",
        "income",
    ),
    "note": (
        "note",
        "notes",
        "description",
        "memo",
        "details",
        "transaction details",
        "payee",
        "narrative",
        "merchant",
        "name",
        "reference",
        "text",
        "particulars",
        "counterparty",
        "verwendungszweck",
        "beschreibung",
        "concepto",
        "libelle",
    ),
    "currency": ("currency", "ccy", "cur", "curr", "wahrung", "devise", "moneda"),
    "category": ("category", "categories", "kategorie", "categoria", "categorie"),
    "type": ("type", "kind", "transaction type", "dr cr", "cr dr", "debit credit", "direction"),
}
# A word inside a longer header that still says what the column is ("Amount (EUR)").
WORD_HINTS = (("date", "date"), ("amount", "amount"), ("description", "note"), ("memo", "note"))


def _normal(header: str) -> str:
    """``Währung`` -> ``wahrung``, ``Amount (EUR)`` -> ``amount eur``."""
    decomposed = unicodedata.normalize("NFKD", header.lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def detect_mapping(table: Table, *, month_first: bool = False) -> Mapping:
    """Columns from clear header names, else from what the cells look like; then the formats."""
    found: dict[str, int] = {}
    if table.header:
        names = [_normal(h) for h in table.header]
        for role, synonyms in SYNONYMS.items():
            for i, name in enumerate(names):
                if name in synonyms and i not in found.values():
                    found.setdefault(role, i)
        for word, role in WORD_HINTS:
            for i, name in enumerate(names):
                tokens = name.split()
                if word in tokens and "balance" not in tokens and i not in found.values():
                    found.setdefault(role, i)
    else:
        found = _mapping_from_cells(table)
    roles: dict[str, Any] = dict(found)
    mapping = Mapping(**roles, encoding=table.encoding)
    return with_formats(table, mapping, month_first=month_first)


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


def with_formats(table: Table, mapping: Mapping, *, month_first: bool = False) -> Mapping:
    """The mapping with the date format and decimal style its columns use."""
    date_format = mapping.date_format
    if mapping.date is not None:
        date_format = detect_date_format(_column(table, mapping.date), month_first=month_first)
    money = [mapping.amount, mapping.debit, mapping.credit]
    values = [v for i in money if i is not None for v in sample(_column(table, i))]
    return replace(
        mapping, date_format=date_format, decimal=detect_decimal(values, table.delimiter)
    )


def _column(table: Table, index: int) -> list[str]:
    return [cells[index].strip() for _, cells in table.rows if index < len(cells)]
