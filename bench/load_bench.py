"""Load benchmark over the real HTTP stack: K simulated users against Penny and a bare echo bot.

Each bot runs in its own process, long-polling the embedded fake Bot API server run here, so
its RSS is its own. Two phases per bot:

* throughput — K users each send messages back to back (closed loop): updates/s, latency;
* offered load — updates at a fixed rate (default 30/s): reply latency p50/p95/p99.

The mix is logging 80%, /balance 10%, /report 5%, /chart 5% (report and chart only when
registered). Afterwards the transactions in the database are counted: every logging message
must have stored exactly one. Run: ``python bench/load_bench.py [--users 200]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOGGING = (
    "coffee 4.50",
    "uber 320",
    "+5000 salary",
    "lunch 12",
    "rent 15k",
    "electricity bill 1,250",
    "spent 250 on food",
)


# --- the bot processes ---


async def serve(kind: str, base_url: str, file_url: str, database_url: str) -> None:
    """Child process: run Penny (or the echo bot) against the fake server until SIGTERM."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from bot.offline.server import running_application

    token = "123456:LOCAL-TEST-TOKEN"
    if kind == "penny":
        from bot.app import build_application
        from bot.config import Settings

        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=token,  # type: ignore[arg-type]
            database_url=database_url,
            telegram_api_base_url=base_url,
            telegram_api_base_file_url=file_url,
            log_level="WARNING",
            scheduler_interval_seconds=0,
            # The fake server has no rate limit and neither has the echo bot: compare the bots'
            # own cost. (In production AIORateLimiter caps sends at Telegram's ~30/s.)
            rate_limit=False,
            web_port=0,
        )
        app = build_application(settings)
    else:

        async def echo(update: Update, context: object) -> None:
            if update.effective_message is not None:
                await update.effective_message.reply_text(update.effective_message.text or "?")

        app = ApplicationBuilder().token(token).base_url(base_url).build()
        app.add_handler(MessageHandler(filters.ALL, echo))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    from telegram.ext import CommandHandler

    registered = sorted(
        {
            c
            for hs in app.handlers.values()
            for h in hs
            if isinstance(h, CommandHandler)
            for c in h.commands
        }
    )
    async with running_application(app):
        print("ready " + ",".join(registered), flush=True)
        await stop.wait()


def cpu_seconds(pid: int) -> float:
    """CPU time the bot's process and its children (chart and import workers) used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the driver ---

# The echo bot registers no commands; it gets the same mix Penny got.
PENNY_COMMANDS: set[str] = set()


@dataclass
class Result:
    name: str
    updates_per_s: float
    latency: list[float]
    offered_latency: list[float]
    rss_mb: float
    sent_logging: int
    stored: int | None
    # CPU of the bot (with its workers) per update in the closed-loop phase: steadier than
    # throughput on a machine that other work shares.
    cpu_ms: float

    def pct(self, values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def pick_message(rng: random.Random, commands: set[str]) -> str:
    roll = rng.random()
    if roll < 0.80:
        return rng.choice(LOGGING)
    if roll < 0.90:
        return "/balance"
    if roll < 0.95:
        return "/report" if "report" in commands else rng.choice(LOGGING)
    return "/chart" if "chart" in commands else rng.choice(LOGGING)


async def drive(
    name: str, kind: str, database_url: str, users: int, per_user: int, rate: float, seconds: float
) -> Result:
    from bot.offline.server import FakeTelegram

    fake = FakeTelegram()
    await fake.start()
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        kind,
        "--base-url",
        fake.base_url,
        "--file-url",
        fake.base_file_url,
        "--database-url",
        database_url,
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    assert child.stdout is not None
    line = (await asyncio.wait_for(child.stdout.readline(), 120)).decode().split()
    if not line or line[0] != "ready":
        raise RuntimeError(f"{name} did not start")
    commands = set(line[1].split(",")) if len(line) > 1 else PENNY_COMMANDS
    if kind == "penny":
        PENNY_COMMANDS.update(commands)
    rng = random.Random(7)
    sent_logging = 0

    async def one(user: int, text: str, into: list[float]) -> None:
        nonlocal sent_logging
        if not text.startswith("/"):
            sent_logging += 1
        started = time.perf_counter()
        await fake.send_text(user, text)
        await fake.next_reply(user, timeout=60)
        into.append(time.perf_counter() - started)
        await asyncio.sleep(0.05)  # let a second reply (a chart's caption, an edit) arrive
        fake._events.get(user, []).clear()

    # Warm up: every user's first message creates the account.
    await asyncio.gather(*(one(10_000 + u, "/start", []) for u in range(users)))
    latency: list[float] = []

    async def user_loop(user: int) -> None:
        for _ in range(per_user):
            await one(user, pick_message(rng, commands), latency)

    started = time.perf_counter()
    cpu_before = cpu_seconds(child.pid)
    await asyncio.gather(*(user_loop(10_000 + u) for u in range(users)))
    throughput = users * per_user / (time.perf_counter() - started)
    cpu_ms = (cpu_seconds(child.pid) - cpu_before) / (users * per_user) * 1000

    offered: list[float] = []
    tasks = []
    for n in range(int(rate * seconds)):
        tasks.append(
            asyncio.create_task(one(20_000 + n % users, pick_message(rng, commands), offered))
        )
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)

    rss = peak_rss_mb(child.pid)
    child.send_signal(signal.SIGTERM)
    await child.wait()
    await fake.stop()
    stored = await count_transactions(database_url) if kind == "penny" else None
    return Result(name, throughput, latency, offered, rss, sent_logging, stored, cpu_ms)


async def count_transactions(database_url: str) -> int:
    from sqlalchemy import func, select

    from models.db import create_engine
    from models.tables import Transaction

    engine = create_engine(database_url)
    async with engine.connect() as conn:
        value = await conn.scalar(select(func.count()).select_from(Transaction))
    await engine.dispose()
    return int(value or 0)


def report(results: list[Result], echo: Result, rate: float) -> None:
    print(
        f"\n{'bot':<18}{'upd/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{f'@{rate:g}/s p95':>13}{'RSS MB':>8}{'cpu ms':>8}{'vs echo':>9}  transactions"
    )
    for r in [echo, *results]:
        ratio = r.updates_per_s / echo.updates_per_s
        stored = (
            "-"
            if r.stored is None
            else f"{r.stored} stored / {r.sent_logging} sent"
            + (" OK" if r.stored == r.sent_logging else " MISMATCH")
        )
        print(
            f"{r.name:<18}{r.updates_per_s:>8.1f}{r.pct(r.latency, 0.5):>9.1f}"
            f"{r.pct(r.latency, 0.95):>9.1f}{r.pct(r.latency, 0.99):>9.1f}"
            f"{r.pct(r.offered_latency, 0.95):>13.1f}{r.rss_mb:>8.1f}{r.cpu_ms:>8.2f}"
            f"{ratio:>8.0%}  {stored}"
        )
    print("\nPenny vs the echo bot (throughput; CPU per update, steadier on a busy machine):")
    for r in results:
        print(
            f"  {r.name}: {r.updates_per_s / echo.updates_per_s:.0%} of its throughput, "
            f"{echo.cpu_ms / r.cpu_ms:.0%} of its speed by CPU per update"
        )


async def main(args: argparse.Namespace) -> None:
    from tests.support.pg import Cluster, find_bindir

    workdir = Path(tempfile.mkdtemp(prefix="penny-bench-"))
    run = (args.users, args.per_user, args.rate, args.seconds)
    print(
        f"{args.users} users x {args.per_user} messages; then {args.rate:g} updates/s for "
        f"{args.seconds:g}s. Mix: logging 80%, /balance 10%, /report 5%, /chart 5%."
    )
    results = [
        await drive("penny sqlite", "penny", f"sqlite+aiosqlite:///{workdir}/bench.db", *run)
    ]
    for command in ("report", "chart"):
        if command not in PENNY_COMMANDS:
            print(f"/{command} is not registered: its share of the mix is sent as logging")
    echo = await drive("echo (bare PTB)", "echo", "", *run)
    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL not installed: skipping the PostgreSQL run")
    else:
        cluster = Cluster(bindir)
        cluster.start()
        try:
            url = await cluster.create_database()
            results.append(await drive("penny postgresql", "penny", url, *run))
        finally:
            cluster.stop()
    report(results, echo, args.rate)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", 200)))
    parser.add_argument("--per-user", type=int, default=5)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--serve", choices=("penny", "echo"))
    parser.add_argument("--base-url", default="")
    parser.add_argument("--file-url", default="")
    parser.add_argument("--database-url", default="")
    parsed = parser.parse_args()
    if parsed.serve:
        asyncio.run(serve(parsed.serve, parsed.base_url, parsed.file_url, parsed.database_url))
    else:
        asyncio.run(main(parsed))
