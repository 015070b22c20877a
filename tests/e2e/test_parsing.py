"""Issue 3 end to end: several entries per message, rejected amounts, taught rules, /categories."""

from __future__ import annotations

import pytest

from tests.support.harness import Penny

ALICE = 1001
BOB = 2002


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("coffee 3 and bagel 2.5", [300, 250]),
        ("taxi 12, lunch 18", [1200, 1800]),
        ("coffee 3\nbus 2\nmovie 12", [300, 200, 1200]),
    ],
)
async def test_several_entries_in_one_message_and_one_undo(
    penny: Penny, text: str, amounts: list[int]
) -> None:
    reply = await penny.say(ALICE, text)
    assert f"Saved {len(amounts)} entries" in reply.text
    assert [row.amount_minor for row in await penny.rows(ALICE)] == amounts
    numbers = [f"🏷 {n}" for n in range(1, len(amounts) + 1)]
    assert [b.text for b in reply.all_buttons()] == ["↩️ Undo all", *numbers]
    await penny.press(ALICE, reply, "Undo all")
    assert "Removed" in (await penny.reply(ALICE)).text
    assert await penny.count(ALICE) == 0


@pytest.mark.parametrize(
    "text", ["coffee 0", "coffee 4.505", "lunch NaN", "rent 5000000000000", "taxi 1e400"]
)
async def test_rejected_amounts_reply_clearly_and_save_nothing(penny: Penny, text: str) -> None:
    reply = await penny.say(ALICE, text)
    assert "Nothing was saved" in reply.text or "saved nothing" in reply.text
    assert await penny.count(ALICE) == 0


async def test_taught_rule_wins_and_is_per_user(penny: Penny) -> None:
    first = await penny.say(ALICE, "uber 10")
    assert "Transport" in first.text
    await penny.press(ALICE, first, "Change category")
    menu = await penny.reply(ALICE)
    await penny.press(ALICE, menu, "Travel")
    await penny.reply(ALICE)
    offer = await penny.reply(ALICE)
    assert "Always file “uber” under ✈️ Travel?" in offer.text
    await penny.press(ALICE, offer, "Yes")
    assert "From now on “uber” goes under ✈️ Travel" in (await penny.reply(ALICE)).text
    assert "Travel" in (await penny.say(ALICE, "Ubers 25")).text
    assert "Transport" in (await penny.say(BOB, "uber 5")).text  # Bob taught nothing
    listing = await penny.say(ALICE, "/categories")
    assert "Travel — learned: uber" in listing.text
    forgot = await penny.say(ALICE, "/categories forget uber")
    assert "Forgot" in forgot.text
    assert "Transport" in (await penny.say(ALICE, "uber 7")).text


async def test_declining_the_offer_learns_nothing(penny: Penny) -> None:
    first = await penny.say(ALICE, "uber 10")
    await penny.press(ALICE, first, "Change category")
    await penny.press(ALICE, await penny.reply(ALICE), "Travel")
    await penny.reply(ALICE)
    offer = await penny.reply(ALICE)
    await penny.press(ALICE, offer, "No")
    await penny.reply(ALICE)
    assert "Transport" in (await penny.say(ALICE, "uber 3")).text


async def test_categories_add_rename_emoji_remove(penny: Penny) -> None:
    added = await penny.say(ALICE, "/categories add Pets 🐶")
    assert "Added 🐶 Pets" in added.text
    assert "Pets" in (await penny.say(ALICE, "/categories add pets")).text  # already exists
    ask = await penny.say(ALICE, "kibble 30")
    await penny.press(ALICE, ask, "Pets")
    assert "Pets" in (await penny.reply(ALICE)).text
    renamed = await penny.say(ALICE, "/categories rename pets to Animals")
    assert "Renamed Pets to 🐶 Animals" in renamed.text
    emoji = await penny.say(ALICE, "/categories emoji animals 🐱")
    assert "🐱 Animals" in emoji.text
    removed = await penny.say(ALICE, "/categories remove Animals")
    assert "Removed Animals; 1 transactions moved to Other" in removed.text
    assert "🐱 Animals" not in removed.text
    [row] = await penny.rows(ALICE)
    assert "Other" in (await penny.say(ALICE, "/history")).text and row.amount_minor == 3000
    assert "stays" in (await penny.say(ALICE, "/categories remove other")).text
    assert "I didn't get that" in (await penny.say(ALICE, "/categories frobnicate")).text
    bob = await penny.say(BOB, "/categories")
    listed = bob.text.split("/categories –")[0]
    assert "Animals" not in listed and "Pets" not in listed and "🍔 Food" in listed


async def test_forged_learn_button_changes_nothing(penny: Penny) -> None:
    first = await penny.say(ALICE, "uber 10")
    await penny.press(ALICE, first, "Change category")
    await penny.press(ALICE, await penny.reply(ALICE), "Travel")
    await penny.reply(ALICE)
    offer = await penny.reply(ALICE)
    data = offer.button("Yes").callback_data
    assert data is not None
    await penny.say(BOB, "/start")
    await penny.press_data(BOB, offer.message_id, data)
    await penny.fake.no_reply(BOB)
    assert "Transport" in (await penny.say(BOB, "uber 2")).text
    assert "Transport" in (await penny.say(ALICE, "uber 2")).text


# --- issue 13: dates are never dropped or surprising ---


async def test_a_coming_date_is_said_and_an_edit_changes_it(penny: Penny) -> None:
    penny.clock.now = penny.clock.now.replace(month=12, day=1)
    sent = await penny.send(ALICE, "flights 450 on 20 dec")
    reply = await penny.reply(ALICE)
    assert "📅 Dated Sun 20 Dec, in 19 days. Edit your message to change it." in reply.text
    [row] = await penny.rows(ALICE)
    assert str(row.occurred_on) == "2026-12-20"
    await penny.fake.edit_text(ALICE, sent["message_id"], "flights 450 on 20 nov")
    assert "Updated" in (await penny.reply(ALICE)).text
    [row] = await penny.rows(ALICE)
    assert str(row.occurred_on) == "2026-11-20"
    tomorrow = await penny.say(ALICE, "lunch 20 tomorrow")
    assert "📅 Dated tomorrow. Edit your message" in tomorrow.text


async def test_a_date_penny_cannot_read_is_said_not_dropped(penny: Penny) -> None:
    reply = await penny.say(ALICE, "dinner 30 on 31 feb")
    assert "I couldn't read the date “on 31 feb”, so it's dated today" in reply.text
    [row] = await penny.rows(ALICE)
    assert row.occurred_on == penny.clock.now.date() and row.amount_minor == 3000
    assert "feb" not in row.note
