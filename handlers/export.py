"""/export: every transaction of the user as a CSV document."""

from __future__ import annotations

from telegram import InputFile, Update

from handlers.common import Context, actor, message_of, runtime, unit_of_work
from models import services


async def export(update: Update, context: Context) -> None:
    """Send all the user's transactions as penny-export-DATE.csv."""
    async with unit_of_work(context) as session:
        data = await services.export_csv(session=session, actor=actor(update, context))
    message = message_of(update)
    if data is None:
        await message.reply_text("You have no transactions to export yet.")
        return
    day = runtime(context).clock().date().isoformat()
    await message.reply_document(
        InputFile(data, filename=f"penny-export-{day}.csv"),
        caption="All your transactions: date, type, amount, currency, category, note.",
    )
