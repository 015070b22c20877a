"""Answers to messages that ask or correct rather than record, and the buttons that confirm a
correction: "Change ₹500 food expense to ₹600" finds the entry and asks before changing it."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from bot.core.money import format_amount
from handlers import render
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard
from handlers.history import history_keyboard
from handlers.reports import report_text
from models.services import requests as services
from models.services.account import Balance
from models.services.history import History
from models.services.reports import Report
from models.services.requests import (
    Answer,
    NotFound,
    ProposedChange,
    ProposedRemoval,
    Recent,
    Spending,
)

# transaction, new amount in minor units, its currency
AMEND = Button("am", fields=(r"\d{1,18}", r"\d{1,18}", r"[A-Z]{3}"))
DROP = Button("rx", ints=1)  # transaction to remove
KEEP = Button("kp")


def spending_text(result: Spending) -> str:
    """``🛒 Groceries this month: 1,234.00 USD (5 entries)``"""
    head = f"{result.category.label} {result.period_label}"
    if not result.totals:
        return f"{head}: nothing recorded."
    sign = result.category.kind == "income"
    parts = [
        f"{format_amount(total, cur, sign=sign)} ({count} {'entry' if count == 1 else 'entries'})"
        for cur, (total, count) in sorted(result.totals.items())
    ]
    return f"{head}: " + ", ".join(parts)


async def answer_request(message: Message, outcome: Answer) -> None:
    """Reply to a question with its answer, to a correction with the entry and a button."""
    match outcome:
        case Spending():
            await message.reply_text(spending_text(outcome))
        case Balance():
            await message.reply_text(render.balance_text(outcome))
        case Report():
            await message.reply_text(report_text(outcome))
        case Recent():
            listed = History(outcome.entries, outcome.today)
            await message.reply_text(
                render.history_text(listed), reply_markup=history_keyboard(listed)
            )
        case ProposedChange():
            new = format_amount(outcome.amount, outcome.currency)
            await message.reply_text(
                f"Change this entry to {new}?\n{render.entry_line(outcome.entry, outcome.today)}",
                reply_markup=keyboard(
                    [
                        (
                            f"✅ Make it {new}",
                            AMEND.data(outcome.entry.id, outcome.amount_minor, outcome.currency),
                        ),
                        ("✖️ Keep it", KEEP.data()),
                    ],
                    per_row=2,
                ),
            )
        case ProposedRemoval():
            await message.reply_text(
                f"Remove this entry?\n{render.entry_line(outcome.entry, outcome.today)}",
                reply_markup=keyboard(
                    [("🗑 Remove it", DROP.data(outcome.entry.id)), ("✖️ Keep it", KEEP.data())],
                    per_row=2,
                ),
            )
        case NotFound():
            verb = "changed" if outcome.action == "change" else "removed"
            await message.reply_text(
                f"I couldn't find a {outcome.looked_for}, so nothing was {verb}. "
                "/history lists your last entries (🗑 removes one); editing the message you "
                "logged an entry with changes it."
            )


@AMEND.handles_text
async def amend_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Give the entry the amount the confirmed correction named."""
    result = fresh(
        await call(
            update,
            context,
            services.amend_entry,
            tx_id=int(parts[0]),
            amount_minor=int(parts[1]),
            currency=parts[2],
        )
    )
    await query.answer("Changed")
    await edit_pressed(query, context, render.logged_text(result))


@DROP.handles
async def drop_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Remove the entry the confirmed correction meant."""
    removed = fresh(await call(update, context, services.remove_entry, tx_id=ids[0]))
    await query.answer("Removed")
    await edit_pressed(query, context, render.removed_text(removed))


@KEEP.handles
async def keep_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Leave the entry as it was."""
    await query.answer()
    await edit_pressed(query, context, "OK, I left it as it was.")
