"""Looking back and taking back: /history with delete buttons, and /undo."""

from __future__ import annotations

from telegram import CallbackQuery, Update

from handlers import render
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


async def history(update: Update, context: Context) -> None:
    """List the last 10 transactions, each with a delete button."""
    async with unit_of_work(context) as session:
        result = await services.history(
            session=session, actor=actor(update, context), now=runtime(context).clock()
        )
    await message_of(update).reply_text(
        render.history_text(result), reply_markup=render.history_keyboard(result.entries)
    )


@button("del", 1)
async def delete_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Delete the transaction whose button was tapped and refresh the list."""
    async with unit_of_work(context) as session:
        result = await services.delete_from_history(
            session=session,
            actor=actor(update, context),
            tx_id=ids[0],
            now=runtime(context).clock(),
        )
    if result is None or result.removed is None:
        await answer_stale(update)
        return
    await query.answer("Deleted")
    removed = render.entry_line(result.removed, result.today)
    await query.edit_message_text(
        f"🗑 Deleted: {removed}\n\n{render.history_text(result)}",
        reply_markup=render.history_keyboard(result.entries),
    )


async def undo(update: Update, context: Context) -> None:
    """Remove the user's last transaction and say what it was."""
    async with unit_of_work(context) as session:
        removed = await services.undo_last(
            session=session, actor=actor(update, context), now=runtime(context).clock()
        )
    text = render.removed_text(removed) if removed.entries else "There's nothing to undo yet."
    await message_of(update).reply_text(text)
