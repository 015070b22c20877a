"""Issue 13 end to end: a refund is money back into the category it left.

Stored as an expense with a negative amount, it lowers that category's spending everywhere a
sum is taken: the receipt's month total, /balance, budgets, /report, charts and /export.
"""

from __future__ import annotations

import csv
import io

import pytest

from charts import worker as chart_worker
from tests.support.harness import Penny

ALICE = 1001


@pytest.fixture(autouse=True)
async def render_worker_ready() -> None:
    await chart_worker.warm_up()


async def test_a_refund_lowers_its_categorys_spending_everywhere(penny: Penny) -> None:
    await penny.say(ALICE, "/budget shopping 100")
    await penny.say(ALICE, "amazon headphones 90")
    await penny.reply(ALICE)  # the 80% alert
    refund = await penny.say(ALICE, "refund 30 amazon")
    assert "+30.00 USD · 🛍 Shopping" in refund.text
    assert "Shopping this month: 60.00 USD" in refund.text
    [bought, back] = await penny.rows(ALICE)
    assert (bought.kind, bought.amount_minor) == ("expense", 9000)
    assert (back.kind, back.amount_minor, back.category_id) == (
        "expense",
        -3000,
        bought.category_id,
    )

    balance = await penny.say(ALICE, "/balance")
    assert "Income:   0.00 USD" in balance.text and "Expenses: 60.00 USD" in balance.text
    budget = await penny.say(ALICE, "/budget")
    assert "Shopping — 60.00 USD of 100.00 USD" in budget.text
    report = await penny.say(ALICE, "/report")
    assert "Expenses: 60.00 USD" in report.text and "Shopping 60.00 USD" in report.text
    chart = await penny.say(ALICE, "/chart categories")
    assert chart.photo is not None

    exported = (await penny.say(ALICE, "/export")).document
    assert exported is not None
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["date", "type", "amount", "currency", "category", "note"]
    assert [r[1:5] for r in rows[1:]] == [
        ["expense", "90.00", "USD", "Shopping"],
        ["refund", "30.00", "USD", "Shopping"],
    ]


async def test_a_refund_alone_does_not_break_charts_or_reports(penny: Penny) -> None:
    await penny.say(ALICE, "refund for hotel 180")
    report = await penny.say(ALICE, "/report")
    assert "Expenses: -180.00 USD" in report.text or "Expenses: −180.00 USD" in report.text
    chart = await penny.say(ALICE, "/chart categories")
    assert chart.text is not None or chart.photo is not None
    daily = await penny.say(ALICE, "/chart daily")
    assert daily.text is not None or daily.photo is not None
