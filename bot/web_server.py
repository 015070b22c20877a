"""Serves the dashboard (``web/``) from the bot's own process, on ``WEB_HOST:WEB_PORT``.

Started with the Application and stopped with it, in polling, webhook and offline mode alike.
A port already taken stops the dashboard, never the bot: chat is what users can't do without.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web as aiohttp_web
from telegram import InputFile
from telegram.error import TelegramError

from bot.config import Settings
from bot.runtime import BotRuntime
from web import WebConfig, create_app, set_base_url

logger = logging.getLogger(__name__)

# Seconds the dashboard waits for Telegram to take a file before telling the page it didn't.
SEND_TIMEOUT = 20


def base_url(settings: Settings, port: int) -> str:
    """Where users open the dashboard: WEB_BASE_URL, else this machine at the bound port."""
    return settings.web_base_url or f"http://127.0.0.1:{port}"


class DashboardServer:
    """The aiohttp runner for the dashboard of one Application."""

    def __init__(self, application: Any, runtime: BotRuntime) -> None:
        self.application = application
        self.runtime = runtime
        self.port: int | None = None
        self._runner: aiohttp_web.AppRunner | None = None

    async def start(self) -> None:
        settings = self.runtime.settings
        token = (
            settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
        )
        config = WebConfig(
            bot_token=token,
            base_url=base_url(settings, settings.web_port),
            default_currency=settings.default_currency,
            default_timezone=settings.default_timezone,
        )
        app = create_app(
            config, self.runtime.sessions, self.runtime.clock, send_document=self._send_document
        )
        runner = aiohttp_web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = aiohttp_web.TCPSite(runner, settings.web_host, settings.web_port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            logger.error(
                "dashboard not started: can't listen on %s:%d (%s); set WEB_PORT to a free port",
                settings.web_host,
                settings.web_port,
                exc.strerror or exc,
            )
            return
        self._runner = runner
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else settings.web_port
        # With WEB_PORT=0 the address is only known now; the bot's /dashboard links use it.
        url = base_url(settings, self.port)
        set_base_url(app, url)
        self.runtime.dashboard_url = url
        logger.info("dashboard listening on %s:%d", settings.web_host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _send_document(
        self, user_id: int, filename: str, content: bytes, caption: str
    ) -> bool:
        try:
            await self.application.bot.send_document(
                chat_id=user_id,
                document=InputFile(content, filename=filename),
                caption=caption,
                write_timeout=SEND_TIMEOUT,
                read_timeout=SEND_TIMEOUT,
            )
        except TelegramError as exc:  # the page says so; the download still works
            logger.warning("dashboard: Telegram refused a file: %s", type(exc).__name__)
            return False
        return True
