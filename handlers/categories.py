"""/categories, and teaching Penny a keyword after a category change."""

from __future__ import annotations

from collections import defaultdict

from telegram import CallbackQuery, Message, Update

from bot.core.rules import CATEGORIES_USAGE, CategoriesUsage, parse_categories_args
from handlers.buttons import Button
from handlers.common import Context, call, fresh, keyboard, message_of
from models.services import categories as catalog
from models.services.categories import Catalog, Refused
from models.services.entries import Logged

LEARN = Button("lr", ints=2)  # transaction, category: always file its word there
JUST_ONCE = Button("ln")

USAGE = CATEGORIES_USAGE
# Learned words listed per category; the list stays well inside one message.
LEARNED_SHOWN = 6


def catalog_text(result: Catalog) -> str:
    learned: dict[int, list[str]] = defaultdict(list)
    for rule in result.rules:
        learned[rule.category.id].append(rule.keyword)
    lines = [f"✅ {result.done}", ""] if result.done else []
    for title, categories in (("Expenses", result.expense), ("Income", result.income)):
        lines.append(f"{title}:")
        for category in categories:
            taught = learned.get(category.id, [])
            shown = ", ".join(taught[:LEARNED_SHOWN]) + (
                ", …" if len(taught) > LEARNED_SHOWN else ""
            )
            suffix = f" — learned: {shown}" if taught else ""
            lines.append(f"  {category.label}{suffix}")
        lines.append("")
    lines.append(USAGE)
    return "\n".join(lines)


async def categories(update: Update, context: Context) -> None:
    """List, add, rename, re-emoji and remove categories; forget learned keywords."""
    try:
        command = parse_categories_args(context.args or [])
    except CategoriesUsage:
        await message_of(update).reply_text("I didn't get that.\n\n" + USAGE)
        return
    result = await call(update, context, catalog.categories_command, command=command)
    if isinstance(result, Refused):
        await message_of(update).reply_text(f"⚠️ {result.reason}")
        return
    await message_of(update).reply_text(catalog_text(result))


async def offer_rule(message: Message, logged: Logged) -> None:
    """After a category change, offer to file that word there from now on."""
    if logged.learn_keyword is None or not logged.entries:
        return
    entry = logged.entries[0]
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
    await query.edit_message_text("OK, just this once.")


@LEARN.handles
async def learn_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Remember the keyword → category rule the user agreed to."""
    learned = fresh(
        await call(update, context, catalog.learn_rule, tx_id=ids[0], category_id=ids[1])
    )
    await query.answer("Learned")
    await query.edit_message_text(
        f"👍 From now on “{learned.keyword}” goes under {learned.category.label}. "
        "/categories shows what I've learned."
    )
