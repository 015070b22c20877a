"""/recurring: transactions posted automatically each week, month or year."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.core.schedules import RECURRING_USAGE, WEEKDAYS
from handlers import render
from handlers.buttons import Button
from handlers.common import Context, call, fresh, keyboard, message_of
from models.recurring import RecurringView
from models.services import recurring as recurring_cases
from models.services.recurring import RecurringHelp
from models.services.results import Rejected

DELETE = Button("rd", ints=1)  # recurring rule


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


def list_text(rules: list[RecurringView]) -> str:
    if not rules:
        return "No recurring transactions.\n\n" + RECURRING_USAGE
    lines = ["🔁 Recurring transactions:"]
    lines += [f"{n}. {rule_text(r)}" for n, r in enumerate(rules, start=1)]
    return "\n".join(lines) + "\n\nTap a number to delete it."


def list_keyboard(rules: list[RecurringView]) -> InlineKeyboardMarkup | None:
    if not rules:
        return None
    return keyboard(
        [(f"🗑 {n}", DELETE.data(r.id)) for n, r in enumerate(rules, start=1)], per_row=5
    )


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
    """Delete the tapped recurring transaction."""
    rules = fresh(
        await call(update, context, recurring_cases.delete_recurring, recurring_id=ids[0])
    )
    await query.answer("Deleted")
    await query.edit_message_text(list_text(rules), reply_markup=list_keyboard(rules))
