"""/sort: file, one by one, what Penny saved in Other because it couldn't tell the category."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from handlers import render
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from models.services import sorting
from models.services.sorting import ToSort

SORT = Button("so", ints=2)  # transaction to sort, category
SKIP = Button("sk", ints=1)  # transaction to leave for now

ALL_SORTED = "✅ Nothing to sort: every entry has its category."


def to_sort_text(result: ToSort, done: str = "") -> str:
    head = f"{done}\n\n" if done else ""
    if result.entry is None:
        return head + ALL_SORTED
    left = f" ({result.left} left)" if result.left > 1 else ""
    line = render.entry_line(result.entry, result.today)
    return f"{head}📥 To sort{left}:\n{line}\nWhich category?"


def to_sort_keyboard(result: ToSort) -> InlineKeyboardMarkup | None:
    if result.entry is None:
        return None
    entry = result.entry
    markup = keyboard([(c.label, SORT.data(entry.id, c.id)) for c in result.categories])
    skip = keyboard([("Skip ➡️", SKIP.data(entry.id))]) if result.left > 1 else None
    rows = [*markup.inline_keyboard, *(skip.inline_keyboard if skip else ())]
    return InlineKeyboardMarkup(rows)


async def sort_command(update: Update, context: Context) -> None:
    """Show the oldest entry still to sort, with a button per category."""
    result = await call(update, context, sorting.next_to_sort)
    await message_of(update).reply_text(to_sort_text(result), reply_markup=to_sort_keyboard(result))


@SORT.handles
async def sort_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """File the entry under the tapped category and show the next one."""
    result = fresh(
        await call(update, context, sorting.sort_entry, tx_id=ids[0], category_id=ids[1])
    )
    filed = result.filed.entries[0]
    done = f"✅ Filed: {render.entry_line(filed, result.filed.today)}"
    if result.filed.learned is not None and filed.category is not None:
        done += f"\n📚 “{result.filed.learned}” goes under {filed.category.label} from now on."
    await query.answer("Filed")
    await edit_pressed(
        query, context, to_sort_text(result.next, done), reply_markup=to_sort_keyboard(result.next)
    )


@SKIP.handles
async def skip_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Leave this entry for now and show the next one."""
    result = await call(update, context, sorting.next_to_sort, after_id=ids[0])
    await query.answer()
    await edit_pressed(query, context, to_sort_text(result), reply_markup=to_sort_keyboard(result))
