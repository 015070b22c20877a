"""The long-lived resources handlers use, kept in ``application.bot_data``.

The composition root (``bot.app``) builds it at initialize from the full configuration; handlers
see only what they need of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from models.services.quick import Accounts

BOT_DATA_KEY = "penny"


def utc_now() -> datetime:
    return datetime.now(UTC)


class HandlerSettings(Protocol):
    """The part of the configuration handlers read: what a new account starts from, and
    where feedback goes."""

    @property
    def default_currency(self) -> str: ...

    @property
    def default_timezone(self) -> str: ...

    @property
    def admin_chat_id(self) -> int | None: ...


@dataclass
class Runtime:
    """Settings, the database and the clock; opened on initialize, closed on shutdown."""

    settings: HandlerSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # Injected so tests can move time; always returns an aware UTC datetime.
    clock: Callable[[], datetime] = utc_now
    # Where users open the dashboard; set once its server listens ("" while it isn't).
    dashboard_url: str = ""
    # What logging a message reads about each user, kept in this process (checked per use).
    accounts: Accounts = field(default_factory=Accounts)
