"""/report, /chart and /rate end to end: real PTB over HTTP against the fake Bot API."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.offline.server import BotMessage
from charts import worker as chart_worker
from tests.support.harness import Penny

ALICE = 1001
BOB = 2002


@pytest.fixture(autouse=True)
async def render_worker_ready() -> None:
    """Start the chart worker process before the first chart, as the bot does at start."""
    await chart_worker.warm_up()


async def log(penny: Penny, user: int, *texts: str) -> None:
    for text in texts:
        reply = await penny.say(user, text)
        assert "Saved" in (reply.text or ""), reply.text


async def press_exact(penny: Penny, message: BotMessage, label: str) -> None:
    """Press the button whose label is ``label`` (ignoring the mark on the current choice)."""
    [data] = [b.callback_data for b in message.all_buttons() if b.text.split()[-1] == label]
    assert data is not None
    await penny.press_data(ALICE, message.message_id, data)


def png_size(message: BotMessage) -> tuple[int, int]:
    assert message.photo is not None
    return Image.open(io.BytesIO(message.photo)).size


async def test_report_this_month(penny: Penny) -> None:
    empty = await penny.say(ALICE, "/report")
    assert "November 2026" in (empty.text or "") and "Nothing recorded" in (empty.text or "")
    await log(penny, ALICE, "+5000 salary", "rent 1500", "coffee 4.50", "lunch 10.50")
    penny.clock.advance(days=-31)  # October: a month to compare with
    await log(penny, ALICE, "rent 1000")
    penny.clock.advance(days=31)
    text = (await penny.say(ALICE, "/report")).text or ""
    assert "📊 November 2026" in text
    assert "Income:   5,000.00 USD" in text
    assert "Expenses: 1,515.00 USD" in text
    assert "Net:      +3,485.00 USD" in text
    assert "▲ 52% (+515.00 USD)" in text
    assert "Biggest:  1,500.00 USD · Housing · rent" in text
    assert "Housing 1,500.00 USD · 99%" in text and "Food 15.00 USD · <1%" in text
    assert "Per day:" in text
    assert len(text.splitlines()) <= 20


async def test_report_periods_and_usage(penny: Penny) -> None:
    await log(penny, ALICE, "coffee 4.50")
    assert "October 2026" in ((await penny.say(ALICE, "/report last month")).text or "")
    assert "2026" in ((await penny.say(ALICE, "/report year")).text or "")
    ranged = (await penny.say(ALICE, "/report 20 nov - 25 nov")).text or ""
    assert "20 Nov – 25 Nov 2026" in ranged and "4.50 USD" in ranged
    bad = (await penny.say(ALICE, "/report someday")).text or ""
    assert "Usage: /report" in bad


async def test_multi_currency_report_and_rate(penny: Penny) -> None:
    await log(penny, ALICE, "coffee 4.50", "lunch 12 EUR")
    text = (await penny.say(ALICE, "/report")).text or ""
    assert "— USD —" in text and "— EUR —" in text
    assert "Expenses: 4.50 USD" in text and "Expenses: 12.00 EUR" in text
    assert "/rate EUR" in text and "All in" not in text
    assert "1 EUR = 1.08 USD" in ((await penny.say(ALICE, "/rate EUR 1.08")).text or "")
    assert "EUR = 1.08" in ((await penny.say(ALICE, "/rate")).text or "")
    converted = (await penny.say(ALICE, "/report")).text or ""
    assert "≈ All in USD (EUR at 1.08)" in converted and "expenses 17.46 USD" in converted
    assert "Removed" in ((await penny.say(ALICE, "/rate EUR off")).text or "")


@pytest.mark.parametrize(
    "text",
    ["/rate EUR", "/rate EUR abc", "/rate XYZ 2", "/rate USD 2", "/rate EUR 0", "/rate a b c"],
)
async def test_rate_bad_arguments_get_usage(penny: Penny, text: str) -> None:
    reply = await penny.say(ALICE, text)
    assert "Usage: /rate" in (reply.text or "")


async def test_chart_without_data_is_friendly_text(penny: Penny) -> None:
    reply = await penny.say(ALICE, "/chart")
    assert reply.photo is None
    assert "No spending recorded for November 2026" in (reply.text or "")


@pytest.mark.parametrize(
    ("command", "caption"),
    [
        ("/chart", "Categories · November 2026 · spent 1,515.00 USD"),
        ("/chart daily", "Daily · November 2026 · spent 1,515.00 USD"),
        ("/chart running", "Running · November 2026 · spent 1,515.00 USD"),
        ("/chart months", "Months · Dec 2025 – Nov 2026 · in 5,000.00 USD, out 1,545.00 USD"),
        ("/chart categories last month", "Categories · October 2026 · spent 30.00 USD"),
        ("/chart daily 20 nov - 25 nov", "Daily · 20 Nov – 25 Nov 2026 · spent 1,515.00 USD"),
    ],
)
async def test_every_chart_kind(penny: Penny, command: str, caption: str) -> None:
    await log(penny, ALICE, "+5000 salary", "rent 1500", "coffee 4.50", "lunch 10.50")
    penny.clock.advance(days=-31)
    await log(penny, ALICE, "taxi 30")
    penny.clock.advance(days=31)
    reply = await penny.say(ALICE, command)
    assert reply.event == "sendPhoto", reply.describe()
    assert caption in (reply.text or "")
    assert png_size(reply) == (1000, 700)
    data = [b.callback_data or "" for b in reply.all_buttons()]
    assert all(d.startswith("ch:") and len(d.encode()) <= 64 for d in data)
    assert len([b for b in reply.all_buttons() if b.text.startswith("• ")]) >= 1


async def test_chart_bad_arguments_get_usage(penny: Penny) -> None:
    reply = await penny.say(ALICE, "/chart daily someday")
    assert "Usage: /chart" in (reply.text or "")


async def test_buttons_switch_kind_and_period_in_the_same_message(penny: Penny) -> None:
    await log(penny, ALICE, "rent 1500", "coffee 4.50")
    penny.clock.advance(days=-31)
    await log(penny, ALICE, "taxi 30")
    penny.clock.advance(days=31)
    sent = await penny.say(ALICE, "/chart")
    first_photo = sent.photo
    steps = [
        ("Daily", "Daily · November 2026 · spent 1,504.50 USD"),
        ("Running", "Running · November 2026 · spent 1,504.50 USD (October 2026: 30.00 USD)"),
        ("Months", "Months · Dec 2025 – Nov 2026"),
        ("◀", "Months · Nov 2025 – Oct 2026"),
        ("Categories", "Categories · October 2026 · spent 30.00 USD"),
        ("▶", "Categories · November 2026"),
        ("Year", "Categories · 2026 · spent 1,534.50 USD"),
        ("Week", "Categories · 23 Nov – 29 Nov 2026"),
        ("Month", "Categories · November 2026"),
    ]
    current = sent
    for label, caption in steps:
        await press_exact(penny, current, label)
        edited = await penny.reply(ALICE)
        assert edited.event == "editMessageMedia", edited.describe()
        assert edited.message_id == sent.message_id
        assert caption in (edited.text or ""), (label, edited.text)
        assert png_size(edited) == (1000, 700)
        current = edited
    assert current.photo is not None and current.photo == first_photo  # same data, same picture
    # Still one chart message in the chat: every press edited it.
    photos = [m for m in penny.fake.chat_messages(ALICE) if m.photo is not None]
    assert len(photos) == 1


async def test_button_for_an_empty_period_answers_instead_of_editing(penny: Penny) -> None:
    await log(penny, ALICE, "coffee 4.50")
    sent = await penny.say(ALICE, "/chart")
    await penny.press(ALICE, sent, "◀")  # October: nothing there
    await penny.fake.no_reply(ALICE)
    answers = list(penny.fake.callback_answers.values())
    assert "No spending recorded for October 2026" in str(answers[-1].get("text"))


async def test_forged_chart_buttons_show_only_the_presser_s_data(penny: Penny) -> None:
    await log(penny, ALICE, "rent 1500")
    await log(penny, BOB, "coffee 3")
    alice_chart = await penny.say(ALICE, "/chart")
    bob_chart = await penny.say(BOB, "/chart daily")
    # Bob replays Alice's button data (and nonsense) on his own chart message.
    for data in [b.callback_data or "" for b in alice_chart.all_buttons()][:2]:
        await penny.press_data(BOB, bob_chart.message_id, data)
        edited = await penny.reply(BOB)
        assert "3.00 USD" in (edited.text or "") and "1,500" not in (edited.text or "")
    for forged in ["ch:cat:m999", "ch:sql:m0", "ch:cat:r20261301-20261302", "ch:cat", "ch:x:y:z"]:
        await penny.press_data(BOB, bob_chart.message_id, forged)
        await penny.fake.no_reply(BOB)
    # Alice's chart is untouched by any of it.
    await penny.fake.no_reply(ALICE)
    [alice_photo] = [m for m in penny.fake.chat_messages(ALICE) if m.photo is not None]
    assert "1,500.00 USD" in (alice_photo.text or "")


async def test_identical_charts_come_from_the_cache(penny: Penny) -> None:
    await log(penny, ALICE, "coffee 4.50")
    chart_worker._cache.clear()
    first = await penny.say(ALICE, "/chart daily")
    assert len(chart_worker._cache) == 1
    second = await penny.say(ALICE, "/chart daily")
    assert len(chart_worker._cache) == 1 and first.photo == second.photo
    await log(penny, ALICE, "tea 2")  # new data: a new picture
    third = await penny.say(ALICE, "/chart daily")
    assert len(chart_worker._cache) == 2 and third.photo != first.photo
    assert "6.50 USD" in (third.text or "")


async def test_help_lists_the_new_commands(penny: Penny) -> None:
    text = (await penny.say(ALICE, "/help")).text or ""
    assert "/report" in text and "/chart" in text and "/rate" in text


async def test_budget_shows_in_report_and_as_pace_in_charts(penny: Penny) -> None:
    await log(penny, ALICE, "rent 1500", "coffee 4.50")
    await penny.say(ALICE, "/budget 3000")
    await penny.say(ALICE, "/budget food 10")
    text = (await penny.say(ALICE, "/report")).text or ""
    assert "Budgets:" in text
    assert "Overall 50% · 1,504.50 USD of 3,000.00 USD" in text
    assert "Food 45% · 4.50 USD of 10.00 USD" in text
    daily = await penny.say(ALICE, "/chart daily")
    assert "budget pace 100.00 USD a day" in (daily.text or "")
    running = await penny.say(ALICE, "/chart running")
    assert "budget 3,000.00 USD" in (running.text or "")
    # A past period isn't the budget's current one: no pace line there.
    await penny.press_data(ALICE, daily.message_id, "ch:day:y0")
    assert "budget pace" not in ((await penny.reply(ALICE)).text or "")
