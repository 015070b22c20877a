"""Default categories every new user starts with. Pure data."""

from __future__ import annotations

from typing import Final, Literal

Kind = Literal["expense", "income"]

# Where an entry goes when Penny can't tell its category; every user has one of each kind.
FALLBACK: Final = "Other"

DEFAULT_EXPENSE_CATEGORIES: Final = (
    "Food",
    "Groceries",
    "Transport",
    "Housing",
    "Utilities",
    "Shopping",
    "Health",
    "Entertainment",
    "Travel",
    "Education",
    "Gifts",
    "Other",
)
DEFAULT_INCOME_CATEGORIES: Final = ("Salary", "Freelance", "Investments", "Gifts", "Other")

DEFAULT_EMOJI: Final = {
    ("expense", "Food"): "🍔",
    ("expense", "Groceries"): "🛒",
    ("expense", "Transport"): "🚕",
    ("expense", "Housing"): "🏠",
    ("expense", "Utilities"): "💡",
    ("expense", "Shopping"): "🛍",
    ("expense", "Health"): "💊",
    ("expense", "Entertainment"): "🎬",
    ("expense", "Travel"): "✈️",
    ("expense", "Education"): "📚",
    ("expense", "Gifts"): "🎁",
    ("expense", "Other"): "📦",
    ("income", "Salary"): "💼",
    ("income", "Freelance"): "🧑‍💻",
    ("income", "Investments"): "📈",
    ("income", "Gifts"): "🎁",
    ("income", "Other"): "💰",
}


def default_categories() -> list[tuple[Kind, str, str]]:
    """(kind, name, emoji) for every default category, expenses first."""
    rows: list[tuple[Kind, str, str]] = []
    for name in DEFAULT_EXPENSE_CATEGORIES:
        rows.append(("expense", name, DEFAULT_EMOJI[("expense", name)]))
    for name in DEFAULT_INCOME_CATEGORIES:
        rows.append(("income", name, DEFAULT_EMOJI[("income", name)]))
    return rows
