"""The operator's commands, answered only in ADMIN_CHAT_ID: /reply to feedback and /stats.

``bot.app`` registers them with a filter for that one chat, so anywhere else they are unknown
commands. The operator's chat is not an account: these don't open one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.common import Context, message_of, runtime, unit_of_work
from models.services import feedback as feedback_cases
from models.services import operator
from models.services.feedback import Answer
from models.services.operator import Stats

logger = logging.getLogger(__name__)

T = TypeVar("T")

REPLY_USAGE = "Usage: /reply ID your answer — the ID is the number on the forwarded feedback."
# Telegram's 4,096 less the few lines around the answer.
ANSWER_LIMIT = 3900


async def _as_operator(
    context: Context, use_case: Callable[..., Awaitable[T]], /, **arguments: Any
) -> T:
    """Run an operator use case in one unit of work, without opening anyone's account."""
    now = runtime(context).clock()
    async with unit_of_work(context) as session:
        return await use_case(session=session, now=now, **arguments)


def answer_text(feedback_id: int, text: str) -> str:
    return f"💬 An answer to your feedback #{feedback_id}:\n\n{text}\n\n/feedback to write back."


async def reply(update: Update, context: Context) -> None:
    """Send the operator's answer to the user who wrote feedback #ID."""
    message = message_of(update)
    parts = (message.text or "").split(maxsplit=2)
    if len(parts) < 3 or not parts[1].lstrip("#").isdigit() or len(parts[1]) > 18:
        await message.reply_text(REPLY_USAGE)
        return
    feedback_id, text = int(parts[1].lstrip("#")), parts[2].strip()
    if len(text) > ANSWER_LIMIT:
        await message.reply_text(f"Keep the answer under {ANSWER_LIMIT:,} characters.")
        return
    found = await _as_operator(
        context, feedback_cases.answer_feedback, feedback_id=feedback_id, text=text
    )
    if not isinstance(found, Answer):
        await message.reply_text(f"There is no feedback #{feedback_id}.")
        return
    try:
        await context.bot.send_message(found.user_id, answer_text(found.feedback_id, text))
    except Forbidden:
        await message.reply_text(f"Not delivered: the author of #{feedback_id} blocked Penny.")
        return
    except TelegramError:
        logger.warning("delivering an answer to feedback failed", exc_info=True)
        await message.reply_text("Not delivered (Telegram refused); try again later.")
        return
    await message.reply_text(f"✅ Sent your answer to #{feedback_id}.")


def stats_text(stats: Stats) -> str:
    days = "\n".join(f"  {day:%a %-d %b}: {count}" for day, count in stats.entries_per_day)
    average = f", average {stats.average_rating:.1f}⭐" if stats.average_rating else ""
    return (
        "📈 Penny in numbers (counts only)\n\n"
        f"Users: {stats.users}\n"
        f"Active in the last 7 days: {stats.active_week}\n"
        f"Entries per day (UTC):\n{days}\n\n"
        f"Goals: {stats.goals}\n"
        f"Feedback waiting for an answer: {stats.feedback_open}\n"
        f"Ratings: {stats.ratings}{average}\n"
        f"Joined through an invite: {stats.referrals}\n"
        f"Opted in to /compare: {stats.compare_opt_ins}"
    )


async def stats(update: Update, context: Context) -> None:
    """Counts for the operator: users, active this week, entries per day. No personal data."""
    result = await _as_operator(context, operator.operator_stats)
    await message_of(update).reply_text(stats_text(result))
