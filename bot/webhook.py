"""Webhook mode: Telegram posts updates over HTTPS (through a reverse proxy) to this server.

Several processes can run behind one load balancer on one PostgreSQL: every request must carry
the secret token, and each ``update_id`` is claimed in the database before any handler runs,
so an update Telegram re-delivers (to this process or another) is handled once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.config import Settings
from bot.polling import readable_updates
from bot.runtime import bot_runtime
from models.updates import claim_update

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's own cap on update size is far below this; anything larger is not Telegram.
MAX_BODY = 1024 * 1024

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def handle_once(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop an update here if another process, or an earlier delivery, already took it."""
    runtime = bot_runtime(context)
    if runtime.settings.webhook_url is None or not isinstance(update, Update):
        return  # polling: getUpdates offsets already deliver each update once
    async with runtime.sessions.begin() as session:
        first = await claim_update(session=session, update_id=update.update_id, now=runtime.clock())
    if not first:
        logger.info("update %d was already handled; dropping the re-delivery", update.update_id)
        raise ApplicationHandlerStop


def url_path(webhook_url: str) -> str:
    """Where to listen: the path of the public URL (``/`` when it has none)."""
    return urlsplit(webhook_url).path or "/"


class WebhookServer:
    """An aiohttp server feeding authenticated updates into ``app.update_queue``."""

    def __init__(
        self,
        app: AnyApplication,
        *,
        listen: str,
        port: int,
        path: str,
        secret: str,
    ) -> None:
        self.app = app
        self.listen = listen
        self.port = port
        self.path = path
        self._secret = secret.encode()
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        server = web.Application(client_max_size=MAX_BODY)
        server.router.add_post(self.path, self._receive)
        server.router.add_get("/healthz", self._health)
        self._runner = web.AppRunner(server, access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.port)
        await site.start()
        if self.port == 0:  # tests ask for any free port
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        logger.info("webhook server listening on %s:%d%s", self.listen, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            logger.warning("webhook request with a wrong or missing secret token rejected")
            return web.Response(status=403, text="forbidden")
        try:
            data: Any = await request.json()
        except (json.JSONDecodeError, ValueError):
            return web.Response(status=400, text="not an update")
        checked = readable_updates([data]) if isinstance(data, dict) else []
        if not checked or checked[0] is not data:
            # Logged once by readable_updates. Answered 200 so Telegram stops re-sending it.
            return web.Response(text="skipped")
        update = Update.de_json(data, self.app.bot)
        # Queue and answer at once: Telegram only needs to know the update arrived.
        await self.app.update_queue.put(update)
        return web.Response(text="ok")


async def serve(
    app: AnyApplication,
    settings: Settings,
    *,
    listen: str = "0.0.0.0",  # all interfaces: the reverse proxy or container network is in front
    stop: asyncio.Event | None = None,
) -> None:
    """Run ``app`` in webhook mode until ``stop`` is set (or SIGINT/SIGTERM)."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    secret = settings.webhook_secret.get_secret_value()
    server = WebhookServer(
        app, listen=listen, port=settings.port, path=url_path(settings.webhook_url), secret=secret
    )
    async with app:
        await app.start()
        await server.start()
        # Every process sets the same URL; doing it again is harmless and keeps it current.
        await app.bot.set_webhook(
            url=settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        try:
            await stop.wait()
        finally:
            # The webhook stays set: the other processes behind the proxy keep receiving.
            await server.stop()
            await app.stop()


def run_webhook(app: AnyApplication, settings: Settings) -> None:
    """Blocking entry point for ``python -m bot`` in webhook mode."""
    asyncio.run(serve(app, settings))
