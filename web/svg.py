"""Chart geometry for the pages: plain numbers the templates put into SVG attributes.

Drawn on the server so the page needs no chart library; every shape carries the filter it
stands for (``data-*`` attributes), so a tap on it opens its transactions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Donut: outer and inner radius in a 100×100 box centred on (50, 50).
OUTER, INNER = 48.0, 30.0
# Slice colours; past this many categories they repeat.
MAX_SLICES = 8
# Daily bars: the box is 300 wide; bars leave a small gap between them.
BARS_WIDTH, BARS_HEIGHT = 300.0, 120.0


@dataclass(frozen=True, slots=True)
class Arc:
    path: str
    index: int  # colour number (CSS class)
    share: Decimal


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    amount: Decimal
    # The whole day's column, bar or not: the tap target is the column, not the thin bar.
    slot_x: float
    slot_width: float
    # Taller than the scale: one big day (rent on the 1st) would flatten every other one.
    capped: bool = False


def percent(ratio: Decimal, cap: int = 100) -> float:
    """0..cap for a width attribute; a ratio over 1 fills the whole bar."""
    return round(max(0.0, min(float(ratio) * 100, float(cap))), 2)


def _point(angle: float, radius: float) -> tuple[float, float]:
    # Angle 0 is 12 o'clock, going clockwise, as people read a pie.
    return 50 + radius * math.sin(angle), 50 - radius * math.cos(angle)


def donut(shares: Sequence[Decimal]) -> list[Arc]:
    """One ring segment per share (shares add up to 1), starting at 12 o'clock."""
    arcs: list[Arc] = []
    start = 0.0
    for index, share in enumerate(shares):
        sweep = float(share) * 2 * math.pi
        if sweep <= 0:
            continue
        if sweep >= 2 * math.pi - 1e-9:
            # One arc can't draw a full ring (its ends coincide): two half rings can.
            path = (
                f"M50 {50 - OUTER}A{OUTER} {OUTER} 0 1 1 50 {50 + OUTER}"
                f"A{OUTER} {OUTER} 0 1 1 50 {50 - OUTER}Z"
                f"M50 {50 - INNER}A{INNER} {INNER} 0 1 0 50 {50 + INNER}"
                f"A{INNER} {INNER} 0 1 0 50 {50 - INNER}Z"
            )
        else:
            end = start + sweep
            large = 1 if sweep > math.pi else 0
            x1, y1 = _point(start, OUTER)
            x2, y2 = _point(end, OUTER)
            x3, y3 = _point(end, INNER)
            x4, y4 = _point(start, INNER)
            path = (
                f"M{x1:.3f} {y1:.3f}A{OUTER} {OUTER} 0 {large} 1 {x2:.3f} {y2:.3f}"
                f"L{x3:.3f} {y3:.3f}A{INNER} {INNER} 0 {large} 0 {x4:.3f} {y4:.3f}Z"
            )
        arcs.append(Arc(path, index % MAX_SLICES, share))
        start += sweep
    return arcs


def bars(days: Sequence[tuple[date, Decimal]]) -> list[Bar]:
    """One bar per day, scaled to the biggest day; days with nothing get no bar."""
    if not days:
        return []
    amounts = sorted(amount for _, amount in days if amount > 0)
    top = amounts[-1] if amounts else Decimal(0)
    if len(amounts) >= 2 and amounts[-1] > 3 * amounts[-2]:
        top = amounts[-2] * Decimal("1.5")
    slot = BARS_WIDTH / len(days)
    width = max(slot * 0.7, 1.0)
    found = []
    for i, (day, amount) in enumerate(days):
        if amount <= 0 or top <= 0:
            continue
        height = max(min(float(amount / top), 1.0) * BARS_HEIGHT, 1.5)
        found.append(
            Bar(
                round(i * slot + (slot - width) / 2, 2),
                round(BARS_HEIGHT - height, 2),
                round(width, 2),
                round(height, 2),
                day,
                amount,
                round(i * slot, 2),
                round(slot, 2),
                amount > top,
            )
        )
    return found
