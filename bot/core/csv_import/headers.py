"""Header words banks write, in several languages, and finding the header row among them.

A statement may open with lines about the account (DKB, SBI, OCBC, Knab write a few), so the
header is the first row that names at least two known columns, not simply the first row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Exact names per role, the likelier first where a file has several: the day of the purchase
# before the day it was booked or valued (ICICI: Value Date, then Transaction Date), the
# description before the payee before the reference. Written as banks do; compared folded
# (``normal``), so accents and case don't matter.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "datum", "fecha", "data", "day", "transaction date", "trans date", "txn date",
        "tran date", "booking date", "buchungstag", "buchungsdatum", "buchung",
        "transactiedatum", "boekdatum", "boekingsdatum", "started date", "datetime",
        "date time", "data operazione", "fecha operacion", "date operation", "التاريخ",
        "تاريخ", "تاريخ العملية", "تاريخ الحركة", "posting date", "posted date", "post date",
        "posted", "completed date", "value date", "valuta", "wertstellung",
    ),
    "amount": (
        "amount", "sum", "value", "betrag", "bedrag", "importe", "importo", "montant", "valor",
        "amt", "transaction amount", "total", "net", "net amount", "umsatz", "kwota", "belopp",
        "المبلغ", "مبلغ", "قيمة",
    ),
    "debit": (
        "debit", "debits", "debit amount", "debit amt", "dr amount", "dr", "withdrawal",
        "withdrawals", "withdrawal amt", "withdrawal amount", "paid out", "money out", "out",
        "outflow", "spent", "expense", "expenses", "soll", "ausgang", "uitgaven", "af",
        "مدين", "سحب", "المدين",
    ),
    "credit": (
        "credit", "credits", "credit amount", "credit amt", "cr amount", "cr", "deposit",
        "deposits", "deposit amt", "deposit amount", "paid in", "money in", "in", "inflow",
        "received", "income", "haben", "eingang", "inkomsten", "bij", "دائن", "ايداع",
        "الدائن",
    ),
    "note": (
        "description", "transaction description", "narration", "naam omschrijving",
        "omschrijving", "omschrijving 1", "buchungsdetails", "auftraggeber begünstigter",
        "beguenstigter zahlungspflichtiger", "begünstigter zahlungspflichtiger",
        "auftraggeber empfänger", "zahlungsempfänger in", "zahlungsempfänger",
        "name zahlungsbeteiligter", "payee", "payee name", "merchant", "merchant name",
        "counter party", "naam tegenpartij", "tegenrekeninghouder", "name", "note", "notes",
        "memo", "details", "transaction details", "transaction remarks", "remarks",
        "narrative", "particulars", "counterparty", "beschreibung", "verwendungszweck",
        "buchungstext", "text", "auftraggeber", "empfänger", "reference", "concepto",
        "libelle", "libellé", "descripcion", "descrizione", "الوصف", "البيان", "التفاصيل",
        "وصف",
    ),
    "currency": (
        "currency", "ccy", "cur", "curr", "währung", "waehrung", "devise", "moneda", "munt",
        "valutacode", "العملة",
    ),
    "category": ("category", "categories", "kategorie", "categoria", "categorie", "الفئة"),
    "type": (
        "type", "kind", "transaction type", "dr cr", "cr dr", "debit credit", "credit debit",
        "direction", "af bij", "d k", "soll haben", "s h", "debet credit", "creditdebet",
    ),
}  # fmt: skip
# A word inside a longer header that still says what the column is (``Betrag (EUR)``,
# ``Withdrawals (SGD)``), unless another word says it is something else (``Amount (fee)``).
WORD_HINTS: tuple[tuple[str, str], ...] = (
    ("withdrawals", "debit"),  # before "amount": "Withdrawal Amount (INR)" is money out
    ("withdrawal", "debit"),
    ("deposits", "credit"),
    ("deposit", "credit"),
    ("date", "date"),
    ("datum", "date"),
    ("amount", "amount"),
    ("betrag", "amount"),
    ("bedrag", "amount"),
    ("description", "note"),
    ("omschrijving", "note"),
    ("memo", "note"),
    ("umsatz", "amount"),
    ("remarks", "note"),
    ("category", "category"),
    ("kategorie", "category"),
)
NOT_THE_ROLE = frozenset(
    {"balance", "saldo", "fee", "fees", "oorspr", "original", "kontostand", "bal", "الرصيد"}
)


def normal(header: str) -> str:
    """``Währung`` -> ``wahrung``, ``Amount (EUR)`` -> ``amount eur``."""
    decomposed = unicodedata.normalize("NFKD", header.lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


# The synonyms as ``normal`` writes headers, in the same order.
NORMAL: dict[str, tuple[str, ...]] = {
    role: tuple(dict.fromkeys(normal(s) for s in synonyms)) for role, synonyms in SYNONYMS.items()
}


def role_of(header: str) -> str | None:
    """The role a header names exactly, or by a word in it; None for others."""
    name = normal(header)
    for role, synonyms in NORMAL.items():
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
