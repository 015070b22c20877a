"""/compare: a user's category shares against the median of the people who opted in. Pure.

Only shares (a category's part of one person's spending) go in, never amounts, and the answer
holds medians only. Below :data:`MINIMUM_PEOPLE` nothing is computed at all, so a median can't
be one person's figure in disguise.

Twenty people are not enough on their own: someone with nineteen test accounts chooses
nineteen of the values, and the median then gives the twentieth away (ten at 100%, nine at 0%
make it half-way between the victim's share and 100%). So a median is shown only when it is
*stable*: rounded to one of :data:`MEDIAN_STEPS`, it comes out the same without any one of the
people. What is shown then depends on the others alone; all one person can change is whether
a line says a figure or "—".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MINIMUM_PEOPLE = 20
SHOWN_CATEGORIES = 6
# Whole percents a median is rounded to, finest first; the first that no one person can
# move is used. Coarser steps are stable more often with few people.
MEDIAN_STEPS = (5, 10)


@dataclass(frozen=True, slots=True)
class Line:
    category: str  # as the user names it
    mine: int  # whole percent of the user's spending
    # Median percent among the people compared, rounded to a step of MEDIAN_STEPS; None when
    # any one person could move it (then showing it could give them away).
    median: int | None


@dataclass(frozen=True, slots=True)
class Comparison:
    people: int
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class TooFew:
    """Not enough people opted in (with spending in this currency) to compare with."""


def shares(totals: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each category's part (0..1) of the total; categories keyed case-insensitively."""
    total = sum((v for v in totals.values() if v > 0), Decimal(0))
    if total <= 0:
        return {}
    merged: dict[str, Decimal] = {}
    for name, amount in totals.items():
        if amount > 0:
            key = name.casefold()
            merged[key] = merged.get(key, Decimal(0)) + amount / total
    return merged


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _percent(share: Decimal) -> int:
    return int((share * 100).to_integral_value())


def _rounded(share: Decimal, step: int) -> int:
    return int((share * 100 / step).to_integral_value(rounding=ROUND_HALF_UP)) * step


def stable_median(values: Sequence[Decimal]) -> int | None:
    """The median in percent, rounded so that leaving out any one value doesn't change it.

    None when no step of :data:`MEDIAN_STEPS` does that. Leaving out one value moves the median
    to one of at most three others, those left by dropping the first, the middle or the last
    of the sorted values, so three checks cover everyone.
    """
    ordered = sorted(values)
    if len(ordered) < 2:
        return None
    last = len(ordered) - 1
    without = [median(ordered[:i] + ordered[i + 1 :]) for i in {0, len(ordered) // 2, last}]
    for step in MEDIAN_STEPS:
        shown = _rounded(median(ordered), step)
        if all(_rounded(m, step) == shown for m in without):
            return shown
    return None


def compare(
    mine: Mapping[str, Decimal],
    everyone: Sequence[Mapping[str, Decimal]],
    minimum: int = MINIMUM_PEOPLE,
) -> Comparison | TooFew:
    """The user's biggest categories next to the median share among ``everyone``.

    ``mine`` and each of ``everyone`` map category names to amounts spent; people with no
    spending don't count. A person without a category contributes 0% to its median.
    """
    people = [s for s in (shares(t) for t in everyone) if s]
    own = shares(mine)
    if len(people) < minimum or not own:
        return TooFew()
    names = {name.casefold(): name for name in mine}
    ranked = sorted(own.items(), key=lambda item: (-item[1], item[0]))[:SHOWN_CATEGORIES]
    lines = tuple(
        Line(
            names.get(key, key),
            _percent(share),
            stable_median([p.get(key, Decimal(0)) for p in people]),
        )
        for key, share in ranked
    )
    return Comparison(len(people), lines)
