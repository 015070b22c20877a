"""Savings goals and the monthly savings target through the real bot, with an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from models.tables import GoalContribution, PointsAward
from tests.support.harness import Penny

ALICE = 1001
BOB = 2002


async def contributions(penny: Penny, user_id: int) -> list[int]:
    async with penny.app.bot_data["penny"].sessions() as session:
        rows = await session.scalars(
            select(GoalContribution.amount_minor)
            .where(GoalContribution.user_id == user_id)
            .order_by(GoalContribution.id)
        )
        return list(rows)


async def points(penny: Penny, user_id: int) -> int:
    async with penny.app.bot_data["penny"].sessions() as session:
        value = await session.scalar(
            select(func.coalesce(func.sum(PointsAward.points), 0)).where(
                PointsAward.user_id == user_id
            )
        )
        return int(value or 0)


async def test_a_goals_life_create_contribute_progress_reached(penny: Penny) -> None:
    # 23 Nov 2026: Nov, Dec, …, Jun are 8 months, so 1,200 needs 150 a month.
    created = await penny.say(ALICE, "/goal laptop 1200 by june")
    assert created.text.startswith("✅ New goal:\n🎯 laptop — ")
    assert "0.00 USD of 1,200.00 USD (0%)" in created.text
    assert "1,200.00 USD to go · 150.00 USD a month to make 30 Jun 2027" in created.text

    saved = await penny.say(ALICE, "saved 300 for laptop")
    assert "Put aside 300.00 USD for laptop · +25 ⭐" in saved.text
    assert "300.00 USD of 1,200.00 USD (25%)" in saved.text
    assert "900.00 USD to go · 112.50 USD a month to make 30 Jun 2027" in saved.text
    # An earmark, not a transaction: the ledger and /balance don't move.
    assert await penny.count(ALICE) == 0
    balance = await penny.say(ALICE, "/balance")
    assert "Expenses: 0.00 USD" in balance.text
    assert "Put aside for goals: 300.00 USD" in balance.text

    await penny.press(ALICE, saved, "Undo")
    undone = await penny.reply(ALICE)
    assert "Took back 300.00 USD from laptop" in undone.text and "(0%)" in undone.text
    assert await contributions(penny, ALICE) == []
    assert await points(penny, ALICE) == 0

    # The button way: tap the goal, then type the amount.
    listed = await penny.say(ALICE, "/goal")
    assert "laptop — 0.00 USD of 1,200.00 USD" in listed.text
    await penny.press(ALICE, listed, "laptop")
    assert "How much did you put aside for laptop?" in (await penny.reply(ALICE)).text
    added = await penny.say(ALICE, "900")
    assert "Put aside 900.00 USD for laptop" in added.text and "(75%)" in added.text
    # The next bare amount is an ordinary entry again.
    asked = await penny.say(ALICE, "250")
    assert "Which category?" in asked.text

    penny.clock.advance(days=40)  # 2 Jan 2027: Jan … Jun are 6 months for the last 300
    nearly = await penny.say(ALICE, "put 299.99 aside for the laptop")
    assert "0.01 USD to go · 0.01 USD a month to make 30 Jun 2027" in nearly.text
    reached = await penny.say(ALICE, "saved 0.01 for laptop")
    assert "1,200.00 USD of 1,200.00 USD (100%)" in reached.text and "reached" in reached.text
    party = await penny.reply(ALICE)
    assert "🎉 You reached your laptop goal: 1,200.00 USD put aside" in party.text
    # Celebrated once: more savings after that get no second party.
    more = await penny.say(ALICE, "saved 10 for laptop")
    assert "(100%)" in more.text
    await penny.fake.no_reply(ALICE)
    # 100 points for the whole target (1 per percent) and 50 for reaching it.
    assert await points(penny, ALICE) == 150
    assert await contributions(penny, ALICE) == [90000, 29999, 1, 1000]

    removed = await penny.say(ALICE, "/goal laptop off")
    assert "Removed the goal laptop" in removed.text
    assert await points(penny, ALICE) == 150  # a reached goal keeps its points

    await penny.say(ALICE, "/goal laptop 1500")  # a goal of the same name starts afresh
    await penny.say(ALICE, "saved 1500 for laptop")
    await penny.reply(ALICE)  # 🎉 again: it is another goal
    # With the laptop reached, "saved 50" can only mean the one goal still open.
    await penny.say(ALICE, "/goal bike 300")
    assert "Put aside 50.00 USD for bike · +16 ⭐" in (await penny.say(ALICE, "saved 50")).text


async def test_saved_for_an_unknown_goal_saves_nothing(penny: Penny) -> None:
    none_yet = await penny.say(ALICE, "saved 100 for laptop")
    assert "no savings goal" in none_yet.text and "/goal laptop 1200 by june" in none_yet.text
    await penny.say(ALICE, "/goal new bike 800")
    await penny.say(ALICE, "/goal trip to japan 3000 EUR in 10 months")
    unknown = await penny.say(ALICE, "saved 100 for car")
    assert "no goal called “car”" in unknown.text and "new bike, trip to japan" in unknown.text
    which = await penny.say(ALICE, "saved 100")
    assert "Which goal?" in which.text
    # A word of the name is enough when it points at one goal.
    bike = await penny.say(ALICE, "saved 100 towards bike")
    assert "Put aside 100.00 USD for new bike" in bike.text and "700.00 USD to go" in bike.text
    wrong = await penny.say(ALICE, "saved 100 usd for japan")
    assert "trip to japan is saved in EUR" in wrong.text and "Nothing was saved" in wrong.text
    assert await penny.count(ALICE) == 0
    assert await contributions(penny, ALICE) == [10000]
    # Bob can't touch Alice's goals.
    assert "no savings goal" in (await penny.say(BOB, "saved 5 for bike")).text


async def test_goal_arguments_and_changes(penny: Penny) -> None:
    bad = await penny.say(ALICE, "/goal laptop")
    assert "Usage: /goal NAME AMOUNT" in bad.text
    past = await penny.say(ALICE, "/goal laptop 1200 by june 2026")
    assert "already passed" in past.text
    await penny.say(ALICE, "/goal laptop 1200 by june")
    changed = await penny.say(ALICE, "/goal Laptop 1500 by 2027-12")
    assert (
        changed.text.startswith("✏️ Goal changed:\n🎯 laptop — ")
        and "1,500.00 USD to go" in changed.text
    )
    assert "a month to make 31 Dec 2027" in changed.text
    assert "No goal" not in (await penny.say(ALICE, "/goal")).text
    assert "no goal called “car”" in (await penny.say(ALICE, "/goal car off")).text


async def test_monthly_savings_target_against_income_minus_expenses(penny: Penny) -> None:
    set_ = await penny.say(ALICE, "save 500 a month")
    assert "Savings target: 500.00 USD every month" in set_.text
    await penny.say(ALICE, "+2000 salary")
    await penny.say(ALICE, "rent 1700")
    balance = await penny.say(ALICE, "/balance")
    assert "🐷 Savings target 500.00 USD: kept +300.00 USD so far (60%)" in balance.text
    # "this month" wins for this month only; the standing target comes back next month.
    await penny.say(ALICE, "save 200 this month")
    report = await penny.say(ALICE, "/report")
    assert "✅ Savings target 200.00 USD: kept +300.00 USD so far (150%)" in report.text
    penny.clock.now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert (
        "Savings target 500.00 USD: kept 0.00 USD so far (0%)"
        in (await penny.say(ALICE, "/balance")).text
    )
    last = await penny.say(ALICE, "/report last month")
    assert "✅ Savings target 200.00 USD: kept +300.00 USD (150%)" in last.text
    off = await penny.say(ALICE, "/goal save off")
    assert "No savings target now" in off.text
    assert "Savings target" not in (await penny.say(ALICE, "/balance")).text


async def test_edits_never_turn_goal_money_into_expenses(penny: Penny) -> None:
    await penny.say(ALICE, "/goal laptop 1200")
    sent = await penny.send(ALICE, "saved 100 for laptop")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "saved 150 for laptop")
    assert "editing it changes nothing" in (await penny.reply(ALICE)).text
    # A message that stored nothing, edited into a goal sentence, reads like a new one.
    hello = await penny.send(ALICE, "hello")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, hello["message_id"], "saved 20 for laptop")
    assert "Put aside 20.00 USD for laptop" in (await penny.reply(ALICE)).text
    assert await contributions(penny, ALICE) == [10000, 2000]
    assert await penny.count(ALICE) == 0


async def test_undoing_the_contribution_that_reached_a_goal_takes_the_reaching_back(
    penny: Penny,
) -> None:
    await penny.say(ALICE, "/goal bike 100")
    typo = await penny.say(ALICE, "saved 100 for bike")  # meant 10
    assert "+150 ⭐" in typo.text
    assert "You reached your bike goal" in (await penny.reply(ALICE)).text
    await penny.press(ALICE, typo, "Undo")
    assert "(0%)" in (await penny.reply(ALICE)).text
    # The 50 for reaching it go with the contribution that reached it…
    assert await points(penny, ALICE) == 0
    # …so reaching it for real later is the one that is celebrated, and "saved 10" means it.
    assert "+10 ⭐" in (await penny.say(ALICE, "saved 10")).text
    await penny.say(ALICE, "saved 90 for bike")
    assert "You reached your bike goal" in (await penny.reply(ALICE)).text
    assert await points(penny, ALICE) == 150
    # Reach, undo, remove, again: nothing to farm.
    for name in ("car", "boat"):
        await penny.say(ALICE, f"/goal {name} 100")
        reached = await penny.say(ALICE, f"saved 100 for {name}")
        await penny.reply(ALICE)
        await penny.press(ALICE, reached, "Undo")
        await penny.reply(ALICE)
        await penny.say(ALICE, f"/goal {name} off")
    assert await points(penny, ALICE) == 150


async def test_a_goal_whose_target_was_raised_is_open_again(penny: Penny) -> None:
    await penny.say(ALICE, "/goal bike 100")
    await penny.say(ALICE, "saved 100 for bike")
    await penny.reply(ALICE)
    await penny.say(ALICE, "/goal bike 150")
    more = await penny.say(ALICE, "saved 50")  # the only goal not at its target
    assert "Put aside 50.00 USD for bike" in more.text and "(100%)" in more.text
    await penny.fake.no_reply(ALICE)  # celebrated once already


async def test_a_goal_sentence_among_other_entries_is_never_an_expense(penny: Penny) -> None:
    await penny.say(ALICE, "/goal laptop 1200")
    await penny.say(ALICE, "/goal trip 500")
    for text in (
        "coffee 4\nsaved 100 for laptop",
        "coffee 4, saved 100 for laptop",
        "saved 100 for laptop\nsaved 50 for trip",
        "saved 100 for laptop, coffee 4",
        "save 500 a month\nlunch 12",
    ):
        mixed = await penny.say(ALICE, text)
        assert "on its own" in mixed.text and "Nothing was saved" in mixed.text, text
    assert await penny.count(ALICE) == 0
    assert await contributions(penny, ALICE) == []
    assert "Savings target" not in (await penny.say(ALICE, "/balance")).text
    # One goal sentence whose name has "and" in it is still one sentence; entries still split.
    await penny.say(ALICE, "/goal rock and roll 300")
    assert "for rock and roll" in (await penny.say(ALICE, "saved 30 for rock and roll")).text
    assert "2 entries" in (await penny.say(ALICE, "coffee 4, lunch 12")).text


async def test_an_expense_edited_into_a_goal_sentence_is_not_spending(penny: Penny) -> None:
    await penny.say(ALICE, "/goal laptop 1200")
    sent = await penny.send(ALICE, "coffee 4")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "saved 100 for laptop")
    answer = await penny.reply(ALICE)
    assert "Nothing was changed" in (answer.text or "")
    # The coffee stays as it was; no 100 of spending, no contribution.
    assert await penny.count(ALICE) == 1
    assert "Expenses: 4.00 USD" in (await penny.say(ALICE, "/balance")).text
    assert await contributions(penny, ALICE) == []


async def test_undoing_a_contribution_after_the_reaching_keeps_the_reaching(
    penny: Penny,
) -> None:
    await penny.say(ALICE, "/goal bike 100")
    await penny.say(ALICE, "saved 100 for bike")  # reached: 100 + 50
    await penny.reply(ALICE)
    await penny.say(ALICE, "/goal bike 200")
    more = await penny.say(ALICE, "saved 100 for bike")  # at the new target, no second party
    await penny.fake.no_reply(ALICE)
    await penny.press(ALICE, more, "Undo")
    await penny.reply(ALICE)
    # The reaching was the first contribution's; undoing the second leaves it.
    assert await points(penny, ALICE) == 150
    await penny.say(ALICE, "saved 100 for bike")
    await penny.fake.no_reply(ALICE)


async def test_a_goal_earns_at_most_100_points_for_saving_whatever_its_target(
    penny: Penny,
) -> None:
    await penny.say(ALICE, "/goal bike 100")
    await penny.say(ALICE, "saved 100 for bike")  # 100 for the percents, 50 for reaching
    await penny.reply(ALICE)
    await penny.say(ALICE, "/goal bike 200")  # now it is at 50% again…
    more = await penny.say(ALICE, "saved 100 for bike")
    assert "⭐" not in more.text  # …but its 100 were earned already
    assert await points(penny, ALICE) == 150
    await penny.press(ALICE, more, "Undo")
    await penny.reply(ALICE)
    assert await points(penny, ALICE) == 150


async def test_saved_for_a_word_two_goals_share_asks_which(penny: Penny) -> None:
    await penny.say(ALICE, "/goal gaming laptop 1500")
    await penny.say(ALICE, "/goal work laptop 900")
    which = await penny.say(ALICE, "saved 100 for laptop")
    assert "“laptop” could be gaming laptop or work laptop" in which.text
    assert "nothing was saved" in which.text and "no goal called" not in which.text
    assert await contributions(penny, ALICE) == []
    assert "for work laptop" in (await penny.say(ALICE, "saved 100 for work laptop")).text


async def test_changing_a_goals_amount_keeps_its_date(penny: Penny) -> None:
    await penny.say(ALICE, "/goal laptop 1200 by june")
    changed = await penny.say(ALICE, "/goal laptop 1600")
    assert "1,600.00 USD to go · 200.00 USD a month to make 30 Jun 2027" in changed.text
    undated = await penny.say(ALICE, "/goal laptop 1600 no date")
    assert "1,600.00 USD to go" in undated.text and "a month" not in undated.text
    assert "a month" not in (await penny.say(ALICE, "/goal laptop 1700")).text
