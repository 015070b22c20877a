"""The chart worker: renders off the event loop in a process of its own, with a small cache.

Handlers ask for ``render_png(user_id, data)``; a picture that takes longer than
``RENDER_TIMEOUT_S`` raises :class:`ChartUnavailable` and the worker is replaced (a hung worker
must not stop every later chart). The worker exits when the bot's process is gone, however it
went. ``forget_user`` drops a user's pictures after /deleteme.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
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
# A chart renders in well under a second; one that takes this long is stuck.
RENDER_TIMEOUT_S = 10.0
_pool: ProcessPoolExecutor | None = None


class ChartUnavailable(Exception):
    """The chart could not be drawn in time (the worker hung or kept dying)."""


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            RENDER_WORKERS,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
    return _pool


def _start_worker(parent_pid: int) -> None:
    """In a new worker: die with the bot, then load matplotlib and the fonts."""
    _die_with_parent(parent_pid)
    render_categories(CategoryChart("warm-up", "USD", (Slice("Food 食 €$", Decimal(1)),)))


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    # A bot killed with SIGKILL (or crashed) runs no cleanup, and its workers would live on as
    # orphans holding ~150 MB each. Linux kills this process when the parent goes; a watchdog
    # thread does the same elsewhere (and if the kernel call is unavailable).
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the call above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _replace(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose worker hung or died; the next chart starts a fresh one."""
    global _pool
    if _pool is pool:
        _pool = None
    # ProcessPoolExecutor can't cancel a running call: kill its processes outright.
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


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
    """The chart as PNG, from the cache or rendered in a worker process.

    Raises :class:`ChartUnavailable` when it isn't drawn within ``RENDER_TIMEOUT_S`` (the
    worker is then replaced) or the worker died twice in a row.
    """
    key = (user_id, data)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    renderer = RENDERERS[type(data)]
    loop = asyncio.get_running_loop()
    for attempt in (1, 2):
        pool = _executor()
        try:
            png = await asyncio.wait_for(
                loop.run_in_executor(pool, renderer, data), RENDER_TIMEOUT_S
            )
            break
        except TimeoutError:
            logger.warning("a chart took over %.0f s; replacing the chart worker", RENDER_TIMEOUT_S)
            _replace(pool)
            raise ChartUnavailable from None
        except BrokenProcessPool:
            # A worker died (killed, out of memory): start a fresh one and try once more.
            logger.warning("a chart worker died (attempt %d); starting a new one", attempt)
            _replace(pool)
    else:
        raise ChartUnavailable
    _cache[key] = png
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return png
