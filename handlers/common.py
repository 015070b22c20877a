"""What every handler shares: the runtime, who is asking, one use case per update, replies."""

from __future__ import annotations

from collections import OrderedDict
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
    "edit_pressed",
    "edit_pressed_markup",
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


# What Penny last made each of its recent messages show, per chat. A second tap on a button
# often arrives carrying the message as it was before the first tap's edit; editing it again to
# what it already shows is refused by Telegram ("message is not modified"), so it is skipped.
SHOWN_PER_CHAT = 32
_SHOWN_KEY = "shown"
Shown = tuple[str | None, list[list[dict[str, Any]]]]


def _layout(markup: InlineKeyboardMarkup | None) -> list[list[dict[str, Any]]]:
    if markup is None:
        return []
    return [[button.to_dict() for button in row] for row in markup.inline_keyboard if row]


def _shown(context: Context) -> OrderedDict[int, Shown] | None:
    chat_data = context.chat_data
    if chat_data is None:
        return None
    value = chat_data.setdefault(_SHOWN_KEY, OrderedDict())
    return value  # type: ignore[no-any-return]


def _showing(query: CallbackQuery, context: Context) -> Shown | None:
    message = query.message
    if not isinstance(message, Message):
        return None
    remembered = _shown(context)
    if remembered is not None and message.message_id in remembered:
        return remembered[message.message_id]
    return message.text, _layout(message.reply_markup)


def _remember(query: CallbackQuery, context: Context, shown: Shown) -> None:
    remembered = _shown(context)
    if remembered is None or not isinstance(query.message, Message):
        return
    remembered[query.message.message_id] = shown
    remembered.move_to_end(query.message.message_id)
    while len(remembered) > SHOWN_PER_CHAT:
        remembered.popitem(last=False)


async def edit_pressed(
    query: CallbackQuery,
    context: Context,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Turn the pressed message into ``text`` and ``reply_markup``, unless it shows them already."""
    wanted: Shown = (text, _layout(reply_markup))
    if _showing(query, context) == wanted:
        return
    await query.edit_message_text(text, reply_markup=reply_markup)
    _remember(query, context, wanted)


async def edit_pressed_markup(
    query: CallbackQuery, context: Context, reply_markup: InlineKeyboardMarkup | None
) -> None:
    """Swap the pressed message's buttons for ``reply_markup``, unless it has them already."""
    showing = _showing(query, context)
    wanted: Shown = (showing[0] if showing else None, _layout(reply_markup))
    if showing == wanted:
        return
    await query.edit_message_reply_markup(reply_markup)
    _remember(query, context, wanted)
