"""Runs /import's file work (``bot.core.csv_import.jobs``) in a worker process with limits.

A 1 MB CSV of 100,000 unreadable rows used to freeze every user for 13 s; four 20 MB uploads at
once added 783 MiB to the bot. Here the work runs in one worker process, off the event loop and
its GIL: uploads queue for it one after another, its memory is capped (``MEMORY_LIMIT``), a job
that runs longer than ``JOB_TIMEOUT_S`` is killed with its worker, and the worker dies with the
bot. Callers await :func:`run` outside any database transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import logging
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from bot.core.csv_import import ImportFileError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A 100,000-row file reads in a few seconds; one that takes this long is hostile or stuck.
JOB_TIMEOUT_S = 60.0
# The worker's address space: a 20 MB file split into its cells fits several times over.
MEMORY_LIMIT = 2 * 1024**3
_pool: ProcessPoolExecutor | None = None


class TooCostly(ImportFileError):
    message = "That file takes too much work to read; split it into smaller files."


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(), MEMORY_LIMIT),
        )
    return _pool


def _start_worker(parent_pid: int, memory_limit: int) -> None:
    """In a new worker: cap its memory and tie its life to the bot's."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    # A bot killed with SIGKILL runs no cleanup: Linux kills this process with it, and a
    # watchdog thread does elsewhere. (The chart worker does the same; the layers keep the two
    # from sharing code.)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _replace(pool: ProcessPoolExecutor) -> None:
    global _pool
    if _pool is pool:
        _pool = None
    # ProcessPoolExecutor can't cancel a running call: kill its process outright.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


async def run(job: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``job(*args, **kwargs)`` in the worker; its ``ImportFileError`` comes back as it was.

    Raises :class:`TooCostly` when the job runs out of time or memory.
    """
    pool = _executor()
    call = functools.partial(job, *args, **kwargs)
    try:
        return await asyncio.wait_for(
            asyncio.get_running_loop().run_in_executor(pool, call), JOB_TIMEOUT_S
        )
    except TimeoutError:
        logger.warning("an import job ran over %.0f s; replacing the import worker", JOB_TIMEOUT_S)
        _replace(pool)
        raise TooCostly() from None
    except MemoryError:
        logger.warning("an import job ran out of memory")
        raise TooCostly() from None
    except BrokenProcessPool:
        logger.warning("the import worker died; starting a new one for the next file")
        _replace(pool)
        raise TooCostly() from None


async def warm_up() -> None:
    """Start the worker now so the first upload doesn't wait for it."""
    await asyncio.get_running_loop().run_in_executor(_executor(), os.getpid)


def close() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
