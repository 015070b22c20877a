"""Issue 13 end to end: requests, not entries. Questions get answers; corrections find the entry
and act after a confirming tap; neither stores anything new."""

from __future__ import annotations

from tests.support.harness import Penny

ALICE = 1001
BOB = 2002


async def test_questions_get_answers_and_store_nothing(penny: Penny) -> None:
    for text in ("lunch 12", "coffee 3", "groceries 40", "+2000 salary"):
        await penny.say(ALICE, text)
    food = await penny.say(ALICE, "how much did I spend on food this month?")
    assert food.text == "🍔 Food this month: 15.00 USD (2 entries)"
    groceries = await penny.say(ALICE, "How much did I spend on groceries?")
    assert "🛒 Groceries this month: 40.00 USD (1 entry)" in groceries.text
    balance = await penny.say(ALICE, "what's my balance?")
    assert "Income:   2,000.00 USD" in balance.text and "Expenses: 55.00 USD" in balance.text
    week = await penny.say(ALICE, "how much did I spend this week")
    assert "Expenses: 55.00 USD" in week.text
    nothing = await penny.say(ALICE, "how much did I spend on transport yesterday?")
    assert "🚕 Transport" in nothing.text and "nothing recorded" in nothing.text
    listed = await penny.say(ALICE, "List all my expenses")
    assert "Your last 4 transactions" in listed.text
    assert await penny.count(ALICE) == 4


async def test_change_finds_the_entry_and_changes_it_after_a_tap(penny: Penny) -> None:
    await penny.say(ALICE, "/currency INR")
    await penny.say(ALICE, "Spent ₹500 on food")
    await penny.say(ALICE, "taxi 500")
    ask = await penny.say(ALICE, "Change ₹500 food expense to ₹600")
    assert "Change this entry to ₹600.00" in ask.text or "600.00 INR" in ask.text, ask.text
    assert "🍔 Food" in ask.text
    assert [r.amount_minor for r in await penny.rows(ALICE)] == [50000, 50000]
    await penny.press(ALICE, ask, "Make it")
    done = await penny.reply(ALICE)
    assert "Updated" in done.text and "600.00" in done.text
    assert [r.amount_minor for r in await penny.rows(ALICE)] == [60000, 50000]
    # Bob pressing Alice's button changes nothing.
    data = ask.button("Make it").callback_data
    assert data is not None
    await penny.press_data(BOB, ask.message_id, data)
    await penny.fake.no_reply(BOB)


async def test_remove_finds_yesterdays_entry_and_removes_it_after_a_tap(penny: Penny) -> None:
    await penny.say(ALICE, "/currency INR")
    penny.clock.advance(days=-1)
    await penny.say(ALICE, "groceries ₹300")
    penny.clock.advance(days=1)
    await penny.say(ALICE, "groceries ₹300")  # today's stays
    ask = await penny.say(ALICE, "Remove ₹300 grocery expense from yesterday")
    assert "Remove this entry?" in ask.text and "yesterday" in ask.text
    assert await penny.count(ALICE) == 2
    await penny.press(ALICE, ask, "Keep it")
    assert "left it" in (await penny.reply(ALICE)).text
    assert await penny.count(ALICE) == 2
    ask = await penny.say(ALICE, "Remove ₹300 grocery expense from yesterday")
    await penny.press(ALICE, ask, "Remove it")
    assert "Removed" in (await penny.reply(ALICE)).text
    [left] = await penny.rows(ALICE)
    assert left.occurred_on == penny.clock.now.date()
    missing = await penny.say(ALICE, "Remove ₹300 grocery expense from yesterday")
    assert "couldn't find" in missing.text and "nothing was removed" in missing.text
    assert await penny.count(ALICE) == 1


async def test_a_correction_with_nothing_recorded_points_to_history(penny: Penny) -> None:
    reply = await penny.say(ALICE, "Change ₹500 food expense to ₹600")
    assert "couldn't find" in reply.text and "/history" in reply.text
    assert await penny.count(ALICE) == 0


async def test_a_correction_finds_an_entry_by_its_note_after_a_category_change(
    penny: Penny,
) -> None:
    receipt = await penny.say(ALICE, "uber 12")
    await penny.press(ALICE, receipt, "Change category")
    await penny.press(ALICE, await penny.reply(ALICE), "Travel")
    await penny.reply(ALICE)
    await penny.reply(ALICE)  # the offer to always file "uber" there
    await penny.say(ALICE, "lunch 9")
    ask = await penny.say(ALICE, "remove the uber expense")
    assert "Remove this entry?" in ask.text and "uber" in ask.text and "Travel" in ask.text
