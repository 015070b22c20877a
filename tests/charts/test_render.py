"""Every chart kind renders to a readable PNG, including the cases that break naive charts."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PIL import Image

from bot.core.chartdata import (
    CategoryChart,
    CumulativeChart,
    DailyChart,
    MonthlyChart,
    MonthTotals,
    Slice,
)
from charts import style
from charts.gallery import render, samples
from charts.render import (
    group_small,
    render_categories,
    render_cumulative,
    render_daily,
    render_monthly,
)

NOV = date(2026, 11, 1)
TODAY = date(2026, 11, 23)


def check_png(png: bytes) -> Image.Image:
    """Decodes, is about 1000×700, and has real content (not one flat colour)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.size == (style.WIDTH, style.HEIGHT)
    gray = image.convert("L")
    low, high = gray.getextrema()
    assert high - low > 100
    histogram = gray.histogram()
    assert histogram[255] < style.WIDTH * style.HEIGHT * 0.995  # some ink on the background
    return image


def inked(image: Image.Image) -> int:
    """Pixels that aren't (near) white: a rough measure of how much was drawn."""
    return sum(image.convert("L").point(lambda v: 255 if v < 200 else 0).histogram()[255:])


@pytest.mark.parametrize("name", sorted(samples()))
def test_gallery_samples_render(name: str) -> None:
    check_png(render(samples()[name]))


def days(count: int, amount: str = "12.50") -> tuple[Decimal, ...]:
    return tuple(Decimal(amount) for _ in range(count))


def months(count: int, income: str, expenses: str) -> tuple[MonthTotals, ...]:
    first = date(2025, 12, 1)
    return tuple(
        MonthTotals(
            date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1),
            Decimal(income),
            Decimal(expenses),
        )
        for i in range(count)
    )


EDGE_CASES: list[tuple[str, Callable[[Any], bytes], Any]] = [
    ("categories: no data", render_categories, CategoryChart("March 2026", "USD", ())),
    (
        "categories: one category",
        render_categories,
        CategoryChart("November 2026", "USD", (Slice("Food", Decimal("4.50")),)),
    ),
    (
        "categories: hundreds of categories",
        render_categories,
        CategoryChart(
            "2026",
            "USD",
            tuple(Slice(f"Category {i}", Decimal(i * 37 % 1000 + 1)) for i in range(400)),
        ),
    ),
    (
        "categories: huge outlier",
        render_categories,
        CategoryChart(
            "2026",
            "USD",
            (Slice("House", Decimal(999_999_999_999)), Slice("Coffee", Decimal("0.01"))),
        ),
    ),
    (
        "categories: long, emoji, CJK, RTL and $ names",
        render_categories,
        CategoryChart(
            "November 2026",
            "USD",
            (
                Slice("x" * 300, Decimal(10)),
                Slice("🍔🍕🍣 家族の食費 👨‍👩‍👧", Decimal(20)),
                Slice("مطاعم", Decimal(30)),
                Slice("$$ pricey $$", Decimal(40)),
                Slice("\u200b\x00\ufe0f", Decimal(50)),
            ),
        ),
    ),
    ("daily: no data", render_daily, DailyChart("November 2026", "USD", NOV, days(30, "0"))),
    ("daily: one day", render_daily, DailyChart("23 Nov 2026", "USD", TODAY, days(1))),
    (
        "daily: a year of days with a pace",
        render_daily,
        DailyChart("2026", "JPY", date(2026, 1, 1), days(365, "1200"), TODAY, Decimal(1500)),
    ),
    (
        "daily: huge outlier",
        render_daily,
        DailyChart(
            "November 2026",
            "USD",
            NOV,
            (*days(14), Decimal(10) ** 12, *days(15)),
            daily_budget=Decimal(20),
        ),
    ),
    (
        "daily: a range across new year",
        render_daily,
        DailyChart("15 Dec 2025 – 5 Jan 2026", "EUR", date(2025, 12, 15), days(22)),
    ),
    (
        "cumulative: no data",
        render_cumulative,
        CumulativeChart("November 2026", "USD", NOV, 30, (), "October 2026", ()),
    ),
    (
        "cumulative: one day, nothing before",
        render_cumulative,
        CumulativeChart("23 Nov 2026", "USD", TODAY, 1, days(1), "22 Nov 2026", (Decimal(0),)),
    ),
    (
        "cumulative: a year against a budget",
        render_cumulative,
        CumulativeChart(
            "2026", "USD", date(2026, 1, 1), 365, days(327), "2025", days(365, "11"), Decimal(5000)
        ),
    ),
    ("monthly: no data", render_monthly, MonthlyChart("2026", "USD", months(12, "0", "0"))),
    ("monthly: one month", render_monthly, MonthlyChart("Nov 2026", "USD", months(1, "5", "3"))),
    (
        "monthly: only expenses, huge",
        render_monthly,
        MonthlyChart("2026", "INR", months(12, "0", "987654321.99")),
    ),
]


@pytest.mark.parametrize(
    ("render_one", "data"), [(r, d) for _, r, d in EDGE_CASES], ids=[n for n, _, _ in EDGE_CASES]
)
def test_edge_cases_render(render_one: Callable[[Any], bytes], data: Any) -> None:
    check_png(render_one(data))


def test_no_data_draws_a_message_not_an_empty_chart() -> None:
    empty = check_png(render_daily(DailyChart("November 2026", "USD", NOV, days(30, "0"))))
    full = check_png(render_daily(DailyChart("November 2026", "USD", NOV, days(30))))
    assert inked(empty) < inked(full)


def test_small_slices_are_grouped_into_other() -> None:
    slices = (
        Slice("Rent", Decimal(900)),
        Slice("Food", Decimal(80)),
        Slice("Gum", Decimal(1)),
        Slice("Other", Decimal(2)),
        Slice("Stamps", Decimal(3)),
        Slice("Refund", Decimal(0)),
    )
    grouped = group_small(slices)
    assert [s.name for s in grouped] == ["Rent", "Food", "Other"]
    assert grouped[-1].amount == Decimal(6)
    assert sum(s.amount for s in grouped) == Decimal(986)


def test_a_lone_small_category_keeps_its_name() -> None:
    """Food at 2% next to two big ones was drawn as "Other €12.50"."""
    slices = (Slice("Shopping", Decimal(340)), Slice("Transport", Decimal(320)))
    grouped = group_small((*slices, Slice("Food", Decimal("12.50"))))
    assert [s.name for s in grouped] == ["Shopping", "Transport", "Food"]


def test_at_most_seven_slices() -> None:
    slices = tuple(Slice(f"C{i}", Decimal(100 + i)) for i in range(20))
    grouped = group_small(slices)
    assert len(grouped) == 7 and grouped[-1].name == "Other"


def test_category_colors_are_stable_and_distinct_in_one_chart() -> None:
    assert style.color_for("Food") == style.color_for(" food ")
    names = [f"Category {i}" for i in range(len(style.PALETTE))]
    assert len(set(style.distinct_colors(names))) == len(style.PALETTE)
    assert style.distinct_colors(["Food"]) == [style.color_for("Food")]


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (0, "USD", "\\$0"),
        (1500, "USD", "\\$1,500"),
        (12.5, "USD", "\\$12.50"),
        (250_000, "EUR", "€250k"),
        (2_500_000, "USD", "\\$2.5M"),
        (3_000_000_000, "USD", "\\$3B"),
        (1200, "JPY", "¥1,200"),
        (-40, "GBP", "−£40"),
        (1234, "CHF", "CHF 1,234"),
    ],
)
def test_short_money(value: float, currency: str, text: str) -> None:
    assert style.short_money(value, currency) == text


@pytest.mark.parametrize(
    ("raw", "limit", "text"),
    [
        ("Food", None, "Food"),
        ("a $ and a $", None, "a \\$ and a \\$"),
        ("x" * 30, 10, "xxxxxxxxx…"),
        ("\x00\u200d\ufe0f", None, "?"),
        ("  spaced   out  ", None, "spaced out"),
    ],
)
def test_clean_text(raw: str, limit: int | None, text: str) -> None:
    assert style.clean(raw, limit) == text


def test_glyphs_no_font_has_are_dropped_not_crashing() -> None:
    private_use = "\ue000\U000f0000"
    assert style.clean(f"Rent{private_use}") == "Rent"
    check_png(render_categories(CategoryChart("2026", "USD", (Slice(private_use, Decimal(5)),))))


def test_a_year_of_daily_data_becomes_weekly_bars() -> None:
    data = DailyChart("2026", "USD", date(2026, 1, 1), days(365))
    check_png(render_daily(data))
    # 53 weekly bars in a year: the renderer must not choke on dates near the end.
    assert len(range(0, 365, 7)) == 53
    assert date(2026, 1, 1) + timedelta(days=364) == date(2026, 12, 31)
