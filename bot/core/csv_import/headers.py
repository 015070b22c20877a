"""Header words banks write, in several languages, and finding the header row among them.

A statement may open with lines about the account (DKB, SBI, OCBC, Knab write a few), so the
header is the first row that names at least two known columns, not simply the first row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Exact names per role, the likelier first where a file may have several (``note``).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "datum", "fecha", "data", "day", "datetime", "date time", "booking date",
        "transaction date", "trans date", "txn date", "tran date", "posting date",
        "posted date", "posted", "value date", "completed date", "started date",
        "buchungstag", "buchungsdatum", "buchung", "transactiedatum", "boekdatum",
        "boekingsdatum", "valuta", "data operazione", "fecha operacion", "date operation",
    ),
    "amount": (
        "amount", "sum", "value", "betrag", "bedrag", "importe", "importo", "montant", "valor",
        "amt", "transaction amount", "total", "net", "net amount", "umsatz", "kwota", "belopp",
    ),
    "debit": (
        "debit", "debits", "debit amount", "debit amt", "dr amount", "withdrawal",
        "withdrawals", "withdrawal amt", "withdrawal amount", "paid out", "money out", "out",
        "outflow", "spent", "expense", "expenses", "soll", "ausgang", "uitgaven", "af",
    ),
    "credit": (
        "credit", "credits", "credit amount", "credit amt", "cr amount", "deposit", "deposits",
        "deposit amt", "deposit amount", "paid in", "money in", "in", "inflow", "received",
        "income", "haben", "eingang", "inkomsten", "bij",
    ),
    "note": (
        "description", "transaction description", "narration", "naam omschrijving",
        "omschrijving", "omschrijving 1", "auftraggeber begunstigter",
        "begunstigter zahlungspflichtiger", "beguenstigter zahlungspflichtiger",
        "zahlungsempfanger in", "zahlungsempfanger", "name zahlungsbeteiligter", "empfanger",
        "payee", "payee name", "merchant", "merchant name", "counter party", "naam tegenpartij",
        "name", "note", "notes", "memo",
        "details", "transaction details", "narrative", "particulars", "counterparty",
        "beschreibung", "verwendungszweck", "buchungstext", "text", "reference", "concepto",
        "libelle", "descripcion", "descrizione",
    ),
    "currency": ("currency", "ccy", "cur", "curr", "wahrung", "devise", "moneda", "munt"),
    "category": ("category", "categories", "kategorie", "categoria", "categorie"),
    "type": (
        "type", "kind", "transaction type", "dr cr", "cr dr", "debit credit", "credit debit",
        "direction", "af bij", "d k", "soll haben", "s h", "debet credit",
    ),
}  # fmt: skip
# A word inside a longer header that still says what the column is (``Betrag (EUR)``,
# ``Withdrawals (SGD)``), unless another word says it is something else (``Amount (fee)``).
WORD_HINTS: tuple[tuple[str, str], ...] = (
    ("date", "date"),
    ("datum", "date"),
    ("amount", "amount"),
    ("betrag", "amount"),
    ("bedrag", "amount"),
    ("withdrawals", "debit"),
    ("withdrawal", "debit"),
    ("deposits", "credit"),
    ("deposit", "credit"),
    ("description", "note"),
    ("omschrijving", "note"),
    ("memo", "note"),
)
NOT_THE_ROLE = frozenset({"balance", "saldo", "fee", "fees", "oorspr", "original", "kontostand"})


def normal(header: str) -> str:
    """``Währung`` -> ``wahrung``, ``Amount (EUR)`` -> ``amount eur``."""
    decomposed = unicodedata.normalize("NFKD", header.lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def role_of(header: str) -> str | None:
    """The role a header names exactly, or by a word in it; None for others."""
    name = normal(header)
    for role, synonyms in SYNONYMS.items():
        if name in synonyms:
            return role
    tokens = set(name.split())
    if tokens & NOT_THE_ROLE:
        return None
    return next((role for word, role in WORD_HINTS if word in tokens), None)


def known_names(cells: Sequence[str]) -> int:
    """How many cells name a column Penny knows: a header row names two or more."""
    return sum(1 for cell in cells if cell.strip() and role_of(cell) is not None)


# The CSV the closed @ExpenseBot (muety/telegram-expense-bot) told its users to export: every
# amount an expense, the description unquoted (its commas split it), categories as #hashtags.
EXPENSEBOT = ("amount", "description", "category", "date", "timestamp")


def is_expensebot(header: Sequence[str] | None) -> bool:
    return header is not None and tuple(normal(h) for h in header) == EXPENSEBOT
