"""/chart: one photo whose buttons switch the chart kind and period by editing it in place."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import re
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Update,
)

from bot.money import format_amount
from bot.periods import following, period_key, previous
from charts.data import (
    CategoryChart,
    ChartData,
    CumulativeChart,
    DailyChart,
    MonthlyChart,
    Slice,
)
from charts.render import render_categories, render_cumulative, render_daily, render_monthly
from handlers.common import (
    Context,
    actor,
    answer_stale,
    message_of,
    query_of,
    runtime,
    unit_of_work,
)
from models import reports
from models.reports import Chart

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

RENDERERS: dict[type, Callable[[Any], bytes]] = {
    CategoryChart: render_categories,
    DailyChart: render_daily,
    CumulativeChart: render_cumulative,
    MonthlyChart: render_monthly,
}

# Rendered PNGs keyed by the chart's own data: any change that alters the picture (a new or
# edited transaction, a rate, a renamed category) changes the key, in every process alike.
CACHE_SIZE = 64
_cache: OrderedDict[tuple[int, ChartData], bytes] = OrderedDict()
# Charts render in worker processes. matplotlib holds the GIL through long C stretches: with
# render threads the event loop stalled for 100+ ms under load (bench/charts_bench.py), with
# processes it shares no GIL. Spawned rather than forked, since this process runs threads.
# One worker leaves the other core to the event loop and the database: on a 2-core machine two
# workers finished no sooner and let the loop stall for up to 70 ms; one kept it under 10 ms.
RENDER_WORKERS = 1
_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            RENDER_WORKERS,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_warm_worker,
        )
    return _pool


def _warm_worker() -> None:
    """Load matplotlib and the fonts in a new worker before its first real chart."""
    render_categories(CategoryChart("warm-up", "USD", (Slice("Food 食 €$", Decimal(1)),)))


async def warm_up() -> None:
    """Start every render worker now (about a second each) so no user waits for it later."""
    loop = asyncio.get_running_loop()
    pool = _executor()
    await asyncio.gather(*(loop.run_in_executor(pool, os.getpid) for _ in range(RENDER_WORKERS)))


def close() -> None:
    """Stop the render workers (at shutdown); the next chart starts them again."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def forget_user(user_id: int) -> None:
    """Drop a user's cached charts (after /deleteme nothing of theirs stays in memory)."""
    for key in [key for key in _cache if key[0] == user_id]:
        del _cache[key]


async def render_png(user_id: int, data: ChartData) -> bytes:
    """The chart as PNG, from the cache or rendered in a worker process."""
    global _pool
    key = (user_id, data)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    renderer = RENDERERS[type(data)]
    try:
        png = await asyncio.get_running_loop().run_in_executor(_executor(), renderer, data)
    except BrokenProcessPool:
        # A worker died (killed, out of memory): start afresh next time, draw this one here.
        logger.warning("a chart worker died; rendering in a thread instead", exc_info=True)
        _pool = None
        png = await asyncio.to_thread(renderer, data)
    _cache[key] = png
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return png


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
