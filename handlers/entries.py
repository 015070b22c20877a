"""Logging money from free text, and the buttons on the replies: file, undo, change category."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update

from bot.core.households import take_split
from handlers import render
from handlers.budgets import alert_keyboard, alert_text, budget_line
from handlers.buttons import Button
from handlers.categories import offer_rule
from handlers.common import (
    GROUP_CHATS,
    Context,
    call,
    call_as,
    edit_pressed,
    edit_pressed_markup,
    fresh,
    keyboard,
    message_of,
)
from handlers.goals import reply_to_habit
from handlers.requests import answer_request
from models.categories import CategoryInfo
from models.services import entries as services
from models.services import habits, quick, splits
from models.services.entries import EditOfUndone, LimitChanged, NotTransaction, Outcome
from models.services.receipts import Logged
from models.services.results import Rejected
from models.transactions import Entry

logger = logging.getLogger(__name__)

FILE = Button("fl", ints=2)  # transaction saved to sort, category: file it there
# Buttons of the old "Which category?" question, when nothing was saved before a tap. Their
# amounts were saved (to sort) when the pending table went; a press says where they are.
PICK = Button("pk", ints=2)
CANCEL = Button("px", ints=1)
UNDO = Button("undo", ints=1)  # first transaction of the message
MENU = Button("cc", ints=1)  # transaction: show the categories it could move to
SET = Button("sc", ints=2)  # transaction, category
BACK = Button("bk", ints=1)  # transaction: back to Undo / Change category
SPLIT = Button("split", ints=1)  # transaction in a shared ledger: share it among the members
UNSPLIT = Button("unsplit", ints=1)  # transaction: the payer's alone again

ADD_USAGE = (
    "Usage: /add what amount — for example /add groceries 80. "
    "In a group, add “split” to share it: /add dinner 120 split"
)
# "/add groceries 80" and "/add@penny_bot groceries 80": what follows is read like free text.
_ADD = re.compile(r"^/add(?:@\w+)?(?:\s+|$)", re.IGNORECASE)

NOT_A_TRANSACTION = (
    "I didn't see an amount there, so I saved nothing. "
    "Type something like “coffee 4.50” or “+5000 salary” — /help has more."
)
EDIT_OF_UNDONE = (
    "You removed what that message saved, so I left it out. "
    "Send it again as a new message to record it."
)
EDIT_NOT_A_TRANSACTION = (
    "That edit doesn't read as a transaction, so I kept what I saved before. "
    "Tap Undo on it or send /undo to remove it."
)


def receipt_keyboard(ids: Sequence[int], *, entry: Entry | None = None) -> InlineKeyboardMarkup:
    """Undo (the whole message's entries) and Change category: one button for a single entry,
    ``🏷 1`` ``🏷 2``… for the entries a longer receipt lists by number.

    A single household expense (``entry`` paid by a member) also gets Split, or Unsplit.
    """
    if len(ids) > 1:
        listed = ids[: render.listed_count(len(ids))]
        changes = [(f"🏷 {n}", MENU.data(i)) for n, i in enumerate(listed, start=1)]
        undo = keyboard([("↩️ Undo all", UNDO.data(ids[0]))])
        return InlineKeyboardMarkup(
            [*undo.inline_keyboard, *keyboard(changes, per_row=6).inline_keyboard]
        )
    buttons = [("↩️ Undo", UNDO.data(ids[0])), ("🏷 Change category", MENU.data(ids[0]))]
    if entry is not None and entry.member is not None and entry.kind == "expense":
        if entry.split_among:
            buttons.append(("➗ Unsplit", UNSPLIT.data(ids[0])))
        else:
            buttons.append(("➗ Split", SPLIT.data(ids[0])))
    return keyboard(buttons)


def logged_keyboard(result: Logged) -> InlineKeyboardMarkup:
    """The receipt's buttons; one entry saved to sort offers its categories to file it."""
    first = result.entries[0]
    if result.choices:
        return category_keyboard(result.choices, FILE, first.id, ("↩️ Undo", UNDO.data(first.id)))
    return receipt_keyboard([e.id for e in result.entries], entry=first)


def category_keyboard(
    categories: Sequence[CategoryInfo], choose: Button, target: int, last: tuple[str, str]
) -> InlineKeyboardMarkup:
    """One ``choose`` button per category (``target``, category id), then ``last`` (label, data)."""
    markup = keyboard([(c.label, choose.data(target, c.id)) for c in categories], per_row=3)
    return InlineKeyboardMarkup([*markup.inline_keyboard, *keyboard([last]).inline_keyboard])


def in_group(message: Message) -> bool:
    return message.chat.type in GROUP_CHATS


def read_text(message: Message, context: Context) -> tuple[str, bool]:
    """What to read as an entry, and whether it was meant for Penny.

    In a group, chatter that isn't money gets no answer unless it was addressed to Penny (a
    reply to it, a mention, or /add); the mention itself is not part of the entry.
    """
    text = message.text or ""
    command = _ADD.match(text)
    if command:
        return text[command.end() :], True
    if not in_group(message):
        return text, True
    replied = message.reply_to_message
    addressed = bool(replied and replied.from_user and replied.from_user.id == context.bot.id)
    username = context.bot.username
    if username:
        mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE)
        addressed = addressed or bool(mention.search(text))
        text = mention.sub("", text).strip()
    return text, addressed


async def log_text(update: Update, context: Context) -> None:
    """Record an expense or income typed as free text."""
    message = message_of(update)
    text, addressed = read_text(message, context)
    if not in_group(message):
        # quick.record_text stores a plain entry with one statement; everything else (goal and
        # habit sentences like "saved 100 for laptop", several entries, questions) goes through
        # habits.log_message and services.record_text with these same arguments.
        outcome = await call_as(
            update,
            context,
            quick.record_text,
            text=text,
            chat_id=message.chat_id,
            message_id=message.message_id,
        )
    else:
        # A group's ledger is not the writer's own, so never the process's copy of theirs:
        # call() opens the group's and makes the writer a member. habits.log_message answers
        # goal and habit sentences and passes everything else to services.record_text;
        # splits.record_split does the same, then shares what was recorded.
        text, split = take_split(text)
        addressed = addressed or split  # "split" is a word for Penny, so Penny answers it
        outcome = await call(
            update,
            context,
            splits.record_split if split else habits.log_message,
            text=text,
            chat_id=message.chat_id,
            message_id=message.message_id,
        )
    if isinstance(outcome, habits.HabitAnswer):
        await reply_to_habit(message, outcome)
        return
    logger.debug("message %s -> %s", message.message_id, type(outcome).__name__)
    await _reply(update, outcome, quiet=not addressed)


async def add_command(update: Update, context: Context) -> None:
    """Record what follows /add, as if typed on its own (works in every chat)."""
    message = message_of(update)
    text, _ = read_text(message, context)
    if not text.strip():
        await message.reply_text(ADD_USAGE)
        return
    await log_text(update, context)


async def edit_text(update: Update, context: Context) -> None:
    """Re-read an edited message and update what was saved from it."""
    message = message_of(update)
    text, addressed = read_text(message, context)
    split = False
    if in_group(message):
        text, split = take_split(text)
    # splits.apply_edit is habits.apply_edit (services.apply_edit, except for messages about
    # goals), then a split entry's shares follow its new amount.
    outcome = await call(
        update,
        context,
        splits.apply_edit,
        text=text,
        chat_id=message.chat_id,
        message_id=message.message_id,
        split=split,
    )
    if isinstance(outcome, habits.HabitAnswer):
        await reply_to_habit(message, outcome)
        return
    if isinstance(outcome, Rejected):
        await message.reply_text(f"⚠️ {outcome.reason} Nothing was changed.")
        return
    if isinstance(outcome, NotTransaction) and outcome.edited:
        await message.reply_text(EDIT_NOT_A_TRANSACTION)
        return
    await _reply(update, outcome, quiet=not addressed)


async def _reply(update: Update, outcome: Outcome, *, quiet: bool = False) -> None:
    """Answer what was recorded; ``quiet`` (group chatter) says nothing about what wasn't."""
    message = message_of(update)
    if quiet and not isinstance(outcome, Logged | LimitChanged | EditOfUndone):
        # Group chatter that isn't money: no "I didn't see an amount", and no answer to a
        # question or correction meant for the others (reading one changes nothing).
        return
    match outcome:
        case Logged():
            await message.reply_text(
                render.logged_text(outcome), reply_markup=logged_keyboard(outcome)
            )
            await send_alerts(message, outcome)
        case LimitChanged():
            await message.reply_text(f"👍 New limit.\n\n{budget_line(outcome.budget)}")
        case Rejected():
            await message.reply_text(f"⚠️ {outcome.reason} Nothing was saved.")
        case NotTransaction():
            await message.reply_text(NOT_A_TRANSACTION)
        case EditOfUndone():
            await message.reply_text(EDIT_OF_UNDONE)
        case _:
            await answer_request(message, outcome)


async def send_alerts(message: Message, logged: Logged) -> None:
    """Budget alerts go in their own message, right after the confirmation."""
    for alert in logged.alerts:
        await message.reply_text(alert_text(alert), reply_markup=alert_keyboard(alert))


async def turn_into_receipt(
    query: CallbackQuery, context: Context, result: Logged, *, toast: str
) -> None:
    """Edit the pressed message into the receipt, then any budget alert or rule offer."""
    await query.answer(toast)
    await edit_pressed(
        query, context, render.logged_text(result), reply_markup=logged_keyboard(result)
    )
    if isinstance(query.message, Message):
        await send_alerts(query.message, result)
        await offer_rule(query.message, result)


@FILE.handles
async def file_entry(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """File an entry saved to sort under the tapped category; the receipt shows where it went."""
    result = fresh(
        await call(update, context, services.file_entry, tx_id=ids[0], category_id=ids[1])
    )
    await turn_into_receipt(query, context, result, toast="Filed")


OLD_QUESTION = "I saved that amount already, in Other. /sort files it."


@PICK.handles
async def old_pick(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Say where the amount of an old "Which category?" question went."""
    await query.answer(OLD_QUESTION, show_alert=True)


@CANCEL.handles
async def old_cancel(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Say where the amount of an old "Which category?" question went (Undo removes it)."""
    await query.answer(OLD_QUESTION, show_alert=True)


@UNDO.handles
async def undo_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Remove what a confirmation recorded."""
    removed = fresh(await call(update, context, services.undo, tx_id=ids[0]))
    await query.answer("Removed")
    await edit_pressed(query, context, render.removed_text(removed))


@MENU.handles
async def category_menu(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Swap a confirmation's buttons for the user's categories."""
    found = fresh(await call(update, context, services.category_choices, tx_id=ids[0]))
    await query.answer()
    await edit_pressed_markup(
        query,
        context,
        category_keyboard(found.categories, SET, found.entry.id, ("« Back", BACK.data(ids[0]))),
    )


@SET.handles
async def set_category(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """File a transaction under the tapped category."""
    result = fresh(
        await call(update, context, services.change_category, tx_id=ids[0], category_id=ids[1])
    )
    await turn_into_receipt(query, context, result, toast="Category changed")


@BACK.handles
async def back_to_receipt(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Put the Undo / Change category buttons back."""
    found = fresh(await call(update, context, services.category_choices, tx_id=ids[0]))
    await query.answer()
    await edit_pressed_markup(
        query, context, receipt_keyboard(found.siblings or [found.entry.id], entry=found.entry)
    )


@SPLIT.handles
async def split_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Share a household expense equally among its members."""
    outcome = await call(update, context, splits.split_entry, tx_id=ids[0])
    if isinstance(outcome, Rejected):
        await query.answer(outcome.reason[:200], show_alert=True)
        return
    result = fresh(outcome)
    await query.answer("Split")
    await edit_pressed(
        query, context, render.logged_text(result), reply_markup=logged_keyboard(result)
    )


@UNSPLIT.handles
async def unsplit_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Make a split expense the payer's alone again."""
    result = fresh(await call(update, context, splits.unsplit_entry, tx_id=ids[0]))
    await query.answer("No longer split")
    await edit_pressed(
        query, context, render.logged_text(result), reply_markup=logged_keyboard(result)
    )
