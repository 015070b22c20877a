"""Rows to transactions: sign and direction, currency, category and note, line by line.

``parse_rows`` returns ``(items, errors)`` so a bad file is reported line by line and imported
not at all.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from bot.core.csv_import.columns import Mapping
from bot.core.csv_import.filing import PLAIN, Filing
from bot.core.csv_import.headers import normal
from bot.core.csv_import.table import MAX_NOTE, Table
from bot.core.csv_import.values import parse_date, parse_money
from bot.core.exporting import restore_cell
from bot.core.money import AmountError, check_amount, is_currency


class ImportRow(NamedTuple):
    """One transaction read from the file; ``category`` "" means none, None means not known.

    ``amount`` is positive, except for a refund: an expense with a negative amount.
    """

    occurred_on: date
    kind: str
    amount: Decimal
    currency: str
    category: str | None
    note: str
    # Money moved between accounts (a top-up, a transfer to savings, paying a card from the
    # bank): imported, but marked so the user can leave such rows out.
    transfer: bool = False


# What marks a transfer: a Type word in any column (ACCT_XFER, TOPUP), the note, or the
# bank's category.
TRANSFER_TYPES = frozenset(
    {"transfer", "acct xfer", "standard transfer", "topup", "top up", "internal transfer",
     "pot transfer", "umbuchung", "exchange"}
)  # fmt: skip
TRANSFER_NOTE = re.compile(
    r"\b(transfer (to|from)|internal transfer|umbuchung|top-?up by|(to|from) (savings|pot)\b|"
    r"overboeking (naar|van) (eigen|spaar))",
    re.IGNORECASE,
)
MAX_TYPE_WORD = 24  # longer cells are notes, not Type words
TRANSFER_CATEGORIES = frozenset({"transfer", "transfers", "credit card payment"})


class RowError(NamedTuple):
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


# --- rows -> transactions ---

# Direction words (``Af``/``Bij``, ``D``/``K``, ``Soll``/``Haben``, ``DR``/``CR``): they beat the
# sign. "Payment" is not one: Venmo writes it for money sent and received alike.
EXPENSE_WORDS = frozenset(
    {"expense", "debit", "debet", "dr", "d", "out", "withdrawal", "af", "soll", "s", "sale", "-"}
)
INCOME_WORDS = frozenset(
    {"income", "credit", "cr", "c", "k", "in", "deposit", "bij", "haben", "h", "+"}
)
# Money back for a purchase (Penny's export writes "refund"): an expense with a negative amount.
REFUND_WORDS = frozenset({"refund", "refunded", "reversal", "return", "card refund", "card_refund"})
# A note that says money came back (bunq's "Refund: CLOUDFLARE …"): a refund, not income.
REFUND_NOTE = re.compile(r"^(refund|return|rückerstattung|erstattung)\b", re.I)
# Rows that are not transactions: a balance or total line, a trailer (SBI's "Total Debits…").
NOT_A_TRANSACTION = re.compile(
    r"\b(total|totals|balance|saldo|kontostand|opening|closing|summe|umsatzsumme|"
    r"anfangssaldo|endsaldo|eindsaldo|beginsaldo|الرصيد|المجموع)\b",
    re.IGNORECASE,
)


class Skipped(NamedTuple):
    """Rows left out because they are not transactions, by why."""

    zero: int = 0  # a zero amount: a card hold, a quarterly closing
    undated: int = 0  # no date: a pending row, a balance line, a trailer
    payments: int = 0  # paying off the card on a card statement: the charges are the spending
    failed: int = 0  # declined, reverted or cancelled: the money never moved
    continued: int = 0  # a description running on to the next line (OCBC): joined to its row


class Parsed(NamedTuple):
    items: list[ImportRow]
    errors: list[RowError]
    skipped: Skipped
    card: Card | None = None  # a card statement, and which way its amounts go


class Card(NamedTuple):
    """A card statement: one that shows the card being paid off ("Payment Thank You")."""

    charges_positive: bool  # Amex and others write a charge as +, a payment as -


# Paying the card, as card statements word it ("PAYMENT THANK YOU", "AUTOPAY PAYMENT RECEIVED -
# THANK YOU", "Payment Thank You-Mobile"). A bank account's "Payment to … card" is not one: there
# it is money leaving the account.
CARD_PAYMENT = re.compile(
    r"\b(payment|pymt|pmt)\b.{0,40}\bthank\b|thank you for (your )?payment|payment received",
    re.IGNORECASE,
)


def parse_rows(
    table: Table, mapping: Mapping, *, default_currency: str
) -> tuple[list[ImportRow], list[RowError]]:
    """Every transaction, or an error naming its line (see ``read_rows``)."""
    items, errors, *_ = read_rows(table, mapping, default_currency=default_currency)
    return items, errors


def read_rows(
    table: Table, mapping: Mapping, *, default_currency: str, filing: Filing = PLAIN
) -> Parsed:
    """Every row as a transaction, an error naming its line, or a row that is not a
    transaction (counted in ``skipped``, so the preview can say so)."""
    items: list[ImportRow] = []
    errors: list[RowError] = []
    zero = undated = 0
    if mapping.missing():
        return Parsed(
            [], [RowError(0, "no " + " or ".join(mapping.missing()) + " column")], Skipped()
        )
    needed = max(mapping.used()) + 1
    card = _card(table, mapping, needed)
    filing = filing.for_file(table.header)
    payments = failed = continued = 0
    status = _status_column(table)
    for line, cells in table.rows:
        if status is not None and status < len(cells) and cells[status].strip().lower() in FAILED:
            failed += 1
            continue
        if _continues(cells, mapping) and items:
            extra = " ".join(_cell(cells, mapping.note).split())
            items[-1] = items[-1]._replace(note=f"{items[-1].note} {extra}".strip()[:MAX_NOTE])
            continued += 1
            continue
        raw_date, day = _read_date(cells, mapping)
        if _not_a_transaction(cells, mapping, raw_date, day):
            undated += 1
            continue
        if len(cells) < needed:
            errors.append(RowError(line, f"expected {needed} columns, found {len(cells)}"))
            continue
        row = _parse_row(cells, mapping, default_currency, card, filing, (raw_date, day))
        if row == ZERO:
            zero += 1
        elif row == PAYMENT:
            payments += 1
        elif isinstance(row, str):
            errors.append(RowError(line, row))
        else:
            items.append(row)
    return Parsed(items, errors, Skipped(zero, undated, payments, failed, continued), card)


# A transaction that didn't happen (Revolut's State, PayPal's Status).
FAILED = frozenset({"declined", "reverted", "failed", "cancelled", "canceled", "denied", "refused"})


def _status_column(table: Table) -> int | None:
    names = [normal(h) for h in table.header or ()]
    return next((i for i, n in enumerate(names) if n in ("state", "status")), None)


def _continues(cells: list[str], mapping: Mapping) -> bool:
    """A line that only carries more of the description above: no date, no amount."""
    if mapping.note is None or mapping.note >= len(cells) or not cells[mapping.note].strip():
        return False
    used = (mapping.date, mapping.amount, mapping.debit, mapping.credit)
    empty = all(i is None or i >= len(cells) or not cells[i].strip() for i in used)
    return empty and not NOT_A_TRANSACTION.search(" ".join(cells))


ZERO = "the amount is zero"
PAYMENT = "a payment to the card"


def _card(table: Table, mapping: Mapping, needed: int) -> Card | None:
    """A card statement when a row pays the card off; its sign says which way charges go."""
    if mapping.note is None:
        return None
    signs: list[bool] = []
    for _, cells in table.rows:
        if len(cells) >= needed and CARD_PAYMENT.search(_cell(cells, mapping.note)):
            signed = _signed_amount(cells, mapping)
            if not isinstance(signed, str):
                signs.append(signed < 0)
    if not signs:
        # American Express writes charges as positive and names its card members; a month
        # without a payment is still a card statement.
        header = {normal(h) for h in table.header or ()}
        return Card(charges_positive=True) if header & AMEX_COLUMNS else None
    # A payment written as negative means a charge is written as positive.
    return Card(charges_positive=sum(signs) * 2 > len(signs))


AMEX_COLUMNS = frozenset({"card member", "appears on your statement as", "extended details"})


def _read_date(cells: list[str], mapping: Mapping) -> tuple[str, date | None]:
    """The date cell and the day it says (None when it can't be read)."""
    index = mapping.date
    raw = cells[index].strip() if index is not None and index < len(cells) else ""
    day = parse_date(raw, mapping.date_format) if raw and mapping.date_format else None
    return raw, day


def _not_a_transaction(cells: list[str], mapping: Mapping, raw: str, day: date | None) -> bool:
    """A row without a date (pending, a trailer), or a balance or total line without one
    that can be read or without an amount."""
    if not raw or not any(ch.isdigit() for ch in raw):  # Comdirect writes "offen" if pending
        return True
    money = [i for i in (mapping.amount, mapping.debit, mapping.credit) if i is not None]
    no_amount = all(i >= len(cells) or not cells[i].strip() for i in money)
    if day is not None and not no_amount:
        return False
    # A dated line without an amount ("Beginning balance as of 01/01/2024") or an undated one
    # that totals the rest.
    return bool(NOT_A_TRANSACTION.search(" ".join(cells)))


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None else ""


def _parse_row(
    cells: list[str],
    mapping: Mapping,
    default_currency: str,
    card: Card | None = None,
    filing: Filing = PLAIN,
    dated: tuple[str, date | None] | None = None,
) -> ImportRow | str:
    raw_date, day = dated if dated is not None else _read_date(cells, mapping)
    if day is None:
        return f"can't read the date {raw_date[:30]!r}" if raw_date else "no date"
    signed = _signed_amount(cells, mapping)
    if isinstance(signed, str):
        return signed
    raw_note = _cell(cells, mapping.note)
    if card is not None and CARD_PAYMENT.search(raw_note):
        return PAYMENT
    if (card is not None and card.charges_positive) or mapping.expensebot:
        signed = -signed
    kind = "income" if signed > 0 else "expense"
    written = _cell(cells, mapping.type).lower().strip(" .")
    worded = written in EXPENSE_WORDS or written in INCOME_WORDS
    if worded:
        kind = "expense" if written in EXPENSE_WORDS else "income"
    # On a card, money back that isn't paying it off is a return: a refund of a purchase.
    refund = (
        written in REFUND_WORDS
        or (kind == "income" and bool(REFUND_NOTE.match(raw_note)))
        or ((card is not None or mapping.expensebot) and kind == "income" and not worded)
    )
    if refund:
        kind = "expense"
    currency = (_cell(cells, mapping.currency) or default_currency).upper()
    if not is_currency(currency):
        return f"unknown currency {currency[:10]!r}"
    try:
        amount = check_amount(abs(signed), currency)
    except AmountError as exc:
        return str(exc)
    if refund:
        amount = -amount
    # Text cells may carry the ' a spreadsheet-safe export puts before a formula; take it off.
    note = " ".join(restore_cell(_cell(cells, mapping.note)).split())[:MAX_NOTE]
    # An empty category cell means "none" (Penny's export writes one for an uncategorized
    # transaction); without a category column the parser's dictionary guesses one.
    cell = (
        restore_cell(_cell(cells, mapping.category))[:64] if mapping.category is not None else None
    )
    if cell and mapping.expensebot:
        cell = cell.lstrip("#")  # its categories are hashtags
    category = filing.category(note, kind, cell)
    transfer = (
        any(
            len(c) <= MAX_TYPE_WORD
            and c.strip().lower().replace("_", " ").replace("-", " ") in TRANSFER_TYPES
            for c in cells
        )
        or bool(TRANSFER_NOTE.search(note))
        or (cell or "").lower() in TRANSFER_CATEGORIES
    )
    return ImportRow(day, kind, amount, currency, category, note, transfer)


def _signed_amount(cells: list[str], mapping: Mapping) -> Decimal | str:
    """Positive for money in, negative for money out."""
    if mapping.amount is not None:
        raw = _cell(cells, mapping.amount)
        value = parse_money(raw, mapping.decimal)
        if value is None:
            return f"can't read the amount {raw[:30]!r}" if raw else "no amount"
    else:
        value = Decimal(0)
        raws = ((_cell(cells, mapping.credit), 1), (_cell(cells, mapping.debit), -1))
        if not any(raw for raw, _ in raws):
            return "no amount"
        for raw, sign in raws:
            if not raw:
                continue
            part = parse_money(raw, mapping.decimal)
            if part is None:
                return f"can't read the amount {raw[:30]!r}"
            value += sign * abs(part)
    if value == 0:
        return ZERO
    return value


def dedupe_key(row: ImportRow, minor: int) -> tuple[date, str, int, str, str]:
    """What makes two transactions the same for the duplicate check."""
    return (row.occurred_on, row.kind, minor, row.currency, row.note)
