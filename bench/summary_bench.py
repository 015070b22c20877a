"""What the goals and habits lines cost a weekly summary (SQLite, PostgreSQL).

Users with a month of entries and logging days, a budget, a goal and a savings target get their
weekly summary composed by one ticker pass; printed: summaries composed per second, and how much
of each summary is the new part (savings target, streak, points with budget days scored).
Usage: python bench/summary_bench.py [USERS]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from bot.core.periods import month_period, week_period
from models.db import create_engine, make_sessionmaker, migrate
from models.services import goals, habits
from models.services.ticker import claim_tick
from models.tables import (
    Budget,
    Goal,
    GoalContribution,
    HabitDay,
    SavingsTarget,
    Schedule,
    Transaction,
    User,
)
from tests.support.pg import Cluster, find_bindir

DUE = datetime(2026, 11, 29, 19, 0, tzinfo=UTC)  # a Sunday evening
TODAY = DUE.date()
DAYS = 30
BATCH = 250


def rows(users: int) -> dict[type, list[dict[str, object]]]:
    now = DUE - timedelta(days=DAYS)
    days = [TODAY - timedelta(days=d) for d in range(DAYS)]
    ids = range(1, users + 1)
    return {
        User: [{"id": i, "currency": "USD", "timezone": "UTC"} for i in ids],
        Schedule: [
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
        Transaction: [
            {
                "user_id": i,
                "kind": "expense",
                "amount_minor": 500 + 37 * n,
                "currency": "USD",
                "note": "coffee",
                "occurred_on": day,
                "source_chat_id": i,
                "source_message_id": n * 2 + k,
                "position": 0,
                "created_at": now,
            }
            for i in ids
            for n, day in enumerate(days)
            for k in range(2)
        ],
        HabitDay: [{"user_id": i, "day": day} for i in ids for day in days],
        Budget: [
            {
                "user_id": i,
                "category_id": None,
                "scope": "all",
                "amount_minor": 300_000,
                "currency": "USD",
                "frequency": "monthly",
                "rollover": False,
                "created_on": date(2026, 10, 1),
            }
            for i in ids
        ],
        Goal: [
            {
                "id": i,
                "user_id": i,
                "name": "laptop",
                "target_minor": 120_000,
                "currency": "USD",
                "deadline": date(2027, 6, 30),
                "created_at": now,
            }
            for i in ids
        ],
        GoalContribution: [
            {
                "user_id": i,
                "goal_id": i,
                "amount_minor": 10_000,
                "saved_on": TODAY,
                "created_at": now,
            }
            for i in ids
        ],
        SavingsTarget: [
            {"user_id": i, "scope": "every", "amount_minor": 50_000, "currency": "USD"} for i in ids
        ],
    }


async def run(url: str, users: int) -> tuple[float, float]:
    engine = create_engine(url)
    await migrate(engine)
    sessions = make_sessionmaker(engine)
    async with sessions.begin() as session:
        for table, values in rows(users).items():
            for start in range(0, len(values), 5_000):
                await session.execute(insert(table), values[start : start + 5_000])
    started = time.perf_counter()
    sent = 0
    while True:
        async with sessions.begin() as session:
            tick = await claim_tick(session=session, now=DUE + timedelta(minutes=1), limit=BATCH)
        sent += len(tick.messages)
        if not tick.claimed:
            break
    elapsed = time.perf_counter() - started
    assert sent == users, f"composed {sent} of {users}"
    # The new part alone, again for everyone (points are settled by now, as on a second read).
    started = time.perf_counter()
    for first in range(1, users + 1, BATCH):
        async with sessions.begin() as session:  # one transaction per batch, as a tick does
            for i in range(first, min(first + BATCH, users + 1)):
                await goals.month_target(session=session, user_id=i, month=month_period(TODAY))
                await habits.standing_of(
                    session=session,
                    user_id=i,
                    today=TODAY,
                    month_start_day=1,
                    period=week_period(TODAY),
                )
    extra = time.perf_counter() - started
    await engine.dispose()
    return users / elapsed, extra / users * 1000


async def main() -> None:
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    print(f"weekly summary benchmark: {users:,} users, {DAYS} days of entries, a budget and a goal")
    with tempfile.TemporaryDirectory() as tmp:
        rate, extra = await run(f"sqlite+aiosqlite:///{tmp}/bench.db", users)
        print(
            f"  SQLite:     {rate:,.0f} summaries/s; goal/streak/points lines {extra:.2f} ms each"
        )
    bindir = find_bindir()
    if bindir is None:
        print("  PostgreSQL: skipped (no initdb found)")
        return
    cluster = Cluster(bindir)
    cluster.start()
    try:
        rate, extra = await run(await cluster.create_database(), users)
        print(
            f"  PostgreSQL: {rate:,.0f} summaries/s; goal/streak/points lines {extra:.2f} ms each"
        )
    finally:
        cluster.stop()


if __name__ == "__main__":
    asyncio.run(main())
