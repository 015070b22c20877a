"""Conversion rates between currencies: reading one the user typed, and converting with it."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Final

from bot.core.errors import UserMistake
from bot.core.money import exponent

# Largest rate /rate accepts, and its decimals: enough for any real currency pair.
MAX_RATE: Final = Decimal(10) ** 9
RATE_PLACES: Final = 10


class RateError(UserMistake):
    """A conversion rate that can't be used."""

    message = "That rate doesn't look right."


def parse_rate(text: str) -> Decimal:
    """A positive decimal rate like ``1.08`` or ``0,0092``; RateError otherwise."""
    try:
        rate = Decimal(text.replace(",", ".").strip())
    except (InvalidOperation, ValueError) as exc:
        raise RateError(f"{text[:20]!r} isn't a number.") from exc
    if not rate.is_finite() or rate <= 0 or rate > MAX_RATE:
        raise RateError("A rate has to be a positive number.")
    places = rate.as_tuple().exponent
    if isinstance(places, int) and -places > RATE_PLACES:
        raise RateError(f"A rate can have at most {RATE_PLACES} decimal places.")
    return rate


def convert(amount: Decimal, rate: Decimal | None, home: str) -> Decimal:
    """``amount`` in the home currency at ``rate`` (None: it already is), rounded to its cents."""
    if rate is None:
        return amount
    quantum = Decimal(1).scaleb(-exponent(home))
    return (amount * rate).quantize(quantum, rounding=ROUND_HALF_EVEN)
