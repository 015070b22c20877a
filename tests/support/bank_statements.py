"""Real bank statements (``<repo>/../shared/bank_statements/``): where, and what each must give.

The files and their manifest live outside the repository (exports other projects keep as test
data); this module only reads them. ``PENNY_BANK_STATEMENTS`` points at another folder of the same
layout (the files we keep out of sight are scored the same way).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
STATEMENTS = REPO.parent / "shared" / "bank_statements"
STATEMENTS_ENV = "PENNY_BANK_STATEMENTS"


def statements_dir() -> Path:
    """The folder with ``manifest.json``; fails in CI when it is missing, skips elsewhere."""
    path = Path(os.environ.get(STATEMENTS_ENV) or STATEMENTS)
    if not (path / "manifest.json").is_file():
        reason = f"the bank statements are missing: {path} (they live in ../shared beside the repo)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


def manifest(path: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((path / "manifest.json").read_text("utf-8"))
    return entries


@dataclass(frozen=True)
class Outcome:
    """What an import stored, as the manifest counts it: money out and in, as positive totals
    (a refund is money in: Penny stores it as an expense given back)."""

    transactions: int
    expenses: Decimal
    income: Decimal
    first: date | None
    last: date | None

    @classmethod
    def of(cls, rows: list[tuple[str, Decimal, date]]) -> Outcome:
        out = sum(
            (amount for kind, amount, _ in rows if kind == "expense" and amount > 0), Decimal(0)
        )
        back = sum(
            (-amount for kind, amount, _ in rows if kind == "expense" and amount < 0), Decimal(0)
        )
        income = sum((amount for kind, amount, _ in rows if kind == "income"), Decimal(0))
        days = [day for _, _, day in rows]
        return cls(len(rows), out, income + back, min(days, default=None), max(days, default=None))

    @classmethod
    def expected(cls, entry: dict[str, Any]) -> Outcome:
        return cls(
            entry["transactions"],
            Decimal(entry["expenses"]),
            Decimal(entry["income"]),
            date.fromisoformat(entry["first_date"]),
            date.fromisoformat(entry["last_date"]),
        )
