"""Streaks and points across days with the injected clock, in replies and the summaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.harness import Penny

ALICE = 1001


def day(d: int, hour: int = 12, month: int = 11) -> datetime:
    return datetime(2026, month, d, hour, 0, 5, tzinfo=UTC)


async def test_streak_and_budget_points_across_days(penny: Penny) -> None:
    # Monday 23 Nov. A 3,000 monthly budget allows 100 a day in November's 30 days.
    await penny.say(ALICE, "/budget 3000")
    await penny.say(ALICE, "coffee 3")  # within: +10 once the day is over
    penny.clock.now = day(24)
    await penny.say(ALICE, "lunch 150")  # over the day's share: no points
    penny.clock.now = day(25)
    quiet = await penny.say(ALICE, "nothing today")  # within, and the day counts
    assert "Noted: nothing to log today. 🔥 3-day streak." in quiet.text
    assert await penny.count(ALICE) == 2

    penny.clock.now = day(26)  # not logged yet today: the streak still stands
    report = await penny.say(ALICE, "/report")
    assert "🔥 3-day streak · ⭐ 20 points" in report.text

    penny.clock.now = day(28)  # the 26th and 27th went by without a word: broken, no points
    report = await penny.say(ALICE, "/report")
    assert "streak" not in report.text and "⭐ 20 points" in report.text
    await penny.say(ALICE, "250")  # an amount waiting for a category…
    assert "streak" not in (await penny.say(ALICE, "/balance")).text
    asked = penny.fake.chat_messages(ALICE)[-3]
    await penny.press(ALICE, asked, "Food")  # …counts once it is saved
    await penny.reply(ALICE)

    penny.clock.now = day(29, 12)
    await penny.say(ALICE, "tea 2")
    penny.clock.now = day(29, 19)  # Sunday evening: the weekly summary
    assert (await penny.tick()).sent == 1
    summary = await penny.reply(ALICE)
    assert "Weekly summary" in summary.text
    # The 28th: 250 spent against a 100 share, so no points for it.
    assert "🔥 2-day streak · ⭐ 20 points" in summary.text
    # Points earned before this week aren't "this week"'s.
    penny.clock.now = day(6, 19, month=12)
    await penny.tick()
    assert "(+" not in (await penny.reply(ALICE)).text


async def test_points_rules_are_written_down(penny: Penny) -> None:
    rules = await penny.say(ALICE, "/help points")
    assert "Streak:" in rules.text and "10 for each logged day" in rules.text
    assert "1% of a goal's target" in rules.text
    assert "/help points" in (await penny.say(ALICE, "/help")).text


async def test_nudge_offers_nothing_today_and_it_keeps_the_streak(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 3")  # 23 Nov
    penny.clock.now = day(24)
    await penny.say(ALICE, "nothing")
    for d in (25, 26):
        penny.clock.now = day(d, 20)
        await penny.tick()
    nudge = await penny.reply(ALICE)
    assert "Nothing logged for 2 days" in nudge.text
    await penny.press(ALICE, nudge, "Nothing to log")
    noted = await penny.reply(ALICE)  # the nudge loses its buttons…
    assert noted.event == "editMessageReplyMarkup" and not noted.buttons
    # …and the 26th counts; the 25th was silent, so the run starts again.
    assert "Noted: nothing to log today." in (await penny.reply(ALICE)).text
    penny.clock.now = day(27)
    await penny.say(ALICE, "coffee 2")
    again = await penny.say(ALICE, "nothing today")
    assert "you logged today already, so today counts. 🔥 2-day streak." in again.text
    assert "🔥 2-day streak" in (await penny.say(ALICE, "/balance")).text


async def test_a_logger_sees_no_streak_lines_until_there_is_one(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 3")
    report = await penny.say(ALICE, "/report")
    assert "streak" not in report.text and "points" not in report.text
    balance = await penny.say(ALICE, "/balance")
    assert balance.text.rstrip().endswith("All-time net: −3.00 USD")


async def test_changing_a_budget_does_not_rescore_the_days_before(penny: Penny) -> None:
    # Monday 23 Nov: 3,000 a month is 100 a day. Alice reads nothing until the 29th, so no
    # day is scored before the budget changes.
    await penny.say(ALICE, "/budget 3000")
    await penny.say(ALICE, "lunch 150")  # over that day's share
    penny.clock.now = day(24)
    await penny.say(ALICE, "lunch 150")  # over again
    penny.clock.now = day(25)
    await penny.say(ALICE, "/budget 9000")  # 300 a day from now on: the 25th is within
    await penny.say(ALICE, "lunch 150")
    penny.clock.now = day(26)
    await penny.say(ALICE, "tea 2")  # within
    penny.clock.now = day(27)
    await penny.say(ALICE, "/budget off")  # no budget, no points from the 27th on
    await penny.say(ALICE, "tea 2")
    penny.clock.now = day(29)
    # The 25th and 26th earned under the budget of their day; the 23rd and 24th were over
    # theirs, and raising the limit afterwards doesn't make them within.
    assert "⭐ 20 points" in (await penny.say(ALICE, "/balance")).text


@pytest.mark.parametrize(
    ("zone", "first"),
    [
        ("Pacific/Kiritimati", date(2026, 11, 25)),  # UTC+14
        ("Pacific/Pago_Pago", date(2026, 11, 25)),  # UTC−11
        ("America/New_York", date(2027, 3, 13)),  # the 14th has 23 hours
        ("Europe/London", date(2027, 10, 30)),  # the 31st has 25 hours
    ],
)
async def test_a_streak_follows_the_users_own_days(penny: Penny, zone: str, first: date) -> None:
    await penny.say(ALICE, f"/timezone {zone}")

    def local(d: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(d, time(hour, minute), ZoneInfo(zone)).astimezone(UTC)

    second = first + timedelta(days=1)
    penny.clock.now = local(first, 23, 30)
    await penny.say(ALICE, "coffee 3")
    penny.clock.now = local(second, 0, 15)  # 45 minutes later on the wall, another day here
    await penny.say(ALICE, "tea 2")
    assert "🔥 2-day streak" in (await penny.say(ALICE, "/balance")).text
    penny.clock.now = local(second + timedelta(days=1), 23, 55)  # the third day isn't over
    assert "🔥 2-day streak" in (await penny.say(ALICE, "/balance")).text
    penny.clock.now = local(second + timedelta(days=2), 0, 5)  # now it passed without a word
    assert "streak" not in (await penny.say(ALICE, "/balance")).text
