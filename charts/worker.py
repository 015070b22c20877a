"""The chart worker: renders off the event loop in a process of its own, with a small cache.

Handlers ask for ``render_png(user_id, data)``; ``forget_user`` drops a user's pictures after
/deleteme.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from typing import Any

from bot.core.chartdata import (
    CategoryChart,
    ChartData,
    CumulativeChart,
    DailyChart,
    MonthlyChart,
    Slice,
)
from charts.render import render_categories, render_cumulative, render_daily, render_monthly

logger = logging.getLogger(__name__)

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
