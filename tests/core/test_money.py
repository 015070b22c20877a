"""Money arithmetic and formatting: a table of cases, no I/O."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.money import AmountError, D, check_amount, format_amount, from_minor, to_minor


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("4.50", "USD", 450), ("1000", "JPY", 1000), ("1.234", "BHD", 1234), ("0.01", "EUR", 1)],
)
def test_minor_units_round_trip(amount: str, currency: str, minor: int) -> None:
    assert to_minor(D(amount), currency) == minor
    assert from_minor(minor, currency) == D(amount)


@pytest.mark.parametrize(
    "amount", ["4.505", "1e-999999999", "0.0100000000000000000000000000000001"]
)
def test_to_minor_refuses_to_lose_cents(amount: str) -> None:
    with pytest.raises(AmountError):
        to_minor(D(amount), "USD")


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        ("0", "USD"),
        ("-5", "USD"),
        ("NaN", "USD"),
        ("Infinity", "USD"),
        ("1000000000001", "USD"),
        ("4.505", "USD"),
        ("10.5", "JPY"),
        # Below one cent: scaleb() under the default context rounds these to whole cents.
        ("1e-999999999", "USD"),
        ("0.0100000000000000000000000000000001", "USD"),
    ],
)
def test_check_amount_rejects(amount: str, currency: str) -> None:
    with pytest.raises(AmountError):
        check_amount(D(amount), currency)


def test_check_amount_accepts_trailing_zeros() -> None:
    assert check_amount(D("4.500"), "USD") == Decimal("4.5")


@pytest.mark.parametrize(
    ("amount", "currency", "sign", "text"),
    [
        ("1250.5", "USD", False, "1,250.50 USD"),
        ("-250", "USD", False, "−250.00 USD"),
        ("5000", "USD", True, "+5,000.00 USD"),
        ("0", "USD", True, "0.00 USD"),
        ("1000", "JPY", False, "1,000 JPY"),
    ],
)
def test_format_amount(amount: str, currency: str, sign: bool, text: str) -> None:
    assert format_amount(D(amount), currency, sign=sign) == text


def test_d_rejects_text() -> None:
    with pytest.raises(AmountError):
        D("twelve")
