"""How many due schedules one process claims per second with 100,000 users (SQLite, PostgreSQL).

Claiming is the part the database bounds (select due rows, compare-and-set next_run_at, commit);
sending is paced separately by the rate limiter. Usage: python bench/scheduler_bench.py [USERS]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from models.db import create_engine, make_sessionmaker, migrate
from models.schedules import claim_due
from models.tables import Schedule, User
from tests.support.pg import Cluster, find_bindir

BATCH = 500
DUE = datetime(2026, 11, 29, 19, 0, tzinfo=UTC)


async def run(url: str, users: int) -> float:
    engine = create_engine(url)
    await migrate(engine)
    sessions = make_sessionmaker(engine)
    zones = ("UTC", "Asia/Kolkata", "America/Los_Angeles", "Europe/Berlin")
    async with sessions.begin() as session:
        for start in range(0, users, 10_000):
            ids = range(start + 1, min(start + 10_001, users + 1))
            await session.execute(
                insert(User),
                [{"id": i, "currency": "USD", "timezone": zones[i % 4]} for i in ids],
            )
            await session.execute(
                insert(Schedule),
                [
                    {
                        "user_id": i,
                        "kind": "weekly",
                        "enabled": True,
                        "at_minute": 19 * 60,
                        "every_days": 7,
                        "weekday": 6,
                        "next_run_at": DUE,
                    }
                    for i in ids
                ],
            )
    now = DUE + timedelta(minutes=1)
    claimed = 0
    started = time.perf_counter()
    while True:
        async with sessions.begin() as session:
            got = await claim_due(session=session, now=now, limit=BATCH)
        if not got:
            break
        claimed += len(got)
    elapsed = time.perf_counter() - started
    await engine.dispose()
    assert claimed == users, f"claimed {claimed} of {users}"
    return claimed / elapsed


async def main() -> None:
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"scheduler claim benchmark: {users:,} users with a due weekly summary, batch {BATCH}")
    with tempfile.TemporaryDirectory() as tmp:
        rate = await run(f"sqlite+aiosqlite:///{tmp}/bench.db", users)
        print(f"  SQLite:     {rate:,.0f} schedules claimed/s (goal >= 2,000/s)")
    bindir = find_bindir()
    if bindir is None:
        print("  PostgreSQL: skipped (no initdb found)")
        return
    cluster = Cluster(bindir)
    cluster.start()
    try:
        rate = await run(await cluster.create_database(), users)
        print(f"  PostgreSQL: {rate:,.0f} schedules claimed/s (goal >= 2,000/s)")
    finally:
        cluster.stop()


if __name__ == "__main__":
    asyncio.run(main())
