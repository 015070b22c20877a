"""The core loop end to end: real PTB over HTTP against the fake Bot API, real database."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from tests.support.harness import Penny

ALICE = 1001
BOB = 2002

LOGGING_EXAMPLES = [
    # text, reply must contain, kind, minor units, category
    ("spent 250 on food", "250.00 USD", "expense", 25000, "Food"),
    ("coffee 4.50", "4.50 USD", "expense", 450, "Food"),
    ("250 food", "250.00 USD", "expense", 25000, "Food"),
    ("food 250", "250.00 USD", "expense", 25000, "Food"),
    ("$12.50 lunch", "12.50 USD", "expense", 1250, "Food"),
    ("uber 320 yesterday", "yesterday", "expense", 32000, "Transport"),
    ("+5000 salary", "+5,000.00 USD", "income", 500000, "Salary"),
    ("salary 50000", "+50,000.00 USD", "income", 5000000, "Salary"),
    ("received 3000 freelance", "+3,000.00 USD", "income", 300000, "Freelance"),
    ("rent 15k", "15,000.00 USD", "expense", 1500000, "Housing"),
    ("electricity bill 1,250", "1,250.00 USD", "expense", 125000, "Utilities"),
]


async def category_name(penny: Penny, category_id: int | None) -> str | None:
    from sqlalchemy import select

    from handlers.runtime import BOT_DATA_KEY
    from models.tables import Category

    async with penny.app.bot_data[BOT_DATA_KEY].sessions() as session:
        return await session.scalar(select(Category.name).where(Category.id == category_id))


async def test_start_greets_and_sets_currency(penny: Penny) -> None:
    reply = await penny.say(ALICE, "/start")
    assert "Penny" in reply.text
    assert "coffee 4.50" in reply.text and "+5000 salary" in reply.text
    assert "Nobody else" in reply.text
    await penny.press(ALICE, reply, "EUR")
    confirmed = await penny.reply(ALICE)
    assert "EUR" in confirmed.text
    logged = await penny.say(ALICE, "coffee 4.50")
    assert "4.50 EUR" in logged.text
    [row] = await penny.rows(ALICE)
    assert (row.currency, row.amount_minor) == ("EUR", 450)


async def test_start_time_zone_button_moves_today(penny: Penny) -> None:
    # 20:00 UTC on the 23rd is already 05:00 on the 24th in Tokyo (UTC+9).
    penny.clock.now = penny.clock.now.replace(hour=20)
    reply = await penny.say(ALICE, "/start")
    await penny.press(ALICE, reply, "Time zone")
    menu = await penny.reply(ALICE)
    await penny.press(ALICE, menu, "Tokyo")
    assert "Asia/Tokyo" in (await penny.reply(ALICE)).text
    await penny.say(ALICE, "coffee 3")
    [row] = await penny.rows(ALICE)
    assert row.occurred_on == date(2026, 11, 24)


@pytest.mark.parametrize(("text", "shown", "kind", "minor", "category"), LOGGING_EXAMPLES)
async def test_logging_examples(
    penny: Penny, text: str, shown: str, kind: str, minor: int, category: str
) -> None:
    reply = await penny.say(ALICE, text)
    assert shown in reply.text, reply.text
    assert category in reply.text
    assert {b.text for b in reply.all_buttons()} == {"↩️ Undo", "🏷 Change category"}
    [row] = await penny.rows(ALICE)
    assert (row.kind, row.amount_minor, row.currency) == (kind, minor, "USD")
    assert await category_name(penny, row.category_id) == category
    expected_day = date(2026, 11, 22) if "yesterday" in text else date(2026, 11, 23)
    assert row.occurred_on == expected_day


async def test_reply_shows_category_total_this_month(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")
    reply = await penny.say(ALICE, "lunch 10")
    assert "Food this month: 14.50 USD" in reply.text


async def test_bare_amount_is_saved_to_sort_and_one_tap_files_it(penny: Penny) -> None:
    ask = await penny.say(ALICE, "250")
    assert "Which category" in ask.text and "Other (to sort)" in ask.text
    [row] = await penny.rows(ALICE)  # saved before any tap
    assert row.amount_minor == 25000 and row.unsorted
    assert await category_name(penny, row.category_id) == "Other"
    rows = ask.buttons
    assert all(2 <= len(row) <= 3 for row in rows[:-1])
    assert [b.text for b in rows[-1]] == ["↩️ Undo"]
    await penny.press(ALICE, ask, "Groceries")
    edited = await penny.reply(ALICE)
    assert edited.event == "editMessageText" and edited.message_id == ask.message_id
    assert "250.00 USD" in edited.text and "Groceries" in edited.text
    [row] = await penny.rows(ALICE)
    assert await category_name(penny, row.category_id) == "Groceries" and not row.unsorted
    # A second tap on the same (now replaced) keyboard changes nothing.
    await penny.press_data(ALICE, ask.message_id, ask.button("Food").callback_data or "")
    await penny.fake.no_reply(ALICE)
    [row] = await penny.rows(ALICE)
    assert await category_name(penny, row.category_id) == "Groceries"


async def test_an_entry_to_sort_is_kept_when_the_next_message_comes(penny: Penny) -> None:
    await penny.say(ALICE, "zorblax 340")
    await penny.say(ALICE, "coffee 3")  # no tap: the first amount is not lost
    amounts = [row.amount_minor for row in await penny.rows(ALICE)]
    assert amounts == [34000, 300]
    undo = await penny.say(ALICE, "99")
    await penny.press(ALICE, undo, "Undo")
    assert "Removed" in (await penny.reply(ALICE)).text
    assert await penny.count(ALICE) == 2


async def test_undo_button_removes_the_transaction(penny: Penny) -> None:
    reply = await penny.say(ALICE, "coffee 4.50")
    await penny.press(ALICE, reply, "Undo")
    edited = await penny.reply(ALICE)
    assert "Removed" in edited.text and "4.50 USD" in edited.text
    assert await penny.count(ALICE) == 0


async def test_change_category_button(penny: Penny) -> None:
    reply = await penny.say(ALICE, "coffee 4.50")
    await penny.press(ALICE, reply, "Change category")
    menu = await penny.reply(ALICE)
    assert menu.event == "editMessageReplyMarkup"
    labels = [b.text for b in menu.all_buttons()]
    assert any("Transport" in label for label in labels)
    assert not any("Salary" in label for label in labels)  # only expense categories
    await penny.press(ALICE, menu, "Transport")
    changed = await penny.reply(ALICE)
    assert "Transport" in changed.text and "Transport this month: 4.50 USD" in changed.text
    [row] = await penny.rows(ALICE)
    assert await category_name(penny, row.category_id) == "Transport"


async def test_editing_the_message_updates_the_transaction(penny: Penny) -> None:
    sent = await penny.send(ALICE, "coffee 4.50")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "coffee 5.75 yesterday")
    reply = await penny.reply(ALICE)
    assert "Updated" in reply.text and "5.75 USD" in reply.text
    [row] = await penny.rows(ALICE)
    assert (row.amount_minor, row.occurred_on) == (575, date(2026, 11, 22))


async def test_edit_into_nonsense_keeps_the_transaction(penny: Penny) -> None:
    sent = await penny.send(ALICE, "coffee 4.50")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "hello there")
    reply = await penny.reply(ALICE)
    assert "kept" in reply.text
    [row] = await penny.rows(ALICE)
    assert row.amount_minor == 450


@pytest.mark.parametrize("text", ["hello", "thanks!", "how does this work?"])
async def test_non_transactions_record_nothing(penny: Penny, text: str) -> None:
    reply = await penny.say(ALICE, text)
    assert "saved nothing" in reply.text and "coffee 4.50" in reply.text
    assert await penny.count(ALICE) == 0


async def test_rejected_amount_is_explained(penny: Penny) -> None:
    reply = await penny.say(ALICE, "coffee 0")
    assert "Nothing was saved" in reply.text
    assert await penny.count(ALICE) == 0


async def test_balance(penny: Penny) -> None:
    empty = await penny.say(ALICE, "/balance")
    assert "November 2026" in empty.text and "0.00 USD" in empty.text
    await penny.say(ALICE, "+5000 salary")
    await penny.say(ALICE, "coffee 4.50")
    await penny.say(ALICE, "rent 1500")
    penny.clock.advance(days=10)  # December: last month's entries count only all-time
    await penny.say(ALICE, "lunch 20")
    reply = await penny.say(ALICE, "/balance")
    assert "December 2026" in reply.text
    assert "Income:   0.00 USD" in reply.text
    assert "Expenses: 20.00 USD" in reply.text
    assert "All-time net: +3,475.50 USD" in reply.text


async def test_undo_command(penny: Penny) -> None:
    assert "nothing to undo" in (await penny.say(ALICE, "/undo")).text
    await penny.say(ALICE, "coffee 4.50")
    await penny.say(ALICE, "taxi 12")
    reply = await penny.say(ALICE, "/undo")
    assert "Removed" in reply.text and "12.00 USD" in reply.text
    [row] = await penny.rows(ALICE)
    assert row.amount_minor == 450


async def test_history_lists_last_ten_with_delete_buttons(penny: Penny) -> None:
    for n in range(1, 13):
        await penny.say(ALICE, f"coffee {n}")
    reply = await penny.say(ALICE, "/history")
    lines = [line for line in reply.text.splitlines() if line[:1].isdigit()]
    assert len(lines) == 10
    assert "12.00 USD" in lines[0] and "3.00 USD" in lines[-1]
    assert [b.text for b in reply.all_buttons()] == [f"🗑 {n}" for n in range(1, 11)] + ["Next ›"]
    await penny.press(ALICE, reply, "🗑 1")
    asked = await penny.reply(ALICE)
    assert "Delete this transaction?\n−12.00 USD" in asked.text
    await penny.press(ALICE, asked, "Delete it")
    edited = await penny.reply(ALICE)
    assert "Deleted: −12.00 USD" in edited.text
    amounts = sorted(row.amount_minor for row in await penny.rows(ALICE))
    assert amounts == [n * 100 for n in range(1, 12)]


async def test_export_csv(penny: Penny) -> None:
    assert "no transactions" in (await penny.say(ALICE, "/export")).text
    await penny.say(ALICE, "coffee 4.50")
    await penny.say(ALICE, "+5000 salary")
    await penny.say(ALICE, "uber 320 yesterday")
    reply = await penny.say(ALICE, "/export")
    assert reply.document is not None and reply.document.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(reply.document.content.decode("utf-8"))))
    assert rows[0] == ["date", "type", "amount", "currency", "category", "note"]
    body = sorted(rows[1:])
    assert [r[:5] for r in body] == [
        ["2026-11-22", "expense", "320.00", "USD", "Transport"],
        ["2026-11-23", "expense", "4.50", "USD", "Food"],
        ["2026-11-23", "income", "5000.00", "USD", "Salary"],
    ]
    assert all(Decimal(r[2]) > 0 for r in body)


async def test_users_are_isolated_even_with_forged_buttons(penny: Penny) -> None:
    receipt = await penny.say(ALICE, "coffee 4.50")
    ask = await penny.say(ALICE, "250")
    history = await penny.say(ALICE, "/history")
    await penny.say(BOB, "/start")
    forged = [
        receipt.button("Undo").callback_data,
        receipt.button("Change category").callback_data,
        ask.button("Food").callback_data,
        history.button("🗑 1").callback_data,
        "undo:999999999999",
        "sc:1:1",
        "pk:1:1",
        "del:abc",
        "garbage",
    ]
    for data in forged:
        assert data is not None
        await penny.press_data(BOB, receipt.message_id, data)
    await penny.fake.no_reply(BOB, wait=0.5)
    await penny.fake.no_reply(ALICE)
    assert await penny.count(ALICE) == 2  # the coffee and the 250 saved to sort
    assert [r.unsorted for r in await penny.rows(ALICE)] == [False, True]
    answers = [c for c in penny.fake.calls if c.method == "answerCallbackQuery"]
    assert len(answers) >= len(forged)
    bob_history = await penny.say(BOB, "/history")
    assert "No transactions" in bob_history.text
    bob_balance = await penny.say(BOB, "/balance")
    assert (
        "All-time net: +0.00 USD" in bob_balance.text
        or "All-time net: 0.00 USD" in bob_balance.text
    )


async def test_commands_are_registered(penny: Penny) -> None:
    calls = [c for c in penny.fake.calls if c.method == "setMyCommands"]
    assert calls
    names = {c["command"] for c in calls[-1].params["commands"]}
    assert {"start", "help", "balance", "undo", "history", "export"} <= names


async def test_help_lists_commands(penny: Penny) -> None:
    reply = await penny.say(ALICE, "/help")
    for command in ("/balance", "/history", "/undo", "/export"):
        assert command in reply.text


async def test_a_group_has_its_own_ledger_and_import_stays_private(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")
    await penny.fake.send_text(ALICE, "/balance", chat_id=-500, chat_type="group")
    reply = await penny.fake.next_reply(-500)
    assert "Expenses: 0.00 USD" in (reply.text or "")  # the group's ledger, not Alice's
    await penny.fake.send_text(ALICE, "/import", chat_id=-500, chat_type="group")
    assert "private chat" in ((await penny.fake.next_reply(-500)).text or "")


async def test_non_text_gets_a_hint(penny: Penny) -> None:
    penny.fake.inject_update(
        {
            "message": {
                "message_id": 77,
                "date": 1700000000,
                "chat": {"id": ALICE, "type": "private"},
                "from": {"id": ALICE, "is_bot": False, "first_name": "A"},
                "sticker": {
                    "file_id": "s",
                    "file_unique_id": "s",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                },
            }
        }
    )
    assert "only read text" in (await penny.reply(ALICE)).text


async def test_a_redelivered_message_is_stored_once(penny: Penny) -> None:
    # After a crash Telegram hands out the same message again under a new update id.
    sent = await penny.send(ALICE, "coffee 3 and bagel 2")
    await penny.reply(ALICE)
    penny.fake.inject_update({"message": sent})
    again = await penny.reply(ALICE)
    assert "Saved 2 entries" in again.text
    assert sorted(row.amount_minor for row in await penny.rows(ALICE)) == [200, 300]


async def test_editing_in_a_second_entry_adds_it(penny: Penny) -> None:
    sent = await penny.send(ALICE, "coffee 3")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "coffee 3 and bagel 2")
    assert "Updated 2 entries" in (await penny.reply(ALICE)).text
    await penny.fake.edit_text(ALICE, sent["message_id"], "coffee 3 and bagel 2 and juice 4")
    await penny.reply(ALICE)
    assert sorted(row.amount_minor for row in await penny.rows(ALICE)) == [200, 300, 400]


async def test_edit_after_deleting_one_entry_keeps_every_entry(penny: Penny) -> None:
    sent = await penny.send(ALICE, "coffee 3 and bagel 2")
    await penny.reply(ALICE)
    history = await penny.say(ALICE, "/history")
    await penny.press(ALICE, history, "🗑 2")  # the coffee (older of the two)
    await penny.press(ALICE, await penny.reply(ALICE), "Delete it")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "coffee 3 and bagel 2 and juice 4")
    assert "Updated 3 entries" in (await penny.reply(ALICE)).text
    assert sorted(row.amount_minor for row in await penny.rows(ALICE)) == [200, 300, 400]


async def test_a_redelivered_bare_amount_asks_once(penny: Penny) -> None:
    sent = await penny.send(ALICE, "250")
    ask = await penny.reply(ALICE)
    penny.fake.inject_update({"message": sent})
    again = await penny.reply(ALICE)
    assert ask.button("Food").callback_data == again.button("Food").callback_data
    await penny.press(ALICE, again, "Food")
    await penny.reply(ALICE)
    penny.fake.inject_update({"message": sent})
    assert "Saved" in (await penny.reply(ALICE)).text
    assert [row.amount_minor for row in await penny.rows(ALICE)] == [25000]
