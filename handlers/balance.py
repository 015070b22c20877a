"""/balance: this month's income, expenses and net, and the all-time net."""

from __future__ import annotations

from telegram import Update

from handlers import render
from handlers.common import Context, call, message_of
from handlers.habits import extra_lines
from models.services import habits


async def balance(update: Update, context: Context) -> None:
    """Show this month's totals per currency and the all-time net."""
    result = await call(update, context, habits.balance)
    text = render.balance_text(result.balance)
    text += extra_lines(result.target, result.standing, period="this month")
    await message_of(update).reply_text(text)
