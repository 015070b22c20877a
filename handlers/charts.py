"""/chart: one photo whose buttons switch the chart kind and period by editing it in place."""

from __future__ import annotations

import logging
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Update,
)

from bot.core.chartdata import (
    CategoryChart,
    CumulativeChart,
    DailyChart,
    MonthlyChart,
)
from bot.core.money import format_amount
from bot.core.periods import following, period_key, previous
from charts.worker import render_png
from handlers.common import (
    Context,
    actor,
    answer_stale,
    message_of,
    query_of,
    runtime,
    unit_of_work,
)
from models.services import reports
from models.services.reports import Chart

logger = logging.getLogger(__name__)

KIND_LABELS = {"cat": "🍩 Categories", "day": "📊 Daily", "cum": "📈 Running", "mon": "🗓 Months"}
KIND_WORDS = {
    **dict.fromkeys(("cat", "categories", "category", "donut", "pie", "where"), "cat"),
    **dict.fromkeys(("day", "daily", "days", "bars", "bar"), "day"),
    **dict.fromkeys(("cum", "cumulative", "running", "total", "pace", "trend"), "cum"),
    **dict.fromkeys(("mon", "months", "monthly", "income", "incomes"), "mon"),
}
PERIOD_BUTTONS = (("Week", "w0"), ("Month", "m0"), ("Year", "y0"))
CALLBACK = re.compile(r"^ch:(cat|day|cum|mon):([dwmy]\d{1,2}|r\d{8}-\d{8})$")
USAGE = (
    "Usage: /chart [kind] [period]\n"
    "Kinds: categories, daily, running, months\n"
    "Periods: today, week, month, last month, year, march, 2026-10, 1 oct - 15 oct\n"
    "For example: /chart daily last month"
)


async def chart(update: Update, context: Context) -> None:
    """Send a chart of the user's money with buttons to switch kind and period."""
    args = [a.lower() for a in context.args or []]
    kind = "cat"
    if args and args[0] in KIND_WORDS:
        kind = KIND_WORDS[args.pop(0)]
    async with unit_of_work(context) as session:
        result = await reports.chart(
            session=session,
            actor=actor(update, context),
            kind=kind,
            period=" ".join(args),
            now=runtime(context).clock(),
        )
    message = message_of(update)
    if result is None:
        await message.reply_text(f"I can't read that period.\n\n{USAGE}")
        return
    if result.data is None:
        await message.reply_text(nothing_text(result))
        return
    png = await render_png(actor(update, context).user_id, result.data)
    await message.reply_photo(
        png,
        filename=f"{result.kind}.png",
        caption=caption(result),
        reply_markup=chart_keyboard(result),
    )


async def chart_button(update: Update, context: Context) -> None:
    """Switch the chart in place to the kind and period on the pressed button."""
    query = query_of(update)
    found = CALLBACK.match(query.data or "")
    if found is None:
        await answer_stale(update)
        return
    async with unit_of_work(context) as session:
        result = await reports.chart(
            session=session,
            actor=actor(update, context),
            kind=found[1],
            period=found[2],
            now=runtime(context).clock(),
        )
    if result is None:
        await answer_stale(update)
        return
    if result.data is None:
        await query.answer(nothing_text(result))
        return
    png = await render_png(actor(update, context).user_id, result.data)
    await query.edit_message_media(
        InputMediaPhoto(png, filename=f"{result.kind}.png", caption=caption(result)),
        reply_markup=chart_keyboard(result),
    )
    await query.answer()


def nothing_text(result: Chart) -> str:
    what = "income or expenses" if result.kind == "mon" else "spending"
    return f"No {what} recorded for {result.label} yet. Try another period, or /chart year."


def caption(result: Chart) -> str:
    """``🍩 Spending by category · November 2026 · 1,504.50 USD``: what the picture shows."""
    data = result.data
    title = KIND_LABELS[result.kind]
    if isinstance(data, CategoryChart):
        total = sum((s.amount for s in data.slices), reports.ZERO)
        text = f"{title} · {data.period} · spent {format_amount(total, data.currency)}"
    elif isinstance(data, DailyChart):
        total = sum(data.amounts, reports.ZERO)
        text = f"{title} · {data.period} · spent {format_amount(total, data.currency)}"
        if data.daily_budget is not None:
            text += f" · budget pace {format_amount(data.daily_budget, data.currency)} a day"
    elif isinstance(data, CumulativeChart):
        spent = format_amount(sum(data.current, reports.ZERO), data.currency)
        before = format_amount(sum(data.previous, reports.ZERO), data.currency)
        text = f"{title} · {data.period} · spent {spent} ({data.previous_period}: {before})"
        if data.budget is not None:
            text += f" · budget {format_amount(data.budget, data.currency)}"
    elif isinstance(data, MonthlyChart):
        income = sum((m.income for m in data.months), reports.ZERO)
        expenses = sum((m.expenses for m in data.months), reports.ZERO)
        text = (
            f"{title} · {data.period} · in {format_amount(income, data.currency)}, "
            f"out {format_amount(expenses, data.currency)}"
        )
    else:
        text = title
    if data is not None and data.note:
        text += f"\n{data.note}"
    return text


def chart_keyboard(result: Chart) -> InlineKeyboardMarkup:
    """Kinds on the first row, periods on the second; the current ones are marked."""
    kinds = [
        InlineKeyboardButton(
            ("• " if kind == result.kind else "") + text, callback_data=f"ch:{kind}:{result.key}"
        )
        for kind, text in KIND_LABELS.items()
    ]
    earlier = period_key(previous(result.period), result.today, result.month_start)
    periods = [InlineKeyboardButton("◀", callback_data=f"ch:{result.kind}:{earlier}")]
    for text, key in PERIOD_BUTTONS:
        mark = "• " if key == result.key else ""
        periods.append(InlineKeyboardButton(mark + text, callback_data=f"ch:{result.kind}:{key}"))
    later = following(result.period)
    if later.start <= result.today:
        key = period_key(later, result.today, result.month_start)
        periods.append(InlineKeyboardButton("▶", callback_data=f"ch:{result.kind}:{key}"))
    return InlineKeyboardMarkup([kinds[:2], kinds[2:], periods])
