"""Per-user flood control: a burst from one user is throttled politely; others don't notice."""

from __future__ import annotations

import asyncio
import time

from bot.flood import SLOW_DOWN, FloodGate, Verdict
from tests.conftest import Clock
from tests.support.harness import Penny, running_penny

ALICE = 1001
BOB = 2002


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_gate_allows_a_burst_then_notifies_once_then_refills() -> None:
    ticks = Ticks()
    gate = FloodGate(3, 1.0, clock=ticks)
    assert [gate.check(1) for _ in range(6)] == [Verdict.ALLOW] * 3 + [
        Verdict.NOTIFY,
        Verdict.DROP,
        Verdict.DROP,
    ]
    assert gate.check(2) is Verdict.ALLOW  # another user has their own bucket
    ticks.now = 1.0
    assert gate.check(1) is Verdict.ALLOW  # one token back after a second
    assert gate.check(1) is Verdict.DROP  # still the same episode: no second notice
    ticks.now = 10.0
    assert [gate.check(1) for _ in range(4)] == [Verdict.ALLOW] * 3 + [Verdict.NOTIFY]


def test_gate_forgets_rested_users() -> None:
    ticks = Ticks()
    gate = FloodGate(2, 1.0, clock=ticks)
    for user in range(999):
        gate.check(user)
    ticks.now = 5.0
    gate.check(5000)  # the 1000th check prunes every full bucket
    assert len(gate) <= 1


def texts_to(penny: Penny, chat_id: int) -> list[str]:
    return [
        str(c.params.get("text", ""))
        for c in penny.fake.calls
        if c.method == "sendMessage" and int(c.params.get("chat_id", 0)) == chat_id
    ]


async def test_hundred_messages_in_a_second_are_throttled_politely(
    database_url: str, clock: Clock
) -> None:
    # Default limits (30 at once, 1 a second). Telegram's global pacing is off: it is shared by
    # all users by design, and this test is about Penny's per-user gate.
    async with running_penny(database_url, clock, rate_limit=False) as penny:
        for n in range(1, 101):
            await penny.send(ALICE, f"coffee {n}")
        started = time.monotonic()
        bob = await penny.say(BOB, "lunch 10")
        waited = time.monotonic() - started
        assert "10.00 USD" in bob.text
        assert waited < 1.0, f"Bob waited {waited:.2f}s behind Alice's flood"
        await penny.wait_idle(quiet=0.3, timeout=20)

        to_alice = texts_to(penny, ALICE)
        assert to_alice.count(SLOW_DOWN) == 1
        saved = await penny.count(ALICE)
        confirmations = [t for t in to_alice if t.startswith("✅")]
        # The burst, plus at most what refilled while it was being handled.
        assert 30 <= saved <= 40, saved
        assert len(confirmations) == saved  # every saved entry was confirmed, nothing else

        # After a pause the user is served again.
        await asyncio.sleep(1.1)
        for _ in penny.fake.pending_replies(ALICE):
            await penny.reply(ALICE)
        assert "7.00 USD" in (await penny.say(ALICE, "taxi 7")).text
        assert await penny.count(ALICE) == saved + 1
