"""Which of the user's categories an imported row goes in. Pure.

The user's own rules (words they taught Penny) come first, as for a typed entry. A bank's
category ("Gas", "Food & Drink", "Coffee Shops") is mapped onto the category its words mean
(Transport, Food) instead of becoming a category beside it; one the user has, or one the
dictionary doesn't know, is kept as written. Without a category column the note decides.
Penny's own export is filed as it was written: it is the user's filing already.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.exporting import CSV_HEADER
from bot.core.parsing import match_category
from bot.core.rules import match_rule


@dataclass(frozen=True)
class Filing:
    """The user's categories as (kind, lower-case name) and rules as (keyword, kind, name)."""

    known: frozenset[tuple[str, str]] = frozenset()
    rules: tuple[tuple[str, str, str], ...] = ()
    own_export: bool = False  # the file is Penny's export: keep its categories exactly
    _by_kind: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for keyword, kind, name in self.rules:
            self._by_kind.setdefault(kind, {})[keyword] = name

    def for_file(self, header: Sequence[str] | None) -> Filing:
        """This filing for a file with ``header``: Penny's export keeps its own categories."""
        own = header is not None and tuple(h.strip().lower() for h in header) == CSV_HEADER
        return Filing(self.known, self.rules, own)

    def category(self, note: str, kind: str, written: str | None) -> str | None:
        """The category name for a row; ``written`` is the file's category cell (None: the
        file has no such column, "": the row has none)."""
        if self.own_export and written is not None:
            return written
        taught = match_rule(note, self._by_kind.get(kind, {}))
        if taught is not None:
            return taught
        if written is None:
            return match_category(note, kind)
        if not written or (kind, written.lower()) in self.known:
            return written
        # EATING_OUT, GROCERIES (Starling): as a person writes them.
        shown = written.replace("_", " ").strip()
        if shown.isupper():
            shown = shown.title()
        if (kind, shown.lower()) in self.known:
            return shown
        return match_category(shown, kind) or shown


PLAIN = Filing()
