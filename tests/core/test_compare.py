"""/compare's shares and medians: nothing below the minimum, never anyone's figures."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from bot.core.compare import (
    MEDIAN_STEPS,
    Comparison,
    Line,
    TooFew,
    compare,
    median,
    shares,
    stable_median,
)

D = Decimal


def test_shares_are_parts_of_each_persons_total() -> None:
    assert shares({"Food": D(30), "Rent": D(70)}) == {"food": D("0.3"), "rent": D("0.7")}
    assert shares({"Food": D(0)}) == {}
    assert shares({"Food": D(10), "food": D(10)}) == {"food": D(1)}


@pytest.mark.parametrize(
    ("values", "expected"),
    [([D(1)], D(1)), ([D(3), D(1), D(2)], D(2)), ([D(1), D(2), D(3), D(4)], D("2.5"))],
)
def test_median(values: list[Decimal], expected: Decimal) -> None:
    assert median(values) == expected


def test_compare_refuses_below_the_minimum_and_never_counts_empty_people() -> None:
    people = [{"Food": D(10)} for _ in range(19)] + [{}, {"Food": D(0)}]
    assert compare({"Food": D(5)}, people) == TooFew()
    assert isinstance(compare({"Food": D(5)}, [*people[:19], {"Rent": D(1)}]), Comparison)


def test_compare_shows_the_users_top_categories_against_medians() -> None:
    # Twenty people: Food is 10% … 29% of their spending (median 19.5%), Rent the rest.
    people = [{"Food": D(10 + i), "Rent": D(90 - i)} for i in range(20)]
    mine = {"Food": D(40), "Rent": D(50), "Fun": D(10)}
    result = compare(mine, people)
    assert result == Comparison(
        20,
        (Line("Rent", 50, 80), Line("Food", 40, 20), Line("Fun", 10, 0)),
    )


def test_nineteen_accounts_of_one_person_cannot_read_the_twentieth() -> None:
    # The attacker's 19 accounts: ten spend only on Food, nine never do. The plain median of
    # the 20 is then half-way between the victim's Food share and 100%: v = 2 × median − 100.
    sybils: list[dict[str, Decimal]] = [{"Food": D(1)}] * 10 + [{"Rent": D(1)}] * 9
    shown = set()
    for v in range(101):
        result = compare({"Food": D(1)}, [*sybils, {"Food": D(v), "Rent": D(100 - v)}])
        assert isinstance(result, Comparison)
        shown |= {line.median for line in result.lines if line.median is not None}
    # Whatever the victim spent, the attacker sees one and the same median (or none).
    assert len(shown) <= 1


def test_a_category_only_one_other_person_uses_shows_as_nobodys() -> None:
    people = [{"Rent": D(1)}] * 18 + [{"Rent": D(50), "Boat": D(50)}]
    result = compare({"Rent": D(90), "Boat": D(10)}, [*people, {"Rent": D(90), "Boat": D(10)}])
    assert isinstance(result, Comparison)
    assert Line("Boat", 10, 0) in result.lines


def _rounded(value: Decimal, step: int) -> int:
    return int((value * 100 / step).to_integral_value(rounding=ROUND_HALF_UP)) * step


@pytest.mark.parametrize("seed", range(40))
def test_a_shown_median_is_the_same_without_any_one_person(seed: int) -> None:
    rng = random.Random(seed)
    count = rng.randint(20, 45)
    values = [D(rng.randint(0, 1000)) / 1000 for _ in range(count)]
    if seed % 4 == 0:  # many people at exactly 0%, as for a category few use
        values = [D(0)] * (count - 3) + values[:3]
    found = stable_median(values)
    if found is None:
        return
    # Some step of rounding gives the same figure with everyone and without any one of them.
    assert any(
        all(
            _rounded(median(values[:i] + values[i + 1 :]), step) == found
            for i in range(len(values))
        )
        and _rounded(median(values), step) == found
        for step in MEDIAN_STEPS
    )
