"""Logging money from free text, and the buttons on the replies: pick, undo, change category."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update

from handlers import render
from handlers.budgets import alert_keyboard, alert_text, budget_line
from handlers.categories import offer_rule
from handlers.common import (
    Context,
    actor,
    answer_stale,
    button,
    message_of,
    runtime,
    unit_of_work,
)
from models.services import entries as services
from models.services.entries import (
    AskCategory,
    LimitChanged,
    Logged,
    NotTransaction,
    Outcome,
    Rejected,
)

logger = logging.getLogger(__name__)

NOT_A_TRANSACTION = (
    "I didn't see an amount there, so I saved nothing. "
    "Type something like “coffee 4.50” or “+5000 salary” — /help has more."
)


async def log_text(update: Update, context: Context) -> None:
    """Record an expense or income typed as free text."""
    message = message_of(update)
    async with unit_of_work(context) as session:
        outcome = await services.record_text(
            session=session,
            actor=actor(update, context),
            text=message.text or "",
            now=runtime(context).clock(),
            chat_id=message.chat_id,
            message_id=message.message_id,
        )
    logger.debug("message %s -> %s", message.message_id, type(outcome).__name__)
    await _reply(update, outcome)


async def edit_text(update: Update, context: Context) -> None:
    """Re-read an edited message and update what was saved from it."""
    message = message_of(update)
    async with unit_of_work(context) as session:
        outcome = await services.apply_edit(
            session=session,
            actor=actor(update, context),
            text=message.text or "",
            now=runtime(context).clock(),
            chat_id=message.chat_id,
            message_id=message.message_id,
        )
    if isinstance(outcome, Rejected):
        await message.reply_text(f"⚠️ {outcome.reason} Nothing was changed.")
        return
    if isinstance(outcome, NotTransaction) and outcome.edited:
        await message.reply_text(
            "That edit doesn't read as a transaction, so I kept what I saved before. "
            "Tap Undo on it or send /undo to remove it."
        )
        return
    await _reply(update, outcome)


async def _reply(update: Update, outcome: Outcome) -> None:
    message = message_of(update)
    match outcome:
        case Logged():
            await message.reply_text(
                render.logged_text(outcome), reply_markup=render.logged_keyboard(outcome)
            )
            await send_alerts(message, outcome)
        case LimitChanged():
            await message.reply_text(f"👍 New limit.\n\n{budget_line(outcome.budget)}")
        case AskCategory():
            await message.reply_text(
                render.ask_category_text(outcome),
                reply_markup=render.category_keyboard(
                    outcome.categories, "pk", outcome.pending_id, f"px:{outcome.pending_id}"
                ),
            )
        case Rejected():
            await message.reply_text(f"⚠️ {outcome.reason} Nothing was saved.")
        case NotTransaction():
            await message.reply_text(NOT_A_TRANSACTION)


async def send_alerts(message: Message, logged: Logged) -> None:
    """Budget alerts go in their own message, right after the confirmation."""
    for alert in logged.alerts:
        await message.reply_text(alert_text(alert), reply_markup=alert_keyboard(alert))


async def turn_into_receipt(
    update: Update, query: CallbackQuery, result: Logged | None, *, toast: str
) -> None:
    """Edit the pressed message into the receipt, then any budget alert or rule offer."""
    if result is None:
        await answer_stale(update)
        return
    await query.answer(toast)
    await query.edit_message_text(
        render.logged_text(result), reply_markup=render.logged_keyboard(result)
    )
    if isinstance(query.message, Message):
        await send_alerts(query.message, result)
        await offer_rule(query.message, result)


@button("pk", 2)
async def pick_category(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Save a waiting amount under the tapped category and turn the keyboard into the receipt."""
    async with unit_of_work(context) as session:
        result = await services.pick_category(
            session=session,
            actor=actor(update, context),
            pending_id=ids[0],
            category_id=ids[1],
            now=runtime(context).clock(),
        )
    await turn_into_receipt(update, query, result, toast="Saved")


@button("px", 1)
async def cancel_pending(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Drop a waiting amount."""
    async with unit_of_work(context) as session:
        dropped = await services.cancel_pending(
            session=session, actor=actor(update, context), pending_id=ids[0]
        )
    if not dropped:
        await answer_stale(update)
        return
    await query.answer()
    await query.edit_message_text("Cancelled — nothing was saved.")


@button("undo", 1)
async def undo_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Remove what a confirmation recorded."""
    async with unit_of_work(context) as session:
        removed = await services.undo(
            session=session,
            actor=actor(update, context),
            tx_id=ids[0],
            now=runtime(context).clock(),
        )
    if not removed.entries:
        await answer_stale(update)
        return
    await query.answer("Removed")
    await query.edit_message_text(render.removed_text(removed))


@button("cc", 1)
async def category_menu(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Swap a confirmation's buttons for the user's categories."""
    async with unit_of_work(context) as session:
        found = await services.category_choices(
            session=session, actor=actor(update, context), tx_id=ids[0]
        )
    if found is None:
        await answer_stale(update)
        return
    entry, categories = found
    await query.answer()
    await query.edit_message_reply_markup(
        render.category_keyboard(categories, "sc", entry.id, f"bk:{entry.id}")
    )


@button("sc", 2)
async def set_category(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """File a transaction under the tapped category."""
    async with unit_of_work(context) as session:
        result = await services.change_category(
            session=session,
            actor=actor(update, context),
            tx_id=ids[0],
            category_id=ids[1],
            now=runtime(context).clock(),
        )
    await turn_into_receipt(update, query, result, toast="Category changed")


@button("bk", 1)
async def back_to_receipt(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Put the Undo / Change category buttons back."""
    async with unit_of_work(context) as session:
        found = await services.category_choices(
            session=session, actor=actor(update, context), tx_id=ids[0]
        )
    if found is None:
        await answer_stale(update)
        return
    await query.answer()
    await query.edit_message_reply_markup(render.receipt_keyboard(found[0].id, count=1))
