"""The real process: ``python -m bot`` killed mid-burst, and stopped gracefully with SIGTERM.

The bot runs as a subprocess configured only through its environment, polling a FakeTelegram
served from this test process; the database is inspected directly afterwards.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.schedules import SCHEDULE_KINDS
from bot.offline.server import FakeTelegram
from models.tables import Schedule, Transaction, User

USERS = list(range(7001, 7021))
PROBE = 7999
REPO = Path(__file__).resolve().parents[2]
CONFIRMED = re.compile(r"(\d+)\.25 USD")


class Bot:
    """One ``python -m bot`` process."""

    def __init__(self, fake: FakeTelegram, database_url: str, workdir: Path, **env: str) -> None:
        self.fake = fake
        self.log = workdir / f"bot-{len(list(workdir.glob('bot-*.log')))}.log"
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "FLOOD_", "WEB_"))
        }
        environment.update(
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_API_BASE_URL=fake.base_url,
            TELEGRAM_API_BASE_FILE_URL=fake.base_file_url,
            DATABASE_URL=database_url,
            SCHEDULER_INTERVAL_SECONDS="0",
            RATE_LIMIT="false",
            FLOOD_BURST="0",
            WEB_PORT="0",
            LOG_LEVEL="INFO",
            PYTHONPATH=str(REPO),
            **env,
        )
        with self.log.open("wb") as out:
            # cwd is the temp dir, so a developer's .env in the repository is not read.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                env=environment,
                cwd=workdir,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    async def ready(self) -> None:
        """Wait until the bot answers a message (imports, migrations and warm-up take seconds)."""
        await self.fake.send_text(PROBE, "/help")
        for _ in range(120):
            if self.process.poll() is not None:
                break
            if self.fake.pending_replies(PROBE):
                await self.fake.next_reply(PROBE)
                return
            await asyncio.sleep(0.25)
        raise AssertionError(f"the bot did not start:\n{self.output()}")

    async def exit_code(self, timeout: float = 30) -> int:  # noqa: ASYNC109
        for _ in range(int(timeout * 20)):
            code = self.process.poll()
            if code is not None:
                return code
            await asyncio.sleep(0.05)
        self.process.kill()
        raise AssertionError(f"the bot did not exit:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


@asynccontextmanager
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def burst(fake: FakeTelegram, first: int, count: int) -> dict[int, int]:
    """Queue ``count`` two-entry messages spread over USERS; returns number -> user."""
    sent = {}
    for n in range(first, first + count):
        user = USERS[n % len(USERS)]
        # Each message stores two rows in one transaction: coffee n.25 and lunch n.75.
        await fake.send_text(user, f"coffee {n}.25, lunch {n}.75")
        sent[n] = user
    return sent


def confirmed_numbers(fake: FakeTelegram) -> set[int]:
    """Message numbers whose confirmation Telegram accepted."""
    found = set()
    for call in fake.calls:
        if call.method == "sendMessage" and call.error is None:
            found.update(int(n) for n in CONFIRMED.findall(str(call.params.get("text", ""))))
    return found


async def until_confirmed(fake: FakeTelegram, count: int) -> None:
    for _ in range(3000):
        if len(confirmed_numbers(fake)) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the burst is not being confirmed")


async def stored(database_url: str) -> Counter[int]:
    """Rows per message number, read straight from the database."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            amounts = await connection.scalars(select(Transaction.amount_minor))
            rows: Counter[int] = Counter()
            for minor in amounts:
                rows[minor // 100] += 1
            return rows
    finally:
        await engine.dispose()


async def test_sigkill_mid_burst_loses_no_confirmed_transaction(
    database_url: str, tmp_path: Path
) -> None:
    async with fake_telegram() as fake:
        bot = Bot(fake, database_url, tmp_path)
        try:
            await bot.ready()
            sent = await burst(fake, 1, 300)
            await until_confirmed(fake, 40)  # well into the burst
            bot.process.send_signal(signal.SIGKILL)
            assert await bot.exit_code() == -signal.SIGKILL
        finally:
            bot.process.kill()
        confirmed = confirmed_numbers(fake)
        assert len(confirmed) < len(sent), "the kill came too late to prove anything"

        rows = await stored(database_url)
        # One database transaction per update: a message has both rows or none.
        assert all(count == 2 for count in rows.values()), rows
        assert confirmed <= set(rows), sorted(confirmed - set(rows))

        # After a restart every confirmation is still backed by its rows, and nothing is doubled.
        again = Bot(fake, database_url, tmp_path)
        try:
            await again.ready()
            await fake.wait_idle(quiet=0.5, timeout=30)
            again.process.send_signal(signal.SIGTERM)
            assert await again.exit_code() == 0, again.output()
        finally:
            again.process.kill()
        rows = await stored(database_url)
        assert all(count == 2 for count in rows.values()), rows
        assert confirmed_numbers(fake) <= set(rows)


async def test_sigterm_finishes_in_flight_updates_and_exits_cleanly(
    database_url: str, tmp_path: Path
) -> None:
    async with fake_telegram() as fake:
        bot = Bot(fake, database_url, tmp_path)
        try:
            await bot.ready()
            for user in USERS[::2]:  # moves every schedule of half the users mid-burst
                await fake.send_text(user, "/timezone Asia/Tokyo")
            sent = await burst(fake, 1, 200)
            await until_confirmed(fake, 20)
            bot.process.send_signal(signal.SIGTERM)
            at_signal = len(confirmed_numbers(fake))
            assert await bot.exit_code() == 0, bot.output()
        finally:
            bot.process.kill()
        assert "Traceback" not in bot.output(), bot.output()

        # Whatever the bot had fetched was finished and confirmed before it exited.
        rows = await stored(database_url)
        assert all(count == 2 for count in rows.values()), rows
        assert set(rows) == confirmed_numbers(fake)
        assert len(rows) > at_signal, "nothing was in flight when SIGTERM came"

        # Anything not fetched yet was left with Telegram, so the next start handles it.
        again = Bot(fake, database_url, tmp_path)
        try:
            await again.ready()
            await fake.wait_idle(quiet=0.5, timeout=30)
            again.process.send_signal(signal.SIGTERM)
            assert await again.exit_code() == 0, again.output()
        finally:
            again.process.kill()
        rows = await stored(database_url)
        assert set(rows) == set(sent) and all(count == 2 for count in rows.values())

        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                users = {row.id: row for row in await connection.execute(select(User))}
                schedules = list(await connection.execute(select(Schedule)))
        finally:
            await engine.dispose()
        assert set(USERS) <= set(users)
        kinds: dict[int, set[str]] = {}
        for schedule in schedules:
            kinds.setdefault(schedule.user_id, set()).add(schedule.kind)
            # Every enabled schedule of an active user is due sometime; disabled ones never.
            assert (schedule.next_run_at is not None) == (
                schedule.enabled and not users[schedule.user_id].blocked
            ), schedule
        assert all(kinds[user] == set(SCHEDULE_KINDS) for user in users)
        assert {users[user].timezone for user in USERS[::2]} == {"Asia/Tokyo"}


async def test_a_truncated_shm_file_stops_the_bot_with_a_clear_message(tmp_path: Path) -> None:
    # SQLite maps its -shm file; truncated under it, the next access (even a close) is SIGBUS,
    # which killed the bot with no log line. Penny notices first, says why and exits; a new
    # start recovers everything committed.
    database = tmp_path / "penny.db"
    url = f"sqlite+aiosqlite:///{database}"
    async with fake_telegram() as fake:
        bot = Bot(fake, url, tmp_path)
        try:
            await bot.ready()
            await fake.send_text(USERS[0], "coffee 4.25")
            await fake.next_reply(USERS[0], timeout=10)
            os.truncate(database.with_name("penny.db-shm"), 0)
            await fake.send_text(USERS[0], "lunch 5.25")
            code = await bot.exit_code()
        finally:
            bot.process.kill()
        assert code == 70, bot.output()
        assert "penny.db-shm was truncated or removed" in bot.output()
        assert "Fatal Python error" not in bot.output()
        again = Bot(fake, url, tmp_path)
        try:
            await again.ready()
            assert (await stored(url))[4] == 1
        finally:
            again.process.send_signal(signal.SIGTERM)
            await again.exit_code()
