"""The long-lived resources one bot process holds, kept in ``application.bot_data``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings

BOT_DATA_KEY = "penny"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    """Settings, the database and the clock; opened on initialize, closed on shutdown."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # Injected so tests can move time; always returns an aware UTC datetime.
    clock: Callable[[], datetime] = utc_now
