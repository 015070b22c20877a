"""Issue 13 end to end: nothing is lost for want of a tap; picking teaches; /sort; category names.

Entries Penny can't file are saved in Other marked to sort; the receipt offers the categories,
/sort walks through what is left, and the summaries remind of it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.test_core import category_name
from tests.support.harness import Penny

ALICE = 1001
BOB = 2002


async def test_what_penny_cannot_file_is_saved_and_reminded_of(penny: Penny) -> None:
    for text in ("77", "zorblax 340", "spent 150 yesterday", "got 5000 from Acme Corp"):
        reply = await penny.say(ALICE, text)
        assert "Saved" in reply.text and "(to sort)" in reply.text, reply.text
    rows = await penny.rows(ALICE)
    assert [(r.kind, r.amount_minor, r.unsorted) for r in rows] == [
        ("expense", 7700, True),
        ("expense", 34000, True),
        ("expense", 15000, True),
        ("income", 500000, True),
    ]
    assert [await category_name(penny, r.category_id) for r in rows] == ["Other"] * 4
    assert "📥 3 more entries to sort: /sort files them." in reply.text
    # The daily digest (once switched on) says what is still to sort.
    shown = await penny.say(ALICE, "/remind")
    await penny.press(ALICE, shown, "Daily digest")
    await penny.reply(ALICE)
    penny.clock.now = datetime(2026, 11, 23, 21, 0, 5, tzinfo=UTC)
    assert (await penny.tick()).sent == 1
    digest = await penny.reply(ALICE)
    assert "Daily digest" in digest.text and "📥 4 entries are still to sort" in digest.text


async def test_sort_files_one_by_one_and_learns(penny: Penny) -> None:
    await penny.say(ALICE, "zorblax 340")
    await penny.say(ALICE, "Kaffee 3,20")
    await penny.say(ALICE, "88")
    first = await penny.say(ALICE, "/sort")
    assert "To sort (3 left)" in first.text and "zorblax" in first.text
    await penny.press(ALICE, first, "Skip")
    second = await penny.reply(ALICE)
    assert "Kaffee" in second.text
    await penny.press(ALICE, second, "Food")
    third = await penny.reply(ALICE)
    assert "✅ Filed: −3.20 USD · 🍔 Food · Kaffee" in third.text
    assert "“kaffee” goes under 🍔 Food from now on" in third.text
    assert "88.00 USD" in third.text  # the next one, after the one filed
    await penny.press(ALICE, third, "Shopping")
    fourth = await penny.reply(ALICE)
    assert "zorblax" in fourth.text  # skipped, so it comes round again
    await penny.press(ALICE, fourth, "Entertainment")
    assert "Nothing to sort" in (await penny.reply(ALICE)).text
    assert not any(r.unsorted for r in await penny.rows(ALICE))
    # Picking taught: the same words file themselves now, for this user only.
    assert "🍔 Food" in (await penny.say(ALICE, "Kaffee 2,90")).text
    assert "🎬 Entertainment" in (await penny.say(ALICE, "zorblax 12")).text
    assert "(to sort)" in (await penny.say(BOB, "Kaffee 2,90")).text
    assert "Nothing to sort" in (await penny.say(ALICE, "/sort")).text


async def test_tapping_a_category_on_the_receipt_files_and_teaches(penny: Penny) -> None:
    receipt = await penny.say(ALICE, "Miete 850 1 nov")
    assert "Which category?" in receipt.text
    await penny.press(ALICE, receipt, "Housing")
    filed = await penny.reply(ALICE)
    assert "🏠 Housing" in filed.text and "From now on “miete” goes under 🏠 Housing" in filed.text
    assert {b.text for b in filed.all_buttons()} == {"↩️ Undo", "🏷 Change category"}
    again = await penny.say(ALICE, "Miete 850 1 dec")
    assert "🏠 Housing" in again.text and "to sort" not in again.text


async def test_category_names_are_words_and_renames_keep_them(penny: Penny) -> None:
    for text, label in (
        ("15.96 transportation", "🚕 Transport"),
        ("25.00 healthcare", "💊 Health"),
        ("misc 7", "📦 Other"),
    ):
        reply = await penny.say(ALICE, text)
        assert label in reply.text and "to sort" not in reply.text, reply.text
    await penny.say(ALICE, "/categories add Kids 🧒")
    assert "🧒 Kids" in (await penny.say(ALICE, "cleats for kids 65")).text
    assert "🧒 Kids" in (await penny.say(ALICE, "65 kids")).text
    renamed = await penny.say(ALICE, "/categories rename Food to Essen")
    assert "Renamed Food to 🍔 Essen" in renamed.text
    assert "Essen" in (await penny.say(ALICE, "coffee 3")).text  # Food's words still go there
    assert "Essen" in (await penny.say(ALICE, "essen 12")).text  # and so does its new name
    assert "Essen" in (await penny.say(ALICE, "food 4")).text


async def test_old_category_question_buttons_say_where_the_amount_went(penny: Penny) -> None:
    reply = await penny.say(ALICE, "coffee 3")
    await penny.press_data(ALICE, reply.message_id, "pk:5:7")
    await penny.fake.no_reply(ALICE)
    [answer] = [c for c in penny.fake.calls if c.method == "answerCallbackQuery"]
    assert "/sort" in str(answer.params.get("text"))
