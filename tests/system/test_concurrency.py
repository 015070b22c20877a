"""The update processor: users run side by side, one user's (or one group's) updates in order."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.concurrency import PerUserUpdateProcessor


def update(update_id: int, user_id: int, chat: Chat) -> Update:
    sender = User(user_id, "Test", is_bot=False)
    return Update(update_id, message=Message(update_id, None, chat, from_user=sender, text="x"))  # type: ignore[arg-type]


async def order_of(first: Update, second: Update) -> list[str]:
    """What happened when ``second`` arrived while ``first`` was still being handled."""
    processor = PerUserUpdateProcessor(8)
    events: list[str] = []
    release = asyncio.Event()

    async def slow() -> None:
        events.append("first started")
        await release.wait()
        events.append("first done")

    async def quick() -> None:
        events.append("second ran")

    one = asyncio.create_task(processor.do_process_update(first, slow()))
    await asyncio.sleep(0.01)
    two = asyncio.create_task(processor.do_process_update(second, quick()))
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(one, two)
    return events


async def test_two_users_in_private_run_side_by_side() -> None:
    anna, ben = Chat(11, "private"), Chat(12, "private")
    assert await order_of(update(1, 11, anna), update(2, 12, ben)) == [
        "first started",
        "second ran",
        "first done",
    ]


async def test_two_members_of_one_group_keep_the_groups_order() -> None:
    home = Chat(-700, "group", title="Home")
    assert await order_of(update(1, 11, home), update(2, 12, home)) == [
        "first started",
        "first done",
        "second ran",
    ]
