"""Issue 15: on a phone every reply is short, right and consistent — numbers, dead ends, length."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.rules import CategoriesCommand
from models.services import categories as catalog
from models.services import entries
from tests.support.harness import Penny

ALICE = 1001


async def log(penny: Penny, *texts: str) -> None:
    for text in texts:
        reply = await penny.say(ALICE, text)
        assert "Saved" in (reply.text or ""), reply.text


async def names(penny: Penny, name: str) -> list[str]:
    """The user's categories called ``name`` (expense and income), read through the use case."""
    listed = await penny.run(ALICE, catalog.categories_command, command=CategoriesCommand("list"))
    return [c.kind for c in listed.expense + listed.income if c.name == name]


# --- numbers that were wrong ---


async def test_last_month_compares_with_the_whole_month_before(penny: Penny) -> None:
    penny.clock.advance(days=-23)  # 31 Oct: the last day of the month before
    await log(penny, "rent 1000")
    penny.clock.advance(days=23)
    await log(penny, "rent 1500")
    penny.clock.advance(days=9)  # 2 Dec
    text = (await penny.say(ALICE, "/report last month")).text or ""
    assert "📊 November 2026" in text
    assert "vs October 2026: ▲ 50% (+500.00 USD)" in text, text
    assert "over 30 days" in text


async def test_today_has_no_per_day_nonsense(penny: Penny) -> None:
    penny.clock.advance(days=-1)
    await log(penny, "coffee 1")
    penny.clock.advance(days=1)
    await log(penny, "rent 400")
    text = (await penny.say(ALICE, "/report today")).text or ""
    assert "📊 23 Nov 2026" in text
    assert "%" not in text.split("Biggest")[0], text
    assert "vs yesterday: ▲ ×400 (+399.00 USD)" in text, text
    assert "Per day" not in text and "1 days" not in text


async def test_last_seven_days_reads(penny: Penny) -> None:
    penny.clock.advance(days=-6)
    await log(penny, "coffee 3")
    penny.clock.advance(days=-1)
    await log(penny, "coffee 2")  # 16 Nov: the week before
    penny.clock.advance(days=7)
    for words in ("last 7 days", "past 7 days"):
        text = (await penny.say(ALICE, f"/report {words}")).text or ""
        assert "📊 17 Nov – 23 Nov 2026" in text, text
        assert "Expenses: 3.00 USD" in text
        assert "vs 10 Nov – 16 Nov 2026: ▲ 50% (+1.00 USD)" in text, text
    two_weeks = (await penny.say(ALICE, "/report last 2 weeks")).text or ""
    assert "10 Nov – 23 Nov 2026" in two_weeks and "Expenses: 5.00 USD" in two_weeks


async def test_yearly_average_counts_days_since_the_data_starts(penny: Penny) -> None:
    penny.clock.advance(days=-3)  # 20 Nov: the first entry
    await log(penny, "coffee 4")
    penny.clock.advance(days=3)
    await log(penny, "coffee 4")
    text = (await penny.say(ALICE, "/report year")).text or ""
    assert "Per day:  2.00 USD over 4 days" in text, text


async def test_report_budgets_include_a_weekly_budget_that_is_over(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 150 weekly")
    await log(penny, "lunch 180")
    await penny.reply(ALICE)  # the over-limit alert
    text = (await penny.say(ALICE, "/report")).text or ""
    assert "Budgets:" in text, text
    assert "Food this week 120% · 180.00 USD of 150.00 USD" in text, text


async def test_a_weekly_budget_receipt_speaks_of_the_week(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 500 weekly")
    penny.clock.advance(days=-7)
    await log(penny, "dinner 105.50")
    penny.clock.advance(days=7)
    reply = (await penny.say(ALICE, "tacos 30")).text or ""
    assert "Food this week: 30.00 USD" in reply, reply
    # typed with a date in last week, the receipt names that week
    earlier = (await penny.say(ALICE, "lunch 10 on 17 nov")).text or ""
    assert "Food in the week of 16 Nov: 115.50 USD" in earlier, earlier


# --- /history: no surprise deletes, paging and filters ---


async def test_history_delete_asks_and_a_second_tap_never_hits_another_entry(
    penny: Penny,
) -> None:
    await log(penny, "coffee 3", "taxi 7", "lunch 12")
    listed = await penny.say(ALICE, "/history")
    await penny.press(ALICE, listed, "🗑 1")
    asked = await penny.reply(ALICE)
    assert "Delete this transaction?" in (asked.text or "") and "lunch" in (asked.text or "")
    assert await penny.count(ALICE) == 3  # nothing goes before the user says yes
    confirm = asked.button("Delete it").callback_data or ""
    await penny.press(ALICE, asked, "Delete it")
    after = await penny.reply(ALICE)
    assert "Deleted: −12.00 USD" in (after.text or "") and await penny.count(ALICE) == 2
    one = (await penny.say(ALICE, "/history food")).text or ""
    assert "🧾 Food · 1–1 of 1 (newest first):" in one, one
    # the same tap again (a double tap, or the old message) names the deleted entry: it's gone
    await penny.press_data(ALICE, after.message_id, confirm)
    await penny.press_data(ALICE, listed.message_id, listed.button("🗑 1").callback_data or "")
    await penny.settle()
    assert sorted(n for _, n in [(r.note, r.amount_minor) for r in await penny.rows(ALICE)]) == [
        300,
        700,
    ]
    # "Keep it" brings the list back untouched
    await penny.press(ALICE, after, "🗑 1")
    asked = await penny.reply(ALICE)
    await penny.press(ALICE, asked, "Keep it")
    kept = await penny.reply(ALICE)
    assert "Your last 2 transactions" in (kept.text or "") and await penny.count(ALICE) == 2


async def test_history_pages_and_filters(penny: Penny) -> None:
    penny.clock.advance(days=-30)
    await log(penny, "taxi 50")  # 24 Oct
    penny.clock.advance(days=30)
    for n in range(1, 26):  # straight to the use case: 25 messages would trip the flood guard
        await penny.run(
            ALICE, entries.record_text, text=f"coffee {n}", chat_id=ALICE, message_id=1000 + n
        )
    await log(penny, "taxi 99")
    twenty = (await penny.say(ALICE, "/history 20")).text or ""
    assert "\n20. " in twenty and "\n21. " not in twenty
    first = await penny.say(ALICE, "/history")
    assert "Transactions · 1–10 of 27" in (first.text or "")
    await penny.press(ALICE, first, "Next ›")
    second = await penny.reply(ALICE)
    assert "11–20 of 27" in (second.text or "") and "\n11. " in (second.text or "")
    assert "🗑 11" in [b.text for b in second.all_buttons()]
    transport = (await penny.say(ALICE, "/history transport")).text or ""
    assert "Transport · 1–2 of 2" in transport and "coffee" not in transport
    noted = (await penny.say(ALICE, "/history taxi")).text or ""
    assert "“taxi” · 1–2 of 2" in noted and "coffee" not in noted
    october = (await penny.say(ALICE, "/history last month")).text or ""
    assert "October 2026 · 1–1 of 1" in october and "50.00 USD" in october
    nothing = (await penny.say(ALICE, "/history yachts")).text or ""
    assert "Nothing found for “yachts”" in nothing


# --- dead ends ---


async def test_remind_typed_commands_do_what_they_say(penny: Penny) -> None:
    helped = (await penny.say(ALICE, "/remind help")).text or ""
    assert "/remind digest 21:30" in helped and "Scheduled messages (your" not in helped
    digest = (await penny.say(ALICE, "/remind digest 21:30")).text or ""
    assert "Daily digest: on, 21:30" in digest and "quiet hours" not in digest, digest
    quiet = (await penny.say(ALICE, "/remind quiet 23:00-07:00")).text or ""
    assert "Quiet hours 23:00–07:00" in quiet, quiet
    late = (await penny.say(ALICE, "/remind digest 23:30")).text or ""
    assert "23:30 is in your quiet hours: it comes at 07:00" in late, late
    listed = (await penny.say(ALICE, "/remind")).text or ""
    assert "Daily digest: on, 23:30" in listed and "it comes at 07:00" in listed
    assert "Quiet hours 23:00–07:00" in listed
    off = (await penny.say(ALICE, "/remind weekly off")).text or ""
    assert "Weekly summary (Sundays): off" in off
    buttons = [b.text for b in (await penny.say(ALICE, "/remind")).all_buttons()]
    assert "✅ Daily digest" in buttons and "⬜️ Weekly summary" in buttons, buttons
    bad = (await penny.say(ALICE, "/remind digest 25:00")).text or ""
    assert "I didn't get that" in bad and "/remind help" in bad


async def test_currency_alone_says_which_it_is(penny: Penny) -> None:
    await penny.say(ALICE, "/currency EUR")
    shown = await penny.say(ALICE, "/currency")
    assert "Your currency is EUR" in (shown.text or "")
    assert "USD" in [b.text for b in shown.all_buttons()]


async def test_timezone_from_a_city_or_an_abbreviation(penny: Penny) -> None:
    city = (await penny.say(ALICE, "/timezone Mumbai")).text or ""
    assert "Your time zone is now Asia/Kolkata" in city, city
    picker = await penny.say(ALICE, "/timezone IST")
    assert "can mean several" in (picker.text or "")
    await penny.press(ALICE, picker, "Asia/Jerusalem")
    assert "now Asia/Jerusalem" in ((await penny.reply(ALICE)).text or "")
    unknown = await penny.say(ALICE, "/timezone Narnia")
    assert "I don't know the time zone “Narnia”" in (unknown.text or "")
    assert "India" in [b.text for b in unknown.all_buttons()]


async def test_budget_for_a_missing_category_offers_to_add_it(penny: Penny) -> None:
    offer = await penny.say(ALICE, "/budget pets 100")
    assert "no category called “pets”" in (offer.text or "") and "Food" in (offer.text or "")
    await penny.press(ALICE, offer, "➕ Add Pets with this budget")
    added = (await penny.reply(ALICE)).text or ""
    assert "Added the category Pets" in added and "100.00 USD" in added, added
    assert "Pets budget saved" in added
    # the same button again adds nothing twice
    await penny.press(ALICE, offer, "➕ Add Pets with this budget")
    await penny.settle()
    assert await names(penny, "Pets") == ["expense"]


async def test_budget_zero_removes_it(penny: Penny) -> None:
    await penny.say(ALICE, "/budget groceries 300")
    removed = (await penny.say(ALICE, "/budget groceries 0")).text or ""
    assert "Removed the Groceries budget" in removed, removed
    again = (await penny.say(ALICE, "/budget groceries 0")).text or ""
    assert "There was no Groceries budget" in again, again


async def test_recurring_without_a_frequency_is_monthly(penny: Penny) -> None:
    reply = (await penny.say(ALICE, "/recurring add gym 800")).text or ""
    assert "monthly" in reply.lower() and "800.00 USD" in reply, reply


async def test_removing_a_name_both_kinds_have_asks_which(penny: Penny) -> None:
    assert await names(penny, "Gifts") == ["expense", "income"]  # both kinds start with Gifts
    asked = (await penny.say(ALICE, "/categories remove Gifts")).text or ""
    assert "Which one?" in asked and "/categories remove income Gifts" in asked, asked
    assert await names(penny, "Gifts") == ["expense", "income"]
    done = (await penny.say(ALICE, "/categories remove income Gifts")).text or ""
    assert "Removed Gifts" in done
    assert await names(penny, "Gifts") == ["expense"]
    # only one kind has it now: no question
    assert "Removed Gifts" in ((await penny.say(ALICE, "/categories remove Gifts")).text or "")
    assert await names(penny, "Gifts") == []


# --- too long ---


async def test_budget_replies_with_what_changed(penny: Penny) -> None:
    await penny.say(ALICE, "/budget 2000")
    await penny.say(ALICE, "/budget transport 100 weekly")
    saved = (await penny.say(ALICE, "/budget food 300")).text or ""
    assert saved.startswith("👍 Food budget saved.") and "Food — 0.00 USD of 300.00 USD" in saved
    assert "Overall" not in saved and "Transport" not in saved, saved
    assert "/budget shows all 3." in saved and len(saved.splitlines()) <= 8
    removed = (await penny.say(ALICE, "/budget food off")).text or ""
    assert removed == "🗑 Removed the Food budget.\n\n/budget shows the other 2.", removed
    listed = (await penny.say(ALICE, "/budget")).text or ""
    assert "Overall" in listed and "Transport" in listed


async def test_category_changes_reply_with_what_changed(penny: Penny) -> None:
    for command, said in [
        ("/categories add Pets 🐶", "✅ Added 🐶 Pets."),
        ("/categories rename Pets to Animals", "✅ Renamed Pets to 🐶 Animals."),
        ("/categories emoji Animals 🐱", "✅ 🐱 Animals it is."),
        ("/categories remove Animals", "✅ Removed Animals; 0 transactions moved to Other."),
    ]:
        reply = (await penny.say(ALICE, command)).text or ""
        assert reply.startswith(said) and len(reply.splitlines()) == 1, reply
    assert "Expenses:" in ((await penny.say(ALICE, "/categories")).text or "")


async def test_help_is_one_screen_with_reports_first(penny: Penny) -> None:
    text = (await penny.say(ALICE, "/help")).text or ""
    lines = text.splitlines()
    assert len(lines) <= 15, len(lines)
    assert text.count("/export") == 1
    assert text.index("/report") < text.index("/budget") and text.index("/chart") < text.index(
        "/budget"
    )
    registered = [c.command for c in await penny.app.bot.get_my_commands()]
    missing = [c for c in registered if f"/{c}" not in text and c not in {"start", "help"}]
    assert not missing, missing


async def test_privacy_has_no_hard_line_breaks(penny: Penny) -> None:
    text = (await penny.say(ALICE, "/privacy")).text or ""
    assert "whether it is still to sort, and the id" in text
    for paragraph in text.split("\n\n"):
        lines = paragraph.splitlines()
        # a paragraph is one line, or a list whose every line is a bullet or a command
        assert len(lines) == 1 or all(line.startswith(("•", "/")) for line in lines), lines


# --- every confirmation: Undo, Change category and the month's total ---


async def test_a_receipt_of_several_entries_can_change_each_category(penny: Penny) -> None:
    await log(penny, "lunch 20")
    receipt = await penny.say(ALICE, "coffee 3 and taxi 7")
    text = receipt.text or ""
    assert "1. −3.00 USD · 🍔 Food · coffee" in text and "2. −7.00 USD" in text, text
    assert "This month: Food 23.00 USD · Transport 7.00 USD" in text, text
    assert [b.text for b in receipt.all_buttons()] == ["↩️ Undo all", "🏷 1", "🏷 2"]
    await penny.press(ALICE, receipt, "🏷 2")
    menu = await penny.reply(ALICE)
    await penny.press(ALICE, menu, "« Back")
    back = await penny.reply(ALICE)
    assert [b.text for b in back.all_buttons()] == ["↩️ Undo all", "🏷 1", "🏷 2"]
    await penny.press(ALICE, back, "🏷 2")
    menu = await penny.reply(ALICE)
    await penny.press(ALICE, menu, "🛍 Shopping")
    changed = (await penny.reply(ALICE)).text or ""
    # the receipt still shows both entries, the taxi now in Shopping
    assert "1. −3.00 USD · 🍔 Food · coffee" in changed, changed
    assert "2. −7.00 USD · 🛍 Shopping · taxi" in changed, changed
    offer = (await penny.reply(ALICE)).text or ""
    assert "Always file “taxi” under 🛍 Shopping?" in offer, offer


async def test_a_recurring_posting_says_the_month_total(penny: Penny) -> None:
    await log(penny, "electricity 40")
    await penny.say(ALICE, "/recurring add internet 60 monthly on 30")
    penny.clock.now = datetime(2026, 11, 30, 9, 0, 5, tzinfo=UTC)
    assert (await penny.tick()).posted == 1
    posted = await penny.reply(ALICE)
    assert "Utilities this month: 100.00 USD" in (posted.text or ""), posted.text
    assert [b.text for b in posted.all_buttons()] == ["↩️ Undo", "🏷 Change category"]
