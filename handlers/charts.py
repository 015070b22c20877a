"""/chart: one photo whose buttons switch the chart kind and period by editing it in place."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Update,
)

from bot.core.chartdata import (
    CategoryChart,
    ChartData,
    CumulativeChart,
    DailyChart,
    MonthlyChart,
)
from bot.core.money import format_amount
from bot.core.periods import following, period_key, previous
from charts.worker import ChartUnavailable, render_png
from handlers.buttons import Button, StalePress
from handlers.common import Context, actor, call, message_of
from models.services import charts as chart_cases
from models.services.charts import Chart
from models.services.reports import Unreadable

logger = logging.getLogger(__name__)

ZERO = Decimal(0)

KIND_LABELS = {"cat": "🍩 Categories", "day": "📊 Daily", "cum": "📈 Running", "mon": "🗓 Months"}
KIND_WORDS = {
    **dict.fromkeys(("cat", "categories", "category", "donut", "pie", "where"), "cat"),
    **dict.fromkeys(("day", "daily", "days", "bars", "bar"), "day"),
    **dict.fromkeys(("cum", "cumulative", "running", "total", "pace", "trend"), "cum"),
    **dict.fromkeys(("mon", "months", "monthly", "income", "incomes"), "mon"),
}
PERIOD_BUTTONS = (("Week", "w0"), ("Month", "m0"), ("Year", "y0"))
SWITCH = Button("ch", fields=("cat|day|cum|mon", r"[dwmy]\d{1,2}|r\d{8}-\d{8}"))  # kind, period
TOO_SLOW = "Sorry, I couldn't draw that chart just now. Please try again in a moment."
STILL_DRAWING = "Still drawing your last chart — one moment."
# Users whose chart is being drawn: one at a time each, so a hung worker can't pile them up.
_drawing: set[int] = set()

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
    message = message_of(update)
    user_id = actor(update, context).user_id
    if user_id in _drawing:
        await message.reply_text(STILL_DRAWING)
        return
    result = await call(update, context, chart_cases.chart, kind=kind, period=" ".join(args))
    if isinstance(result, Unreadable):
        await message.reply_text(f"I can't read that period.\n\n{USAGE}")
        return
    if result.data is None:
        await message.reply_text(nothing_text(result))
        return

    async def send(png: bytes | None) -> None:
        if png is None:
            await message.reply_text(TOO_SLOW)
            return
        await message.reply_photo(
            png,
            filename=f"{result.kind}.png",
            caption=caption(result),
            reply_markup=chart_keyboard(result),
        )

    _draw_later(update, context, user_id, result.data, send)


@SWITCH.handles_text
async def chart_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Switch the chart in place to the kind and period on the pressed button."""
    kind, period = parts
    user_id = actor(update, context).user_id
    if user_id in _drawing:
        await query.answer(STILL_DRAWING)
        return
    result = await call(update, context, chart_cases.chart, kind=kind, period=period)
    if isinstance(result, Unreadable):
        raise StalePress
    if result.data is None:
        await query.answer(nothing_text(result))
        return

    async def send(png: bytes | None) -> None:
        if png is None:
            await query.answer(TOO_SLOW)
            return
        await query.edit_message_media(
            InputMediaPhoto(png, filename=f"{result.kind}.png", caption=caption(result)),
            reply_markup=chart_keyboard(result),
        )
        await query.answer()

    _draw_later(update, context, user_id, result.data, send)


def _draw_later(
    update: Update,
    context: Context,
    user_id: int,
    data: ChartData,
    send: Callable[[bytes | None], Awaitable[None]],
) -> None:
    """Draw in a task of its own, then ``send`` the picture (None: it couldn't be drawn).

    The user's next update doesn't wait for the picture (each user's updates are handled in
    order, one at a time), and a user has one chart drawing at a time.
    """
    _drawing.add(user_id)

    async def run() -> None:
        try:
            png: bytes | None = await render_png(user_id, data)
        except ChartUnavailable:
            png = None
        finally:
            _drawing.discard(user_id)
        await send(png)

    # PTB's task: its errors reach the error handler with the update, and stop() awaits it.
    context.application.create_task(run(), update=update)


def nothing_text(result: Chart) -> str:
    what = "income or expenses" if result.kind == "mon" else "spending"
    return f"No {what} recorded for {result.label} yet. Try another period, or /chart year."


def caption(result: Chart) -> str:
    """``🍩 Spending by category · November 2026 · 1,504.50 USD``: what the picture shows."""
    data = result.data
    title = KIND_LABELS[result.kind]
    if isinstance(data, CategoryChart):
        total = sum((s.amount for s in data.slices), ZERO)
        text = f"{title} · {data.period} · spent {format_amount(total, data.currency)}"
    elif isinstance(data, DailyChart):
        total = sum(data.amounts, ZERO)
        text = f"{title} · {data.period} · spent {format_amount(total, data.currency)}"
        if data.daily_budget is not None:
            text += f" · budget pace {format_amount(data.daily_budget, data.currency)} a day"
    elif isinstance(data, CumulativeChart):
        spent = format_amount(sum(data.current, ZERO), data.currency)
        before = format_amount(sum(data.previous, ZERO), data.currency)
        text = f"{title} · {data.period} · spent {spent} ({data.previous_period}: {before})"
        if data.budget is not None:
            text += f" · budget {format_amount(data.budget, data.currency)}"
    elif isinstance(data, MonthlyChart):
        income = sum((m.income for m in data.months), ZERO)
        expenses = sum((m.expenses for m in data.months), ZERO)
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
            ("• " if kind == result.kind else "") + text,
            callback_data=SWITCH.data(kind, result.key),
        )
        for kind, text in KIND_LABELS.items()
    ]
    earlier = period_key(previous(result.period), result.today, result.month_start)
    periods = [InlineKeyboardButton("◀", callback_data=SWITCH.data(result.kind, earlier))]
    for text, key in PERIOD_BUTTONS:
        mark = "• " if key == result.key else ""
        periods.append(
            InlineKeyboardButton(mark + text, callback_data=SWITCH.data(result.kind, key))
        )
    later = following(result.period)
    if later.start <= result.today:
        key = period_key(later, result.today, result.month_start)
        periods.append(InlineKeyboardButton("▶", callback_data=SWITCH.data(result.kind, key)))
    return InlineKeyboardMarkup([kinds[:2], kinds[2:], periods])
