"""A hostile /import doesn't freeze anyone else: files are read in the import worker.

Each test uploads a file that costs seconds of CPU to read while another user keeps logging
coffees, and checks every coffee was answered within a second (the figure is printed).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from bot.offline.server import BotMessage
from tests.support.harness import Penny, running_penny

ALICE, BOB = 1001, 2002
BOUND_S = 1.0

GARBAGE = b"date,amount,note\n" + b"x1,1,x\n" * 100_000  # 1.1 MB, no date can be read
NO_HEADER = b"x1,1,x\n" * 100_000  # which column is the date? asks, with buttons
VALID = b"date,amount,note\n" + b"".join(
    b"2026-%02d-%02d,%d.25,%s\n" % (i % 12 + 1, i % 28 + 1, i % 900 + 1, b"n" * 150 + b"%d" % i)
    for i in range(100_000)
)  # 16 MB, every row good


@pytest.fixture
async def penny(database_url: str, clock: Any) -> AsyncIterator[Penny]:
    # Bob logs coffees back to back: flood control would (rightly) slow him down.
    async with running_penny(database_url, clock, flood_burst=0) as harness:
        yield harness


async def worst_wait_while(
    penny: Penny, work: Callable[[], Awaitable[BotMessage]]
) -> tuple[BotMessage, float, float]:
    """Run ``work`` (Alice's) while Bob logs coffees; (its result, Bob's worst wait, its time)."""
    assert "Saved" in ((await penny.say(BOB, "coffee 1")).text or "")  # Bob's account exists
    started = time.perf_counter()
    task = asyncio.create_task(work())
    waits: list[float] = []
    while not task.done():
        sent = time.perf_counter()
        reply = await penny.say(BOB, "coffee 3")
        waits.append(time.perf_counter() - sent)
        assert "Saved" in (reply.text or "")
        await asyncio.sleep(0.1)
    result = await task
    return result, max(waits, default=0.0), time.perf_counter() - started


async def upload(penny: Penny, content: bytes) -> BotMessage:
    await penny.fake.send_document(ALICE, "statement.csv", content)
    return await penny.fake.next_reply(ALICE, timeout=120)


@pytest.mark.parametrize(
    ("content", "said", "bound"),
    [
        (GARBAGE, "can't read the date", BOUND_S),
        # 16 MB travel through the bot too (download, storing the upload): a little more.
        (VALID, "Import 100000", 2 * BOUND_S),
    ],
    ids=["garbage-100k", "valid-100k-16MB"],
)
async def test_reading_a_big_file_stalls_nobody(
    penny: Penny, content: bytes, said: str, bound: float
) -> None:
    reply, worst, took = await worst_wait_while(penny, lambda: upload(penny, content))
    print(
        f"\n{len(content) / 1e6:.1f} MB read in {took:.1f}s; Bob's worst wait {worst * 1000:.0f} ms"
    )
    assert said in (reply.text or "") or any(said in b.text for b in reply.all_buttons())
    assert worst < bound


async def test_a_column_button_on_a_big_file_stalls_nobody(penny: Penny) -> None:
    question = await upload(penny, NO_HEADER)
    assert question.text == "Which column holds the date?"

    async def press() -> BotMessage:
        await penny.press(ALICE, question, question.all_buttons()[0].text)
        return await penny.fake.next_reply(ALICE, timeout=120)

    answer, worst, took = await worst_wait_while(penny, press)
    print(f"\ncolumn picked in {took:.1f}s; Bob's worst wait {worst * 1000:.0f} ms")
    assert answer.text == "Which column holds the amount?"
    assert worst < BOUND_S


async def test_confirming_a_big_import_stalls_nobody_long(penny: Penny) -> None:
    preview = await upload(penny, VALID)

    async def confirm() -> BotMessage:
        await penny.press(ALICE, preview, "✅ Import 100000")
        return await penny.fake.next_reply(ALICE, timeout=120)

    done, worst, took = await worst_wait_while(penny, confirm)
    print(f"\n100,000 rows imported in {took:.1f}s; Bob's worst wait {worst * 1000:.0f} ms")
    assert "Imported 100000" in (done.text or "")
    assert await penny.count(ALICE) == 100_000
    # Storing 100,000 rows is one transaction: on SQLite everyone's writes wait for it.
    assert worst < 3 * BOUND_S


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b",".join(b"c%d" % i for i in range(20_000)) + b"\n" + b"1," * 19_999 + b"1\n", "columns"),
        (b"2026-11-01,1,x\n" * 1_500_000, "too large"),  # 21 MB
    ],
    ids=["20k-columns", "21MB"],
)
async def test_a_file_too_wide_or_large_is_refused_quickly(
    penny: Penny, content: bytes, said: str
) -> None:
    reply, worst, took = await worst_wait_while(penny, lambda: upload(penny, content))
    print(f"\nrefused in {took:.1f}s; Bob's worst wait {worst * 1000:.0f} ms")
    assert said in (reply.text or "")
    assert not reply.buttons
    assert worst < BOUND_S
