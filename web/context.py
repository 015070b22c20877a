"""What every route shares: the configuration, the database and the clock, kept on the app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

# Sends a file into the user's private chat: (user id, filename, content, caption).
# Sends a file into the user's chat; False when Telegram refused it or didn't answer in time.
SendDocument = Callable[[int, str, bytes, str], Awaitable[bool]]


@dataclass(frozen=True)
class WebConfig:
    """The part of the configuration the dashboard reads."""

    bot_token: str
    base_url: str  # where users open it, without a trailing slash
    default_currency: str
    default_timezone: str


@dataclass
class Web:
    config: WebConfig
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    # Set by the bot so "Send to chat" can deliver an export; None when there is no bot.
    send_document: SendDocument | None = None
    # name -> (content type, bytes, gzipped bytes, version)
    static: dict[str, tuple[str, bytes, bytes, str]] = field(default_factory=dict)

    def static_url(self, name: str) -> str:
        """A static file's address with its content hash, so browsers may cache it for good."""
        found = self.static.get(name)
        return f"/static/{name}?v={found[3]}" if found else f"/static/{name}"


WEB_KEY = web.AppKey("penny_web", Web)


def web_of(request: web.Request) -> Web:
    return request.app[WEB_KEY]
