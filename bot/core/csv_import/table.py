"""Bytes to a table of cells: encoding, delimiter, and whether the first row is a header."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import NamedTuple

from bot.core.csv_import.headers import is_expensebot, known_names
from bot.core.csv_import.values import any_date, parse_money
from bot.core.errors import UserMistake

MAX_BYTES = 20 * 1024 * 1024  # what Telegram lets a bot download
MAX_ROWS = 100_000
# Bounds on what one file may cost to read: a bank statement has a few dozen columns.
MAX_COLUMNS = 10_000
MAX_CELLS = 2_000_000
MAX_NOTE = 500
# The csv module refuses longer cells; said in the refusal.
MAX_CELL = csv.field_size_limit()


class ImportFileError(UserMistake):
    """A file that can't be imported; nothing was."""

    message = "I couldn't read that file as a CSV."


class NotText(ImportFileError):
    message = "That file isn't a text CSV. Export your statement as CSV and send that."


class EmptyFile(ImportFileError):
    message = "That file has no rows to import."


class TooLarge(ImportFileError):
    message = "That file is too large; split it into files of up to 100,000 rows (20 MB)."


class TooWide(ImportFileError):
    message = (
        f"That file has more than {MAX_COLUMNS} columns; export only the columns you need "
        "(date, amount, description)."
    )


class CutOff(ImportFileError):
    message = "That file's UTF-16 text is cut off (an odd number of bytes); export it again."


class Table(NamedTuple):
    """The file as rows of cells; ``rows`` pairs each row with its line number in the file."""

    header: list[str] | None
    rows: list[tuple[int, list[str]]]
    delimiter: str
    encoding: str
    preamble: int = 0  # lines about the account before the header, left out

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


# --- bytes -> table ---


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without BOM), UTF-16, else cp1252.

    Latin-1 is the last resort because it accepts any byte, so it never fails. A NUL character
    anywhere means binary (and PostgreSQL can't store it in text).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise CutOff() from None
        _refuse_nul(text)
        return text, "utf-16"
    if b"\x00" in data[:4096]:
        raise NotText()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        name = "utf-8" if encoding == "utf-8-sig" else encoding
        if _control_share(text) > 0.01:
            raise NotText()
        _refuse_nul(text)
        return text, name
    raise NotText()  # pragma: no cover - latin-1 decodes anything


def _refuse_nul(text: str) -> None:
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise ImportFileError(f"line {line} holds a NUL character, so this isn't a text CSV.")


def _control_share(text: str) -> float:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls / max(len(sample), 1)


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``, ; TAB |`` that splits the first lines most consistently."""
    lines = [line for line in text[: 64 * 1024].splitlines()[:50] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t", "|"):
        try:
            rows = list(csv.reader(lines, delimiter=delimiter, quotechar='"'))
        except csv.Error:  # e.g. a cell over the csv module's limit: not this delimiter's fault
            continue
        counts = [len(row) for row in rows if row]
        if not counts or max(counts) < 2:
            continue
        # The width most rows of several cells share: one-cell lines (a statement's title, a
        # trailer) say nothing about the delimiter.
        common, times = Counter(c for c in counts if c >= 2).most_common(1)[0]
        score = times / len(counts) * 10 + min(common, 10) / 10
        if common >= 2 and score > best_score:
            best, best_score = delimiter, score
    return best


def read_table(data: bytes) -> Table:
    """Decode and split the file; the first row is a header when no cell in it is a value."""
    if len(data) > MAX_BYTES:
        raise TooLarge()
    text, encoding = decode(data)
    return split_text(text, encoding)


def split_text(text: str, encoding: str = "utf-8") -> Table:
    """Rows of cells from decoded text (see ``read_table``)."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    rows: list[tuple[int, list[str]]] = []
    start = 1
    cells_read = 0
    try:
        for cells in reader:
            if len(cells) > MAX_COLUMNS:
                raise TooWide()
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
                cells_read += len(cells)
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1 or cells_read > MAX_CELLS:
                raise TooLarge()
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"line {reader.line_num + 1} has a cell longer than {MAX_CELL:,} characters."
            ) from None
        raise ImportFileError(f"line {reader.line_num}: {exc}") from None
    if not rows:
        raise EmptyFile()
    at = _header_at(rows)
    preamble = 0
    if at is not None:
        header: list[str] | None = [cell.strip() for cell in rows[at][1]]
        preamble, rows = at, rows[at + 1 :]
    else:
        header = None
    if not rows:
        raise EmptyFile()
    if is_expensebot(header):
        # Its unquoted descriptions hold commas: the description is whatever lies between.
        rows = [(line, [c[0], ",".join(c[1:-3]), *c[-3:]] if len(c) > 5 else c) for line, c in rows]
    return Table(header, rows, delimiter, encoding, preamble)


# A statement's preamble (account, period, opening balance) is a few lines, not pages.
PREAMBLE_ROWS = 30


def _header_at(rows: list[tuple[int, list[str]]]) -> int | None:
    """Which row is the header: the first that names two known columns and holds no value
    (lines about the account may come before it); else the first row if it holds no value."""
    for at, (_, cells) in enumerate(rows[:PREAMBLE_ROWS]):
        if known_names(cells) >= 2 and not any(_looks_like_value(cell) for cell in cells):
            return at
    if all(not _looks_like_value(cell) for cell in rows[0][1]):
        return 0
    return None


def _looks_like_value(cell: str) -> bool:
    cell = cell.strip()
    if not cell:
        return False
    return parse_money(cell, ".") is not None or any_date(cell) is not None
