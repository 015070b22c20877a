"""Another user pressing every one of Alice's buttons changes nothing of hers and sees nothing."""

from __future__ import annotations

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
    # Bob presses a few hundred buttons in a burst; flood control would drop most of them.
    async with running_penny(database_url, clock, flood_burst=0) as harness:
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
