"""The ticker: claims due scheduled messages and recurring transactions from the database and sends.

State lives in the database, not in memory, so a restart loses nothing and several processes can
tick against one database: each due row is claimed by exactly one of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.core.money import format_amount
from handlers import render
from handlers.entries import receipt_keyboard
from handlers.reminders import due_message
from handlers.runtime import BOT_DATA_KEY, Runtime
from models.services import ticker as ticker_cases

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    claimed: int
    sent: int
    posted: int
    blocked: int


async def tick(app: Application) -> TickReport:  # type: ignore[type-arg]
    """One pass: claim what is due (committed first), then send it."""
    runtime: Runtime = app.bot_data[BOT_DATA_KEY]
    now = runtime.clock()
    async with runtime.sessions.begin() as session:
        result = await ticker_cases.claim_tick(session=session, now=now)
    outgoing: list[tuple[int, str, InlineKeyboardMarkup | None]] = [
        (m.user_id, *due_message(m)) for m in result.messages
    ]
    for posted in result.posted:
        line = render.entry_line(posted.entry, posted.entry.occurred_on)
        text = f"🔁 Recurring {posted.frequency} entry saved: {line}"
        if posted.total is not None and posted.entry.category is not None:
            text += f"\n{posted.entry.category.name} this month: "
            text += format_amount(posted.total, posted.entry.currency)
        outgoing.append((posted.user_id, text, receipt_keyboard([posted.entry.id])))
    sent = blocked = 0
    for user_id, text, markup in outgoing:
        try:
            await app.bot.send_message(chat_id=user_id, text=text, reply_markup=markup)
            sent += 1
        except Forbidden:
            # The user blocked the bot: pause their schedules instead of retrying forever.
            blocked += 1
            async with runtime.sessions.begin() as session:
                await ticker_cases.pause_blocked(session=session, user_id=user_id)
        except TelegramError:
            logger.warning("scheduled message to a user failed", exc_info=True)
    if result.claimed or result.posted:
        logger.info(
            "tick: claimed %d, sent %d, posted %d recurring, %d blocked",
            result.claimed,
            sent,
            len(result.posted),
            blocked,
        )
    return TickReport(result.claimed, sent, len(result.posted), blocked)


async def tick_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback; errors are logged and the next tick tries again."""
    try:
        await tick(context.application)
    except Exception:
        logger.exception("scheduler tick failed; retrying on the next tick")
