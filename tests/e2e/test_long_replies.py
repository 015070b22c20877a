"""Replies Telegram accepts however much data there is: capped, summarised, paged, never repeated.

The server these tests drive checks every call against the Bot API (4096 characters of text,
100 buttons a keyboard, no edit to the very same content) and the ``conformance`` fixture fails
a test whose calls Telegram would refuse; the assertions here say what the user sees instead.
"""

from __future__ import annotations

import pickle
from datetime import datetime
from decimal import Decimal
from typing import Literal

import pytest
from babel.numbers import list_currencies
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.budgets import BudgetCommand
from bot.core.rules import CategoriesCommand
from bot.offline.messages import BotMessage
from handlers.paging import NEXT
from models.rules import learn
from models.services import budgets, recurring, reports
from models.services import categories as catalog
from models.services.entry_cap import MAX_ENTRIES_PER_MESSAGE
from models.users import Profile
from tests.support.harness import Penny

ALICE = 1001
TELEGRAM_TEXT = 4096
TELEGRAM_BUTTONS = 100


def fits(message: BotMessage) -> None:
    assert message.text is not None and len(message.text) <= TELEGRAM_TEXT, len(message.text or "")
    assert len(message.all_buttons()) <= TELEGRAM_BUTTONS


def calls(penny: Penny, method: str) -> int:
    return sum(1 for c in penny.fake.calls if c.method == method)


async def next_page(penny: Penny, message: BotMessage) -> BotMessage:
    await penny.press(ALICE, message, NEXT)
    page = await penny.reply(ALICE)
    fits(page)
    return page


# ---- entries per message ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("\n".join(f"tea {n}" for n in range(1, 402)), "401"),
        ("1k" * 2048, "2,048"),
    ],
)
async def test_too_many_entries_in_one_message_save_nothing_and_say_why(
    penny: Penny, text: str, count: str
) -> None:
    reply = await penny.say(ALICE, text)
    fits(reply)
    assert f"That's {count} entries in one message" in reply.text
    assert f"up to {MAX_ENTRIES_PER_MESSAGE}" in reply.text and "/import" in reply.text
    assert "Nothing was saved" in reply.text
    assert await penny.count(ALICE) == 0


async def test_a_long_list_gets_a_short_receipt_and_so_do_its_edit_and_undo(penny: Penny) -> None:
    lines = [f"groceries {n}.25 at the market stall" for n in range(1, 101)]
    sent = await penny.send(ALICE, "\n".join(lines))
    receipt = await penny.reply(ALICE)
    fits(receipt)
    assert receipt.text.startswith("✅ Saved 100 entries:")
    assert "…and 92 more." in receipt.text
    # 1.25 + 2.25 + … + 100.25
    assert "Total: −5,075.00 USD" in receipt.text
    assert await penny.count(ALICE) == 100

    await penny.fake.edit_text(ALICE, sent["message_id"], "\n".join(lines[:60]))
    updated = await penny.reply(ALICE)
    fits(updated)
    assert updated.text.startswith("✏️ Updated 60 entries:") and "…and 52 more." in updated.text
    assert await penny.count(ALICE) == 60

    undone = await penny.say(ALICE, "/undo")
    fits(undone)
    assert undone.text.startswith("↩️ Removed 60 entries:") and "…and 52 more." in undone.text
    assert "Total: −1,845.00 USD" in undone.text
    assert await penny.count(ALICE) == 0


async def test_undo_all_on_a_long_receipt_is_short_too(penny: Penny) -> None:
    receipt = await penny.say(ALICE, "\n".join(f"taxi {n}" for n in range(1, 41)))
    await penny.press(ALICE, receipt, "Undo all")
    removed = await penny.reply(ALICE)
    fits(removed)
    assert "Removed 40 entries" in removed.text and "…and 32 more." in removed.text
    assert "Total: −820.00 USD" in removed.text


async def test_an_edit_past_the_cap_changes_nothing(penny: Penny) -> None:
    sent = await penny.send(ALICE, "coffee 3")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "\n".join(["tea 1"] * 150))
    reply = await penny.reply(ALICE)
    assert "That's 150 entries" in reply.text and "Nothing was changed" in reply.text
    assert [r.amount_minor for r in await penny.rows(ALICE)] == [300]


# ---- lists that grow with the user's data -------------------------------------------------


async def test_recurring_is_paged_and_deleting_stays_on_the_page(penny: Penny) -> None:
    for n in range(1, 106):
        await penny.run(ALICE, recurring.add_recurring, words=["gym", str(n), "monthly", "on", "1"])
    first = await penny.say(ALICE, "/recurring")
    fits(first)
    assert "(1–10 of 105)" in first.text and "11." not in first.text
    assert [b.text for b in first.all_buttons()][-1] == NEXT
    second = await next_page(penny, first)
    assert "(11–20 of 105)" in second.text and "\n11. " in second.text
    await penny.press(ALICE, second, "🗑 15")
    after = await penny.reply(ALICE)
    fits(after)
    assert "(11–20 of 104)" in after.text
    rules = await penny.run(ALICE, recurring.list_recurring)
    assert len(rules) == 104 and Decimal(15) not in {r.amount for r in rules}
    pages = 2
    while NEXT in [b.text for b in after.all_buttons()]:
        after = await next_page(penny, after)
        pages += 1
    assert pages == 11 and "(101–104 of 104)" in after.text


async def test_categories_with_learned_words_are_paged(penny: Penny) -> None:
    names: list[str] = []
    kinds: tuple[Literal["expense", "income"], ...] = ("expense", "income")
    for kind in kinds:
        for n in range(40):
            name = f"{kind[:3].title()} category {n:02}"
            done = await penny.run(ALICE, catalog.categories_command, command=_add(kind, name))
            if isinstance(done, catalog.Catalog):
                names.append(name)
    listing = await penny.run(ALICE, catalog.categories_command, command=_add("expense", ""))
    everything = [*listing.expense, *listing.income]
    assert len(everything) == 80
    for category in everything:  # every category has learned more words than are shown
        for word in range(8):
            keyword = f"{category.name.replace(' ', '')}word{word}".lower() * 2
            await penny.run(ALICE, _learn, keyword=keyword, category_id=category.id)

    page = await penny.say(ALICE, "/categories")
    fits(page)
    seen = page.text
    while NEXT in [b.text for b in page.all_buttons()]:
        page = await next_page(penny, page)
        seen += page.text
    for category in everything:
        assert category.name in seen
    assert "(76–80 of 80)" in page.text


def _add(kind: Literal["expense", "income"], name: str) -> CategoriesCommand:
    return CategoriesCommand("add", kind, name) if name else CategoriesCommand("list")


async def _learn(
    *, session: AsyncSession, profile: Profile, now: datetime, keyword: str, category_id: int
) -> None:
    await learn(session=session, user_id=profile.user_id, keyword=keyword, category_id=category_id)


# ---- /import ------------------------------------------------------------------------------


def wide_csv(columns: int) -> bytes:
    """A statement with no header: the date in column 121, the amount in 111, the note in 6."""

    def row(day: str, amount: str, note: str) -> str:
        cells = [f"v{i}" for i in range(columns)]
        cells[5], cells[110], cells[120] = note, amount, day
        return ",".join(cells)

    rows = [row("01.11.2026", "-12.50", "coffee"), row("02.11.2026", "-3.00", "tea")]
    return "\n".join([*rows, ""]).encode()


async def upload(penny: Penny, name: str, content: bytes) -> BotMessage:
    await penny.fake.send_document(ALICE, name, content)
    return await penny.reply(ALICE)


async def pick_column(penny: Penny, question: BotMessage, label: str) -> BotMessage:
    while not any(b.text.startswith(label) for b in question.all_buttons()):
        question = await next_page(penny, question)
    await penny.press(ALICE, question, label)
    answer = await penny.reply(ALICE)
    fits(answer)
    return answer


async def test_a_wide_file_asks_for_columns_a_page_at_a_time(penny: Penny) -> None:
    question = await upload(penny, "wide.csv", wide_csv(130))
    fits(question)
    # The dates are plain to see; which of 128 other columns is the amount is not.
    assert question.text.startswith("Which column holds the amount?")
    assert "(columns 1–40 of 128)" in question.text
    preview = await pick_column(penny, question, "column 111 (")
    assert "2 transactions" in preview.text and "Expenses: 15.50 USD" in preview.text
    await penny.press(ALICE, preview, "Import 2")
    assert "Imported 2 transactions" in (await penny.reply(ALICE)).text
    assert sorted(r.amount_minor for r in await penny.rows(ALICE)) == [300, 1250]


async def test_ten_thousand_columns_still_get_a_keyboard_telegram_takes(penny: Penny) -> None:
    question = await upload(penny, "huge.csv", wide_csv(10_000))
    fits(question)
    assert "(columns 1–40 of 9998)" in question.text


# 120 currencies, each with money out and in: 240 lines of totals, some 6,000 characters.
CURRENCIES = sorted(c for c in list_currencies() if len(c) == 3 and c.isalpha())[:120]


def travels() -> bytes:
    """Money out and in, in every one of CURRENCIES, this November."""
    lines = ["date,amount,currency,note"]
    for n, currency in enumerate(CURRENCIES):
        lines.append(f"2026-11-{n % 20 + 1:02},-{n + 1},{currency},spent in {currency}")
        lines.append(f"2026-11-{n % 20 + 1:02},{n + 1}000,{currency},earned in {currency}")
    return "\n".join(lines).encode()


async def test_a_preview_with_many_currencies_is_paged(penny: Penny) -> None:
    preview = await upload(penny, "travels.csv", travels())
    fits(preview)
    assert "240 transactions" in preview.text and "Totals 1–12 of 240" in preview.text
    seen = [preview.text]
    while NEXT in [b.text for b in preview.all_buttons()]:
        preview = await next_page(penny, preview)
        assert "Import 240" in preview.all_buttons()[0].text
        seen.append(preview.text)
    assert len(seen) == 20
    totals = "\n".join(seen)
    for currency in CURRENCIES:
        assert f" {currency}\n" in totals
    await penny.press(ALICE, preview, "Import 240")
    assert "Imported 240 transactions" in (await penny.reply(ALICE)).text


async def test_summaries_of_a_traveller_with_120_currencies_fit(penny: Penny) -> None:
    preview = await upload(penny, "travels.csv", travels())
    await penny.press(ALICE, preview, "Import 240")
    await penny.reply(ALICE)
    balance = await penny.say(ALICE, "/balance")
    fits(balance)
    # The user's own currency first, then five of the 120 others; the rest are counted.
    assert "— USD —" in balance.text and "…and 115 more currencies this month" in balance.text
    assert "…and 115 more currencies" in balance.text.split("All-time net:")[1]
    report = await penny.say(ALICE, "/report")
    fits(report)
    assert "…and 114 more currencies (/export has every one)." in report.text
    for currency in CURRENCIES:
        await penny.run(ALICE, reports.set_rate, code=currency, value="0.5")
    converted = await penny.say(ALICE, "/report")
    fits(converted)
    assert "≈ All in USD" in converted.text
    rates = await penny.say(ALICE, "/rate")
    fits(rates)
    assert "…and 60 more" in rates.text


async def test_forty_budgets_are_paged(penny: Penny) -> None:
    for n in range(28):
        await penny.run(ALICE, catalog.categories_command, command=_add("expense", f"Cat {n}"))
    listing = await penny.run(ALICE, catalog.categories_command, command=_add("expense", ""))
    for category in listing.expense:
        command = BudgetCommand("set", category.name, Decimal(100))
        await penny.run(ALICE, budgets.budget_command, command=command)
    await penny.run(
        ALICE, budgets.budget_command, command=BudgetCommand("set", None, Decimal(5000))
    )
    page = await penny.say(ALICE, "/budget")
    fits(page)
    assert "Your budgets (1–12 of 41)" in page.text
    shown = page.text.count(" of 100.00 USD") + page.text.count(" of 5,000.00 USD")
    while NEXT in [b.text for b in page.all_buttons()]:
        page = await next_page(penny, page)
        shown += page.text.count(" of 100.00 USD") + page.text.count(" of 5,000.00 USD")
    assert shown == 41 and "(37–41 of 41)" in page.text


# ---- a second tap on a button that already did its job ------------------------------------


async def test_double_tapping_keep_it_edits_once(penny: Penny) -> None:
    await penny.say(ALICE, "/budget food 10")
    await penny.say(ALICE, "lunch 20")
    alert = await penny.reply(ALICE)
    assert "Keep it" in [b.text for b in alert.all_buttons()]
    edits, answers = calls(penny, "editMessageText"), calls(penny, "answerCallbackQuery")
    await penny.press(ALICE, alert, "Keep it")
    await penny.press(ALICE, alert, "Keep it")  # before the first tap's edit arrived
    kept = await penny.reply(ALICE)
    assert kept.text.startswith("OK, keeping the limit.")
    await penny.fake.no_reply(ALICE)
    await penny.wait_idle()
    assert calls(penny, "editMessageText") == edits + 1
    assert calls(penny, "answerCallbackQuery") == answers + 2  # both taps were answered


async def test_tapping_the_month_start_already_chosen_edits_nothing(penny: Penny) -> None:
    shown = await penny.say(ALICE, "/settings")
    assert "Month starts on day 1" in shown.text
    edits, answers = calls(penny, "editMessageText"), calls(penny, "answerCallbackQuery")
    await penny.press(ALICE, shown, "• 1")
    await penny.fake.no_reply(ALICE)
    await penny.wait_idle()
    assert calls(penny, "editMessageText") == edits
    assert calls(penny, "answerCallbackQuery") == answers + 1
    await penny.press(ALICE, shown, "25")
    moved = await penny.reply(ALICE)
    assert "Month starts on day 25" in moved.text


async def test_double_tapping_erase_edits_once(penny: Penny) -> None:
    # Found by the fuzz once calls were checked: nothing to erase, so both taps say the same.
    confirm = await penny.say(ALICE, "/deleteme")
    edits = calls(penny, "editMessageText")
    await penny.press(ALICE, confirm, "Erase everything")
    await penny.press(ALICE, confirm, "Erase everything")
    done = await penny.reply(ALICE)
    assert done.text.startswith("Done. I erased everything")
    await penny.fake.no_reply(ALICE)
    await penny.wait_idle()
    assert calls(penny, "editMessageText") == edits + 1


async def test_double_tapping_back_on_an_edited_message_edits_once(penny: Penny) -> None:
    # The second tap carries the message as the first tap's edit found it, already edited once
    # (and within the same second, as edit_date counts): Penny's memory still applies to it.
    receipt = await penny.say(ALICE, "coffee 4.50")
    await penny.press(ALICE, receipt, "Change category")
    menu = await penny.reply(ALICE)
    markups = calls(penny, "editMessageReplyMarkup")
    await penny.press(ALICE, menu, "Back")
    await penny.press(ALICE, menu, "Back")
    back = await penny.reply(ALICE)
    assert "Change category" in " ".join(b.text for b in back.all_buttons())
    await penny.fake.no_reply(ALICE)
    await penny.wait_idle()
    assert calls(penny, "editMessageReplyMarkup") == markups + 1


async def test_what_penny_remembers_of_its_edits_stays_small(penny: Penny) -> None:
    # Kept per chat for as long as the process runs, for every chat: digests, not the texts.
    for n in range(1, 31):
        note = f"membership fee for the climbing gym, month {n}"
        await penny.run(ALICE, recurring.add_recurring, words=[note, str(n), "monthly", "on", "1"])
    page = await next_page(penny, await penny.say(ALICE, "/recurring"))
    page = await next_page(penny, page)
    memory = penny.app.chat_data[ALICE]["shown"]
    assert len(memory) == 1  # one message, however often it was edited
    assert len(pickle.dumps(memory)) < 400 < len(page.text)
