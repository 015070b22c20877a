"""Looking ahead within a period: what can be spent per day, and where spending is heading. Pure.

Periods are half-open ``[start, end)``; "today" counts as a day still to come (it isn't over).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from bot.core.money import exponent
from bot.core.periods import Period


def minor_step(currency: str) -> Decimal:
    """The currency's smallest unit: 0.01 for USD, 1 for JPY."""
    return Decimal(1).scaleb(-exponent(currency))


def days_left(period: Period, today: date) -> int:
    """Days from today to the period's last day, both included; 0 once it is over."""
    if today < period.start:
        return period.days
    return max((period.end - today).days, 0)


def daily_allowance(left: Decimal, days: int, currency: str) -> Decimal:
    """What can be spent on each of ``days`` days without going over ``left``.

    Rounded down to the currency's unit, so following it never overshoots; 0 when nothing is
    left or no day is.
    """
    if days <= 0 or left <= 0:
        return Decimal(0)
    return (left / days).quantize(minor_step(currency), rounding=ROUND_DOWN)


def projected_spend(spent: Decimal, period: Period, today: date, currency: str) -> Decimal | None:
    """What the whole period's spending comes to if the pace so far goes on.

    None outside the period: a finished one has its real total, a future one no pace yet.
    """
    if today not in period:
        return None
    elapsed = (today - period.start).days + 1
    pace = spent / elapsed
    return (pace * period.days).quantize(minor_step(currency), rounding=ROUND_HALF_UP)
