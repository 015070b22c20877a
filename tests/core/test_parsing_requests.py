"""Requests, not entries: questions about money and corrections of what was recorded."""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.core.parsing import Correction, Question, read_request
from bot.core.periods import Period

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))  # a Monday
TODAY = date(2026, 11, 23)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 12, 1))
OCTOBER = Period(date(2026, 10, 1), date(2026, 11, 1))


def day(d: date) -> Period:
    return Period(d, date.fromordinal(d.toordinal() + 1))


@pytest.mark.parametrize(
    ("text", "topic", "period", "category"),
    [
        ("how much did I spend on food this month?", "spent", NOVEMBER, "Food"),
        ("How much did I spend on food?", "spent", None, "Food"),
        ("how much did I spend on groceries this month", "spent", NOVEMBER, "Groceries"),
        (
            "how much did I spend on transport yesterday?",
            "spent",
            day(date(2026, 11, 22)),
            "Transport",
        ),
        ("How much did I spend today?", "spent", day(TODAY), None),
        ("how much did I spend this week", "spent", Period(TODAY, date(2026, 11, 30)), None),
        ("get me last month expenses", "spent", OCTOBER, None),
        ("this month expenses", "spent", NOVEMBER, None),
        ("July expenses", "spent", Period(date(2026, 7, 1), date(2026, 8, 1)), None),
        ("yesterday's expenditure", "spent", day(date(2026, 11, 22)), None),
        (
            "last week expenditure on groceries",
            "spent",
            Period(date(2026, 11, 16), TODAY),
            "Groceries",
        ),
        ("monday expenses on groceries", "spent", day(TODAY), "Groceries"),
        ("show me food spending in october", "spent", OCTOBER, "Food"),
        ("what did I earn last month", "earned", OCTOBER, None),
        ("what's my balance?", "balance", None, None),
        ("balance", "balance", None, None),
        ("List all my expenses", "list", None, None),
        ("Show expense breakdown", "breakdown", None, None),
        ("how much did I spend on the 5th?", "spent", None, None),
        ("show me this month's spending", "spent", NOVEMBER, None),
        ("what are my expenses this week", "spent", Period(TODAY, date(2026, 11, 30)), None),
        ("how much did I earn this month", "earned", NOVEMBER, None),
        ("how much money do I have left", "balance", None, None),
        ("summary", "breakdown", None, None),
    ],
)
def test_questions(text: str, topic: str, period: Period | None, category: str | None) -> None:
    found = read_request(text, now=NOW)
    assert isinstance(found, Question), found
    assert (found.topic, found.period, found.category) == (topic, period, category)


def test_corrections() -> None:
    change = read_request("Change ₹500 food expense to ₹600", now=NOW)
    assert change == Correction(
        "change", Decimal(500), "INR", "Food", ("food",), None, Decimal(600), "INR"
    )
    remove = read_request("Remove ₹300 grocery expense from yesterday", now=NOW)
    assert isinstance(remove, Correction)
    assert (remove.action, remove.amount, remove.currency, remove.category, remove.day) == (
        "remove",
        Decimal(300),
        "INR",
        "Groceries",
        date(2026, 11, 22),
    )
    last = read_request("delete the last entry", now=NOW)
    assert last == Correction("remove")
    to_45 = read_request("change last expense to 45", now=NOW)
    assert isinstance(to_45, Correction) and to_45.new_amount == Decimal(45)
    lunch = read_request("update lunch to 15", now=NOW)
    assert lunch == Correction("change", None, None, "Food", ("lunch",), None, Decimal(15))
    dropped = read_request("delete 45 lunch", now=NOW)
    assert isinstance(dropped, Correction) and (dropped.action, dropped.amount) == (
        "remove",
        Decimal(45),
    )
    mine = read_request("remove my lunch", now=NOW)
    assert isinstance(mine, Correction) and mine.category == "Food"


@pytest.mark.parametrize(
    "text",
    [
        "coffee 4.50",
        "spent 250 on food",
        "+5000 salary",
        "paid 500 rent",
        "spent 20 on lunch?",  # an entry with a question mark
        "fix car 300",  # a repair, not a correction
        "change oil 40",
        "remove tree 200",
        "change oil to synthetic 40",
        "lunch expense 20",
        "expenses 500 lunch",
        "bought 3 items at the store",
        "I have 2 meetings today",
        "help",
        "hello",
        "total spent",
    ],
)
def test_not_requests(text: str) -> None:
    assert read_request(text, now=NOW) is None


@pytest.mark.parametrize(
    "text",
    [
        "'delete my expenses'",  # a verb not opening the text: read as a request, forever
        "(remove the expense)",
        "delete " * 40 + "5",
        "change change 5 to change 6 to 7",
        "remove " * 60,
    ],
)
def test_corrections_never_loop(text: str, caplog: pytest.LogCaptureFixture) -> None:
    from bot.core.parsing.entries import _parse  # the unguarded parser: a bug raises

    read_request(text, now=NOW)
    _parse(text, NOW, "USD")
    # a bug inside a correction's own reading is logged by the guarded parser, not raised
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
