"""Per-user flood control: a user sending faster than a person types is paced, not dropped.

A token bucket per user, in memory per process: ``burst`` updates at once, refilled at ``rate`` a
second. An update over the limit waits for its token, on that user's own lock and before it takes
one of the shared slots (``bot.concurrency``), so a burst of forwarded messages is saved in full,
a second apart, while other users are served as usual. The user is told once per episode. Only a
backlog no person could type (``MAX_WAIT`` seconds of waiting) is refused, and said so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

logger = logging.getLogger(__name__)

GATE_KEY = "penny.flood"
SLOW_DOWN = (
    "That's a lot at once — I'll get to every one of them, about one a second. "
    "No need to send them again."
)
TOO_MANY = (
    "That's more than I can queue at once: I'm handling the first ones and skipped the rest. "
    "Send those again in a few minutes."
)
# The longest an update waits for its turn; beyond it the backlog is refused (a few minutes of
# messages at the default rate: more than anyone forwards at once).
MAX_WAIT = 300.0
# Buckets of users idle long enough to be full again are forgotten every this many checks.
PRUNE_EVERY = 1000


@dataclass(frozen=True, slots=True)
class Pace:
    """When an update may run: ``wait`` seconds from now; ``notice`` to tell the user first."""

    wait: float = 0.0
    notice: str | None = None
    refused: bool = False


AT_ONCE = Pace()


@dataclass
class _Bucket:
    tokens: float  # below zero: turns already promised to updates waiting
    updated: float
    notified: bool = False  # the user was told about this episode
    refused: bool = False  # ... and about a backlog refused in it


class FloodGate:
    """Token buckets keyed by user id; an update's token may lie in the future."""

    def __init__(
        self,
        burst: int,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.max_wait = max_wait
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._checks = 0
        # Notices the processor decided on, for the first handler of that update to send.
        self._notices: dict[int, Pace] = {}

    def reserve(self, user_id: int) -> Pace:
        """Take the user's next turn: at once within the burst, else ``1/rate`` after the last."""
        now = self._clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= self.burst:
            bucket.notified = bucket.refused = False  # fully rested: a new episode
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self._prune(now)
        wait = max(0.0, (1 - bucket.tokens) / self.rate)
        if wait > self.max_wait:
            notice = None if bucket.refused else TOO_MANY
            bucket.refused = True
            return Pace(notice=notice, refused=True)
        bucket.tokens -= 1
        if wait == 0:
            return AT_ONCE
        notice = None if bucket.notified else SLOW_DOWN
        bucket.notified = True
        return Pace(wait=wait, notice=notice)

    def hold(self, update_id: int, pace: Pace) -> None:
        """Keep what the handlers must do about this update (a notice, or refusing it)."""
        if pace.notice is not None or pace.refused:
            self._notices[update_id] = pace

    def take(self, update_id: int) -> Pace:
        return self._notices.pop(update_id, AT_ONCE)

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
    """The process's gate (``bot.app`` makes it from the settings); None when switched off."""
    gate = context.bot_data.get(GATE_KEY)
    return gate if isinstance(gate, FloodGate) else None


async def throttle(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell a flooding user, once, that their messages are paced; stop a refused backlog."""
    if not isinstance(update, Update):
        return
    gate = gate_of(context)
    if gate is None:
        return
    pace = gate.take(update.update_id)
    if pace.notice is not None:
        user = update.effective_user.id if update.effective_user else 0
        logger.info("user %d is flooding; pacing their updates", user)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(pace.notice[:200], show_alert=True)
            elif update.effective_message is not None and update.effective_chat is not None:
                await update.effective_message.reply_text(pace.notice)
        except TelegramError:
            logger.warning("could not send the flood notice for update %d", update.update_id)
    if pace.refused:
        raise ApplicationHandlerStop
