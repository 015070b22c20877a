"""Issue 14: a statement next to entries typed in chat, and taking an import back."""

from __future__ import annotations

from tests.support.harness import Penny

ALICE = 1001
STATEMENT = (
    b"Date,Description,Amount\n"
    b"11/04/2026,WHOLE FOODS MARKET #10,-142.37\n"
    b"11/05/2026,SHELL OIL 5744,-45.10\n"
    b"11/20/2026,WHOLE FOODS MARKET #10,-142.37\n"  # the same amount, weeks later: new
)


async def _preview(penny: Penny):  # type: ignore[no-untyped-def]
    await penny.fake.send_document(ALICE, "chase.csv", STATEMENT)
    return await penny.fake.next_reply(ALICE, timeout=60)


async def test_a_typed_entry_is_shown_as_a_likely_duplicate_and_left_out(penny: Penny) -> None:
    await penny.say(ALICE, "/timezone America/New_York")
    assert "Saved" in ((await penny.say(ALICE, "Whole Foods 142.37 3 nov")).text or "")
    preview = await _preview(penny)
    text = preview.text or ""
    assert "1 row looks like an entry you typed" in text, text
    assert "4 Nov WHOLE FOODS MARKET #10 142.37 USD ≈ “Whole Foods” 3 Nov" in text, text
    assert "Expenses: 187.47 USD" in text, text  # what the default button imports
    await penny.press(ALICE, preview, "✅ Import 2 (skip the 1 typed)")
    done = await penny.reply(ALICE)
    assert "Imported 2" in (done.text or "") and "left out 1" in (done.text or "")
    assert sorted(r.amount_minor for r in await penny.rows(ALICE)) == [4510, 14237, 14237]


async def test_the_user_can_import_the_likely_duplicates_too(penny: Penny) -> None:
    await penny.say(ALICE, "/timezone America/New_York")
    await penny.say(ALICE, "Whole Foods 142.37 3 nov")
    preview = await _preview(penny)
    await penny.press(ALICE, preview, "Import all 3")
    assert "Imported 3" in ((await penny.reply(ALICE)).text or "")
    assert await penny.count(ALICE) == 4


async def test_undo_takes_back_the_whole_import(penny: Penny) -> None:
    await penny.say(ALICE, "/timezone America/New_York")
    await penny.say(ALICE, "coffee 3")
    preview = await _preview(penny)
    await penny.press(ALICE, preview, "✅ Import 3")
    done = await penny.reply(ALICE)
    assert await penny.count(ALICE) == 4
    await penny.press(ALICE, done, "Undo the import")
    assert "Removed the import: 3 entries" in ((await penny.reply(ALICE)).text or "")
    assert await penny.count(ALICE) == 1  # the coffee typed before stays

    # /undo after an import removes the import, not one of its rows.
    preview = await _preview(penny)
    await penny.press(ALICE, preview, "✅ Import 3")
    await penny.reply(ALICE)
    removed = await penny.say(ALICE, "/undo")
    assert "Removed 3 entries" in (removed.text or ""), removed.text
    assert await penny.count(ALICE) == 1


REVOLUT = (
    b"Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance\n"
    b"TOPUP,Current,2026-11-08 08:11:42,2026-11-08 08:12:12,Top-Up by *1234,500.00,0.00,EUR,"
    b"COMPLETED,723.53\n"
    b"CARD_PAYMENT,Current,2026-11-09 16:35:04,2026-11-10 14:51:42,Rimi,-21.58,0.00,EUR,"
    b"COMPLETED,425.68\n"
)


async def test_transfers_between_accounts_are_marked_and_can_be_left_out(penny: Penny) -> None:
    await penny.say(ALICE, "/currency EUR")
    await penny.fake.send_document(ALICE, "revolut.csv", REVOLUT)
    preview = await penny.fake.next_reply(ALICE, timeout=60)
    text = preview.text or ""
    assert "1 row moves money between accounts" in text, text
    assert "• 8 Nov Top-Up by *1234 500.00 EUR" in text, text
    await penny.press(ALICE, preview, "Without the 1 transfer")
    done = await penny.reply(ALICE)
    assert "Imported 1 transaction" in (done.text or "") and "1 transfer between" in (
        done.text or ""
    )
    assert [r.note for r in await penny.rows(ALICE)] == ["Rimi"]
