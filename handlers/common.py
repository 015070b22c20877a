"""What every handler shares: the runtime, who is asking, one use case per update, replies."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from handlers.buttons import Context, HandlerCallback, StalePress, answer_stale
from handlers.runtime import BOT_DATA_KEY, Runtime
from models.services.account import open_account
from models.services.results import Stale
from models.users import Actor

__all__ = [
    "Context",
    "HandlerCallback",
    "actor",
    "answer_stale",
    "call",
    "fresh",
    "keyboard",
    "message_of",
    "query_of",
    "runtime",
    "say",
    "unit_of_work",
]

T = TypeVar("T")


def runtime(context: Context) -> Runtime:
    value: Any = context.bot_data[BOT_DATA_KEY]
    return value  # type: ignore[no-any-return]


def actor(update: Update, context: Context) -> Actor:
    """The user behind this update, with the defaults a new account starts from."""
    user = update.effective_user
    if user is None:  # guarded by filters; channel posts never reach feature handlers
        raise LookupError("update without a user")
    settings = runtime(context).settings
    return Actor(user.id, settings.default_currency, settings.default_timezone)


def message_of(update: Update) -> Message:
    """The update's message; handler filters guarantee there is one."""
    message = update.effective_message
    if message is None:
        raise LookupError("update without a message")
    return message


def query_of(update: Update) -> CallbackQuery:
    """The update's button press; callback handlers only see updates that have one."""
    query = update.callback_query
    if query is None:
        raise LookupError("update without a callback query")
    return query


@asynccontextmanager
async def unit_of_work(context: Context) -> AsyncIterator[AsyncSession]:
    """One database transaction for the whole update: committed on success, rolled back on error."""
    async with runtime(context).sessions.begin() as session:
        yield session


async def call(
    update: Update, context: Context, use_case: Callable[..., Awaitable[T]], /, **arguments: Any
) -> T:
    """Run one use case for this update's user in one unit of work, at the runtime's clock.

    The account is opened (or created on first contact) here, once, and the use case gets the
    profile: ``use_case(session=…, profile=…, now=…, **arguments)``.
    """
    now = runtime(context).clock()
    async with unit_of_work(context) as session:
        profile = await open_account(session=session, actor=actor(update, context), now=now)
        return await use_case(session=session, profile=profile, now=now, **arguments)


def fresh(result: T | Stale) -> T:
    """The result, or (for ``STALE``) stop this button press with "That button has expired"."""
    if isinstance(result, Stale):
        raise StalePress
    return result


def keyboard(buttons: Sequence[tuple[str, str]], *, per_row: int = 3) -> InlineKeyboardMarkup:
    """Inline keyboard from (label, callback data) pairs, ``per_row`` to a row."""
    rows = [
        [
            InlineKeyboardButton(label, callback_data=data)
            for label, data in buttons[i : i + per_row]
        ]
        for i in range(0, len(buttons), per_row)
    ]
    return InlineKeyboardMarkup(rows)


async def say(update: Update, context: Context, text: str, **kwargs: Any) -> None:
    """Reply in the user's chat, even when a pressed button's message is too old to reply to."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(text, **kwargs)
    elif update.effective_user is not None:
        await context.bot.send_message(update.effective_user.id, text, **kwargs)
