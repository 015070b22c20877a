"""Splitting amounts and settling debts: tables of cases, and properties over random balances."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest

from bot.core.households import (
    EXACT_LIMIT,
    Transfer,
    settle,
    split_minor,
    take_handles,
    take_split,
)


@pytest.mark.parametrize(
    ("total", "parts", "start", "shares"),
    [
        (12000, 3, 0, [4000, 4000, 4000]),
        (10000, 3, 0, [3334, 3333, 3333]),
        (10000, 3, 1, [3333, 3334, 3333]),
        (10000, 3, 2, [3333, 3333, 3334]),
        (10000, 3, 5, [3333, 3333, 3334]),  # start wraps around
        (10001, 3, 2, [3334, 3333, 3334]),  # two odd cents: the start's share and the next
        (1, 4, 3, [0, 0, 0, 1]),
        (7, 1, 9, [7]),
        (0, 2, 0, [0, 0]),
    ],
)
def test_split_minor(total: int, parts: int, start: int, shares: list[int]) -> None:
    assert split_minor(total, parts, start=start) == shares
    assert sum(shares) == total


def test_split_minor_refuses_no_parts() -> None:
    with pytest.raises(ValueError, match="at least one"):
        split_minor(100, 0)


def d(value: str) -> Decimal:
    return Decimal(value)


@pytest.mark.parametrize(
    ("balances", "transfers"),
    [
        ({}, []),
        ({"anna": d("0"), "ben": d("0")}, []),
        ({"anna": d("40"), "ben": d("-40")}, [("ben", "anna", "40")]),
        # One creditor, two debtors: two transfers, biggest debt first.
        (
            {"anna": d("80"), "ben": d("-30"), "cleo": d("-50")},
            [("cleo", "anna", "50"), ("ben", "anna", "30")],
        ),
        # Two pairs that cancel out on their own: two transfers, not three.
        (
            {"a": d("10"), "b": d("20"), "c": d("-20"), "d": d("-10")},
            [("d", "a", "10"), ("c", "b", "20")],
        ),
        # Where the greedy plan alone needs 4 transfers, pairing {a,d} and {b,c,e} needs 3.
        (
            {"a": d("7"), "b": d("6"), "c": d("-4"), "d": d("-7"), "e": d("-2")},
            [("d", "a", "7"), ("c", "b", "4"), ("e", "b", "2")],
        ),
        # Cents stay exact.
        (
            {"anna": d("33.34"), "ben": d("-33.33"), "cleo": d("-0.01")},
            [("ben", "anna", "33.33"), ("cleo", "anna", "0.01")],
        ),
        # Equal debts: the earlier member pays first.
        (
            {"anna": d("20"), "ben": d("-10"), "cleo": d("-10")},
            [("ben", "anna", "10"), ("cleo", "anna", "10")],
        ),
    ],
)
def test_settle(balances: dict[str, Decimal], transfers: list[tuple[str, str, str]]) -> None:
    assert settle(balances) == [Transfer(a, b, d(amount)) for a, b, amount in transfers]


def test_settle_refuses_balances_that_do_not_add_up() -> None:
    with pytest.raises(ValueError, match="add up to zero"):
        settle({"anna": d("10"), "ben": d("-9.99")})


def _applied(balances: dict[int, Decimal], transfers: list[Transfer[int]]) -> dict[int, Decimal]:
    left = dict(balances)
    for transfer in transfers:
        assert transfer.amount > 0
        left[transfer.debtor] += transfer.amount
        left[transfer.creditor] -= transfer.amount
    return left


def _fewest(balances: dict[int, Decimal]) -> int:
    """Brute force: n minus the most zero-sum groups, over every partition (small n only)."""
    people = [k for k, v in balances.items() if v != 0]

    def most_groups(rest: tuple[int, ...]) -> int:
        if not rest:
            return 0
        first, others = rest[0], rest[1:]
        best = -len(rest)  # impossible; every full set sums to zero
        for size in range(len(others) + 1):
            for chosen in itertools.combinations(others, size):
                group = (first, *chosen)
                if sum(balances[k] for k in group) == 0:
                    remaining = tuple(k for k in others if k not in chosen)
                    best = max(best, 1 + most_groups(remaining))
        return best

    return len(people) - most_groups(tuple(people))


def _random_balances(rng: random.Random, count: int) -> dict[int, Decimal]:
    values = [Decimal(rng.choice([-3, -2, -1, 1, 2, 3]) * rng.randint(1, 4)) for _ in range(count)]
    values.append(-sum(values, Decimal(0)))
    return dict(enumerate(values))


@pytest.mark.parametrize("seed", range(40))
def test_settle_clears_everyone_with_the_fewest_transfers(seed: int) -> None:
    rng = random.Random(seed)
    balances = _random_balances(rng, rng.randint(1, 7))
    transfers = settle(balances)
    assert all(v == 0 for v in _applied(balances, transfers).values())
    assert len(transfers) == _fewest(balances)
    assert settle(balances) == transfers  # deterministic


def test_settle_beyond_the_exact_limit_still_clears_everyone() -> None:
    rng = random.Random(7)
    balances = _random_balances(rng, EXACT_LIMIT + 8)
    transfers = settle(balances)
    assert all(v == 0 for v in _applied(balances, transfers).values())
    assert len(transfers) < len(balances)


@pytest.mark.parametrize(
    ("text", "rest", "split"),
    [
        ("dinner 120 split", "dinner 120", True),
        ("dinner 120 SPLIT", "dinner 120", True),
        ("dinner 120 split equally", "dinner 120", True),
        ("dinner 120 (split)", "dinner 120", True),
        ("split peas 3", "split peas 3", False),
        ("dinner 120", "dinner 120", False),
        ("split", "split", False),
        ("dinner 120 splits", "dinner 120 splits", False),
    ],
)
def test_take_split(text: str, rest: str, split: bool) -> None:
    assert take_split(text) == (rest, split)


@pytest.mark.parametrize(
    ("text", "rest", "handles"),
    [
        ("90 taxi @ben", "90 taxi", ["ben"]),
        ("@ben 90 taxi @cleo_x", "90 taxi", ["ben", "cleo_x"]),
        ("90 taxi", "90 taxi", []),
    ],
)
def test_take_handles(text: str, rest: str, handles: list[str]) -> None:
    assert take_handles(text) == (rest, handles)
