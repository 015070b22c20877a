"""The plain, frozen values the chart renderers draw. Amounts are Decimal in one currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Slice:
    """One category's spending."""

    name: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class CategoryChart:
    """Spending by category over a period; ``slices`` may come in any order."""

    period: str
    currency: str
    slices: tuple[Slice, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class DailyChart:
    """Spending per day from ``start``: ``amounts[i]`` is day ``start + i``.

    ``today`` marks where a current period stops having data; ``daily_budget`` draws the pace.
    """

    period: str
    currency: str
    start: date
    amounts: tuple[Decimal, ...]
    today: date | None = None
    daily_budget: Decimal | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class CumulativeChart:
    """Running spending this period against the previous one (and a budget when there is one).

    ``current`` and ``previous`` hold daily amounts; ``current`` stops at today for a period
    still running.
    """

    period: str
    currency: str
    start: date
    days: int
    current: tuple[Decimal, ...]
    previous_period: str
    previous: tuple[Decimal, ...]
    budget: Decimal | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class MonthTotals:
    month: date  # the first of the month
    income: Decimal
    expenses: Decimal


@dataclass(frozen=True, slots=True)
class MonthlyChart:
    """Income against expenses for consecutive months, oldest first."""

    period: str
    currency: str
    months: tuple[MonthTotals, ...]
    note: str = ""


ChartData = CategoryChart | DailyChart | CumulativeChart | MonthlyChart
