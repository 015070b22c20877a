"""Drives the real Penny application over HTTP through the embedded fake Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.app import PennyApplication, build_application
from bot.config import Settings
from bot.offline.server import BotMessage, FakeTelegram, running_application
from handlers.runtime import BOT_DATA_KEY, Runtime
from handlers.ticker import TickReport, tick
from models.services.account import open_account
from models.tables import Category, Transaction
from models.users import Actor


@dataclass
class Penny:
    fake: FakeTelegram
    app: PennyApplication
    clock: Any

    async def say(self, user_id: int, text: str) -> BotMessage:
        """Send a private message as ``user_id`` and return Penny's next reply."""
        await self.fake.send_text(user_id, text)
        return await self.fake.next_reply(user_id)

    async def send(self, user_id: int, text: str) -> dict[str, Any]:
        return await self.fake.send_text(user_id, text)

    async def press(self, user_id: int, message: BotMessage, label: str) -> None:
        button = message.button(label)
        assert button.callback_data is not None
        await self.fake.press(user_id, message.message_id, button.callback_data)

    async def press_data(self, user_id: int, message_id: int, data: str) -> None:
        await self.fake.press(user_id, message_id, data)

    async def reply(self, user_id: int) -> BotMessage:
        return await self.fake.next_reply(user_id)

    @property
    def dashboard_url(self) -> str:
        """Where the dashboard of this Penny listens (http://127.0.0.1:<free port>)."""
        return self._runtime().dashboard_url

    async def wait_idle(self, *, quiet: float = 0.15, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the server is quiet *and* the bot has no update left to handle.

        The server alone can't tell: a handler waiting on the database makes no call, so it
        looks idle while a message is still being stored. Here an update counts as handled
        once the bot asked for the updates after it and PTB marked it done in its queue.
        """

        def busy() -> bool:
            # asyncio.Queue counts put() minus task_done(); PTB calls task_done() after the
            # update's handlers returned.
            unfinished = int(getattr(self.app.update_queue, "_unfinished_tasks", 0))
            return unfinished > 0 or self.app.update_processor.current_concurrent_updates > 0

        await self.fake.wait_idle(quiet=quiet, timeout=timeout, busy=busy)

    async def settle(self, *, quiet: float = 0.1, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """``wait_idle`` with room for a slow machine."""
        await self.wait_idle(quiet=quiet, timeout=timeout)

    def _runtime(self) -> Runtime:
        runtime: Runtime = self.app.bot_data[BOT_DATA_KEY]
        return runtime

    async def tick(self) -> TickReport:
        """Run one scheduler pass at the injected clock's time."""
        return await tick(self.app)

    async def run(self, user_id: int, use_case: Any, **arguments: Any) -> Any:
        """Run a use case as ``user_id`` the way a handler does (to set up a lot of data fast)."""
        runtime = self._runtime()
        now = self.clock()
        actor = Actor(user_id, "USD", "UTC")
        async with runtime.sessions.begin() as session:
            profile = await open_account(session=session, actor=actor, now=now)
            return await use_case(session=session, profile=profile, now=now, **arguments)

    async def count(self, user_id: int) -> int:
        """Transactions stored for the user, read straight from the database."""
        async with self._runtime().sessions() as session:
            value = await session.scalar(
                select(func.count()).select_from(Transaction).where(Transaction.user_id == user_id)
            )
        return int(value or 0)

    async def stored(self, user_id: int) -> list[tuple[Transaction, str | None]]:
        """The user's transactions in the order stored, each with its category's name."""
        async with self._runtime().sessions() as session:
            result = await session.execute(
                select(Transaction, Category.name)
                .outerjoin(Category, Category.id == Transaction.category_id)
                .where(Transaction.user_id == user_id)
                .order_by(Transaction.id)
            )
            return [(row, name) for row, name in result]

    async def rows(self, user_id: int) -> list[Transaction]:
        async with self._runtime().sessions() as session:
            result = await session.scalars(
                select(Transaction).where(Transaction.user_id == user_id).order_by(Transaction.id)
            )
            return list(result)


def settings_for(fake: FakeTelegram, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": fake.token,
        "database_url": database_url,
        "telegram_api_base_url": fake.base_url,
        "telegram_api_base_file_url": fake.base_file_url,
        "default_timezone": "UTC",
        "default_currency": "USD",
        # Tests move the clock and run scheduler ticks themselves.
        "scheduler_interval_seconds": 0,
        # Any free port for the dashboard, so tests (and a developer's Penny) never collide.
        "web_port": 0,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def running_penny(database_url: str, clock: Any, **overrides: Any) -> AsyncIterator[Penny]:
    fake = FakeTelegram()
    await fake.start()
    try:
        app = build_application(settings_for(fake, database_url, **overrides), clock=clock)
        async with running_application(app, fake):
            yield Penny(fake, app, clock)
    finally:
        await fake.stop()
