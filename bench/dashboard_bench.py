"""The dashboard's speed and weight, over HTTP against the real web app.

Run as ``python bench/dashboard_bench.py``. Prints, for a user with 100,000 transactions on
SQLite (goal: the summary API's p95 < 50 ms), p50/p95 of each request the page makes, signed
in with Telegram init data exactly as the Mini App is (checking the signature, opening the
account and the use case are all in the time); and the first load's weight as sent, gzipped
(goal: < 300 KB): the page, its stylesheet, script and icon, and the summary view.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web as aiohttp_web
from sqlalchemy import insert, select

from models.db import create_engine, make_sessionmaker, migrate
from models.tables import Budget, Category, Transaction
from models.users import Actor, ensure_user
from web import WebConfig, create_app, initdata

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
TOKEN = "123456:BENCH-TOKEN"
USER = 42
RUNS = 100
WARM_UP = 30


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95


async def fill(sessions: Any, count: int) -> None:
    """``count`` transactions over the last 400 days, and two budgets, bulk-inserted."""
    rng = random.Random(USER)
    async with sessions.begin() as session:
        await ensure_user(session=session, actor=Actor(USER, "USD", "UTC"), now=NOW)
        rows = await session.execute(
            select(Category.id, Category.kind).where(Category.user_id == USER)
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
                        "user_id": USER,
                        "kind": kind,
                        "amount_minor": rng.randint(100, 2_000_000 if kind == "income" else 30_000),
                        "currency": "EUR" if rng.random() < 0.03 else "USD",
                        "category_id": rng.choice(by_kind[kind]),
                        "note": rng.choice(("coffee", "lunch", "groceries", "taxi", "rent")),
                        "occurred_on": TODAY - timedelta(days=rng.randint(0, 400)),
                        "position": 0,
                        "created_at": NOW,
                    }
                )
            await session.execute(insert(Transaction), values)
        for scope, category_id, amount in (
            ("all", None, 500_000),
            ("food", by_kind["expense"][0], 40_000),
        ):
            session.add(
                Budget(
                    user_id=USER,
                    category_id=category_id,
                    scope="all" if scope == "all" else f"c{category_id}",
                    amount_minor=amount,
                    currency="USD",
                    frequency="monthly",
                    rollover=False,
                    created_on=TODAY - timedelta(days=90),
                )
            )


def signed() -> str:
    fields = {
        "user": json.dumps({"id": USER, "first_name": "Bench"}),
        "auth_date": str(int(NOW.timestamp())),
    }
    return initdata.sign(fields, TOKEN)


async def timed(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str], runs: int
) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        async with http.get(url, headers=headers) as response:
            await response.read()
            assert response.status == 200, (url, response.status)
        times.append((time.perf_counter() - began) * 1000)
    return times


def serve(database_url: str, ready: Any) -> None:
    """The web app in its own process, so the client's work doesn't share its event loop."""

    async def run() -> None:
        engine = create_engine(database_url)
        config = WebConfig(TOKEN, "http://127.0.0.1", "USD", "UTC")
        app = create_app(config, make_sessionmaker(engine), lambda: NOW)
        runner = aiohttp_web.AppRunner(app, access_log=None)
        await runner.setup()
        site = aiohttp_web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ready.send(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()  # until the bench terminates this process

    asyncio.run(run())


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        engine = create_engine(url)
        await migrate(engine)
        await fill(make_sessionmaker(engine), 100_000)
        await engine.dispose()
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        server = context.Process(target=serve, args=(url, send), daemon=True)
        server.start()
        try:
            port = await asyncio.to_thread(receive.recv)
            base = f"http://127.0.0.1:{port}"
            auth = {"Authorization": f"tma {signed()}"}
            async with aiohttp.ClientSession() as http:
                print("Dashboard over HTTP, user with 100,000 transactions on SQLite")
                for path, goal in (
                    ("/api/summary?period=month", " (goal p95 < 50 ms)"),
                    ("/view/summary", ""),
                    ("/view/transactions", ""),
                    ("/view/charts", ""),
                    ("/api/summary?period=y0", ""),
                    ("/view/transactions?period=all", ""),
                    ("/view/transactions?period=all&q=lunch", ""),
                ):
                    await timed(http, base + path, auth, WARM_UP)  # templates, SQLite pages
                    p50, p95 = percentiles(await timed(http, base + path, auth, RUNS))
                    print(f"  {path:<40} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms{goal}")
            await weigh(base, auth)
        finally:
            server.terminate()
            server.join(5)


async def weigh(base: str, auth: dict[str, str]) -> None:
    """Bytes on the wire (gzip, as browsers ask) for everything the first load fetches."""
    gzip_ok = {"Accept-Encoding": "gzip"}
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        async with http.get(base + "/", headers=gzip_ok) as response:
            shell = await response.read()
            plain = shell.decode() if "Content-Encoding" not in response.headers else None
        if plain is None:
            async with aiohttp.ClientSession() as reader, reader.get(base + "/") as response:
                plain = await response.text()
        assets = [part.split('"')[0] for part in plain.split('="/static/')[1:]]
        sizes = {"/": len(shell)}
        for asset in dict.fromkeys(assets):
            async with http.get(f"{base}/static/{asset}", headers=gzip_ok) as response:
                sizes["/static/" + asset.split("?")[0]] = len(await response.read())
        for path in ("/api/session", "/view/summary"):
            async with http.get(base + path, headers={**gzip_ok, **auth}) as response:
                sizes[path] = len(await response.read())
    total = sum(sizes.values())
    print(f"First load, gzipped (goal < 300 KB): {total / 1024:.1f} KB")
    for path, size in sizes.items():
        print(f"  {path:<24} {size / 1024:6.1f} KB")


if __name__ == "__main__":
    asyncio.run(main())
