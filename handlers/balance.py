"""/balance: this month's income, expenses and net, and the all-time net."""

from __future__ import annotations

from telegram import Update

from handlers import render
from handlers.common import Context, call, message_of
from models.services import account


async def balance(update: Update, context: Context) -> None:
    """Show this month's totals per currency and the all-time net."""
    result = await call(update, context, account.balance)
    await message_of(update).reply_text(render.balance_text(result))
