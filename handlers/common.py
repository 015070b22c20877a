"""What every handler shares: the runtime, who is asking, one unit of work per update."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from handlers.runtime import BOT_DATA_KEY, Runtime
from models.users import Actor

Context = ContextTypes.DEFAULT_TYPE
HandlerCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]


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


def callback_ints(data: str | None, prefix: str, count: int) -> tuple[int, ...] | None:
    """The ids after ``prefix:`` in callback data, or None if the data is malformed or forged."""
    if not data or not data.startswith(prefix + ":"):
        return None
    parts = data[len(prefix) + 1 :].split(":")
    if len(parts) != count or not all(p.isdigit() and len(p) <= 18 for p in parts):
        return None
    return tuple(int(p) for p in parts)


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


ButtonCallback = Callable[[Update, Context, CallbackQuery, tuple[int, ...]], Awaitable[None]]


def button(prefix: str, count: int) -> Callable[[ButtonCallback], HandlerCallback]:
    """Decorate a button handler: its ``prefix:id[:id]`` data is parsed into ``count`` ints.

    Malformed or forged data is answered as expired and never reaches the handler.
    """

    def wrap(callback: ButtonCallback) -> HandlerCallback:
        @functools.wraps(callback)
        async def handler(update: Update, context: Context) -> None:
            query = query_of(update)
            ids = callback_ints(query.data, prefix, count)
            if ids is None:
                await answer_stale(update)
                return
            await callback(update, context, query, ids)

        return handler

    return wrap


async def say(update: Update, context: Context, text: str, **kwargs: Any) -> None:
    """Reply in the user's chat, even when a pressed button's message is too old to reply to."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(text, **kwargs)
    elif update.effective_user is not None:
        await context.bot.send_message(update.effective_user.id, text, **kwargs)


async def answer_stale(update: Update) -> None:
    """Tell the user a button no longer applies (expired, already used, or not theirs)."""
    query = update.callback_query
    if query is not None:
        await query.answer("That button has expired.", show_alert=False)
