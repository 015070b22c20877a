"""/dashboard: a one-time login link to the dashboard, and the Mini App where Telegram allows it."""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import BadRequest, TelegramError

from handlers.common import Context, call, message_of, runtime
from models.services import logins

logger = logging.getLogger(__name__)

TEXT = (
    "📊 Your dashboard: the month at a glance, budgets, charts, and every transaction to "
    "search, fix or delete."
)
LINK_NOTE = (
    "The browser link works once, within 10 minutes; send /dashboard again for a new one. "
    "Don't forward it: it opens your data."
)


def is_public_https(url: str) -> bool:
    """Telegram opens Mini Apps only from public HTTPS addresses (not localhost, not a LAN)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" or not host or host == "localhost" or "." not in host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return not host.endswith((".local", ".localhost", ".internal"))
    return address.is_global


async def dashboard(update: Update, context: Context) -> None:
    """Send the dashboard's login link (and a Mini App button on a public HTTPS address)."""
    message = message_of(update)
    base = runtime(context).dashboard_url
    if not base:
        await message.reply_text("The dashboard isn't running on this server right now.")
        return
    link = await call(update, context, logins.issue_link)
    # The token travels in the fragment: browsers never send it to a server, so neither link
    # previews nor proxy logs see it, and the page drops it from the address bar at once.
    login_url = f"{base}/login#t={link.token}"
    rows = []
    if is_public_https(base):
        app = WebAppInfo(url=f"{base}/")
        rows.append([InlineKeyboardButton("📊 Open dashboard", web_app=app)])
        try:
            await context.bot.set_chat_menu_button(
                chat_id=message.chat_id, menu_button=MenuButtonWebApp("Dashboard", app)
            )
        except TelegramError as exc:  # the button in the reply still opens it
            logger.warning("could not set the chat's dashboard menu button: %s", exc)
    rows.append([InlineKeyboardButton("🌐 Open in a browser", url=login_url)])
    try:
        await message.reply_text(f"{TEXT}\n\n{LINK_NOTE}", reply_markup=InlineKeyboardMarkup(rows))
    except BadRequest:
        # Telegram refuses buttons to addresses it can't reach (http://127.0.0.1); the link
        # still works as text on the machine that runs Penny.
        logger.info("dashboard link button refused by Telegram; sending the link as text")
        await message.reply_text(f"{TEXT}\n\n{LINK_NOTE}\n\n{login_url}")
