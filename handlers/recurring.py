"""/recurring: transactions posted automatically each week, month or year."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.core.schedules import RECURRING_USAGE, WEEKDAYS
from handlers import render
from handlers.common import (
    Context,
    actor,
    answer_stale,
    button,
    keyboard,
    message_of,
    runtime,
    unit_of_work,
)
from models.recurring import RecurringView
from models.services import planning
from models.services.entries import Rejected
from models.services.planning import RecurringHelp


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
    return keyboard([(f"🗑 {n}", f"rd:{r.id}") for n, r in enumerate(rules, start=1)], per_row=5)


async def recurring(update: Update, context: Context) -> None:
    """List recurring transactions, or add one: /recurring add rent 15000 monthly on 1."""
    args = context.args or []
    message = message_of(update)
    if args and args[0].lower() == "add":
        async with unit_of_work(context) as session:
            result = await planning.add_recurring(
                session=session,
                actor=actor(update, context),
                words=args[1:],
                now=runtime(context).clock(),
            )
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
    async with unit_of_work(context) as session:
        rules = await planning.list_recurring(session=session, actor=actor(update, context))
    await message.reply_text(list_text(rules), reply_markup=list_keyboard(rules))


@button("rd", 1)
async def delete_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Delete the tapped recurring transaction."""
    async with unit_of_work(context) as session:
        rules = await planning.delete_recurring(
            session=session, actor=actor(update, context), recurring_id=ids[0]
        )
    if rules is None:
        await answer_stale(update)
        return
    await query.answer("Deleted")
    await query.edit_message_text(list_text(rules), reply_markup=list_keyboard(rules))
