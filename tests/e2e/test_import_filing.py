"""Issue 14: imported rows land in the user's categories, by their rules and the bank's words."""

from __future__ import annotations

from tests.support.harness import Penny

ALICE = 1001
MINT = (
    b'"Date","Description","Amount","Transaction Type","Category"\n'
    b'"11/02/2026","Shell Oil","45.10","debit","Gas"\n'
    b'"11/03/2026","Starbucks","4.50","debit","Food & Drink"\n'
    b'"11/04/2026","Uber Trip","12.00","debit","Travel"\n'
    b'"11/05/2026","Little League","30.00","debit","Kids Sports"\n'
)


async def test_bank_categories_map_onto_the_users_and_their_rules_win(penny: Penny) -> None:
    await penny.say(ALICE, "/timezone America/New_York")
    # Alice taught Penny that uber is Transport's business no more: it goes under Travel.
    first = await penny.say(ALICE, "uber 10")
    await penny.press(ALICE, first, "Change category")
    await penny.press(ALICE, await penny.reply(ALICE), "Entertainment")
    await penny.reply(ALICE)
    await penny.press(ALICE, await penny.reply(ALICE), "Yes")
    await penny.reply(ALICE)

    await penny.fake.send_document(ALICE, "mint.csv", MINT)
    preview = await penny.fake.next_reply(ALICE, timeout=60)
    text = preview.text or ""
    assert "New categories: Kids Sports" in text, text  # "Gas" and "Food & Drink" are not new
    await penny.press(ALICE, preview, "✅ Import 4")
    await penny.reply(ALICE)
    filed = {row.note: name for row, name in await penny.stored(ALICE)}
    assert filed["Shell Oil"] == "Transport" and filed["Starbucks"] == "Food"
    assert filed["Uber Trip"] == "Entertainment"  # her rule beats the bank's "Travel"
    assert filed["Little League"] == "Kids Sports"  # unknown to the dictionary: kept


async def test_a_payee_column_is_the_note_and_files_the_row(penny: Penny) -> None:
    await penny.say(ALICE, "/currency GBP")
    content = (
        b"Date,Counter Party,Reference,Type,Amount (GBP)\n"
        b"02/11/2026,TESCO STORES,CARD 1234,CARD PAYMENT,-23.10\n"
    )
    await penny.fake.send_document(ALICE, "starling.csv", content)
    preview = await penny.fake.next_reply(ALICE, timeout=60)
    await penny.press(ALICE, preview, "✅ Import 1")
    await penny.reply(ALICE)
    [(row, name)] = await penny.stored(ALICE)
    assert (row.note, name, row.amount_minor) == ("TESCO STORES", "Groceries", 2310)
