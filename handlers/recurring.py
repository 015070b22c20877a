"""/recurring: transactions posted automatically each week, month or year."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.core.schedules import RECURRING_USAGE, WEEKDAYS
from handlers import render
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from handlers.paging import page_buttons, paginate
from models.recurring import RecurringView
from models.services import recurring as recurring_cases
from models.services.recurring import RecurringHelp
from models.services.results import Rejected

DELETE = Button("rd", ints=1)  # recurring rule
PAGE = Button("rpg", ints=1)  # page of the list
RULES_PER_PAGE = 10


def rule_text(rule: RecurringView) -> str:
    if rule.frequency == "weekly":
        when = f"every {WEEKDAYS[rule.day].title()}"
    elif rule.frequency == "monthly":
        when = f"monthly on day {rule.day}"
    else:
        when = f"yearly on {rule.day}/{rule.month}"
    what = render.signed(rule.kind, rule.amount, rule.currency)
    category = f" · {rule.category.label}" if rule.category else ""
    note = f" · {render.short(rule.note)}" if rule.note else ""
    return f"{what}{category}{note} — {when}, next {rule.next_on:%-d %b %Y}"


def list_text(rules: list[RecurringView], page: int = 0) -> str:
    if not rules:
        return "No recurring transactions.\n\n" + RECURRING_USAGE
    shown = paginate(rules, page, RULES_PER_PAGE)
    span = f" ({shown.span})" if shown.count > 1 else ""
    lines = [f"🔁 Recurring transactions{span}:"]
    lines += [f"{n}. {rule_text(r)}" for n, r in enumerate(shown.items, start=shown.start + 1)]
    return "\n".join(lines) + "\n\nTap a number to delete it."


def list_keyboard(rules: list[RecurringView], page: int = 0) -> InlineKeyboardMarkup | None:
    if not rules:
        return None
    shown = paginate(rules, page, RULES_PER_PAGE)
    deletes = keyboard(
        [(f"🗑 {n}", DELETE.data(r.id)) for n, r in enumerate(shown.items, start=shown.start + 1)],
        per_row=5,
    )
    pages = keyboard(page_buttons(shown, PAGE.data), per_row=2)
    return InlineKeyboardMarkup([*deletes.inline_keyboard, *pages.inline_keyboard])


async def recurring(update: Update, context: Context) -> None:
    """List recurring transactions, or add one: /recurring add rent 15000 monthly on 1."""
    args = context.args or []
    message = message_of(update)
    if args and args[0].lower() == "add":
        result = await call(update, context, recurring_cases.add_recurring, words=args[1:])
        if isinstance(result, RecurringHelp):
            await message.reply_text(RECURRING_USAGE)
            return
        if isinstance(result, Rejected):
            await message.reply_text(f"⚠️ {result.reason} Nothing was saved.")
            return
        await message.reply_text(f"🔁 Saved: {rule_text(result)}")
        return
    if args:
        await message.reply_text(RECURRING_USAGE)
        return
    rules = await call(update, context, recurring_cases.list_recurring)
    await message.reply_text(list_text(rules), reply_markup=list_keyboard(rules))


@DELETE.handles
async def delete_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Delete the tapped recurring transaction; the list stays on the page it was on."""
    left = fresh(await call(update, context, recurring_cases.delete_recurring, recurring_id=ids[0]))
    await query.answer("Deleted")
    page = left.position // RULES_PER_PAGE
    await edit_pressed(
        query, context, list_text(left.rules, page), reply_markup=list_keyboard(left.rules, page)
    )


@PAGE.handles
async def page_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Show another page of the list."""
    rules = await call(update, context, recurring_cases.list_recurring)
    await query.answer()
    await edit_pressed(
        query, context, list_text(rules, ids[0]), reply_markup=list_keyboard(rules, ids[0])
    )
