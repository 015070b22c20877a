"""Money as exact decimals: the one place amounts are created, rounded and formatted.

Pure: no telegram, sqlalchemy or matplotlib imports.
"Never use floating point in an accounting system."
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal, get_currency_precision, get_currency_symbol

from bot.core.errors import UserMistake

# Largest amount Penny accepts for one entry; above this is a typo, not a purchase.
MAX_AMOUNT = Decimal(10) ** 12


class AmountError(UserMistake):
    """An amount that can't be stored (zero, too big, too many decimals)."""

    message = "That amount doesn't look right."


def D(value: str | int | Decimal) -> Decimal:
    """Build a Decimal from text or an int; the single entry point for amounts."""
    if isinstance(value, Decimal):
        return value
    try:
        result = Decimal(value)
    except (InvalidOperation, ValueError) as exc:
        raise AmountError(f"not a number: {value!r}") from exc
    return result


def exponent(currency: str) -> int:
    """Digits after the decimal point the currency uses (USD 2, JPY 0, BHD 3)."""
    return int(get_currency_precision(currency.upper()))


def _places_needed(amount: Decimal) -> int:
    """Digits after the point that ``amount`` really has (``4.500`` has 1), counted exactly.

    Not with ``scaleb``: that rounds to the context's 28 digits, so ``1e-999999999`` would
    scale to a whole 0 cents and ``0.01000…001`` to exactly 1.
    """
    if not amount:
        return 0  # 0E-9 is still a whole zero
    _, digits, exp = amount.as_tuple()
    assert isinstance(exp, int)  # finite
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return -(exp + trailing)


def check_amount(amount: Decimal, currency: str) -> Decimal:
    """``amount`` if it is a sane, positive amount in ``currency``; else AmountError."""
    if not amount.is_finite():
        raise AmountError("That isn't a number I can record.")
    if amount <= 0:
        raise AmountError("The amount has to be more than zero.")
    if amount > MAX_AMOUNT:
        raise AmountError("That amount is too large to be a real transaction.")
    places = exponent(currency)
    if _places_needed(amount) > places:
        allowed = f"{places} decimal places" if places else "no decimal places"
        raise AmountError(f"{currency} has {allowed}, so {amount} can't be right.")
    return amount


def to_minor(amount: Decimal, currency: str) -> int:
    """Exact integer minor units (cents) for storage; raises if it would lose precision."""
    places = exponent(currency)
    if not amount.is_finite() or _places_needed(amount) > places:
        raise AmountError(f"{amount} has more decimals than {currency} allows.")
    return int(amount.scaleb(places))


def from_minor(minor: int, currency: str) -> Decimal:
    """Decimal amount from stored integer minor units."""
    return Decimal(minor).scaleb(-exponent(currency))


def format_amount(amount: Decimal, currency: str, *, sign: bool = False) -> str:
    """Human text like ``1,250.00 USD`` or ``−250 JPY``; ``sign`` shows + for positive amounts."""
    places = exponent(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(abs(amount), format=pattern, locale="en_US")
    prefix = "−" if amount < 0 else ("+" if sign and amount > 0 else "")
    return f"{prefix}{text} {currency}"


def currency_symbol(currency: str) -> str:
    """Local symbol ($, €, ₹) when Babel knows one, else the code."""
    return str(get_currency_symbol(currency, locale="en_US"))


def is_currency(code: str) -> bool:
    """True for an ISO 4217 code Babel knows (case-insensitive)."""
    from babel.numbers import list_currencies

    return code.upper() in list_currencies()
