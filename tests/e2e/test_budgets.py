"""Budgets, alerts, reminders and recurring entries through the real bot, with an injected clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.app import build_application
from handlers.buttons import STALE_TEXT
from handlers.ticker import tick
from models.tables import Schedule
from tests.support.harness import Penny, running_penny, settings_for

ALICE = 1001
BOB = 2002


def sends_to(penny: Penny, chat_id: int, marker: str) -> int:
    return sum(
        1
        for c in penny.fake.calls
        if c.method == "sendMessage"
        and int(c.params.get("chat_id", 0)) == chat_id
        and marker in str(c.params.get("text", ""))
    )


async def logged_with_alert(penny: Penny, text: str) -> tuple[str, str]:
    confirmation = await penny.say(ALICE, text)
    alert = await penny.reply(ALICE)
    return confirmation.text or "", alert.text or ""


async def test_budget_set_show_and_remove(penny: Penny) -> None:
    saved = await penny.say(ALICE, "/budget food 5000")
    assert "Food budget saved" in saved.text and "0.00 USD of 5,000.00 USD" in saved.text
    await penny.say(ALICE, "groceries 100")
    await penny.say(ALICE, "lunch 1900")
    await penny.say(ALICE, "/budget 20000")
    shown = await penny.say(ALICE, "/budget")
    # 23 Nov: 8 days left including today; (5000 - 1900) / 8 = 387.50 a day until the 30th.
    assert "Food — 1,900.00 USD of 5,000.00 USD" in shown.text
    assert "you can spend 387.50 USD a day until the 30th" in shown.text
    assert "Overall — 2,000.00 USD of 20,000.00 USD" in shown.text
    removed = await penny.say(ALICE, "/budget FOOD off")
    assert "Removed the Food budget" in removed.text and "Food —" not in removed.text


@pytest.mark.parametrize("args", ["/budget food", "/budget food lots", "/budget weekly"])
async def test_budget_bad_arguments_get_usage(penny: Penny, args: str) -> None:
    reply = await penny.say(ALICE, args)
    assert "/budget food 5000" in reply.text


async def test_budget_unknown_category(penny: Penny) -> None:
    reply = await penny.say(ALICE, "/budget yachts 5000")
    assert "no category called" in reply.text and "Food" in reply.text


async def test_alerts_fire_once_per_threshold_and_offer_to_raise(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 100")
    _, alert = await logged_with_alert(penny, "lunch 85")
    assert "reached 85%" in alert
    await penny.say(ALICE, "lunch 10")  # 95%: no second 80% alert
    await penny.fake.no_reply(ALICE)
    confirmation = await penny.say(ALICE, "dinner 10")
    over = await penny.reply(ALICE)
    assert "Food is over its 100.00 USD limit by 5.00 USD" in over.text
    # Undo and re-add: the 100% alert was said this period, it is not said again.
    await penny.press(ALICE, confirmation, "Undo")
    await penny.reply(ALICE)
    await penny.say(ALICE, "dinner 10")
    await penny.fake.no_reply(ALICE)
    await penny.press(ALICE, over, "+10%")
    raised = await penny.reply(ALICE)
    assert "105.00 USD of 110.00 USD" in raised.text


async def test_a_raise_applies_once_per_alert_within_the_money_limits(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 100")
    await logged_with_alert(penny, "lunch 120")
    over = penny.fake.chat_messages(ALICE)[-1]
    labels = [b.text for b in over.all_buttons()]
    assert "+10% → 110.00 USD" in labels and "+25% → 125.00 USD" in labels
    # A double tap, then the other raise on the same alert: only the first applies.
    await penny.press(ALICE, over, "+10%")
    assert "120.00 USD of 110.00 USD" in (await penny.reply(ALICE)).text
    for label in ("+10%", "+25%"):
        await penny.press(ALICE, over, label)
        await penny.settle()
    await penny.fake.no_reply(ALICE)
    assert "of 110.00 USD" in (await penny.say(ALICE, "/budget")).text
    answers = [c.params.get("text") for c in penny.fake.calls if c.method == "answerCallbackQuery"]
    assert answers[-2:] == [STALE_TEXT, STALE_TEXT]


async def test_a_raise_never_goes_past_the_largest_amount(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 900000000000")
    await logged_with_alert(penny, "lunch 950000000000")
    over = penny.fake.chat_messages(ALICE)[-1]
    await penny.press(ALICE, over, "+25%")
    await penny.settle()
    answer = [c for c in penny.fake.calls if c.method == "answerCallbackQuery"][-1]
    assert "too large" in str(answer.params.get("text"))
    assert "of 900,000,000,000.00 USD" in (await penny.say(ALICE, "/budget")).text


async def test_type_a_new_limit(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 10")
    _, _ = await logged_with_alert(penny, "lunch 20")
    over = penny.fake.chat_messages(ALICE)[-1]
    await penny.press(ALICE, over, "Type an amount")
    asked = await penny.reply(ALICE)
    assert "Send the new monthly limit for Food" in asked.text
    changed = await penny.say(ALICE, "250")
    assert "New limit" in changed.text and "20.00 USD of 250.00 USD" in changed.text
    assert await penny.count(ALICE) == 1  # "250" set the limit, it was not recorded


async def test_forged_budget_buttons_change_nothing(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 10")
    await logged_with_alert(penny, "lunch 20")
    over = penny.fake.chat_messages(ALICE)[-1]
    await penny.say(BOB, "/start")
    for label in ("+25%", "Type an amount"):
        data = over.button(label).callback_data
        assert data is not None
        await penny.press_data(BOB, over.message_id, data)
    await penny.fake.no_reply(BOB)
    shown = await penny.say(ALICE, "/budget")
    assert "of 10.00 USD" in shown.text
    assert "I didn't see an amount" in (await penny.say(BOB, "hello")).text


async def test_weekly_budget_restarts_each_week(penny: Penny) -> None:
    await penny.say(ALICE, "/budget transport 50 weekly")
    _, alert = await logged_with_alert(penny, "taxi 60")
    assert "over its 50.00 USD limit" in alert
    penny.clock.advance(days=7)
    await penny.say(ALICE, "taxi 10")
    await penny.fake.no_reply(ALICE)
    _, alert = await logged_with_alert(penny, "taxi 45")
    assert "over its 50.00 USD limit by 5.00 USD" in alert


async def test_rollover_carries_last_month(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 100 rollover")
    await penny.say(ALICE, "lunch 60")
    penny.clock.advance(days=10)  # 3 December
    shown = await penny.say(ALICE, "/budget")
    assert "0.00 USD of 140.00 USD" in shown.text and "rollover" in shown.text


async def test_custom_month_start_moves_periods(penny: Penny) -> None:
    reply = await penny.say(ALICE, "/settings month 25")
    assert "Month starts on day 25" in reply.text
    await penny.say(ALICE, "/budget food 100")
    await penny.say(ALICE, "lunch 50")
    balance = await penny.say(ALICE, "/balance")
    assert "25 Oct – 24 Nov 2026" in balance.text
    penny.clock.advance(days=2)  # 25 Nov: a new month has started
    shown = await penny.say(ALICE, "/budget")
    assert "0.00 USD of 100.00 USD" in shown.text
    assert "until the 24th" in shown.text
    bad = await penny.say(ALICE, "/settings month 31")
    assert "Usage" in bad.text


async def test_remind_buttons(penny: Penny) -> None:
    shown = await penny.say(ALICE, "/remind")
    assert "Daily digest: off" in shown.text and "Weekly summary (Sundays): on, 19:00" in shown.text
    await penny.press(ALICE, shown, "Digest")
    toggled = await penny.reply(ALICE)
    assert "Daily digest: on, 21:00" in toggled.text
    await penny.press(ALICE, toggled, "21:00")
    hours = await penny.reply(ALICE)
    await penny.press(ALICE, hours, "07:00")
    moved = await penny.reply(ALICE)
    assert "Daily digest: on, 07:00" in moved.text
    await penny.press(ALICE, moved, "Nudge after 2 days")
    assert "after 3 quiet days" in (await penny.reply(ALICE)).text
    await penny.press_data(ALICE, moved.message_id, "rm:s:x:99")
    await penny.fake.no_reply(ALICE)


async def test_nudge_after_two_quiet_days_then_quick_category(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 3")
    sent = []
    for day in (23, 24, 25, 26, 27):
        penny.clock.now = datetime(2026, 11, day, 20, 0, 10, tzinfo=UTC)
        sent.append((await penny.tick()).sent)
    assert sent == [0, 0, 1, 0, 1]
    assert "Nothing logged for 2 days" in (await penny.reply(ALICE)).text
    nudge = await penny.reply(ALICE)
    assert "Nothing logged for 4 days" in nudge.text
    await penny.press(ALICE, nudge, "Food")
    assert "How much for" in (await penny.reply(ALICE)).text
    await penny.say(ALICE, "12")
    rows = await penny.rows(ALICE)
    assert [r.amount_minor for r in rows] == [300, 1200]
    assert rows[1].category_id == rows[0].category_id  # both Food


async def test_opted_out_nudge_never_sends(penny: Penny) -> None:
    shown = await penny.say(ALICE, "/remind")
    await penny.press(ALICE, shown, "Nudge")
    await penny.reply(ALICE)
    for day in range(23, 30):
        penny.clock.now = datetime(2026, 11, day, 20, 0, 10, tzinfo=UTC)
        await penny.tick()
    assert sends_to(penny, ALICE, "Nothing logged") == 0


async def test_weekly_summary_and_blocked_user(penny: Penny) -> None:
    await penny.say(ALICE, "lunch 20")
    penny.clock.now = datetime(2026, 11, 29, 19, 0, 5, tzinfo=UTC)  # Sunday
    report = await penny.tick()
    assert report.sent == 1
    summary = await penny.reply(ALICE)
    assert "Weekly summary" in summary.text and "20.00 USD" in summary.text
    # Next Sunday the user has blocked the bot: schedules pause instead of retrying.
    penny.fake.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
    )
    penny.clock.now = datetime(2026, 12, 6, 19, 0, 5, tzinfo=UTC)
    assert (await penny.tick()).blocked == 1
    async with penny.app.bot_data["penny"].sessions() as session:
        due = list(
            await session.scalars(select(Schedule.next_run_at).where(Schedule.user_id == ALICE))
        )
    assert due and all(d is None for d in due)
    penny.clock.now = datetime(2026, 12, 13, 19, 0, 5, tzinfo=UTC)
    assert (await penny.tick()).claimed == 0
    # Writing again resumes them.
    await penny.say(ALICE, "lunch 5")
    penny.clock.now = datetime(2026, 12, 20, 19, 0, 5, tzinfo=UTC)
    assert (await penny.tick()).sent == 1


async def test_stale_messages_are_skipped_after_downtime(penny: Penny) -> None:
    await penny.say(ALICE, "/start")
    penny.clock.now = datetime(2026, 12, 24, 12, 0, tzinfo=UTC)  # a month later
    report = await penny.tick()
    assert report.sent == 0 and report.claimed >= 2
    assert (await penny.tick()).claimed == 0


async def test_recurring_posts_once_per_occurrence(penny: Penny) -> None:
    saved = await penny.say(ALICE, "/recurring add rent 15000 monthly on 1")
    assert "Saved" in saved.text and "Housing" in saved.text and "1 Dec 2026" in saved.text
    short = await penny.say(ALICE, "/recurring add savings 100 monthly on 31")
    assert "30 Nov 2026" in short.text  # the 31st in a 30-day month
    penny.clock.now = datetime(2026, 11, 30, 9, 0, 5, tzinfo=UTC)
    assert (await penny.tick()).posted == 1
    posted = await penny.reply(ALICE)
    assert "Recurring monthly entry saved" in posted.text and posted.button("Undo")
    penny.clock.now = datetime(2026, 12, 1, 9, 0, 5, tzinfo=UTC)
    assert (await penny.tick()).posted == 1
    assert (await penny.tick()).posted == 0
    # The bot is down through January: each missed occurrence is posted once when it is back.
    penny.clock.now = datetime(2027, 2, 2, 12, 0, tzinfo=UTC)
    assert (await penny.tick()).posted == 4  # 31 Dec, 1 Jan, 31 Jan, 1 Feb
    assert (await penny.tick()).posted == 0
    days = sorted(r.occurred_on for r in await penny.rows(ALICE))
    assert days == [
        date(2026, 11, 30),
        date(2026, 12, 1),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 31),
        date(2027, 2, 1),
    ]
    await penny.send(ALICE, "/recurring")
    await penny.wait_idle()
    listing = penny.fake.chat_messages(ALICE)[-1]
    assert "1. −100.00 USD" in listing.text and "2. −15,000.00 USD" in listing.text
    await penny.press(ALICE, listing, "🗑 1")
    await penny.wait_idle()
    remaining = penny.fake.chat_messages(ALICE)[-1]
    assert "savings" not in remaining.text and "1. −15,000.00 USD" in remaining.text
    await penny.send(ALICE, "/recurring add rent monthly")
    await penny.wait_idle()
    assert "Nothing was saved" in (penny.fake.chat_messages(ALICE)[-1].text or "")


async def test_restart_mid_period_keeps_budgets_alerts_and_schedules(
    database_url: str, clock: object
) -> None:
    async with running_penny(database_url, clock) as first:
        await first.say(ALICE, "/budget food 100")
        await first.say(ALICE, "lunch 90")
        assert "reached 90%" in (await first.reply(ALICE)).text
    async with running_penny(database_url, clock) as second:
        await second.say(ALICE, "lunch 1")  # still 80%+: already announced before the restart
        await second.fake.no_reply(ALICE)
        shown = await second.say(ALICE, "/budget")
        assert "91.00 USD of 100.00 USD" in shown.text
        second.clock.now = datetime(2026, 11, 29, 19, 0, 5, tzinfo=UTC)  # type: ignore[attr-defined]
        assert (await second.tick()).sent == 1


async def test_two_schedulers_on_one_database_send_each_message_once(
    penny: Penny, database_url: str
) -> None:
    users = list(range(5000, 5040))
    for user in users:
        await penny.say(user, "lunch 10")
    second = build_application(
        settings_for(penny.fake, database_url, rate_limit=False), clock=penny.clock
    )
    async with second:
        penny.clock.now = datetime(2026, 11, 29, 19, 0, 5, tzinfo=UTC)
        reports = await asyncio.gather(tick(penny.app), tick(second), tick(penny.app), tick(second))
        assert sum(r.claimed for r in reports) == len(users) * 2  # weekly + a stale nudge each
        assert sum(r.sent for r in reports) == len(users)
        for user in users:
            assert sends_to(penny, user, "Weekly summary") == 1
        again = await asyncio.gather(tick(penny.app), tick(second))
        assert sum(r.claimed for r in again) == 0


async def test_a_nul_in_a_category_name_is_a_clear_answer_not_a_failure(penny: Penny) -> None:
    """Names are looked up case-insensitively; PostgreSQL refused the NUL in that comparison.
    A NUL now arrives as a space: "fo od" is no category, said plainly; "food " is Food."""
    odd = await penny.say(ALICE, "/budget fo\x00od 300")
    assert "no category called “fo od”" in odd.text
    assert "300.00 USD" in (await penny.say(ALICE, "/budget food\x00 300")).text
    renamed = await penny.say(ALICE, "/categories rename food\x00 to Me\x00als")
    assert "Renamed Food to" in renamed.text
    assert "Me als" in (await penny.say(ALICE, "/categories")).text
