"""/categories, and teaching Penny a keyword after a category change."""

from __future__ import annotations

from collections import defaultdict

from telegram import Message, Update

from bot.core.rules import CATEGORIES_USAGE, CategoriesUsage, parse_categories_args
from handlers.common import (
    Context,
    actor,
    answer_stale,
    callback_ints,
    keyboard,
    message_of,
    query_of,
    runtime,
    unit_of_work,
)
from models.services import categories as catalog
from models.services.categories import Catalog, Refused
from models.services.entries import Logged

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
    async with unit_of_work(context) as session:
        result = await catalog.categories_command(
            session=session,
            actor=actor(update, context),
            command=command,
            now=runtime(context).clock(),
        )
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
            [("Yes, always", f"lr:{entry.id}:{entry.category.id}"), ("No", "ln")], per_row=2
        ),
    )


async def learn_button(update: Update, context: Context) -> None:
    """Remember the keyword → category rule the user agreed to."""
    query = query_of(update)
    if query.data == "ln":
        await query.answer()
        await query.edit_message_text("OK, just this once.")
        return
    ids = callback_ints(query.data, "lr", 2)
    if ids is None:
        await answer_stale(update)
        return
    async with unit_of_work(context) as session:
        learned = await catalog.learn_rule(
            session=session, actor=actor(update, context), tx_id=ids[0], category_id=ids[1]
        )
    if learned is None:
        await answer_stale(update)
        return
    keyword, category = learned
    await query.answer("Learned")
    await query.edit_message_text(
        f"👍 From now on “{keyword}” goes under {category.label}. "
        "/categories shows what I've learned."
    )
