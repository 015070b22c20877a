"""/compare's shares and medians: nothing below the minimum, never anyone's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.compare import Comparison, Line, TooFew, compare, median, shares

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
