"""Another user pressing every one of Alice's buttons changes nothing of hers and sees nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from handlers.runtime import BOT_DATA_KEY
from models.tables import Base
from tests.conftest import Clock
from tests.support.harness import Penny, running_penny

ALICE = 1001
BOB = 2002


async def snapshot(penny: Penny, user_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that belongs to the user (or, without a user column, all)."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    async with penny.app.bot_data[BOT_DATA_KEY].sessions() as session:
        for table in Base.metadata.sorted_tables:
            query = select(table)
            if "user_id" in table.c:
                query = query.where(table.c.user_id == user_id)
            elif table.name == "users":
                query = query.where(table.c.id == user_id)
            rows = await session.execute(query.order_by(*table.primary_key.columns))
            state[table.name] = [tuple(row) for row in rows]
    return state


@pytest.fixture
async def penny(database_url: str, clock: Clock) -> AsyncIterator[Penny]:
    # Bob presses a few hundred buttons in a burst; flood control would drop most of them, and
    # pacing replies to a group's 20 a minute would leave them waiting past wait_idle.
    async with running_penny(database_url, clock, flood_burst=0, rate_limit=False) as harness:
        yield harness


async def test_every_button_of_alice_is_inert_for_bob(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 10")
    await penny.say(ALICE, "lunch 20")
    await penny.reply(ALICE)  # the over-limit alert with its buttons
    await penny.say(ALICE, "250")  # saved to sort: the receipt has a button per category
    await penny.say(ALICE, "zorblax 5")
    receipt = await penny.say(ALICE, "uber 12")
    await penny.press(ALICE, receipt, "Change category")
    await penny.press(ALICE, await penny.reply(ALICE), "Travel")
    await penny.reply(ALICE)
    await penny.reply(ALICE)  # "Always file 'uber' under Travel?"
    await penny.say(ALICE, "/recurring add rent 100 monthly on 1")
    await penny.say(ALICE, "/goal laptop 1200")
    await penny.say(ALICE, "saved 100 for laptop")  # Undo and Add more
    await penny.say(ALICE, "change 12 uber expense to 15")  # confirmed with a button
    await penny.say(ALICE, "remove the uber expense")
    commands = ("/history", "/recurring", "/remind", "/settings", "/chart", "/sort", "/deleteme")
    for command in (*commands, "/goal", "/invite", "/compare"):
        await penny.say(ALICE, command)
    await penny.wait_idle()
    buttons = {
        button.callback_data
        for message in penny.fake.chat_messages(ALICE)
        for button in message.all_buttons()
        if button.callback_data
    }
    # Ids that exist for Alice but were never shown as buttons, and the shapes forgers try.
    buttons |= {"undo:1", "del:1", "sc:1:1", "pk:1:1", "bl:1:25:1000", "rd:1", "lr:1:1", "qc:1"}
    buttons |= {"ga:1", "gu:1", "rate:5", "ratex", "rateoff", "nt"}
    prefixes = {data.split(":")[0] for data in buttons}
    assert {
        "undo",
        "cc",
        "fl",
        "am",
        "rx",
        "kp",
        "so",
        "sk",
        "pk",
        "del",
        "bl",
        "bt",
        "bq",
        "rd",
        "lr",
        "erase",
        "ch",
        "ga",
        "gu",
        "invname",
        "cmp",
    } <= prefixes
    await penny.say(BOB, "/start")
    before = await snapshot(penny, ALICE)
    messages_before = len(penny.fake.chat_messages(ALICE))
    for data in sorted(buttons):
        for message_id in (1, 2, 10_000):
            await penny.press_data(BOB, message_id, data)
    # A few hundred presses from one user are handled one after another.
    await penny.wait_idle(timeout=60)
    assert await snapshot(penny, ALICE) == before
    assert len(penny.fake.chat_messages(ALICE)) == messages_before
    # Whatever Bob saw, none of it was Alice's.
    for message in penny.fake.chat_messages(BOB)[1:]:  # after the greeting
        text = message.text or ""
        assert "20.00 USD" not in text and "100.00 USD" not in text and "Travel" not in text


HOME = -4001
BEN, CLEO = 1002, 1003
# Buttons whose data names a row (a transaction, budget, rule, pending entry, member…).
NAMES_A_ROW = frozenset(
    {"undo", "cc", "sc", "bk", "split", "unsplit", "del", "st", "bl", "bt", "bq", "lr"}
    | {"fl", "so", "sk", "am", "rx", "pk", "px", "rd", "qc", "imc", "imok", "imx"}
)


def buttons_in(penny: Penny, chat_id: int) -> set[tuple[int, str]]:
    """(message id, callback data) of every button now in the chat."""
    return {
        (message.message_id, button.callback_data)
        for message in penny.fake.chat_messages(chat_id)
        for button in message.all_buttons()
        if button.callback_data
    }


async def press_all(
    penny: Penny, user: int, presses: set[tuple[int, str]], *, chat_id: int | None = None
) -> None:
    """Press every (message, data) as ``user`` and wait until each press was answered.

    Waiting for the answers, not for a silence: a burst of presses takes longer than any quiet
    period under load, and every press must be answered, whoever made it.
    """
    queries = [
        await penny.fake.press(user, message_id, data, chat_id=chat_id)
        for message_id, data in sorted(presses)
    ]
    deadline = asyncio.get_running_loop().time() + 120
    while not all(q in penny.fake.callback_answers for q in queries):
        assert asyncio.get_running_loop().time() < deadline, "presses left unanswered"
        await asyncio.sleep(0.05)
    await penny.fake.wait_idle()


async def in_home(penny: Penny, user: int, text: str, *, replies: int = 1) -> None:
    await penny.fake.send_text(user, text, chat_id=HOME)
    for _ in range(replies):
        await penny.fake.next_reply(HOME)


async def test_a_groups_buttons_are_inert_for_anyone_but_its_members(penny: Penny) -> None:
    for user, name in ((ALICE, "Alice"), (BEN, "Ben"), (CLEO, "Cleo"), (BOB, "Bob")):
        penny.fake.register_user(user, first_name=name, username=name.lower())
    penny.fake.groups.create(HOME, "Home", owner=ALICE, members=(BEN, CLEO), bot_admin=True)
    await penny.fake.next_reply(HOME)  # the welcome, with Join
    await penny.say(ALICE, "coffee 4")  # Alice's own ledger, with its receipt
    await penny.say(ALICE, "/history")
    for user in (BEN, CLEO):
        await in_home(penny, user, "/start")
    await in_home(penny, ALICE, "/budget food 10")
    await in_home(penny, ALICE, "dinner 60 split", replies=2)  # over the budget: an alert
    await penny.fake.send_text(BEN, "lunch 20", chat_id=HOME)
    receipt = await penny.fake.next_reply(HOME)
    data = receipt.button("Change category").callback_data or ""
    await penny.fake.press(BEN, receipt.message_id, data, chat_id=HOME)
    await penny.fake.next_reply(HOME)  # the categories to move it to
    await in_home(penny, BEN, "/add wine 5")
    await in_home(penny, ALICE, "250")  # saved to sort: its receipt offers the categories
    await in_home(penny, BEN, "/add 7")  # two to sort: /sort offers Skip too
    await in_home(penny, BEN, "@penny_local_bot change 5 wine expense to 6")  # with a button
    await in_home(penny, BEN, "@penny_local_bot remove the wine expense")
    commands = ("/history", "/settle", "/deleteme", "/chart", "/settings", "/remind", "/sort")
    for command in commands:
        await in_home(penny, ALICE, command)
    penny.fake.groups.remove_member(HOME, CLEO)  # Cleo was a member and left
    await penny.fake.wait_idle()

    group_buttons = buttons_in(penny, HOME)
    prefixes = {data.split(":")[0] for _, data in group_buttons}
    assert {
        "join",
        "undo",
        "cc",
        "sc",
        "split",
        "unsplit",
        "del",
        "st",
        "erase",
        "bl",
        "fl",
        "so",
        "sk",
        "am",
        "rx",
    } <= prefixes
    forged = {
        "undo:1",
        "del:1",
        "split:1",
        "unsplit:1",
        "st:1:2:100:USD",
        "sc:1:1",
        "fl:1:1",
        "so:1:1",
    }
    presses = group_buttons | {(mid, data) for data in forged for mid in (1, 10_000)}

    home_before = await snapshot(penny, HOME)
    alice_before = await snapshot(penny, ALICE)
    messages_before = [m.describe() for m in penny.fake.chat_messages(HOME)]
    for user in (BOB, CLEO):  # never a member, and a member who left
        await press_all(penny, user, presses, chat_id=HOME)
    assert await snapshot(penny, HOME) == home_before
    assert [m.describe() for m in penny.fake.chat_messages(HOME)] == messages_before

    # A member's press of the group's buttons in her private chat acts on nothing of the group's,
    # and her private buttons pressed in the group touch nothing of hers. (Buttons that name
    # no row, like a currency, act on whichever chat they are pressed in, as they should.)
    await press_all(penny, ALICE, {p for p in group_buttons if p[1].split(":")[0] in NAMES_A_ROW})
    mine = {p for p in buttons_in(penny, ALICE) if p[1].split(":")[0] in NAMES_A_ROW}
    await press_all(penny, ALICE, mine, chat_id=HOME)
    assert await snapshot(penny, HOME) == home_before
    assert await snapshot(penny, ALICE) == alice_before
    for message in penny.fake.chat_messages(HOME):
        assert "4.00 USD" not in (message.text or "")  # Alice's coffee never shows in the group
