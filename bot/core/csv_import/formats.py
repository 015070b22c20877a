"""Files that are not CSV text, read as the CSV text the rest of the import works on. Pure.

An Excel workbook (``/export xlsx`` writes one and says it imports back) and an OFX or QFX
download (what many banks offer beside CSV) become a header and rows, so the kept upload, the
column questions and the preview are the same for every format.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.core.csv_import.table import MAX_CELLS, MAX_COLUMNS, ImportFileError, TooLarge, TooWide

XLSX = "xlsx"
OFX = "ofx"
ZIP_MAGIC = b"PK\x03\x04"
OFX_MARK = re.compile(rb"OFXHEADER|<OFX>", re.IGNORECASE)


class NotAWorkbook(ImportFileError):
    message = "That file is a zip archive, not an Excel workbook (.xlsx) or a CSV."


class BadOfx(ImportFileError):
    message = "That OFX file has no transactions I can read. Export it again, or as CSV."


def kind_of(data: bytes) -> str | None:
    """``xlsx``, ``ofx`` or None (text: CSV)."""
    if data.startswith(ZIP_MAGIC):
        return XLSX
    if OFX_MARK.search(data[:4096]):
        return OFX
    return None


def to_text(data: bytes, kind: str) -> str:
    """The file as CSV text."""
    rows = _xlsx_rows(data) if kind == XLSX else _ofx_rows(data)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


# --- xlsx ---


def _cell_text(value: Any) -> str:
    """A cell as the CSV would write it: dates ISO, numbers exact, text as it is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        # The shortest text that reads back as this float: 4.5, not 4.5000000000000001.
        text = repr(value)
        return f"{Decimal(text):f}" if "e" in text.lower() else text
    return str(value)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet with something in it, row by row."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise NotAWorkbook() from None
    try:
        for sheet in workbook.worksheets:
            rows: list[list[str]] = []
            cells = 0
            for values in sheet.iter_rows(values_only=True):
                if len(values) > MAX_COLUMNS:
                    raise TooWide()
                row = [_cell_text(v) for v in values]
                while row and not row[-1]:
                    row.pop()
                rows.append(row)
                cells += len(row)
                if cells > MAX_CELLS:
                    raise TooLarge()
            if any(rows):
                return rows
    finally:
        workbook.close()
    return []


# --- OFX / QFX ---

HEADER = ["Date", "Description", "Amount", "Currency"]


def _ofx_rows(data: bytes) -> list[list[str]]:
    """Date, description (the payee, else the memo), signed amount and currency per
    transaction. ofxtools reads the file; a file it refuses (many banks' OFX bend the
    specification) is read tag by tag."""
    try:
        rows = _ofxtools_rows(data)
    except Exception:  # ofxtools raises many kinds for a malformed file: read it loosely
        rows = []
    loose = _loose_rows(data)
    if len(loose) == len(rows):
        # ofxtools turns 23:00 [-5:EST] into the next day in UTC: the day as written is the
        # day the bank meant.
        rows = [[mine[0], *theirs[1:]] for mine, theirs in zip(loose, rows, strict=True)]
    if not rows:
        rows = loose
    if not rows:
        raise BadOfx()
    return [HEADER, *rows]


def _ofxtools_rows(data: bytes) -> list[list[str]]:
    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    tree.parse(io.BytesIO(data))
    ofx = tree.convert()
    rows: list[list[str]] = []
    for statement in ofx.statements:
        currency = str(getattr(statement, "curdef", "") or "")
        for trn in statement.transactions:
            note = " ".join(str(getattr(trn, "name", "") or getattr(trn, "memo", "") or "").split())
            posted = trn.dtposted
            rows.append([posted.date().isoformat(), note, f"{trn.trnamt:f}", currency])
    return rows


TAG = re.compile(r"<(\w+)>([^<\r\n]*)")


def _loose_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8", errors="replace")
    currency = re.search(r"<CURDEF>\s*([A-Za-z]{3})", text)
    rows: list[list[str]] = []
    for block in re.findall(
        r"<STMTTRN>(.*?)(?:</STMTTRN>|(?=<STMTTRN>)|</BANKTRANLIST>)", text, re.S | re.I
    ):
        fields = {tag.upper(): value.strip() for tag, value in TAG.findall(block)}
        posted, amount = fields.get("DTPOSTED", ""), fields.get("TRNAMT", "")
        if len(posted) < 8 or not amount:
            continue
        day = f"{posted[:4]}-{posted[4:6]}-{posted[6:8]}"
        note = " ".join((fields.get("NAME") or fields.get("MEMO") or "").split())
        rows.append([day, note, amount, currency.group(1).upper() if currency else ""])
    return rows
