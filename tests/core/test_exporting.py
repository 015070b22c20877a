"""Export cells a spreadsheet won't run, and the import that takes the guard off again."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.csv_import import detect_mapping, parse_rows, read_table
from bot.core.exporting import ExportRow, neutralise_cell, render_csv, render_xlsx, restore_cell


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("'=quoted already", "''=quoted already"),
        ("''@twice", "'''@twice"),
        ("'apostrophe", "'apostrophe"),
        # Spreadsheets that trim a cell on import (LibreOffice's "Trim spaces", Sheets) run
        # what comes after the blanks; CJK Excel reads full-width signs as their ASCII forms.
        (" =1+1", "' =1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\u3000@SUM(1)", "'\u3000@SUM(1)"),
        ('＝HYPERLINK("http://x")', '\'＝HYPERLINK("http://x")'),
        ("＋1+cmd|' /C calc'!A0", "'＋1+cmd|' /C calc'!A0"),
        ("－2+3", "'－2+3"),
        ("＠SUM(1+1)", "'＠SUM(1+1)"),
        ("' =quoted", "'' =quoted"),
        ("coffee = 4", "coffee = 4"),
        ("  lunch", "  lunch"),
        ("", ""),
    ],
)
def test_neutralise_cell(text: str, cell: str) -> None:
    assert neutralise_cell(text) == cell
    assert restore_cell(cell) == text


@given(st.text())
def test_restore_undoes_neutralise_for_any_text(text: str) -> None:
    assert restore_cell(neutralise_cell(text)) == text


ROW = ExportRow(date(2026, 11, 23), "expense", Decimal("12.50"), "USD", "=cmd", "-5 refund")


def test_csv_prefixes_text_cells_only() -> None:
    content, count = render_csv([ROW])
    assert count == 1
    [_header, row] = list(csv.reader(io.StringIO(content.decode())))
    assert row == ["2026-11-23", "expense", "12.50", "USD", "'=cmd", "'-5 refund"]


def test_xlsx_takes_text_with_control_characters() -> None:
    # XML can't hold them, and openpyxl refuses the whole file; a note imported from a bank's
    # CSV can carry one (a BEL, an escape sequence), and /export must still answer.
    row = ExportRow(
        date(2026, 11, 23), "expense", Decimal("1.00"), "USD", "Fo\x01od", "a\x07b\x1b[0m"
    )
    content, count = render_xlsx([row])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert count == 1
    [row] = sheet.iter_rows(min_row=2, values_only=True)
    assert row[4:] == ("Food", "ab[0m")


def test_xlsx_text_cells_are_strings() -> None:
    content, _ = render_xlsx([ROW])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [(cell.value, cell.data_type) for cell in list(sheet.iter_rows())[1]]
    assert values[4:] == [("=cmd", "s"), ("-5 refund", "s")]
    assert values[2] == (12.5, "n")


def test_import_takes_the_guard_off_text_but_leaves_amounts_signed() -> None:
    table = read_table(
        b"date,amount,category,note\n"
        b"2026-11-01,-12.50,'=cmd,'-5 refund\n"
        b"2026-11-02,-3.00,Food,'plain\n"
    )
    items, errors = parse_rows(table, detect_mapping(table), default_currency="USD")
    assert errors == []
    assert [(i.kind, i.amount, i.category, i.note) for i in items] == [
        ("expense", Decimal("12.50"), "=cmd", "-5 refund"),
        ("expense", Decimal("3.00"), "Food", "'plain"),
    ]
