"""``make soak``: the fuzz and a steady load against one long-running bot, for as long as asked.

Each round sends a freshly seeded fuzz batch (new users every round) and checks the fuzz
invariants (nothing raised, no reply refused, exactly the expected transactions), then 50 load
users log expenses for a few seconds while their reply times are measured. At the end every
load confirmation must be backed by a stored transaction. The bot is never
restarted, so slow leaks and state that builds up over time get their chance to show.

    SOAK_SECONDS=600 SOAK_UPDATES=3000 DATABASE_URL=postgresql+asyncpg://... make soak
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import Clock
from tests.support.harness import Penny, running_penny
from tests.system.test_fuzz import fuzz_run, verify

LOAD_USERS = range(900_001, 900_051)
LOAD_SECONDS = 5.0


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def load(penny: Penny, stop: asyncio.Event, latencies: list[float]) -> None:
    """Load users log an expense each in turn and wait for the confirmation."""

    async def one(user: int) -> None:
        while not stop.is_set():
            started = time.monotonic()
            reply = await penny.say(user, "coffee 1.50")
            assert "1.50 USD" in (reply.text or ""), reply.text
            latencies.append(time.monotonic() - started)
            await asyncio.sleep(0.2)

    await asyncio.gather(*(one(user) for user in LOAD_USERS))


async def soak(database_url: str, seconds: float, updates: int) -> None:
    records = Records()
    logging.getLogger().addHandler(records)
    clock = Clock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    async with running_penny(database_url, clock, rate_limit=False, flood_burst=0) as penny:
        raised: list[BaseException | None] = []

        async def record(update: object, context: Any) -> None:
            from handlers.errors import is_stale_message

            if not is_stale_message(context.error):
                raised.append(context.error)

        penny.app.add_error_handler(record)
        latencies: list[float] = []
        deadline = time.monotonic() + seconds
        round_no = 0
        while time.monotonic() < deadline:
            seed = random.SystemRandom().randrange(2**32)
            started = time.monotonic()
            fuzz = await fuzz_run(penny, seed, updates, first_user=100_000 + round_no * 2000)
            for user in [*fuzz.valid_users, *fuzz.junk_users]:
                for _ in penny.fake.pending_replies(user):
                    await penny.reply(user)
            await verify(penny, fuzz, raised, records.records, f"[seed {seed}]")
            print(
                f"round {round_no}: seed {seed}, {fuzz.sent} updates in "
                f"{time.monotonic() - started:.1f}s",
                flush=True,
            )
            stop = asyncio.Event()
            loader = asyncio.create_task(load(penny, stop, latencies))
            await asyncio.sleep(LOAD_SECONDS)
            stop.set()
            await loader
            round_no += 1
        await penny.fake.wait_idle(quiet=0.5, timeout=30)
        stored = sum([await penny.count(user) for user in LOAD_USERS])
        assert stored == len(latencies), f"{len(latencies)} confirmations, {stored} stored"
    ordered = sorted(latencies) or [0.0]
    print(
        f"soak passed: {round_no} rounds, {len(latencies)} load replies, p50 "
        f"{statistics.median(ordered) * 1000:.0f} ms, p95 "
        f"{ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000:.0f} ms"
    )


def main() -> None:
    seconds = float(os.environ.get("SOAK_SECONDS", "300"))
    updates = int(os.environ.get("SOAK_UPDATES", "3000"))
    database_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            database_url = f"sqlite+aiosqlite:///{tmp}/soak.db"
        print(f"soak: {seconds:.0f}s of {updates}-update rounds on {database_url.split('@')[-1]}")
        asyncio.run(soak(database_url, seconds, updates))


if __name__ == "__main__":
    main()
