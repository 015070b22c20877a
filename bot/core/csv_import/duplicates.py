"""Which rows of a file are in Penny already: exactly (an export imported back), or likely (an
entry the user typed in chat, and the statement's line for the same purchase). Pure.

A typed ``Whole Foods 142.37 3 nov`` and the statement's ``WHOLE FOODS MARKET #10`` posted on
4 Nov are the same money: the same amount, kind and currency, a few days apart, and a word of
the note in common (or no note typed). Those are shown in the preview for the user to decide.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any, NamedTuple

from bot.core.csv_import.rows import ImportRow, dedupe_key
from bot.core.money import to_minor

# A card payment posts a day or three after it was made (and typed).
NEAR_DAYS = 3
WINDOW = timedelta(days=NEAR_DAYS)


class Likely(NamedTuple):
    """A row of the file that looks like an entry already typed in."""

    row: ImportRow
    typed_on: date
    typed_note: str


class Split(NamedTuple):
    fresh: list[ImportRow]  # not in Penny
    exact: int  # in Penny exactly: skipped
    likely: list[Likely]  # the user decides


def _words(note: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]{3,}", note.casefold()))


def _same_payee(typed: str, row: str) -> bool:
    return not typed.strip() or bool(_words(typed) & _words(row))


def split_duplicates(items: list[ImportRow], stored: Counter[tuple[Any, ...]]) -> Split:
    """The rows as new, exact duplicates and likely duplicates of ``stored`` keys
    ``(date, kind, minor, currency, note)``; as multisets: one stored entry matches one row."""
    left = Counter(stored)
    after_exact: list[ImportRow] = []
    for item in items:
        key = dedupe_key(item, to_minor(item.amount, item.currency))
        if left[key] > 0:
            left[key] -= 1
        else:
            after_exact.append(item)
    if not +left:  # nothing stored near the file's dates: every other row is new
        return Split(after_exact, len(items) - len(after_exact), [])
    pool: dict[tuple[str, int, str], list[tuple[date, str]]] = {}
    for (day, kind, minor, currency, note), times in sorted(left.items()):
        pool.setdefault((kind, minor, currency), []).extend([(day, note or "")] * times)
    fresh: list[ImportRow] = []
    likely: list[Likely] = []
    for item in after_exact:
        candidates = pool.get((item.kind, to_minor(item.amount, item.currency), item.currency), [])
        match = next(
            (
                c
                for c in candidates
                if abs(c[0] - item.occurred_on) <= WINDOW and _same_payee(c[1], item.note)
            ),
            None,
        )
        if match is None:
            fresh.append(item)
        else:
            candidates.remove(match)
            likely.append(Likely(item, *match))
    return Split(fresh, len(items) - len(after_exact), likely)
