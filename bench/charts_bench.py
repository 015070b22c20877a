"""Chart render times, /report query time and the event loop's longest stall.

Run as ``python bench/charts_bench.py``. Prints:
- render p50/p95 per chart kind for a user with 10,000 transactions (goal: p95 < 150 ms);
- /report service time for a user with 100,000 transactions on SQLite (goal: p95 < 50 ms);
- the longest event-loop stall while 20 charts render concurrently with text traffic
  (goal: < 25 ms), measured by a ticker task that should wake every millisecond.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from charts import worker as chart_worker
from models.db import create_engine, make_sessionmaker, migrate
from models.services import charts, reports
from models.services.account import open_account
from models.tables import Category, Transaction
from models.users import Actor, ensure_user

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
RUNS = 40


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95


async def fill(sessions: async_sessionmaker[AsyncSession], actor: Actor, count: int) -> None:
    """``count`` transactions over the last 400 days, bulk-inserted."""
    rng = random.Random(actor.user_id)
    async with sessions.begin() as session:
        await ensure_user(session=session, actor=actor, now=NOW)
        rows = await session.execute(
            select(Category.id, Category.kind).where(Category.user_id == actor.user_id)
        )
        by_kind: dict[str, list[int]] = {"expense": [], "income": []}
        for cid, kind in rows:
            by_kind[kind].append(cid)
        for offset in range(0, count, 10_000):
            values: list[dict[str, Any]] = []
            for _ in range(min(10_000, count - offset)):
                kind = "income" if rng.random() < 0.05 else "expense"
                values.append(
                    {
                        "user_id": actor.user_id,
                        "kind": kind,
                        "amount_minor": rng.randint(100, 2_000_000 if kind == "income" else 30_000),
                        "currency": "EUR" if rng.random() < 0.03 else "USD",
                        "category_id": rng.choice(by_kind[kind]),
                        "note": "bench",
                        "occurred_on": TODAY - timedelta(days=rng.randint(0, 400)),
                        "position": 0,
                        "created_at": NOW,
                    }
                )
            await session.execute(insert(Transaction), values)


async def chart_data(
    sessions: async_sessionmaker[AsyncSession], actor: Actor, kind: str, period: str
) -> Any:
    async with sessions.begin() as session:
        result = await charts.chart(
            session=session,
            profile=await open_account(session=session, actor=actor, now=NOW),
            kind=kind,
            period=period,
            now=NOW,
        )
    assert result is not None and result.data is not None
    return result.data


async def bench_renders(sessions: async_sessionmaker[AsyncSession], actor: Actor) -> None:
    print("Chart render time, user with 10,000 transactions (goal p95 < 150 ms)")
    cases = [("cat", "m0"), ("day", "m0"), ("day", "y0"), ("cum", "m0"), ("mon", "m0")]
    for kind, period in cases:
        data = await chart_data(sessions, actor, kind, period)
        renderer = chart_worker.RENDERERS[type(data)]
        renderer(data)  # warm: fonts and caches load once per process
        times = []
        for _ in range(RUNS):
            began = time.perf_counter()
            renderer(data)
            times.append((time.perf_counter() - began) * 1000)
        p50, p95 = percentiles(times)
        print(f"  {kind}:{period:<3}  p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")


async def bench_report(sessions: async_sessionmaker[AsyncSession], actor: Actor) -> None:
    print("/report service time, user with 100,000 transactions on SQLite (goal p95 < 50 ms)")
    for words in ("", "last month", "year"):
        times = []
        for _ in range(RUNS):
            began = time.perf_counter()
            async with sessions.begin() as session:
                await reports.report(
                    session=session,
                    profile=await open_account(session=session, actor=actor, now=NOW),
                    words=words,
                    now=NOW,
                )
            times.append((time.perf_counter() - began) * 1000)
        p50, p95 = percentiles(times)
        print(f"  {words or 'this month':<11} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")


async def bench_stall(sessions: async_sessionmaker[AsyncSession], actor: Actor) -> None:
    print("Longest event-loop stall, 20 charts rendering with text traffic (goal < 25 ms)")
    base = [await chart_data(sessions, actor, k, "m0") for k in reports.KINDS]
    chart_worker._cache.clear()
    # Render workers start with the first chart unless warm_up() ran at start: both are shown.
    await run_stall(sessions, actor, base, "cold start  ")
    for run in range(3):
        await run_stall(sessions, actor, base, f"warm, run {run + 1}")


async def run_stall(
    sessions: async_sessionmaker[AsyncSession], actor: Actor, base: list[Any], title: str
) -> None:
    stalls: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        loop = asyncio.get_running_loop()
        while not done.is_set():
            began = loop.time()
            await asyncio.sleep(0.001)
            stalls.append((loop.time() - began - 0.001) * 1000)

    async def text_traffic() -> None:
        while not done.is_set():
            async with sessions.begin() as session:
                await reports.report(
                    session=session,
                    profile=await open_account(session=session, actor=actor, now=NOW),
                    words="",
                    now=NOW,
                )

    async def one_chart(n: int) -> None:
        data = base[n % len(base)]
        # A distinct title per request defeats the cache: every one is a real render.
        await chart_worker.render_png(n, replace(data, period=f"{data.period} #{n} {title}"))

    tick = asyncio.create_task(ticker())
    traffic = asyncio.create_task(text_traffic())
    began = time.perf_counter()
    await asyncio.gather(*(one_chart(n) for n in range(20)))
    elapsed = time.perf_counter() - began
    done.set()
    await asyncio.gather(tick, traffic)
    p99 = sorted(stalls)[int(len(stalls) * 0.99)]
    print(
        f"  {title}: longest stall {max(stalls):5.1f} ms (p99 {p99:.1f} ms) over {len(stalls)}"
        f" ticks; 20 charts took {elapsed * 1000:.0f} ms on {chart_worker.RENDER_WORKERS} workers"
    )


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/bench.db")
        await migrate(engine)
        sessions = make_sessionmaker(engine)
        ten_k, hundred_k = Actor(1, "USD", "UTC"), Actor(2, "USD", "UTC")
        await fill(sessions, ten_k, 10_000)
        await fill(sessions, hundred_k, 100_000)
        await bench_renders(sessions, ten_k)
        await bench_report(sessions, hundred_k)
        await bench_stall(sessions, ten_k)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
