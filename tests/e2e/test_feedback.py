"""Feedback to the makers and back, the rating offer, and the operator's /stats."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models.tables import Feedback
from tests.conftest import Clock
from tests.support.harness import Penny, running_penny

ALICE = 1001
BOB = 2002
OPERATOR = 9009
ADMIN_CHAT = -100777


@pytest.fixture
async def operated(database_url: str, clock: Clock) -> AsyncIterator[Penny]:
    """Penny with ADMIN_CHAT_ID set to a group the operator writes in."""
    async with running_penny(database_url, clock, admin_chat_id=ADMIN_CHAT) as penny:
        yield penny


async def in_admin_chat(penny: Penny, text: str) -> str:
    await penny.fake.send_text(OPERATOR, text, chat_id=ADMIN_CHAT, chat_type="group")
    return (await penny.fake.next_reply(ADMIN_CHAT)).text or ""


async def stored_feedback(penny: Penny) -> list[tuple[int, str | None, int | None, str | None]]:
    async with penny.app.bot_data["penny"].sessions() as session:
        rows = await session.execute(
            select(Feedback.user_id, Feedback.text, Feedback.stars, Feedback.answer).order_by(
                Feedback.id
            )
        )
        return [tuple(r) for r in rows]


async def test_feedback_is_forwarded_with_an_id_and_the_answer_comes_back(
    operated: Penny,
) -> None:
    penny = operated
    assert "Penny in numbers" in await in_admin_chat(penny, "/stats")  # the chat is known now
    usage = await penny.say(ALICE, "/feedback")
    assert "/feedback I'd like" in usage.text
    thanks = await penny.say(ALICE, "/feedback Please add a weekly view\nfor groceries")
    assert "read every note (#1)" in thanks.text
    forwarded = await penny.fake.next_reply(ADMIN_CHAT)
    assert forwarded.text == (
        "📨 Feedback #1\n\nPlease add a weekly view\nfor groceries\n\n"
        "Answer with /reply 1 your text"
    )
    assert str(ALICE) not in (forwarded.text or "")  # the operator needs only the id

    sent = await in_admin_chat(penny, "/reply 1 Thanks Alice, it's on the list!")
    assert "Sent your answer to #1" in sent
    answer = await penny.reply(ALICE)
    assert answer.text == (
        "💬 An answer to your feedback #1:\n\nThanks Alice, it's on the list!\n\n"
        "/feedback to write back."
    )
    assert await stored_feedback(penny) == [
        (ALICE, "Please add a weekly view\nfor groceries", None, "Thanks Alice, it's on the list!")
    ]
    assert "no feedback #7" in await in_admin_chat(penny, "/reply 7 hello")
    assert "Usage: /reply ID" in await in_admin_chat(penny, "/reply hello")
    assert "under 3,900 characters" in await in_admin_chat(penny, "/reply 1 " + "x" * 3901)


async def test_operator_commands_work_only_in_the_admin_chat(operated: Penny) -> None:
    penny = operated
    await in_admin_chat(penny, "/stats")
    await penny.say(ALICE, "/feedback hi")
    await penny.fake.next_reply(ADMIN_CHAT)
    for command in ("/reply 1 sneaky", "/stats"):
        assert "I don't know that command" in (await penny.say(BOB, command)).text
        assert "I don't know that command" in (await penny.say(OPERATOR, command)).text
    await penny.fake.no_reply(ALICE)
    # In another group (a household's, say) they are a command Penny doesn't have, and a group
    # hears nothing about commands meant for some other bot there.
    await penny.fake.send_text(OPERATOR, "/stats", chat_id=-100888, chat_type="group")
    await penny.fake.wait_idle()
    await penny.fake.no_reply(-100888)


async def test_feedback_without_an_admin_chat_is_kept_and_limited(penny: Penny) -> None:
    first = await penny.say(ALICE, "/feedback the charts are lovely")
    assert "saved your note (#1)" in first.text
    for _ in range(4):
        await penny.say(ALICE, "/feedback more")
    refused = await penny.say(ALICE, "/feedback one too many")
    assert "5 notes today already" in refused.text
    assert "over 2,000 characters" in (await penny.say(BOB, "/feedback " + "x" * 2001)).text
    assert len(await stored_feedback(penny)) == 5
    penny.clock.advance(days=1, seconds=1)
    assert "(#6)" in (await penny.say(ALICE, "/feedback tomorrow's idea")).text


async def test_stats_show_counts_and_no_personal_data(operated: Penny) -> None:
    penny = operated
    assert "Users: 0" in await in_admin_chat(penny, "/stats")  # the operator isn't a user
    await penny.fake.send_text(ALICE, "coffee 4.56 at Blue Bottle", first_name="Alicia")
    await penny.reply(ALICE)
    await penny.fake.send_text(BOB, "taxi 31.17", first_name="Roberto", username="bobby_t")
    await penny.reply(BOB)
    await penny.say(BOB, "/goal secret yacht 99999")
    await penny.say(ALICE, "/feedback my landlord Mr Smith is rude")
    await penny.fake.next_reply(ADMIN_CHAT)  # the forwarded note
    penny.clock.advance(days=2)
    await penny.say(ALICE, "nothing today")
    text = await in_admin_chat(penny, "/stats")
    assert "Users: 2" in text and "Active in the last 7 days: 2" in text
    assert "Mon 23 Nov: 2" in text and "Wed 25 Nov: 0" in text
    assert "Goals: 1" in text and "Feedback waiting for an answer: 1" in text
    for personal in (
        "4.56",
        "31.17",
        "Blue",
        "Bottle",
        "Alicia",
        "Roberto",
        "bobby",
        "yacht",
        "99,999",
        "Smith",
        str(ALICE),
        str(BOB),
        "USD",
    ):
        assert personal not in text, personal


async def five_logging_days(penny: Penny) -> None:
    for d in range(23, 28):
        penny.clock.now = datetime(2026, 11, d, 12, 0, tzinfo=UTC)
        await penny.say(ALICE, "coffee 3")


MONTH_END = datetime(2026, 12, 1, 9, 0, 5, tzinfo=UTC)


async def month_end_report(penny: Penny, at: datetime) -> tuple[str, list[str]]:
    penny.clock.now = at
    await penny.tick()
    while True:
        message = await penny.reply(ALICE)
        if "Month-end report" in (message.text or ""):
            return message.text or "", [b.text for b in message.all_buttons()]


async def test_rating_after_a_month_end_report_at_most_monthly(penny: Penny) -> None:
    await five_logging_days(penny)
    text, buttons = await month_end_report(penny, MONTH_END)
    assert "How is Penny working for you?" in text
    assert buttons == ["1⭐", "2⭐", "3⭐", "4⭐", "5⭐", "Not now", "Don't ask again"]
    report = penny.fake.chat_messages(ALICE)[-1]
    await penny.press(ALICE, report, "4⭐")
    assert not (await penny.reply(ALICE)).buttons
    assert penny.fake.callback_answers  # a toast said thanks
    await penny.press_data(ALICE, report.message_id, "rate:5")  # a second tap counts once
    await penny.wait_idle()
    assert [s for _, _, s, _ in await stored_feedback(penny)] == [4]
    # Answered: not offered the next month, nor the one after.
    for at in (
        datetime(2027, 1, 1, 9, 0, 5, tzinfo=UTC),
        datetime(2027, 2, 1, 9, 0, 5, tzinfo=UTC),
    ):
        text, buttons = await month_end_report(penny, at)
        assert "How is Penny" not in text and not buttons


async def test_rating_is_never_offered_while_logging_and_can_be_switched_off(
    penny: Penny,
) -> None:
    await five_logging_days(penny)
    penny.clock.now = MONTH_END - timedelta(minutes=5)
    await penny.say(ALICE, "breakfast 8")  # still typing when the report comes
    text, buttons = await month_end_report(penny, MONTH_END)
    assert "How is Penny" not in text and not buttons
    text, buttons = await month_end_report(penny, datetime(2027, 1, 1, 9, 0, 5, tzinfo=UTC))
    assert "How is Penny" in text
    report = penny.fake.chat_messages(ALICE)[-1]
    await penny.press(ALICE, report, "Don't ask again")
    await penny.reply(ALICE)
    for month in (2, 3):
        text, buttons = await month_end_report(penny, datetime(2027, month, 1, 9, 0, 5, tzinfo=UTC))
        assert "How is Penny" not in text and not buttons
    # An old rating button after switching off, or a forged one, stores nothing.
    await penny.press_data(ALICE, report.message_id, "rate:1")
    await penny.wait_idle()
    assert await stored_feedback(penny) == []


async def test_new_users_are_not_asked_to_rate(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 3")
    text, buttons = await month_end_report(penny, MONTH_END)
    assert "How is Penny" not in text and not buttons


async def test_a_nul_character_in_feedback_is_dropped_not_a_failure(operated: Penny) -> None:
    """PostgreSQL refuses NUL in text: the note is kept without it, on both engines alike."""
    penny = operated
    assert "Penny in numbers" in await in_admin_chat(penny, "/stats")
    thanks = await penny.say(ALICE, "/feedback weekly\x00view")
    assert "read every note (#1)" in thanks.text
    await penny.fake.next_reply(ADMIN_CHAT)
    assert await stored_feedback(penny) == [(ALICE, "weekly view", None, None)]


async def test_rating_is_not_offered_while_putting_money_aside(penny: Penny) -> None:
    await five_logging_days(penny)
    await penny.say(ALICE, "/goal laptop 1200")
    penny.clock.now = MONTH_END - timedelta(minutes=5)
    await penny.say(ALICE, "saved 50 for laptop")  # logging too, only not spending
    text, buttons = await month_end_report(penny, MONTH_END)
    assert "How is Penny" not in text and not buttons
