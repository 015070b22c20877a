"""Looking back and taking back: /history a page at a time with delete buttons, and /undo.

A delete button names its transaction by id and asks before it deletes, so a list that moved
up after a delete can never make the same tap remove a different entry.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update

from handlers import render
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from handlers.paging import NEXT, PREVIOUS
from models.services import entries as services
from models.services import history as listing
from models.services.history import HISTORY_SIZE, History

DELETE = Button("del", ints=1)  # transaction: ask first
DELETE_OK = Button("delok", ints=1)  # transaction: the user said yes
# offset, page size, what the list is narrowed to (see listing.history)
HISTORY_PAGE = Button(
    "hpg", fields=(r"\d{1,6}", r"\d{1,2}", r"|c[\d.]{1,40}|[dwmy]\d{1,3}|r\d{8}-\d{8}|t[^:]{1,30}")
)


def history_keyboard(result: History) -> InlineKeyboardMarkup | None:
    """A 🗑 button per entry (numbered as listed), and ‹ › when there are more pages."""
    if not result.entries:
        return None
    buttons = [
        (f"🗑 {n}", DELETE.data(e.id)) for n, e in enumerate(result.entries, start=result.start + 1)
    ]
    rows = [list(row) for row in keyboard(buttons, per_row=5).inline_keyboard]
    pages = []
    if result.start > 0:
        back = max(result.start - result.size, 0)
        pages.append((PREVIOUS, _page_data(back, result)))
    if result.more:
        pages.append((NEXT, _page_data(result.start + result.size, result)))
    pages = [(label, data) for label, data in pages if data is not None]
    if pages:
        rows.append([InlineKeyboardButton(label, callback_data=data) for label, data in pages])
    return InlineKeyboardMarkup(rows)


def _page_data(offset: int, result: History) -> str | None:
    try:
        return HISTORY_PAGE.data(offset, result.size, result.key)
    except ValueError:  # a word too long in bytes for Telegram's 64: no paging, the page stays
        return None


async def history(update: Update, context: Context) -> None:
    """List transactions a page at a time (``/history 20``, ``/history food``), with delete
    buttons."""
    result = await call(update, context, listing.history, words=" ".join(context.args or []))
    await message_of(update).reply_text(
        render.history_text(result), reply_markup=history_keyboard(result)
    )


@HISTORY_PAGE.handles_text
async def page_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Show another page of the list (or the list again after "Keep it")."""
    offset, size, key = int(parts[0]), min(max(int(parts[1]), 1), listing.HISTORY_MAX), parts[2]
    result = await call(update, context, listing.history, key=key, offset=offset, size=size)
    await query.answer()
    await edit_pressed(
        query, context, render.history_text(result), reply_markup=history_keyboard(result)
    )


@DELETE.handles
async def delete_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Ask whether to delete the transaction whose button was tapped, naming it."""
    result = fresh(await call(update, context, listing.entry_to_delete, tx_id=ids[0]))
    await query.answer()
    entry = result.entries[0]
    await edit_pressed(
        query,
        context,
        f"Delete this transaction?\n{render.entry_line(entry, result.today)}",
        reply_markup=keyboard(
            [
                ("🗑 Delete it", DELETE_OK.data(entry.id)),
                ("✖️ Keep it", HISTORY_PAGE.data(0, HISTORY_SIZE, "")),
            ],
            per_row=2,
        ),
    )


@DELETE_OK.handles
async def delete_confirmed(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Delete the transaction the user confirmed and show the list again."""
    result = fresh(await call(update, context, listing.delete_from_history, tx_id=ids[0]))
    await query.answer("Deleted")
    removed = render.entry_line(result.removed, result.today) if result.removed else ""
    await edit_pressed(
        query,
        context,
        f"🗑 Deleted: {removed}\n\n{render.history_text(result)}",
        reply_markup=history_keyboard(result),
    )


async def undo(update: Update, context: Context) -> None:
    """Remove the user's last transaction and say what it was."""
    removed = await call(update, context, services.undo_last)
    text = render.removed_text(removed) if removed.entries else "There's nothing to undo yet."
    await message_of(update).reply_text(text)
