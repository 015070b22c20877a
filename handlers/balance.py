"""/balance: this month's income, expenses and net, and the all-time net."""

from __future__ import annotations

from telegram import Update

from handlers import render
from handlers.common import Context, actor, message_of, runtime, unit_of_work
from models.services import entries as services


async def balance(update: Update, context: Context) -> None:
    """Show this month's totals per currency and the all-time net."""
    async with unit_of_work(context) as session:
        result = await services.balance(
            session=session, actor=actor(update, context), now=runtime(context).clock()
        )
    await message_of(update).reply_text(render.balance_text(result))
