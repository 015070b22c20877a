"""Budget rules: periods, progress, safe daily allowance, alert thresholds, rollover. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Literal

from bot.core.errors import UserMistake
from bot.core.money import AmountError, D, from_minor, to_minor
from bot.core.outlook import daily_allowance
from bot.core.periods import Period, month_period, week_period

Frequency = Literal["monthly", "weekly"]
# Percentages of the limit that trigger an alert, each once per budget per period.
THRESHOLDS = (80, 100)


def budget_period(day: date, frequency: str, month_start_day: int = 1) -> Period:
    """The budget period containing ``day``."""
    return week_period(day) if frequency == "weekly" else month_period(day, month_start_day)


def thresholds_reached(spent: Decimal, limit: Decimal) -> list[int]:
    """Which alert thresholds ``spent`` has reached: 80% at or above, 100% only when over."""
    if limit <= 0:
        return [100] if spent > 0 else []
    reached = []
    if spent * 100 >= limit * 80:
        reached.append(80)
    if spent > limit:
        reached.append(100)
    return reached


def raised_limit(base: Decimal, percent: int, currency: str) -> Decimal:
    """The limit after raising ``base`` by ``percent``, rounded down to the currency's cents."""
    minor = to_minor(base, currency) * (100 + percent) // 100
    return from_minor(minor, currency)


def rollover_limit(base: Decimal, earlier_spent: Sequence[Decimal]) -> Decimal:
    """This period's limit when each earlier period's unspent (or overspent) part carries over."""
    return base + sum((base - spent for spent in earlier_spent), Decimal(0))


@dataclass(frozen=True, slots=True)
class Status:
    """Where one budget stands today."""

    limit: Decimal
    spent: Decimal
    period: Period
    today: date
    currency: str

    @property
    def left(self) -> Decimal:
        return self.limit - self.spent

    @property
    def ratio(self) -> Decimal:
        return self.spent / self.limit if self.limit > 0 else Decimal(1)

    @property
    def days_left(self) -> int:
        """Days from today to the period's last day, both included."""
        return max((self.period.end - self.today).days, 0)

    @property
    def safe_daily(self) -> Decimal:
        """What can be spent each remaining day without going over, rounded down to the cent."""
        return daily_allowance(self.left, self.days_left, self.currency)


def progress_bar(ratio: Decimal, width: int = 10) -> str:
    """``▓▓▓▓▓▓░░░░`` filled to ``ratio`` (capped at full)."""
    filled = min(width, max(0, int((ratio * width).to_integral_value(rounding=ROUND_DOWN))))
    return "▓" * filled + "░" * (width - filled)


@dataclass(frozen=True, slots=True)
class BudgetCommand:
    """What ``/budget`` arguments ask for. ``category`` None means the overall limit."""

    action: Literal["show", "set", "remove"]
    category: str | None = None
    amount: Decimal | None = None
    frequency: Frequency = "monthly"
    rollover: bool | None = None


class BudgetUsage(UserMistake):
    """The /budget arguments fit no form."""

    message = (
        "Usage: /budget [category] AMOUNT [weekly|monthly] [rollover] — or /budget [category] off"
    )


_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000)}


def parse_limit(text: str) -> Decimal | None:
    """``5000``, ``5,000``, ``5k``, ``1.5k``, ``$300`` as a positive Decimal, else None."""
    cleaned = text.strip().lower().lstrip("$€£₹¥₽").replace(",", "").replace("_", "")
    multiplier = Decimal(1)
    if cleaned[-1:] in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[cleaned[-1]]
        cleaned = cleaned[:-1]
    if not cleaned or not all(c.isdigit() or c == "." for c in cleaned) or cleaned.count(".") > 1:
        return None
    try:
        value = D(cleaned) * multiplier
    except AmountError:
        return None
    return value if value > 0 else None


def _is_zero(text: str) -> bool:
    """``0``, ``0.00``: a limit of nothing reads as "no budget"."""
    cleaned = text.strip().lstrip("$€£₹¥₽")
    return bool(cleaned) and set(cleaned) <= {"0", "."} and cleaned.count(".") <= 1


def parse_budget_args(args: Sequence[str]) -> BudgetCommand:
    """Read ``/budget`` arguments; raises BudgetUsage when they don't fit any form."""
    words = [a for a in args if a.strip()]
    if not words:
        return BudgetCommand("show")
    frequency: Frequency = "monthly"
    rollover: bool | None = None
    while words and words[-1].lower() in {"weekly", "monthly", "rollover", "norollover"}:
        flag = words.pop().lower()
        if flag in {"weekly", "monthly"}:
            frequency = "weekly" if flag == "weekly" else "monthly"
        else:
            rollover = flag == "rollover"
    if not words:
        raise BudgetUsage()
    last = words[-1]
    category = " ".join(words[:-1]) or None
    if last.lower() in {"off", "remove", "delete", "none"} or _is_zero(last):
        return BudgetCommand("remove", category)
    amount = parse_limit(last)
    if amount is None or (category is not None and parse_limit(category) is not None):
        raise BudgetUsage()
    return BudgetCommand("set", category, amount, frequency, rollover)
