"""Inline buttons that own their callback data: one object builds it, parses it and is registered.

A button's prefix is written once, where its handler module declares it::

    UNDO = Button("undo", ints=1)

    @UNDO.handles
    async def undo_button(update, context, query, ids): ...

    keyboard([("↩️ Undo", UNDO.data(tx.id))])

``bot.app`` registers every declared button from :func:`registered`, so a typo can't leave a
keyboard whose presses all answer "That button has expired". Callback data stays short ids and
words (at most 64 bytes, as Telegram requires), never serialized objects.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Final

from telegram import CallbackQuery, Update
from telegram.ext import ContextTypes

Context = ContextTypes.DEFAULT_TYPE
HandlerCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]
IdsCallback = Callable[[Update, Context, CallbackQuery, tuple[int, ...]], Awaitable[None]]
TextCallback = Callable[[Update, Context, CallbackQuery, tuple[str, ...]], Awaitable[None]]

# Telegram's limit on callback_data.
MAX_DATA_BYTES: Final = 64
_ID = r"\d{1,18}"

_declared: list[Button] = []


class StalePress(Exception):
    """Raised by :func:`handlers.common.fresh` when a use case answered ``STALE``."""

    text = "That button has expired."


class NotMember(StalePress):
    """A button of a group's ledger pressed by someone who is not a member of it."""

    text = "Only members of this household can use its buttons. Write here or tap Join first."


@dataclass(eq=False)
class Button:
    """A kind of inline button: ``prefix`` then ``ints`` ids, or words matching ``fields``.

    ``ints=0`` with no fields is a bare ``prefix`` (``ln``); ``fields`` are regexes, one per
    ``:``-separated part, for data that isn't ids (``cur:EUR``, ``rm:s:d:21``).
    """

    prefix: str
    ints: int = 0
    fields: tuple[str, ...] = ()
    callback: HandlerCallback | None = field(default=None, repr=False)
    # Where the button is declared; tests pass a list of their own.
    registry: list[Button] = field(default_factory=lambda: _declared, repr=False)
    _parts: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z]{1,8}", self.prefix):
            raise ValueError(f"a button prefix is a short lowercase word, not {self.prefix!r}")
        if any(b.prefix == self.prefix for b in self.registry):
            raise ValueError(f"two kinds of button share the prefix {self.prefix!r}")
        parts = [_ID] * self.ints if self.ints else list(self.fields)
        body = "".join(f":({p})" for p in parts)
        self._parts = re.compile(rf"{re.escape(self.prefix)}{body}")
        self.registry.append(self)

    @property
    def pattern(self) -> str:
        """The CallbackQueryHandler pattern: this prefix, whatever follows (checked on press)."""
        return rf"^{re.escape(self.prefix)}(:|$)"

    def data(self, *values: int | str) -> str:
        """Callback data for one button; refuses values its own parser wouldn't accept."""
        text = ":".join([self.prefix, *(str(v) for v in values)])
        if not self._parts.fullmatch(text) or len(text.encode()) > MAX_DATA_BYTES:
            raise ValueError(f"{text!r} is not valid data for the {self.prefix!r} button")
        return text

    def parse(self, data: str | None) -> tuple[str, ...] | None:
        """The parts after the prefix, or None for malformed, forged or truncated data."""
        found = self._parts.fullmatch(data or "")
        return found.groups() if found else None

    def handles(self, callback: IdsCallback) -> HandlerCallback:
        """Decorate the handler of an id button: it receives the ids as ints."""

        async def ids(update: Update, context: Context, query: CallbackQuery, parts: Any) -> None:
            await callback(update, context, query, tuple(int(p) for p in parts))

        return self._wrap(callback, ids)

    def handles_text(self, callback: TextCallback) -> HandlerCallback:
        """Decorate the handler of a word button: it receives the parts as strings."""
        return self._wrap(callback, callback)

    def _wrap(
        self, original: Callable[..., Any], inner: Callable[..., Awaitable[None]]
    ) -> HandlerCallback:
        if self.callback is not None:
            raise ValueError(f"the {self.prefix!r} button already has a handler")

        @functools.wraps(original)
        async def handler(update: Update, context: Context) -> None:
            query = update.callback_query
            if query is None:
                return
            parts = self.parse(query.data)
            try:
                if parts is None:
                    raise StalePress
                await inner(update, context, query, parts)
            except StalePress as stale:
                await answer_stale(update, stale.text)

        self.callback = handler
        return handler


def registered(registry: list[Button] | None = None) -> list[tuple[str, HandlerCallback]]:
    """(pattern, handler) of every declared button; one without a handler fails at start-up."""
    declared = _declared if registry is None else registry
    missing = [b.prefix for b in declared if b.callback is None]
    if missing:
        raise RuntimeError(f"buttons without a handler: {', '.join(missing)}")
    return [(b.pattern, b.callback) for b in declared if b.callback is not None]


STALE_TEXT: Final = StalePress.text


async def answer_stale(update: Update, text: str = STALE_TEXT) -> None:
    """Tell the user a button no longer applies (expired, already used, or not theirs)."""
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=False)
