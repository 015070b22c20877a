"""/export: the user's transactions, all or for a period, as CSV or XLSX."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.core.exporting import (
    ExportArgsError,
    JsonPeriodError,
    render_csv,
    render_json,
    render_xlsx,
)
from handlers.common import Context, call, message_of
from models.services.exports import export_data


async def export(update: Update, context: Context) -> None:
    """Send the user's transactions as penny-export-PERIOD-DATE.csv (or .xlsx)."""
    message = message_of(update)
    try:
        data = await call(update, context, export_data, args=context.args or [])
    except (ExportArgsError, JsonPeriodError) as exc:
        await message.reply_text(str(exc))
        return
    request = data.request
    if request.format == "json":
        content, count = await asyncio.to_thread(
            render_json, data.everything, data.today.isoformat()
        )
        await message.reply_document(
            InputFile(content, filename=f"penny-data-{data.today.isoformat()}.json"),
            caption=f"Everything Penny stores about you ({count} records, table by table). "
            "/privacy says what each is for.",
        )
        return
    if not data.rows:
        scope = "yet" if request.period is None else f"for {request.label}"
        await message.reply_text(f"You have no transactions to export {scope}.")
        return
    if request.format == "xlsx":
        # openpyxl is synchronous and CPU-bound; keep it off the event loop.
        content, count = await asyncio.to_thread(render_xlsx, data.rows, members=data.members)
    else:
        content, count = render_csv(data.rows, members=data.members)
    scope = "" if request.period is None else f"-{request.slug}"
    filename = f"penny-export{scope}-{data.today.isoformat()}.{request.format}"
    whose = "the household's" if data.members else "your"
    what = (
        f"All {whose} transactions"
        if request.period is None
        else f"Transactions for {request.label}"
    )
    columns = "date, type, amount, currency, category, note" + (", member" if data.members else "")
    await message.reply_document(
        InputFile(content, filename=filename),
        caption=f"{what} ({count}): {columns}. Send the CSV back with /import to restore it.",
    )
