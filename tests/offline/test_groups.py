"""Group chats in the offline server: what the bot receives, member updates, getChatMember."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, ChatMember
from telegram.error import Forbidden

from bot.offline.server import FakeTelegram

ANNA, BEN, STRANGER = 11, 12, 13
HOME = -700
CONTENT = (
    "text",
    "new_chat_members",
    "left_chat_member",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        server.register_user(ANNA, first_name="Anna", username="anna")
        server.register_user(BEN, first_name="Ben")
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url) as client:
        yield client


def kinds(fake: FakeTelegram) -> list[str]:
    """The queued updates, by kind (and a message's content key), and clears the queue."""
    found = []
    for update in fake.world.updates:
        kind = next(key for key in update if key != "update_id")
        if kind == "message":
            message = update["message"]
            kind += ":" + next(key for key in CONTENT if key in message)
        found.append(kind)
    fake.world.updates.clear()
    return found


async def test_adding_the_bot_tells_it_with_my_chat_member(fake: FakeTelegram) -> None:
    fake.groups.create(HOME, "Home", owner=ANNA, members=(BEN,))
    assert kinds(fake) == ["my_chat_member", "message:new_chat_members"]


async def test_privacy_mode_delivers_commands_replies_mentions_and_service_messages(
    fake: FakeTelegram,
) -> None:
    fake.groups.create(HOME, "Home", owner=ANNA, members=(BEN,))
    kinds(fake)
    await fake.send_text(ANNA, "groceries 80", chat_id=HOME)
    await fake.send_text(ANNA, "/add groceries 80", chat_id=HOME)
    await fake.send_text(ANNA, "/add@penny_local_bot pizza 9", chat_id=HOME)
    await fake.send_text(ANNA, "/add@other_bot pizza 9", chat_id=HOME)
    await fake.send_text(BEN, "@penny_local_bot wine 12", chat_id=HOME)
    bot_message = fake.world.new_message(fake.world.chats[HOME], fake.bot_user, text="Saved")
    await fake.send_text(BEN, "bread 3", chat_id=HOME, reply_to=bot_message["message_id"])
    fake.groups.remove_member(HOME, BEN)
    assert kinds(fake) == [
        "message:text",  # /add
        "message:text",  # /add@penny_local_bot
        "message:text",  # the mention
        "message:text",  # the reply to the bot
        "message:left_chat_member",  # service messages always; no chat_member: not an admin
    ]
    assert fake.world.messages[HOME]  # the chatter is in the chat all the same
    mention = fake.world.messages[HOME][6].message["entities"]
    assert mention == [{"type": "mention", "offset": 0, "length": 16}]


async def test_an_admin_or_privacy_off_receives_everything(fake: FakeTelegram) -> None:
    fake.groups.create(HOME, "Home", owner=ANNA, members=(BEN,), bot_admin=True)
    kinds(fake)
    await fake.send_text(ANNA, "groceries 80", chat_id=HOME)
    fake.groups.remove_member(HOME, BEN)
    assert kinds(fake) == ["message:text", "message:left_chat_member", "chat_member"]

    fake.groups.create(-701, "Flat", owner=ANNA)
    fake.groups.set_privacy_mode(False)
    kinds(fake)
    await fake.send_text(ANNA, "rent 900", chat_id=-701)
    assert kinds(fake) == ["message:text"]


async def test_a_person_outside_the_group_cannot_write_in_it(fake: FakeTelegram) -> None:
    fake.groups.create(HOME, "Home", owner=ANNA)
    with pytest.raises(AssertionError, match="not in chat"):
        await fake.send_text(STRANGER, "hello", chat_id=HOME)


async def test_get_chat_member_and_administrators(fake: FakeTelegram, bot: Bot) -> None:
    fake.groups.create(HOME, "Home", owner=ANNA, members=(BEN,))
    assert (await bot.get_chat_member(HOME, ANNA)).status == ChatMember.OWNER
    assert (await bot.get_chat_member(HOME, BEN)).status == ChatMember.MEMBER
    assert (await bot.get_chat_member(HOME, STRANGER)).status == ChatMember.LEFT
    assert (await bot.get_chat_member(HOME, bot.id)).status == ChatMember.MEMBER
    assert [m.user.id for m in await bot.get_chat_administrators(HOME)] == [ANNA]
    fake.groups.promote_bot(HOME, by=ANNA)
    assert (await bot.get_chat_member(HOME, bot.id)).status == ChatMember.ADMINISTRATOR
    assert {m.user.id for m in await bot.get_chat_administrators(HOME)} == {ANNA, bot.id}
    assert await bot.get_chat_member_count(HOME) == 3
    fake.groups.remove_member(HOME, BEN, by=ANNA)
    assert (await bot.get_chat_member(HOME, BEN)).status == ChatMember.BANNED


async def test_a_removed_bot_cannot_post(fake: FakeTelegram, bot: Bot) -> None:
    fake.groups.create(HOME, "Home", owner=ANNA)
    await bot.send_message(HOME, "hello")
    fake.groups.remove_bot(HOME, by=ANNA)
    assert kinds(fake)[-1] == "my_chat_member"
    with pytest.raises(Forbidden, match="kicked"):
        await bot.send_message(HOME, "still here?")


async def test_migrating_to_a_supergroup_moves_the_chat(fake: FakeTelegram) -> None:
    fake.groups.create(HOME, "Home", owner=ANNA, members=(BEN,))
    kinds(fake)
    new_id = fake.groups.migrate(HOME, by=ANNA)
    assert new_id < -1_000_000_000_000
    assert kinds(fake) == ["message:migrate_to_chat_id", "message:migrate_from_chat_id"]
    assert fake.world.chats[new_id]["type"] == "supergroup"
    await fake.send_text(BEN, "/balance", chat_id=new_id)
    assert kinds(fake) == ["message:text"]
