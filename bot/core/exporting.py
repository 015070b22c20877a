"""What /export takes as arguments, and the CSV and XLSX files it writes. Pure.

The CSV is Penny's documented format, ``date,type,amount,currency,category,note``: ISO dates,
``expense``/``income``/``refund`` (money back into an expense category), positive amounts with
``.`` as the decimal point and the currency's own number of decimals. A shared ledger's export
adds ``member`` (who paid) after them, so a reader of the older columns reads it unchanged.
/import reads both back exactly.

Categories and notes are the user's own text, and a spreadsheet runs a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or blanks before one, or its full-width
form) as a formula (``=HYPERLINK(…)``, ``+1+cmd|' /C calc'!A0``). So, as OWASP advises
against CSV injection, such a cell is written
with a leading ``'``, which spreadsheets read as "this is text"; /import takes exactly one off
again (:func:`restore_cell`). The other columns are Penny's own (dates, kinds, currency codes,
positive amounts) and are never prefixed. The XLSX file marks those cells as strings instead,
so they are never formulas there either. A member's name is their own text too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from bot.core import periods
from bot.core.errors import UserMistake
from bot.core.periods import Period, month_of

CSV_HEADER = ("date", "type", "amount", "currency", "category", "note")
MEMBER_COLUMN = "member"

Format = Literal["csv", "xlsx", "json"]
_FORMATS: dict[str, Format] = {"xlsx": "xlsx", "excel": "xlsx", "csv": "csv", "json": "json"}


class ExportRow(NamedTuple):
    occurred_on: date
    kind: str
    amount: Decimal
    currency: str
    category: str
    note: str
    # Who paid, in a shared ledger's export.
    member: str = ""


@dataclass(frozen=True)
class ExportRequest:
    """The file format and the period (None means everything); ``label`` names the period."""

    format: Format = "csv"
    period: Period | None = None
    label: str = "all"
    slug: str = "all"


class ExportArgsError(UserMistake):
    """The /export period can't be read."""

    message = (
        "I didn't understand that period; try /export last month, /export 2026-10 or /export xlsx."
    )


class JsonPeriodError(UserMistake):
    """``/export json`` with a period: the JSON file is everything, always."""

    message = (
        "/export json is everything Penny stores about you, so it takes no period; "
        "for one period's transactions try /export last month."
    )


def parse_export_args(args: Sequence[str], today: date, month_start: int = 1) -> ExportRequest:
    """Read ``/export [xlsx|csv] [period]``; the period words are the reports' own.

    ``last month``, ``2026-10``, ``october``, ``2026``, ``1 oct - 15 oct`` … (see
    ``bot.core.periods.parse_period``); periods are half-open ``[start, end)``.
    """
    words = [w.lower() for w in args]
    fmt: Format = "csv"
    for name, chosen in _FORMATS.items():
        if name in words:
            fmt = chosen
            words.remove(name)
    text = " ".join(words)
    if not text or text in {"all", "everything"}:
        return ExportRequest(fmt)
    if fmt == "json":
        raise JsonPeriodError()
    period = periods.parse_period(text, today, month_start)
    if period is None:
        raise ExportArgsError()
    return ExportRequest(fmt, period, periods.label(period), _slug(period))


def _slug(period: Period) -> str:
    """The period in a file name: ``2026-10``, ``2026`` or ``2026-10-01_2026-10-15``."""
    last = period.end - timedelta(days=1)
    if period == month_of(period.start):
        return period.start.strftime("%Y-%m")
    if period.start == date(period.start.year, 1, 1) and last == date(period.start.year, 12, 31):
        return str(period.start.year)
    return f"{period.start.isoformat()}_{last.isoformat()}"


# A cell a spreadsheet would read as a formula, after any apostrophes already in front of it:
# those get one more, so that restore_cell(neutralise_cell(text)) == text for every text.
# OWASP's = + - @ tab and CR, also after blanks (spreadsheets that trim cells on import run
# " =1+1"), and their full-width forms (Excel in CJK locales reads "＝1+1" as "=1+1").
_FORMULA = re.compile(r"'*(?:\s*[=+\-@＝＋－＠]|[\t\r])")


def neutralise_cell(text: str) -> str:
    """User text as a CSV cell that no spreadsheet runs: a leading ``'`` before a formula."""
    return "'" + text if _FORMULA.match(text) else text


def restore_cell(text: str) -> str:
    """The text :func:`neutralise_cell` was given (other text is returned as it is)."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text


def amount_text(amount: Decimal) -> str:
    """The amount as the CSV writes it: plain digits, ``.`` decimal point, no exponent."""
    return f"{amount:f}"


def header(*, members: bool = False) -> tuple[str, ...]:
    """The columns, with ``member`` last for a shared ledger."""
    return (*CSV_HEADER, MEMBER_COLUMN) if members else CSV_HEADER


def render_csv(rows: Iterable[ExportRow], *, members: bool = False) -> tuple[bytes, int]:
    """The CSV file and how many transactions it holds; ``members`` adds who paid."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header(members=members))
    count = 0
    for row in rows:
        cells = (
            row.occurred_on.isoformat(),
            row.kind,
            amount_text(row.amount),
            row.currency,
            neutralise_cell(row.category),
            neutralise_cell(row.note),
        )
        writer.writerow((*cells, neutralise_cell(row.member)) if members else cells)
        count += 1
    return buffer.getvalue().encode("utf-8"), count


def render_xlsx(rows: Iterable[ExportRow], *, members: bool = False) -> tuple[bytes, int]:
    """The same columns as an Excel workbook: real dates, amounts as numbers, text as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Transactions")
    sheet.append(list(header(members=members)))

    def text(value: str) -> WriteOnlyCell:
        # openpyxl makes a string that starts with "=" a live formula; this one stays a string.
        # XML can't hold control characters (openpyxl refuses the whole file): they are dropped.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell

    count = 0
    for row in rows:
        day = WriteOnlyCell(sheet, value=row.occurred_on)
        day.number_format = "yyyy-mm-dd"
        amount = WriteOnlyCell(sheet, value=row.amount)
        places = -int(row.amount.as_tuple().exponent)
        amount.number_format = "0." + "0" * places if places > 0 else "0"
        cells = [day, row.kind, amount, row.currency, text(row.category), text(row.note)]
        sheet.append([*cells, text(row.member)] if members else cells)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def render_json(tables: dict[str, list[dict[str, Any]]], exported_on: str) -> tuple[bytes, int]:
    """Everything stored about a user as one JSON file, and how many rows it holds.

    Column values as stored: amounts in minor units (``amount_minor``: cents for USD), times in
    UTC. The CSV is the readable one; this one is complete.
    """
    document = {
        "exported_on": exported_on,
        "about": "Everything Penny stores about you, table by table. Amounts are in minor "
        "units (amount_minor 450 = 4.50 USD); times are UTC.",
        "tables": tables,
    }
    content = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False)
    return content.encode(), sum(len(rows) for rows in tables.values())
