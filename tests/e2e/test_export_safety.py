"""Exports that are safe to open: no cell a spreadsheet runs, and import still round-trips."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from bot.core.exporting import neutralise_cell
from tests.support.harness import Penny

ALICE = 1001
BOB = 2002

# OWASP's examples of CSV injection, and text that merely looks like an escaped cell already.
NOTES = [
    '=HYPERLINK("http://x","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "'=already quoted",
    "'plain apostrophe",
    "lunch with Sam",
]


def statement() -> bytes:
    """A file as Penny exports it, holding these notes and a category a spreadsheet would run."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "type", "amount", "currency", "category", "note"])
    for n, note in enumerate(NOTES, start=1):
        category = "=cmd|' /C calc'!A0" if n == 1 else "Food"
        writer.writerow(
            [
                f"2026-11-{n:02}",
                "expense",
                f"{n}.50",
                "USD",
                neutralise_cell(category),
                neutralise_cell(note),
            ]
        )
    return out.getvalue().encode()


async def import_file(penny: Penny, user: int, name: str, content: bytes) -> None:
    await penny.fake.send_document(user, name, content)
    preview = await penny.reply(user)
    await penny.press(user, preview, f"Import {len(NOTES)}")
    assert f"Imported {len(NOTES)}" in (await penny.reply(user)).text


async def export(penny: Penny, user: int, args: str = "") -> bytes:
    document = (await penny.say(user, f"/export {args}".strip())).document
    assert document is not None
    return document.content


async def test_csv_export_neutralises_formulas_and_imports_back_exactly(penny: Penny) -> None:
    await import_file(penny, ALICE, "statement.csv", statement())
    assert sorted(r.note for r in await penny.rows(ALICE)) == sorted(NOTES)
    exported = await export(penny, ALICE)
    assert exported == statement()
    rows = list(csv.reader(io.StringIO(exported.decode())))[1:]
    by_note = {row[5]: row for row in rows}
    assert set(by_note) == {
        '\'=HYPERLINK("http://x","click")',
        "'+1+cmd|' /C calc'!A0",
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(1+1)",
        "''=already quoted",  # one more, so that import takes exactly one off
        "'plain apostrophe",  # no formula after it: left alone
        "lunch with Sam",
    }
    assert {row[4] for row in rows} == {"'=cmd|' /C calc'!A0", "Food"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert [row[2] for row in rows] == [f"{n}.50" for n in range(1, len(NOTES) + 1)]

    await import_file(penny, BOB, "from-alice.csv", exported)
    assert await export(penny, BOB) == exported
    assert sorted(r.note for r in await penny.rows(BOB)) == sorted(NOTES)


async def test_xlsx_export_writes_text_never_formulas(penny: Penny) -> None:
    await import_file(penny, ALICE, "statement.csv", statement())
    workbook = openpyxl.load_workbook(io.BytesIO(await export(penny, ALICE, "xlsx")))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    notes = [row[5] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(notes) == sorted(NOTES)  # the very text, no apostrophe added
    amounts = [row[2] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(amount, float | int) for amount in amounts)


@pytest.mark.parametrize(
    "command",
    [
        '/categories add =HYPERLINK("x")',
        "/categories add +cmd",
        "/categories add -1+2",
        "/categories add income @SUM(1)",
        '/categories add ＝HYPERLINK("x")',
        "/categories rename Food to =Food",
    ],
)
async def test_category_names_a_spreadsheet_would_run_are_refused(
    penny: Penny, command: str
) -> None:
    before = (await penny.say(ALICE, "/categories")).text
    reply = await penny.say(ALICE, command)
    assert "can't start with =, +, - or @" in reply.text
    assert (await penny.say(ALICE, "/categories")).text == before
