"""Old buttons never act on newer rows, and an edit doesn't bring back what was undone.

SQLite used to hand a new row the id of the newest one deleted; buttons carry ids, so an old
Undo removed a newer entry, an old 🗑 a newer income, and confirming one import preview
imported another file.
"""

from __future__ import annotations

from handlers.buttons import STALE_TEXT
from handlers.entries import EDIT_OF_UNDONE
from tests.support.harness import Penny

ALICE = 1001


async def stale_press(penny: Penny, message_id: int, data: str) -> None:
    query_id = await penny.fake.press(ALICE, message_id, data)
    await penny.settle()
    assert penny.fake.callback_answers[query_id].get("text") == STALE_TEXT


async def test_an_old_undo_never_removes_a_newer_entry(penny: Penny) -> None:
    first = await penny.say(ALICE, "coffee 3")
    undo = first.button("Undo").callback_data or ""
    await penny.press(ALICE, first, "Undo")
    assert "Removed" in (await penny.reply(ALICE)).text
    assert "900.00 USD" in (await penny.say(ALICE, "rent 900")).text
    await stale_press(penny, first.message_id, undo)
    assert [row.note for row in await penny.rows(ALICE)] == ["rent"]


async def test_an_old_history_delete_never_removes_a_newer_entry(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 3")
    listed = await penny.say(ALICE, "/history")
    delete = listed.button("🗑 1").callback_data or ""
    await penny.press(ALICE, listed, "🗑 1")
    await penny.press(ALICE, await penny.reply(ALICE), "Delete it")
    assert "Deleted" in (await penny.reply(ALICE)).text
    assert "5,000.00 USD" in (await penny.say(ALICE, "+5000 salary")).text
    await stale_press(penny, listed.message_id, delete)
    assert [row.note for row in await penny.rows(ALICE)] == ["salary"]


async def test_confirming_an_old_preview_never_imports_another_file(penny: Penny) -> None:
    await penny.fake.send_document(ALICE, "a.csv", b"date,amount,note\n2026-11-01,4.50,coffee\n")
    preview_a = await penny.reply(ALICE)
    confirm_a = preview_a.button("Import").callback_data or ""
    await penny.press(ALICE, preview_a, "Cancel")
    await penny.reply(ALICE)
    await penny.fake.send_document(ALICE, "b.csv", b"date,amount,note\n2026-11-02,99,other\n")
    preview_b = await penny.reply(ALICE)
    assert (preview_b.button("Import").callback_data or "") != confirm_a
    await stale_press(penny, preview_a.message_id, confirm_a)
    assert await penny.count(ALICE) == 0


async def test_editing_an_undone_message_saves_nothing_again(penny: Penny) -> None:
    sent = await penny.send(ALICE, "coffee 3")
    receipt = await penny.reply(ALICE)
    await penny.press(ALICE, receipt, "Undo")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "coffee 4")
    assert (await penny.reply(ALICE)).text == EDIT_OF_UNDONE
    assert await penny.count(ALICE) == 0
    # /undo of a several-entry message counts too; an edit of a message still saved applies.
    sent = await penny.send(ALICE, "tea 2, cake 4")
    await penny.reply(ALICE)
    await penny.say(ALICE, "/undo")
    await penny.fake.edit_text(ALICE, sent["message_id"], "tea 2, cake 5")
    assert (await penny.reply(ALICE)).text == EDIT_OF_UNDONE
    kept = await penny.send(ALICE, "lunch 10")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, kept["message_id"], "lunch 12")
    assert "12.00 USD" in (await penny.reply(ALICE)).text
    assert [row.amount_minor for row in await penny.rows(ALICE)] == [1200]
