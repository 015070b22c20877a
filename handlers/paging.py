"""Long lists shown a page at a time, with ‹ › buttons.

A reply must fit Telegram's limits (4096 characters, 100 buttons) and still be read on a phone,
so lists that grow with the user's data (/recurring, /categories, an import's columns and
totals) show one page and buttons to the others. The page number travels in the button's
callback data; the list is read again on each press, so a page always shows what is there now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

PREVIOUS = "‹ Previous"
NEXT = "Next ›"


@dataclass(frozen=True)
class Page(Generic[T]):
    """Page ``number`` (0-based) of ``count``; ``start`` is the index of its first item."""

    items: list[T]
    number: int
    count: int
    start: int
    total: int

    @property
    def span(self) -> str:
        """``11–20 of 105``, for a heading."""
        return f"{self.start + 1}–{self.start + len(self.items)} of {self.total}"


def paginate(items: Sequence[T], number: int, size: int) -> Page[T]:
    """Page ``number`` of ``items`` (clamped to the pages there are), ``size`` to a page."""
    count = max(1, -(-len(items) // size))
    number = min(max(number, 0), count - 1)
    start = number * size
    return Page(list(items[start : start + size]), number, count, start, len(items))


def page_buttons(page: Page[T], data: Callable[[int], str]) -> list[tuple[str, str]]:
    """The ‹ and › buttons a page needs (none when everything fits on one)."""
    buttons: list[tuple[str, str]] = []
    if page.number > 0:
        buttons.append((PREVIOUS, data(page.number - 1)))
    if page.number < page.count - 1:
        buttons.append((NEXT, data(page.number + 1)))
    return buttons
