"""The one error handler, and polite replies to updates Penny does not handle."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.common import message_of

logger = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its traceback and tell the user briefly."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(SORRY, show_alert=True)
        elif update.effective_message is not None and update.effective_chat is not None:
            await message_of(update).reply_text(SORRY)
    except TelegramError:
        logger.warning("could not tell the user about the error in update %s", update_id)


async def private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep money out of group chats: point the user to a private chat."""
    await message_of(update).reply_text(
        "I keep your money private, so I only work in a direct chat with me."
    )


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer stickers, photos and the like with a hint."""
    await message_of(update).reply_text(
        "I can only read text. Type something like “coffee 4.50” — /help has more."
    )
