"""Issue 14: files beyond CSV — Penny's own xlsx export back in, and OFX/QFX downloads."""

from __future__ import annotations

from tests.support.harness import Penny

ALICE, BOB = 1001, 2002

OFX_SGML = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>
<DTSERVER>20261130120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>USD
<BANKACCTFROM><BANKID>121000248<ACCTID>1234567890<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20261101<DTEND>20261130
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261103120000[-5:EST]<TRNAMT>-142.37<FITID>1001
<NAME>WHOLE FOODS MARKET<MEMO>POS PURCHASE</STMTTRN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261115230000[-5:EST]<TRNAMT>2500.00<FITID>1002
<NAME>ACME PAYROLL</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261120<TRNAMT>-1.500<FITID>1003
<NAME>FEE</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>1000.00<DTASOF>20261130</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""


async def test_penny_xlsx_export_imports_back_exactly(penny: Penny) -> None:
    for text in (
        "coffee 4.50",
        "+5000 salary",
        "dinner 1200 JPY",
        "refund 20 amazon",
        "rent 1,234.56",
    ):
        await penny.say(ALICE, text)
    workbook = (await penny.say(ALICE, "/export xlsx")).document
    original = (await penny.say(ALICE, "/export")).document
    assert workbook is not None and original is not None
    await penny.fake.send_document(BOB, workbook.filename, workbook.content)
    preview = await penny.fake.next_reply(BOB, timeout=60)
    assert "5 transactions" in (preview.text or "") and "Read as XLSX" in (preview.text or ""), (
        preview.text
    )
    await penny.press(BOB, preview, "✅ Import 5")
    assert "Imported 5" in ((await penny.reply(BOB)).text or "")
    copy = (await penny.say(BOB, "/export")).document
    assert copy is not None and copy.content == original.content


async def test_an_ofx_download_is_read(penny: Penny) -> None:
    await penny.say(ALICE, "/timezone America/New_York")
    await penny.fake.send_document(ALICE, "statement.qfx", OFX_SGML)
    preview = await penny.fake.next_reply(ALICE, timeout=60)
    text = preview.text or ""
    assert "3 transactions" in text and "3 Nov 2026 – 20 Nov 2026" in text, text
    assert "Expenses: 143.87 USD" in text, text  # -1.500 is a dollar fifty, not 1,500
    await penny.press(ALICE, preview, "✅ Import 3")
    await penny.reply(ALICE)
    rows = await penny.rows(ALICE)
    # Posted 23:00 New York time on the 15th: the 15th, not the next day in UTC.
    assert {r.note: r.occurred_on.day for r in rows}["ACME PAYROLL"] == 15
    stored = sorted((r.kind, r.amount_minor, r.note) for r in rows)
    assert stored == [
        ("expense", 150, "FEE"),
        ("expense", 14237, "WHOLE FOODS MARKET"),
        ("income", 250000, "ACME PAYROLL"),
    ]


async def test_a_zip_that_is_not_a_workbook_is_refused(penny: Penny) -> None:
    await penny.fake.send_document(ALICE, "photos.zip", b"PK\x03\x04" + b"\x00" * 200)
    reply = await penny.fake.next_reply(ALICE, timeout=60)
    assert "not an Excel workbook" in (reply.text or "") and "Nothing was imported" in (
        reply.text or ""
    ), reply.text


EXPENSEBOT = (
    b"amount,description,category,date,timestamp\n"
    b"1.99,Lunch, with Bob,#food,Tue Apr 02 2019 14:31:05 GMT+0200 (Central European Summer Time),"
    b"1554208265000\n"
    b"25,Taxi home,#transport,Wed Apr 03 2019 09:00:00 GMT+0200 (Central European Summer Time),"
    b"1554274800000\n"
)


async def test_the_expensebot_export_is_welcomed(penny: Penny) -> None:
    await penny.say(ALICE, "/currency EUR")
    await penny.fake.send_document(ALICE, "expenses_1_April.csv", EXPENSEBOT)
    preview = await penny.fake.next_reply(ALICE, timeout=60)
    text = preview.text or ""
    assert "Welcome from @ExpenseBot" in text and "2 transactions" in text, text
    assert "Expenses: 26.99 EUR" in text and "Income" not in text, text
    assert "New categories" not in text, text  # #food and #transport are Food and Transport
    await penny.press(ALICE, preview, "✅ Import 2")
    await penny.reply(ALICE)
    stored = sorted(
        (row.note, name, row.occurred_on.isoformat()) for row, name in await penny.stored(ALICE)
    )
    assert stored == [
        ("Lunch, with Bob", "Food", "2019-04-02"),
        ("Taxi home", "Transport", "2019-04-03"),
    ]
