"""Looking back and taking back: /history with delete buttons, and /undo."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from handlers import render
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from models.services import entries as services
from models.transactions import Entry

DELETE = Button("del", ints=1)  # transaction


def history_keyboard(entries: Sequence[Entry]) -> InlineKeyboardMarkup | None:
    if not entries:
        return None
    buttons = [(f"🗑 {n}", DELETE.data(e.id)) for n, e in enumerate(entries, start=1)]
    return keyboard(buttons, per_row=5)


async def history(update: Update, context: Context) -> None:
    """List the last 10 transactions, each with a delete button."""
    result = await call(update, context, services.history)
    await message_of(update).reply_text(
        render.history_text(result), reply_markup=history_keyboard(result.entries)
    )


@DELETE.handles
async def delete_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Delete the transaction whose button was tapped and refresh the list."""
    result = fresh(await call(update, context, services.delete_from_history, tx_id=ids[0]))
    await query.answer("Deleted")
    removed = render.entry_line(result.removed, result.today) if result.removed else ""
    await edit_pressed(
        query,
        context,
        f"🗑 Deleted: {removed}\n\n{render.history_text(result)}",
        reply_markup=history_keyboard(result.entries),
    )


async def undo(update: Update, context: Context) -> None:
    """Remove the user's last transaction and say what it was."""
    removed = await call(update, context, services.undo_last)
    text = render.removed_text(removed) if removed.entries else "There's nothing to undo yet."
    await message_of(update).reply_text(text)
