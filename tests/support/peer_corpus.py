"""The peer message corpus (``<repo>/../shared/corpora/``): loading it and scoring what was stored.

The corpus and its README live outside the repository (real data other projects wrote); this
module only reads them. A case expects entries (``kind``, ``amount``, optional ``currency`` and
``category``, a date key) or ``none``; see the README beside the file for the date keys.
"""

from __future__ import annotations

import calendar
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpora" / "peer_messages.jsonl"
# Another file of the same format (the cases we keep out of sight) can be scored the same way.
CORPUS_ENV = "PENNY_PEER_CORPUS"


def corpus_path() -> Path:
    """The corpus file; fails in CI when it is missing, skips with the reason elsewhere."""
    path = Path(os.environ.get(CORPUS_ENV) or CORPUS)
    if not path.is_file():
        reason = f"the peer corpus is missing: {path} (it lives in ../shared beside the repo)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class Stored:
    """One stored transaction, as the corpus speaks of it."""

    kind: str
    amount: Decimal  # negative for a refund (an expense given back)
    currency: str
    category: str | None
    occurred_on: date
    note: str

    @property
    def direction(self) -> str:
        """Money in or out: a refund (a negative expense) is money coming in."""
        if self.kind == "expense" and self.amount < 0:
            return "income"
        return self.kind


def expected_date(case: dict[str, Any], today: date) -> date:
    """The day a case expects: ``date``, ``month`` and ``mday``, ``mday`` alone, or ``day``."""
    if "date" in case:
        return date.fromisoformat(case["date"])
    if "month" in case:
        found = date(today.year, case["month"], case["mday"])
        return found if found <= today else date(today.year - 1, case["month"], case["mday"])
    if "mday" in case:
        year, month = today.year, today.month
        while True:  # the most recent such day of a month
            if case["mday"] <= calendar.monthrange(year, month)[1]:
                found = date(year, month, case["mday"])
                if found <= today:
                    return found
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return today + timedelta(days=case.get("day", 0))


def expectations(case: dict[str, Any]) -> list[dict[str, Any]]:
    if case.get("none"):
        return []
    multi: list[dict[str, Any]] = case.get("multi") or [case]
    return multi


def mismatch(
    case: dict[str, Any], stored: Sequence[Stored], *, today: date, default_currency: str
) -> str | None:
    """Why what was stored is not what the case expects; None when it is fully right.

    A case that names no currency expects the user's default, unless its text carries a currency
    sign the corpus leaves open (``¥``, ``Rs``): then any currency will do.
    """
    wanted = expectations(case)
    if len(stored) != len(wanted):
        return f"stored {len(stored)} entries, expected {len(wanted)}"
    for got, want in zip(stored, wanted, strict=True):
        if got.direction != want["kind"]:
            return f"kind {got.kind} {got.amount}, expected {want['kind']}"
        if abs(got.amount) != Decimal(want["amount"]):
            return f"amount {got.amount}, expected {want['amount']}"
        currency = want.get("currency")
        if currency is None and not _names_open_currency(case["text"]):
            currency = default_currency
        if currency is not None and got.currency != currency:
            return f"currency {got.currency}, expected {currency}"
        if "category" in want and got.category != want["category"]:
            return f"category {got.category}, expected {want['category']}"
        day = expected_date(want, today)
        if got.occurred_on != day:
            return f"date {got.occurred_on}, expected {day}"
    return None


def _names_open_currency(text: str) -> bool:
    low = text.lower()
    return "¥" in text or "rs" in low.replace(".", " ").split() or "rs." in low


def category_right(case: dict[str, Any], stored: Sequence[Stored]) -> bool | None:
    """Whether the category is right, for a single-entry case that names one; else None."""
    if "category" not in case:
        return None
    return len(stored) == 1 and stored[0].category == case["category"]


@dataclass
class Score:
    cases: int = 0
    full: int = 0
    with_category: int = 0
    category: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, case: dict[str, Any], stored: Sequence[Stored], why: str | None) -> None:
        self.cases += 1
        if why is None:
            self.full += 1
        else:
            self.misses.append(f"{case['text']!r}: {why}; stored {_show(stored)}")
        right = category_right(case, stored)
        if right is not None:
            self.with_category += 1
            self.category += right

    def summary(self) -> str:
        return (
            f"peer corpus: fully right {self.full}/{self.cases} ({self.full / self.cases:.1%}), "
            f"category {self.category}/{self.with_category} "
            f"({self.category / max(self.with_category, 1):.1%})"
        )


def _show(stored: Sequence[Stored]) -> str:
    return (
        "; ".join(
            f"{s.kind} {s.amount} {s.currency} {s.category} {s.occurred_on} {s.note!r}"
            for s in stored
        )
        or "nothing"
    )
