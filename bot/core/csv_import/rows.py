"""Reading a CSV someone else wrote: encoding, delimiter, columns, dates and decimals. Pure.

The file is Penny's own export or a bank statement. Nothing here touches Telegram or the
database: ``read_table`` turns bytes into rows, ``detect_mapping`` guesses which column is
what, and ``parse_rows`` turns rows into transactions, returning ``(items, errors)`` so a bad
file can be reported line by line and imported not at all.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from bot.core.money import AmountError, D, check_amount, is_currency
from bot.core.parsing import match_category

MAX_BYTES = 20 * 1024 * 1024  # what Telegram lets a bot download
MAX_ROWS = 100_000
MAX_NOTE = 500


class ImportFileError(ValueError):
    """I couldn't read that file as a CSV."""


class NotText(ImportFileError):
    """That file isn't a text CSV. Export your statement as CSV and send that."""


class EmptyFile(ImportFileError):
    """That file has no rows to import."""


class TooLarge(ImportFileError):
    """That file is too large; split it into files of up to 100,000 rows (20 MB)."""


class Table(NamedTuple):
    """The file as rows of cells; ``rows`` pairs each row with its line number in the file."""

    header: list[str] | None
    rows: list[tuple[int, list[str]]]
    delimiter: str
    encoding: str

    @property
    def width(self) -> int:
        widths = [len(cells) for _, cells in self.rows[:200]]
        return max([len(self.header or []), *widths])

    def column_label(self, index: int) -> str:
        """The header name, or ``column 3 (e.g. 12.50)`` for a file without one."""
        if self.header and index < len(self.header) and self.header[index].strip():
            return self.header[index].strip()[:30]
        sample = next((cells[index] for _, cells in self.rows if index < len(cells)), "")
        return f"column {index + 1} (e.g. {sample.strip()[:16]})"


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


class ImportRow(NamedTuple):
    """One transaction read from the file; ``category`` "" means none, None means not known."""

    occurred_on: date
    kind: str
    amount: Decimal
    currency: str
    category: str | None
    note: str


class RowError(NamedTuple):
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


# --- bytes -> table ---


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without BOM), UTF-16, else cp1252.

    Latin-1 is the last resort because it accepts any byte, so it never fails.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise NotText(NotText.__doc__)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        if _control_share(text) > 0.01:
            raise NotText(NotText.__doc__)
        return text, name
    raise NotText(NotText.__doc__)  # pragma: no cover - latin-1 decodes anything


def _control_share(text: str) -> float:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls / max(len(sample), 1)


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``, ; TAB |`` that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t", "|"):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter, quotechar='"') if row]
        if not counts or max(counts) < 2:
            continue
        common, times = Counter(counts).most_common(1)[0]
        score = times / len(counts) * 10 + min(common, 10) / 10
        if common >= 2 and score > best_score:
            best, best_score = delimiter, score
    return best


def read_table(data: bytes) -> Table:
    """Decode and split the file; the first row is a header when no cell in it is a value."""
    if len(data) > MAX_BYTES:
        raise TooLarge(TooLarge.__doc__)
    text, encoding = decode(data)
    return split_text(text, encoding)


def split_text(text: str, encoding: str = "utf-8") -> Table:
    """Rows of cells from decoded text (see ``read_table``)."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:
                raise TooLarge(TooLarge.__doc__)
    except csv.Error as exc:
        raise ImportFileError(f"line {reader.line_num}: {exc}") from None
    if not rows:
        raise EmptyFile(EmptyFile.__doc__)
    first = rows[0][1]
    if all(not _looks_like_value(cell) for cell in first):
        header = [cell.strip() for cell in first]
        rows = rows[1:]
    else:
        header = None
    if not rows:
        raise EmptyFile(EmptyFile.__doc__)
    return Table(header, rows, delimiter, encoding)


def _looks_like_value(cell: str) -> bool:
    cell = cell.strip()
    if not cell:
        return False
    return parse_money(cell, ".") is not None or _any_date(cell) is not None


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
    sample = [cells for _, cells in table.rows[:100]]
    found: dict[str, int] = {}
    numeric: list[int] = []
    text_width: dict[int, int] = {}
    for i in range(table.width):
        values = [row[i].strip() for row in sample if i < len(row) and row[i].strip()]
        if not values:
            continue
        if "date" not in found and all(_any_date(v) for v in values):
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
    values = [v for i in money if i is not None for v in _column(table, i)]
    return replace(
        mapping, date_format=date_format, decimal=detect_decimal(values, table.delimiter)
    )


def _column(table: Table, index: int) -> list[str]:
    return [cells[index].strip() for _, cells in table.rows if index < len(cells)]


# --- dates ---

DAY_FIRST = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y", "%d/%m/%y", "%d-%m-%y")
MONTH_FIRST = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%m-%d-%y")
OTHER_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %y",
    "%Y%m%d",
)
ISO_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?$")


def _date_formats(month_first: bool) -> tuple[str, ...]:
    ambiguous = MONTH_FIRST + DAY_FIRST if month_first else DAY_FIRST + MONTH_FIRST
    return ISO_FORMATS + ambiguous + OTHER_FORMATS


def _strip_time(value: str) -> str:
    return TIME_SUFFIX.sub("", value.strip())


def parse_date(value: str, date_format: str) -> date | None:
    try:
        return datetime.strptime(_strip_time(value), date_format).date()
    except ValueError:
        return None


def _any_date(value: str) -> date | None:
    if not re.search(r"\d", value) or len(value) > 40:
        return None
    for date_format in _date_formats(False):
        found = parse_date(value, date_format)
        if found is not None:
            return found
    return None


def detect_date_format(values: Sequence[str], *, month_first: bool = False) -> str | None:
    """The format that reads the most values (all, in a good file); ambiguous day/month
    order follows ``month_first``."""
    present = [v for v in values if v]
    best: str | None = None
    best_count = 0
    for date_format in _date_formats(month_first):
        count = 0
        for value in present:
            if parse_date(value, date_format) is None:
                if count == 0 and best_count > 0:
                    break
                continue
            count += 1
        if count == len(present) and present:
            return date_format
        if count > best_count:
            best, best_count = date_format, count
    return best


# --- money ---

NUMBER = re.compile(r"^\d+(\.\d+)?$")


def detect_decimal(values: Sequence[str], delimiter: str) -> str:
    """``.`` or ``,`` as the decimal mark, by what the amounts show; ``;`` files lean to ``,``.

    A mark followed by one or two digits at the end is decimal; one repeated, or followed by
    exactly three digits, is a thousands separator (and weaker evidence).
    """
    votes: Counter[str] = Counter()
    for raw in values:
        value = re.sub(r"[^\d.,]", "", raw)
        if "." in value and "," in value:
            votes["." if value.rfind(".") > value.rfind(",") else ","] += 2
            continue
        for mark, other in ((".", ","), (",", ".")):
            if mark not in value:
                continue
            if value.count(mark) > 1:
                votes[other] += 2
            elif re.search(rf"\{mark}\d{{1,2}}$", value):
                votes[mark] += 2
            elif re.search(rf"\{mark}\d{{3}}$", value):
                votes[other] += 1
    if votes[","] != votes["."]:
        return "," if votes[","] > votes["."] else "."
    return "," if delimiter == ";" else "."


def parse_money(value: str, decimal: str) -> Decimal | None:
    """A signed amount from bank text: ``-1,234.50``, ``1.234,50``, ``(12.00)``, ``12.00-``,
    ``€ 12``, ``1 234,56``. None when it isn't one."""
    text = value.strip().replace("\u2212", "-")
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    text = re.sub(r"^[^\d+\-.,]*", "", text)  # a currency symbol or code in front
    text = re.sub(r"[^\d.,\-]*$", "", text)  # or behind
    if text.startswith(("-", "+")):
        negative, text = negative or text[0] == "-", text[1:].lstrip()
    elif text.endswith("-"):
        negative, text = True, text[:-1]
    thousands = "," if decimal == "." else "."
    text = re.sub(r"[\s\u00a0\u202f']", "", text).replace(thousands, "")
    text = text.replace(decimal, ".")
    if not NUMBER.match(text):
        return None
    amount = D(text)
    return -amount if negative else amount


# --- rows -> transactions ---

EXPENSE_WORDS = frozenset({"expense", "debit", "dr", "d", "out", "withdrawal", "payment", "-"})
INCOME_WORDS = frozenset({"income", "credit", "cr", "c", "in", "deposit", "+"})


def parse_rows(
    table: Table, mapping: Mapping, *, default_currency: str
) -> tuple[list[ImportRow], list[RowError]]:
    """Every row as a transaction, or an error naming its line; nothing is skipped silently."""
    items: list[ImportRow] = []
    errors: list[RowError] = []
    if mapping.missing():
        return [], [RowError(0, "no " + " or ".join(mapping.missing()) + " column")]
    needed = max(mapping.used()) + 1
    for line, cells in table.rows:
        if len(cells) < needed:
            errors.append(RowError(line, f"expected {needed} columns, found {len(cells)}"))
            continue
        row = _parse_row(cells, mapping, default_currency)
        if isinstance(row, str):
            errors.append(RowError(line, row))
        else:
            items.append(row)
    return items, errors


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None else ""


def _parse_row(cells: list[str], mapping: Mapping, default_currency: str) -> ImportRow | str:
    raw_date = _cell(cells, mapping.date)
    day = parse_date(raw_date, mapping.date_format) if mapping.date_format else None
    if day is None:
        return f"can't read the date {raw_date[:30]!r}" if raw_date else "no date"
    signed = _signed_amount(cells, mapping)
    if isinstance(signed, str):
        return signed
    kind = "income" if signed > 0 else "expense"
    written = _cell(cells, mapping.type).lower()
    if written in EXPENSE_WORDS or written in INCOME_WORDS:
        kind = "expense" if written in EXPENSE_WORDS else "income"
    currency = (_cell(cells, mapping.currency) or default_currency).upper()
    if not is_currency(currency):
        return f"unknown currency {currency[:10]!r}"
    try:
        amount = check_amount(abs(signed), currency)
    except AmountError as exc:
        return str(exc)
    note = " ".join(_cell(cells, mapping.note).split())[:MAX_NOTE]
    # An empty category cell means "none" (Penny's export writes one for an uncategorized
    # transaction); without a category column the parser's dictionary guesses one.
    if mapping.category is not None:
        category: str | None = _cell(cells, mapping.category)[:64]
    else:
        category = match_category(note, kind)
    return ImportRow(day, kind, amount, currency, category, note)


def _signed_amount(cells: list[str], mapping: Mapping) -> Decimal | str:
    """Positive for money in, negative for money out."""
    if mapping.amount is not None:
        raw = _cell(cells, mapping.amount)
        value = parse_money(raw, mapping.decimal)
        if value is None:
            return f"can't read the amount {raw[:30]!r}" if raw else "no amount"
    else:
        value = Decimal(0)
        raws = ((_cell(cells, mapping.credit), 1), (_cell(cells, mapping.debit), -1))
        if not any(raw for raw, _ in raws):
            return "no amount"
        for raw, sign in raws:
            if not raw:
                continue
            part = parse_money(raw, mapping.decimal)
            if part is None:
                return f"can't read the amount {raw[:30]!r}"
            value += sign * abs(part)
    if value == 0:
        return "the amount is zero"
    return value


def dedupe_key(row: ImportRow, minor: int) -> tuple[date, str, int, str, str]:
    """What makes two transactions the same for the duplicate check."""
    return (row.occurred_on, row.kind, minor, row.currency, row.note)
