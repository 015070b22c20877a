"""Render every chart kind from sample data into a folder: ``python -m charts.gallery OUTDIR``."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.core.chartdata import (
    CategoryChart,
    ChartData,
    CumulativeChart,
    DailyChart,
    MonthlyChart,
    MonthTotals,
    Slice,
)
from charts.render import render_categories, render_cumulative, render_daily, render_monthly

TODAY = date(2026, 11, 23)
NOVEMBER = date(2026, 11, 1)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def _days(rng: random.Random, count: int, low: int, high: int) -> tuple[Decimal, ...]:
    return tuple(
        _money(rng, low, high) if rng.random() < 0.85 else Decimal(0) for _ in range(count)
    )


def samples() -> dict[str, ChartData]:
    """Named sample charts: the everyday look first, then the hard cases."""
    rng = random.Random(5)
    this_month = _days(rng, 23, 5, 120)
    last_month = _days(rng, 31, 5, 110)
    year = _days(rng, 365, 0, 90)
    return {
        "categories": CategoryChart(
            "November 2026",
            "USD",
            (
                Slice("🏠 Housing", Decimal("1500.00")),
                Slice("🛒 Groceries", Decimal("412.37")),
                Slice("🍔 Food", Decimal("268.90")),
                Slice("🚕 Transport", Decimal("143.20")),
                Slice("💡 Utilities", Decimal("120.00")),
                Slice("🎬 Fun", Decimal("64.99")),
                Slice("💊 Health", Decimal("22.50")),
                Slice("🎁 Gifts", Decimal("15.00")),
                Slice("Other", Decimal("9.99")),
            ),
            note="Not included: 12.00 EUR (no rate set; /rate EUR 1.08)",
        ),
        "categories-one": CategoryChart("23 Nov 2026", "EUR", (Slice("Food", Decimal("4.50")),)),
        "categories-names": CategoryChart(
            "October 2026",
            "JPY",
            (
                Slice("食費 🍣", Decimal(48200)),
                Slice("Транспорт", Decimal(15300)),
                Slice("A very long category name that never seems to end at all", Decimal(9800)),
                Slice("مطاعم", Decimal(7600)),
                Slice("🎮🎮🎮", Decimal(5100)),
                Slice("Café & Bäckerei", Decimal(4300)),
            ),
        ),
        "daily": DailyChart(
            "November 2026",
            "USD",
            NOVEMBER,
            this_month + (Decimal(0),) * 7,
            today=TODAY,
            daily_budget=Decimal("70.00"),
        ),
        "daily-outlier": DailyChart(
            "October 2026",
            "USD",
            date(2026, 10, 1),
            tuple(Decimal(250_000) if i == 14 else v for i, v in enumerate(last_month)),
            daily_budget=Decimal("60.00"),
        ),
        "daily-one-day": DailyChart("23 Nov 2026", "USD", TODAY, (Decimal("37.80"),), today=TODAY),
        "daily-year": DailyChart("2026", "INR", date(2026, 1, 1), year, today=TODAY),
        "cumulative": CumulativeChart(
            "November 2026",
            "USD",
            NOVEMBER,
            30,
            this_month,
            "October 2026",
            last_month,
            budget=Decimal("2100.00"),
        ),
        "cumulative-no-budget": CumulativeChart(
            "November 2026",
            "EUR",
            NOVEMBER,
            30,
            this_month,
            "October 2026",
            last_month[:10] + (Decimal(0),) * 21,
        ),
        "monthly": MonthlyChart(
            "Dec 2025 – Nov 2026",
            "USD",
            tuple(
                MonthTotals(
                    date(2025 + (11 + i) // 12, (11 + i) % 12 + 1, 1),
                    _money(rng, 3800, 5200) if i != 4 else Decimal(0),
                    _money(rng, 2500, 4800),
                )
                for i in range(12)
            ),
        ),
        "monthly-outlier": MonthlyChart(
            "Dec 2025 – Nov 2026",
            "GBP",
            tuple(
                MonthTotals(
                    date(2025 + (11 + i) // 12, (11 + i) % 12 + 1, 1),
                    Decimal(1_250_000) if i == 6 else _money(rng, 3000, 3500),
                    _money(rng, 2000, 3200),
                )
                for i in range(12)
            ),
        ),
        "empty": CategoryChart("March 2026", "USD", ()),
    }


RENDERERS: dict[type, Callable[..., bytes]] = {
    CategoryChart: render_categories,
    DailyChart: render_daily,
    CumulativeChart: render_cumulative,
    MonthlyChart: render_monthly,
}


def render(data: ChartData) -> bytes:
    return RENDERERS[type(data)](data)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m charts.gallery OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for name, data in samples().items():
        began = time.perf_counter()
        png = render(data)
        (out / f"{name}.png").write_bytes(png)
        print(f"{name}.png  {len(png) // 1024} KiB  {(time.perf_counter() - began) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
