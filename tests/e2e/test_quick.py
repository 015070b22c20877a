"""Logging with the account kept in the process: every change is seen at once.

The profile, categories and rules a message is logged with are kept per process and checked by
``users.revision`` in the statement that stores the entry; triggers bump the revision.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.runtime import BOT_DATA_KEY
from models.tables import HabitDay
from tests.support.harness import Penny

ALICE = 1001


def kept(penny: Penny) -> int:
    return len(penny.app.bot_data[BOT_DATA_KEY].accounts)


async def test_a_kept_account_follows_every_change(penny: Penny) -> None:
    assert "4.50 USD" in (await penny.say(ALICE, "coffee 4.50")).text
    assert kept(penny) == 1
    assert "Food this month: 7.50 USD" in (await penny.say(ALICE, "coffee 3")).text
    await penny.say(ALICE, "/currency EUR")
    assert "Food this month: 3.00 EUR" in (await penny.say(ALICE, "coffee 3")).text
    # Renamed: a kept copy would still say Food; the new name is what the receipt shows.
    await penny.say(ALICE, "/categories rename food to Meals")
    assert "Meals this month: 4.00 EUR" in (await penny.say(ALICE, "tea 1")).text
    await penny.say(ALICE, "/budget transport 10")
    await penny.say(ALICE, "taxi 20")
    assert "over its 10.00 EUR limit" in (await penny.reply(ALICE)).text
    erase = await penny.say(ALICE, "/deleteme")
    await penny.press(ALICE, erase, "Erase everything")
    await penny.reply(ALICE)
    # A fresh account: its own categories, the default currency again.
    fresh = await penny.say(ALICE, "coffee 2")
    assert "2.00 USD" in fresh.text and "Food this month: 2.00 USD" in fresh.text
    assert await penny.count(ALICE) == 1


async def test_a_redelivered_message_is_stored_once(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 1")
    message = await penny.send(ALICE, "coffee 2")
    await penny.reply(ALICE)
    penny.fake.inject_update({"message": message})  # Telegram delivers it again
    assert "2.00 USD" in (await penny.reply(ALICE)).text
    assert await penny.count(ALICE) == 2


async def test_a_goal_among_other_lines_is_refused_with_a_kept_account(penny: Penny) -> None:
    # "coffee" alone holds no amount, so the two lines parse as one entry; the ordinary path
    # refuses a goal sentence among others, and a kept account must not store it as spending.
    await penny.say(ALICE, "coffee 1")
    assert kept(penny) == 1
    reply = await penny.say(ALICE, "coffee\nsaved 100 for laptop")
    assert "Nothing was saved" in reply.text
    assert await penny.count(ALICE) == 1


async def test_a_kept_account_shows_the_note_as_stored(penny: Penny) -> None:
    # The column drops a NUL; the receipt shows what was stored, as the ordinary path does.
    await penny.say(ALICE, "coffee 1")
    assert kept(penny) == 1
    reply = await penny.say(ALICE, "coffee\x00 3")
    assert "Food this month: 4.00 USD" in reply.text and "\x00" not in reply.text


async def test_a_failed_unit_of_work_forgets_the_day_it_marked(
    penny: Penny, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The streak day is marked once per kept account; if what marked it was rolled back, the
    next message must mark it again, or a day the user logged is missing from their streak."""
    from models.services import quick

    await penny.say(ALICE, "coffee 1")
    penny.clock.now += timedelta(days=1)
    real = quick.Entry
    failures = [RuntimeError("the commit failed")]

    def failing(*args: object, **kwargs: object) -> object:
        if failures:
            raise failures.pop()  # after the day was marked: as a failed commit would be
        return real(*args, **kwargs)

    monkeypatch.setattr(quick, "Entry", failing)
    assert "something went wrong" in (await penny.say(ALICE, "coffee 2")).text
    assert "3.00 USD" in (await penny.say(ALICE, "coffee 3")).text
    async with penny.app.bot_data[BOT_DATA_KEY].sessions() as session:
        days = (await session.scalars(select(HabitDay.day).where(HabitDay.user_id == ALICE))).all()
    today = penny.clock.now.date()
    assert sorted(days) == [today - timedelta(days=1), today]
