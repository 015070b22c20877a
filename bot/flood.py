"""Per-user flood control: a user sending faster than a person types is asked, once, to slow down.

A token bucket per user, in memory per process: ``burst`` updates at once, refilled at ``rate`` a
second. Over the limit the update is dropped before any handler (or the database) sees it, and
the user gets one polite notice per episode, not one per message. Other users are unaffected.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.runtime import bot_runtime

logger = logging.getLogger(__name__)

GATE_KEY = "penny.flood"
SLOW_DOWN = (
    "Slow down a little — you're sending messages faster than I can read them. "
    "I'll pick up your new ones again in a few seconds."
)
# Buckets of users idle long enough to be full again are forgotten every this many checks.
PRUNE_EVERY = 1000


class Verdict(enum.Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # the first update over the limit: tell the user once
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    updated: float
    notified: bool = False


class FloodGate:
    """Token buckets keyed by user id."""

    def __init__(
        self, burst: int, rate: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.rate = rate
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._checks = 0

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= self.burst:
            bucket.notified = False  # fully rested: a new flood earns a new notice
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self._prune(now)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.ALLOW
        if bucket.notified:
            return Verdict.DROP
        bucket.notified = True
        return Verdict.NOTIFY

    def _prune(self, now: float) -> None:
        full = [
            key
            for key, b in self._buckets.items()
            if b.tokens + (now - b.updated) * self.rate >= self.burst
        ]
        for key in full:
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)


def gate_of(context: ContextTypes.DEFAULT_TYPE) -> FloodGate | None:
    """The process's gate, made on first use from the settings; None when switched off."""
    gate: FloodGate | None = context.bot_data.get(GATE_KEY)
    if gate is None:
        settings = bot_runtime(context).settings
        if settings.flood_burst <= 0:
            return None
        gate = context.bot_data[GATE_KEY] = FloodGate(settings.flood_burst, settings.flood_rate)
    return gate


async def throttle(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop a user's update here when they send faster than the flood limit allows."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    gate = gate_of(context)
    if gate is None:
        return
    verdict = gate.check(update.effective_user.id)
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.NOTIFY:
        logger.info("user %d is flooding; dropping updates for a while", update.effective_user.id)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(SLOW_DOWN[:200], show_alert=True)
            elif update.effective_message is not None and update.effective_chat is not None:
                await update.effective_message.reply_text(SLOW_DOWN)
        except TelegramError:
            logger.warning("could not send the slow-down notice for update %d", update.update_id)
    raise ApplicationHandlerStop
