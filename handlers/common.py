"""What every handler shares: the runtime, who is asking, one use case per update, replies."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from handlers.buttons import Context, HandlerCallback, NotMember, StalePress, answer_stale
from handlers.runtime import BOT_DATA_KEY, Runtime
from models.services.account import open_account
from models.services.households import Group, open_household
from models.services.results import Stale
from models.users import Actor, Profile

__all__ = [
    "Context",
    "HandlerCallback",
    "actor",
    "answer_stale",
    "call",
    "call_as",
    "call_joining",
    "edit_pressed",
    "edit_pressed_markup",
    "fresh",
    "group_of",
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


GROUP_CHATS = frozenset({"group", "supergroup"})


def group_of(update: Update, *, join: bool | None = None) -> Group | None:
    """The group this update came from, or None in a private chat.

    Writing in the group (a message or an edit) makes the sender a member; a button press or a
    membership change doesn't, unless ``join`` says so (the Join button).
    """
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type not in GROUP_CHATS:
        return None
    if join is None:
        message = update.effective_message
        join = update.callback_query is None and message is not None and message.text is not None
    return Group(chat.id, chat.title or "", user.id, user.first_name, user.username, join)


async def call(
    update: Update, context: Context, use_case: Callable[..., Awaitable[T]], /, **arguments: Any
) -> T:
    """Run one use case for this update's ledger in one unit of work, at the runtime's clock.

    Whose ledger it is is decided here, once: the sender's own in a private chat, the group's in
    a group. The account is opened (or created on first contact) and the use case gets the
    profile: ``use_case(session=…, profile=…, now=…, **arguments)``. A button pressed in a group
    by anyone who is not a member stops here (``NotMember``) before the use case runs.
    """
    return await _run(update, context, use_case, None, arguments)


async def call_joining(
    update: Update, context: Context, use_case: Callable[..., Awaitable[T]], /, **arguments: Any
) -> T:
    """Like :func:`call`, making the sender a member of the group first (the Join button)."""
    return await _run(update, context, use_case, True, arguments)


async def _run(
    update: Update,
    context: Context,
    use_case: Callable[..., Awaitable[T]],
    join: bool | None,
    arguments: dict[str, Any],
) -> T:
    now = runtime(context).clock()
    async with unit_of_work(context) as session:
        profile = await _open(update, context, session, now, join)
        return await use_case(session=session, profile=profile, now=now, **arguments)


async def call_as(
    update: Update, context: Context, use_case: Callable[..., Awaitable[T]], /, **arguments: Any
) -> T:
    """Like :func:`call`, for a use case that opens the sender's own account itself, from the
    process's copy when it can: ``use_case(session=…, actor=…, now=…, accounts=…, **arguments)``.

    Private chats only: the copy is the person's own ledger, and an update from a group acts on
    the group's, which only :func:`call` opens (it decides membership per update).
    """
    if group_of(update) is not None:
        raise RuntimeError("call_as is for private chats; a group's update goes through call")
    now = runtime(context).clock()
    who = actor(update, context)
    accounts = runtime(context).accounts
    try:
        async with unit_of_work(context) as session:
            return await use_case(
                session=session, actor=who, now=now, accounts=accounts, **arguments
            )
    except BaseException:
        # Rolled back: what the copy learned in this unit of work (the streak day it marked)
        # is not in the database, so the next message reads the account afresh.
        accounts.forget(who.user_id)
        raise


async def _open(
    update: Update, context: Context, session: AsyncSession, now: datetime, join: bool | None
) -> Profile:
    who = actor(update, context)
    group = group_of(update, join=join)
    if group is None:
        return await open_account(session=session, actor=who, now=now)
    profile = await open_household(session=session, group=group, defaults=who, now=now)
    if profile.member_id is None and update.callback_query is not None:
        raise NotMember
    return profile


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
    """Reply in the update's chat, even when a pressed button's message is too old to reply to."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(text, **kwargs)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text, **kwargs)
    elif update.effective_user is not None:
        await context.bot.send_message(update.effective_user.id, text, **kwargs)


# What Penny last made each of its recent messages show, per chat. A second tap on a button
# often arrives carrying the message as it was before the first tap's edit; editing it again to
# what it already shows is refused by Telegram ("message is not modified"), so it is skipped.
# The memory is this process's alone: another process behind the same webhook, or any other
# edit, may have changed the message since. So it is trusted only for a press made before
# Penny's edit: one whose message carries an older ``edit_date`` (or none), or exactly the
# message that edit replaced, content and ``edit_date`` alike (``edit_date`` counts whole
# seconds, and a double tap comes within one). Anything else shows the message as it is.
# Digests, not texts: a few hundred bytes per chat however long the messages.
SHOWN_PER_CHAT = 32
_SHOWN_KEY = "shown"


@dataclass(frozen=True)
class _Shown:
    """Digests of a message's text and of its buttons."""

    text: bytes
    buttons: bytes


@dataclass(frozen=True)
class _Edit:
    before: _Shown  # what the pressed message carried when Penny edited it
    before_at: datetime | None  # and its edit_date then
    after: _Shown  # what Penny made it show
    at: datetime  # the edit's edit_date


def _digest(value: Any) -> bytes:
    encoded = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.blake2b(encoded, digest_size=16).digest()


def _buttons(markup: InlineKeyboardMarkup | None) -> bytes:
    rows = markup.inline_keyboard if markup is not None else ()
    return _digest([[button.to_dict() for button in row] for row in rows if row])


def _memory(context: Context) -> OrderedDict[int, _Edit] | None:
    chat_data = context.chat_data
    if chat_data is None:
        return None
    value = chat_data.setdefault(_SHOWN_KEY, OrderedDict())
    return value  # type: ignore[no-any-return]


def _showing(query: CallbackQuery, context: Context) -> tuple[_Shown, _Shown] | None:
    """What the press carried, and what the message shows as far as this process can tell."""
    message = query.message
    if not isinstance(message, Message):
        return None
    carried = _Shown(_digest(message.text), _buttons(message.reply_markup))
    memory = _memory(context)
    edit = memory.get(message.message_id) if memory is not None else None
    if edit is None:
        return carried, carried
    pressed_before_it = (
        message.edit_date is None
        or message.edit_date < edit.at
        or (carried == edit.before and message.edit_date == edit.before_at)
    )
    return carried, edit.after if pressed_before_it else carried


def _remember(
    query: CallbackQuery, context: Context, before: _Shown, after: _Shown, edited: Any
) -> None:
    memory = _memory(context)
    if memory is None or not isinstance(query.message, Message):
        return
    if not isinstance(edited, Message) or edited.edit_date is None:
        return
    message_id = query.message.message_id
    memory[message_id] = _Edit(before, query.message.edit_date, after, edited.edit_date)
    memory.move_to_end(message_id)
    while len(memory) > SHOWN_PER_CHAT:
        memory.popitem(last=False)


async def edit_pressed(
    query: CallbackQuery,
    context: Context,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Turn the pressed message into ``text`` and ``reply_markup``, unless it shows them already."""
    wanted = _Shown(_digest(text), _buttons(reply_markup))
    showing = _showing(query, context)
    if showing is not None and showing[1] == wanted:
        return
    edited = await query.edit_message_text(text, reply_markup=reply_markup)
    if showing is not None:
        _remember(query, context, showing[0], wanted, edited)


async def edit_pressed_markup(
    query: CallbackQuery, context: Context, reply_markup: InlineKeyboardMarkup | None
) -> None:
    """Swap the pressed message's buttons for ``reply_markup``, unless it has them already."""
    showing = _showing(query, context)
    if showing is not None:
        wanted = _Shown(showing[1].text, _buttons(reply_markup))
        if showing[1] == wanted:
            return
    edited = await query.edit_message_reply_markup(reply_markup)
    if showing is not None:
        _remember(query, context, showing[0], wanted, edited)
