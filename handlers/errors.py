"""The one error handler, and polite replies to updates Penny does not handle."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from handlers.common import message_of
from models.db import is_unreachable

logger = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
UNAVAILABLE = "I can't save right now, please try again in a minute."

# A button pressed on a message that is gone, too old, or already shows the result (a double tap):
# nothing is wrong and nothing is lost, so the user isn't told about an error.
_STALE_MESSAGE = (
    "message is not modified",
    "message to edit not found",
    "message can't be edited",
    "query is too old",
)


def is_stale_message(error: BaseException | None) -> bool:
    """True for Telegram refusing to edit a message that no longer exists or can't change."""
    return isinstance(error, BadRequest) and any(
        phrase in error.message.lower() for phrase in _STALE_MESSAGE
    )


def is_undeliverable(error: BaseException | None) -> bool:
    """True when Telegram refused or dropped a call: blocked by the user, network, flood wait."""
    return isinstance(error, Forbidden | NetworkError | RetryAfter) and not isinstance(
        error, BadRequest
    )


def is_database_outage(error: BaseException | None) -> bool:
    """True when ``error`` (or what caused it) says the database is unreachable.

    A Telegram network error is never one, even though an OSError caused it.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, TelegramError):
            return False
        if is_unreachable(error):
            return True
        error = error.__cause__ or error.__context__
    return False


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its traceback and tell the user briefly."""
    update_id = update.update_id if isinstance(update, Update) else None
    if is_stale_message(context.error):
        logger.info("update %s acted on a stale message: %s", update_id, context.error)
        return
    if is_undeliverable(context.error):
        # Telegram dropped or refused a reply (blocked, network, flood wait). What the update
        # changed is already committed; a "something went wrong" would be untrue and undeliverable.
        logger.warning("could not reply to update %s: %r", update_id, context.error)
        return
    outage = is_database_outage(context.error)
    if outage:
        # Expected while the database is down: one line each, not a traceback per message.
        logger.warning(
            "database unavailable while handling update %s: %s",
            update_id,
            type(context.error).__name__,
        )
    else:
        logger.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    text = UNAVAILABLE if outage else SORRY
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None and update.effective_chat is not None:
            await message_of(update).reply_text(text)
    except TelegramError:
        logger.warning("could not tell the user about the error in update %s", update_id)


async def private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point to the private chat for what is one person's alone (an import's file and choices)."""
    message = message_of(update)
    command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    _, _, addressee = command.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # /import@OtherBot is for another bot in the group
    await message.reply_text("That works in our private chat: message me directly.")


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer stickers, photos and the like with a hint."""
    await message_of(update).reply_text(
        "I can only read text. Type something like “coffee 4.50” — /help has more."
    )
