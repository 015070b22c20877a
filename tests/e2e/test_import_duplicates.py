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
