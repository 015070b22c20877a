"""Per-user flood control: a burst from one user is throttled politely; others don't notice."""

from __future__ import annotations

import time

from bot.flood import AT_ONCE, SLOW_DOWN, TOO_MANY, FloodGate
from tests.conftest import Clock
from tests.support.harness import Penny, running_penny

ALICE = 1001
BOB = 2002


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_gate_paces_a_burst_and_notices_once_per_episode() -> None:
    ticks = Ticks()
    gate = FloodGate(3, 1.0, clock=ticks, max_wait=4.0)
    paces = [gate.reserve(1) for _ in range(9)]
    # The burst at once, then one a second, told once; beyond four seconds of waiting, refused.
    assert [p.wait for p in paces[:7]] == [0, 0, 0, 1, 2, 3, 4]
    assert [p.notice for p in paces[:7]] == [None] * 3 + [SLOW_DOWN] + [None] * 3
    assert [(p.refused, p.notice) for p in paces[7:]] == [(True, TOO_MANY), (True, None)]
    assert gate.reserve(2) == AT_ONCE  # another user has their own bucket
    ticks.now = 1.0
    assert gate.reserve(1).wait == 4  # the refused ones took no turn
    ticks.now = 20.0  # rested: a new episode, told again
    assert [gate.reserve(1).notice for _ in range(4)] == [None] * 3 + [SLOW_DOWN]


def test_gate_keeps_a_notice_for_the_update_it_belongs_to() -> None:
    gate = FloodGate(1, 1.0, clock=Ticks())
    gate.hold(10, gate.reserve(1))
    gate.hold(11, gate.reserve(1))
    assert gate.take(10) == AT_ONCE and gate.take(11).notice == SLOW_DOWN
    assert gate.take(11) == AT_ONCE  # taken once


def test_gate_forgets_rested_users() -> None:
    ticks = Ticks()
    gate = FloodGate(2, 1.0, clock=ticks)
    for user in range(999):
        gate.reserve(user)
    ticks.now = 5.0
    gate.reserve(5000)  # the 1000th check prunes every full bucket
    assert len(gate) <= 1


def texts_to(penny: Penny, chat_id: int) -> list[str]:
    return [
        str(c.params.get("text", ""))
        for c in penny.fake.calls
        if c.method == "sendMessage" and int(c.params.get("chat_id", 0)) == chat_id
    ]


async def test_hundred_messages_in_a_second_are_all_saved_paced_and_bob_is_served(
    database_url: str, clock: Clock
) -> None:
    # 10 at once, then 20 a second: the default's shape, fast enough for a test. Telegram's
    # global pacing is off: it is shared by all users by design; this is Penny's per-user gate.
    async with running_penny(
        database_url, clock, rate_limit=False, flood_burst=10, flood_rate=20
    ) as penny:
        for n in range(1, 101):
            await penny.send(ALICE, f"coffee {n}")
        started = time.monotonic()
        bob = await penny.say(BOB, "lunch 10")
        waited = time.monotonic() - started
        assert "10.00 USD" in bob.text
        assert waited < 1.0, f"Bob waited {waited:.2f}s behind Alice's flood"
        await penny.wait_idle(quiet=0.5, timeout=30)

        to_alice = texts_to(penny, ALICE)
        assert to_alice.count(SLOW_DOWN) == 1
        # Nothing typed is lost: every message saved, each confirmed once, in order.
        assert await penny.count(ALICE) == 100
        confirmations = [t for t in to_alice if t.startswith("✅")]
        assert len(confirmations) == 100
        amounts = [t.split("−")[1].split(" ")[0] if "−" in t else t for t in confirmations]
        assert amounts == [f"{n}.00" for n in range(1, 101)], amounts[:5]
        for _ in penny.fake.pending_replies(ALICE):
            await penny.reply(ALICE)
        assert "7.00 USD" in (await penny.say(ALICE, "taxi 7")).text
        assert await penny.count(ALICE) == 101


async def test_a_backlog_beyond_max_wait_is_refused_at_once_not_queued() -> None:
    """Turns are taken as updates arrive: the ones queued behind the user's lock count too."""
    import asyncio
    from datetime import UTC, datetime

    from telegram import Chat, Message, Update, User

    from bot.concurrency import PerUserUpdateProcessor

    gate = FloodGate(2, 20.0, max_wait=0.5)  # a backlog over half a second is refused
    processor = PerUserUpdateProcessor(4, gate)
    ran: list[int] = []

    async def handle(update_id: int) -> None:
        if not gate.take(update_id).refused:  # what the throttle handler does
            ran.append(update_id)

    chat, user = Chat(ALICE, Chat.PRIVATE), User(ALICE, "Alice", is_bot=False)
    sent = datetime(2026, 12, 1, tzinfo=UTC)
    updates = [
        Update(n, message=Message(n, sent, chat, from_user=user, text=f"coffee {n}"))
        for n in range(40)
    ]
    started = time.monotonic()
    await asyncio.gather(*(processor.process_update(u, handle(u.update_id)) for u in updates))
    took = time.monotonic() - started
    # 2 at once and 10 more within half a second at 20 a second; the other 28 refused.
    assert ran == list(range(12)), ran
    assert took < 2.0, f"the refused backlog was paced too: {took:.1f}s"


async def test_stopping_with_a_paced_backlog_saves_it_without_pacing(
    database_url: str, clock: Clock
) -> None:
    """Every update was fetched (acknowledged to Telegram) and the user told not to resend:
    stopping saves the rest at once instead of pacing past a process manager's kill timeout."""
    import asyncio

    from sqlalchemy import func, select

    from models.db import create_engine
    from models.tables import Transaction

    async with running_penny(
        database_url, clock, rate_limit=False, flood_burst=2, flood_rate=0.5
    ) as penny:
        for n in range(1, 9):
            await penny.send(ALICE, f"coffee {n}")
        for _ in range(100):  # the burst saved; six paced two seconds apart still to come
            if await penny.count(ALICE) >= 2:
                break
            await asyncio.sleep(0.05)
        started = time.monotonic()
    stopping = time.monotonic() - started
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            saved = await conn.scalar(
                select(func.count()).select_from(Transaction).where(Transaction.user_id == ALICE)
            )
    finally:
        await engine.dispose()
    assert saved == 8
    assert stopping < 5.0, f"stopping took {stopping:.1f}s: the backlog was still paced"
