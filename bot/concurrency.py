"""Run updates from different users at once while each user's updates keep their order.

PTB's plain ``concurrent_updates`` would let an edit overtake the message it edits, or two quick
messages from one user race; a per-user lock keeps one user's updates sequential. A group's
updates share one lock: they act on one shared ledger, so they keep the group's order too (a
member's entry before another's /undo, the supergroup move before what is written after it). A
user over the flood limit (``bot.flood``) waits for their turn on that lock, holding no slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.flood import AT_ONCE, FloodGate, Pace


class PerUserUpdateProcessor(BaseUpdateProcessor):
    # PTB's own semaphore is taken before do_process_update; make it wide so that only this
    # class's slots, taken after the user's lock, limit concurrency.
    UNBOUNDED = 1 << 20

    def __init__(self, max_concurrent_updates: int, gate: FloodGate | None = None) -> None:
        super().__init__(self.UNBOUNDED)
        self._gate = gate
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: dict[int, int] = {}
        # Set when the application stops: what is queued runs without its pacing (see drain).
        self._draining = asyncio.Event()

    @staticmethod
    def _key(update: object) -> int:
        if isinstance(update, Update):
            chat = update.effective_chat
            if chat is not None and chat.type in {"group", "supergroup"}:
                return chat.id  # negative: never a user's key
            if update.effective_user is not None:
                return update.effective_user.id
            if update.effective_chat is not None:
                return update.effective_chat.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # The user's turn is taken as the update arrives, before any await, so the updates
        # queued behind their lock count towards the backlog MAX_WAIT bounds (taken under the
        # lock, each turn saw only the one before it, and no backlog was ever refused).
        pace = self._reserve(update)
        if pace.refused:
            # Nothing to wait for: the throttle handler says so and stops it, at once.
            async with self._slots:
                await coroutine
            return
        reserved = time.monotonic()
        # The user's lock first, a slot second: a user with a burst of queued updates waits on
        # their own lock and holds no slot, so other users are never starved by them.
        key = self._key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._queued[key] = self._queued.get(key, 0) + 1
        try:
            async with lock:
                # The wait counts from arrival: time spent behind the lock was part of it.
                left = pace.wait - (time.monotonic() - reserved)
                if left > 0 and not self._draining.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._draining.wait(), left)
                async with self._slots:
                    await coroutine
        finally:
            self._queued[key] -= 1
            if not self._queued[key]:
                # Forget idle users so the table doesn't grow with every user ever seen.
                del self._queued[key]
                del self._locks[key]

    def _reserve(self, update: object) -> Pace:
        """The user's next turn when they send faster than the flood limit."""
        if self._gate is None or not isinstance(update, Update):
            return AT_ONCE
        if update.effective_user is None:
            return AT_ONCE
        pace = self._gate.reserve(update.effective_user.id)
        self._gate.hold(update.update_id, pace)
        return pace

    def drain(self) -> None:
        """Stop pacing: run what is queued as fast as it comes. Stopping waits for every update
        fetched, all acknowledged to Telegram (and the user told not to resend them): paced, a
        backlog would outlast a process manager's kill timeout and be lost."""
        self._draining.set()

    async def initialize(self) -> None:
        self._draining.clear()

    async def shutdown(self) -> None:
        return None
