"""/categories, and teaching Penny a keyword after a category change."""

from __future__ import annotations

from collections import defaultdict

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update

from bot.core.rules import (
    CATEGORIES_USAGE,
    CategoriesCommand,
    CategoriesUsage,
    FormulaName,
    parse_categories_args,
)
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from handlers.paging import page_buttons, paginate
from handlers.render import short
from models.services import categories as catalog
from models.services.categories import Catalog, Refused
from models.services.receipts import Logged

LEARN = Button("lr", ints=2)  # transaction, category: always file its word there
JUST_ONCE = Button("ln")
PAGE = Button("catp", ints=1)  # page of the list

USAGE = CATEGORIES_USAGE
# Learned words listed per category, each cut short, and categories per page: a page with
# every category at its longest still fits in one message.
LEARNED_SHOWN = 6
WORD_SHOWN = 20
CATEGORIES_PER_PAGE = 15


def catalog_text(result: Catalog, page: int = 0) -> str:
    learned: dict[int, list[str]] = defaultdict(list)
    for rule in result.rules:
        learned[rule.category.id].append(short(rule.keyword, WORD_SHOWN))
    everything = [("Expenses", c) for c in result.expense] + [("Income", c) for c in result.income]
    shown = paginate(everything, page, CATEGORIES_PER_PAGE)
    lines = [f"✅ {result.done}", ""] if result.done else []
    if shown.count > 1:
        lines.append(f"Your categories ({shown.span}):")
    title = None
    for kind, category in shown.items:
        if kind != title:
            if title is not None:
                lines.append("")
            title = kind
            lines.append(f"{kind}:")
        taught = learned.get(category.id, [])
        words = ", ".join(taught[:LEARNED_SHOWN]) + (", …" if len(taught) > LEARNED_SHOWN else "")
        suffix = f" — learned: {words}" if taught else ""
        lines.append(f"  {category.label}{suffix}")
    lines += ["", USAGE]
    return "\n".join(lines)


def catalog_keyboard(result: Catalog, page: int = 0) -> InlineKeyboardMarkup | None:
    count = len(result.expense) + len(result.income)
    shown = paginate(range(count), page, CATEGORIES_PER_PAGE)
    buttons = page_buttons(shown, PAGE.data)
    return keyboard(buttons, per_row=2) if buttons else None


async def categories(update: Update, context: Context) -> None:
    """List, add, rename, re-emoji and remove categories; forget learned keywords."""
    try:
        command = parse_categories_args(context.args or [])
    except FormulaName as exc:
        await message_of(update).reply_text(f"⚠️ {exc}")
        return
    except CategoriesUsage:
        await message_of(update).reply_text("I didn't get that.\n\n" + USAGE)
        return
    result = await call(update, context, catalog.categories_command, command=command)
    if isinstance(result, Refused):
        await message_of(update).reply_text(f"⚠️ {result.reason}")
        return
    if result.done:  # what changed, not the ~30 lines of the whole list again
        await message_of(update).reply_text(f"✅ {result.done} /categories lists them all.")
        return
    await message_of(update).reply_text(catalog_text(result), reply_markup=catalog_keyboard(result))


@PAGE.handles
async def page_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Show another page of the categories."""
    result = await call(
        update, context, catalog.categories_command, command=CategoriesCommand("list")
    )
    await query.answer()
    if isinstance(result, Catalog):
        await edit_pressed(
            query,
            context,
            catalog_text(result, ids[0]),
            reply_markup=catalog_keyboard(result, ids[0]),
        )


async def offer_rule(message: Message, logged: Logged) -> None:
    """After a category change, offer to file that word there from now on."""
    if logged.learn_keyword is None or not logged.entries:
        return
    entry = logged.focused
    if entry.category is None:
        return
    await message.reply_text(
        f"Always file “{logged.learn_keyword}” under {entry.category.label}?",
        reply_markup=keyboard(
            [("Yes, always", LEARN.data(entry.id, entry.category.id)), ("No", JUST_ONCE.data())],
            per_row=2,
        ),
    )


@JUST_ONCE.handles
async def just_once_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Leave the rule unlearned."""
    await query.answer()
    await edit_pressed(query, context, "OK, just this once.")


@LEARN.handles
async def learn_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Remember the keyword → category rule the user agreed to."""
    learned = fresh(
        await call(update, context, catalog.learn_rule, tx_id=ids[0], category_id=ids[1])
    )
    await query.answer("Learned")
    await edit_pressed(
        query,
        context,
        f"👍 From now on “{learned.keyword}” goes under {learned.category.label}. "
        "/categories shows what I've learned.",
    )
