"""Answering what a message asks instead of recording it: a question about the user's money, or
a correction of an entry already recorded ("Change ₹500 food expense to ₹600").

Reading a request changes nothing: a question gets its answer, a correction finds the entry
it means and hands it back to be confirmed with a button; ``amend_entry`` and ``remove_entry``
act on the tap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.money import AmountError, check_amount, format_amount, from_minor, to_minor
from bot.core.parsing import Correction, Question, Request
from bot.core.periods import Period, label, local_now, month_period, relative_day
from bot.core.rules import match_name
from models import transactions as tx
from models.categories import CategoryInfo, categories_by_name, categories_by_origin
from models.services import account, reports
from models.services.account import Balance
from models.services.receipts import Logged, Removed, logged_result
from models.services.reports import Report
from models.services.results import STALE, Stale
from models.transactions import Entry, NewEntry
from models.users import Profile

# How many recent entries /history-style answers show.
LIST_SIZE = 10
# How many of the newest matching entries a correction looks through for its words.
CANDIDATES = 50


@dataclass(frozen=True)
class Spending:
    """What one category (or several with one name) came to over a period, per currency."""

    category: CategoryInfo
    period_label: str
    totals: dict[str, tuple[Decimal, int]]  # currency -> (total, entries)


@dataclass(frozen=True)
class Recent:
    """The user's latest entries, for "list all my expenses"."""

    entries: list[Entry]
    today: date


@dataclass(frozen=True)
class ProposedChange:
    """The entry a correction means, and its new amount: confirmed with a button."""

    entry: Entry
    amount: Decimal  # in ``currency``, positive
    currency: str
    today: date

    @property
    def amount_minor(self) -> int:
        return to_minor(self.amount, self.currency)


@dataclass(frozen=True)
class ProposedRemoval:
    """The entry a "remove …" message means: removed only when the button is tapped."""

    entry: Entry
    today: date


@dataclass(frozen=True)
class NotFound:
    """No recorded entry fits what the correction said; ``looked_for`` says what that was."""

    looked_for: str
    action: str


Answer = Spending | Balance | Recent | Report | ProposedChange | ProposedRemoval | NotFound


async def answer(
    *, session: AsyncSession, profile: Profile, now: datetime, request: Request
) -> Answer:
    """The answer to a question, or the entry a correction is about (nothing is stored)."""
    if isinstance(request, Correction):
        return await _correction(session=session, profile=profile, now=now, request=request)
    return await _question(session=session, profile=profile, now=now, question=request)


async def _question(
    *, session: AsyncSession, profile: Profile, now: datetime, question: Question
) -> Answer:
    today = local_now(now, profile.timezone).date()
    if question.topic == "balance":
        return await account.balance(session=session, profile=profile, now=now)
    if question.topic == "list":
        entries = await tx.recent_entries(session=session, user_id=profile.user_id, limit=LIST_SIZE)
        return Recent(entries, today)
    period = question.period or month_period(today, profile.month_start_day)
    kind = "income" if question.topic == "earned" else "expense"
    category = await _category(
        session=session, profile=profile, kind=kind, name=question.category, words=question.words
    )
    if category is None or question.topic == "breakdown":
        return await reports.report_for(session=session, profile=profile, now=now, period=period)
    totals = await tx.category_summary(
        session=session, user_id=profile.user_id, category_ids=[category.id], period=period
    )
    return Spending(category, _period_label(period, today, profile.month_start_day), totals)


def _period_label(period: Period, today: date, month_start: int) -> str:
    if period == month_period(today, month_start):
        return "this month"
    if period.days == 1:
        return "today" if period.start == today else f"on {period.start:%a %-d %b}"
    return label(period)


async def _category(
    *, session: AsyncSession, profile: Profile, kind: str, name: str | None, words: tuple[str, ...]
) -> CategoryInfo | None:
    """The user's category the words name: one of their own by name, else a default's words."""
    known = await categories_by_name(session=session, user_id=profile.user_id)
    own = {c.name.lower(): c for c in known.values() if c.kind == kind}
    found = match_name(" ".join(words), own)
    if found is None and name is not None:
        origins = await categories_by_origin(session=session, user_id=profile.user_id)
        found = origins.get((kind, name)) or known.get((kind, name.lower()))
    return found


async def _correction(
    *, session: AsyncSession, profile: Profile, now: datetime, request: Correction
) -> Answer:
    today = local_now(now, profile.timezone).date()
    currency = request.currency
    minor = None
    if request.amount is not None:
        written_in = currency or profile.currency
        try:
            minor = to_minor(check_amount(request.amount, written_in), written_in)
        except AmountError:
            minor = None
    category_ids = None
    if request.category is not None or request.words:
        found = [
            c
            for kind in ("expense", "income")
            if (
                c := await _category(
                    session=session,
                    profile=profile,
                    kind=kind,
                    name=request.category,
                    words=request.words,
                )
            )
            is not None
        ]
        category_ids = [c.id for c in found] or None
    matches = await tx.find_entries(
        session=session,
        user_id=profile.user_id,
        amount_minor=minor,
        currency=currency,
        category_ids=category_ids,
        day=request.day,
        limit=CANDIDATES,
    )
    if not matches and category_ids is not None:
        # The words may name the note rather than the category ("remove the uber expense"
        # after uber moved to Travel): look again without it, the words or the amount decide.
        matches = await tx.find_entries(
            session=session,
            user_id=profile.user_id,
            amount_minor=minor,
            currency=currency,
            day=request.day,
            limit=CANDIDATES,
        )
        if minor is None:
            matches = [e for e in matches if _says(e, request.words)]
    # "remove my lunch": of the matches, the newest whose note says one of the words
    matches = [e for e in matches if _says(e, request.words)] or matches
    if not matches:
        return NotFound(_described(request, profile.currency, today), request.action)
    entry = matches[0]
    if request.action == "remove":
        return ProposedRemoval(entry, today)
    assert request.new_amount is not None
    new_currency = request.new_currency or entry.currency
    try:
        amount = check_amount(request.new_amount, new_currency)
    except AmountError:
        return NotFound(_described(request, profile.currency, today), request.action)
    return ProposedChange(entry, amount, new_currency, today)


def _says(entry: Entry, words: tuple[str, ...]) -> bool:
    """The entry's note holds one of the words (plurals aside)."""
    noted = {w.rstrip("s") for w in entry.note.casefold().split()}
    return any(w.rstrip("s") in noted for w in words)


def _described(request: Correction, home: str, today: date) -> str:
    """What the correction asked for, in words: "300.00 INR Groceries entry from yesterday"."""
    parts = []
    if request.amount is not None:
        parts.append(format_amount(request.amount, request.currency or home))
    if request.category:
        parts.append(request.category)
    what = " ".join(parts) or "that"
    when = f" from {relative_day(request.day, today)}" if request.day else ""
    return f"{what} entry{when}"


# --- the taps that confirm a correction ---


async def amend_entry(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    tx_id: int,
    amount_minor: int,
    currency: str,
) -> Logged | Stale:
    """Give an entry the amount a confirmed correction named (a refund stays a refund)."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None or amount_minor <= 0:
        return STALE
    try:
        amount = check_amount(from_minor(amount_minor, currency), currency)
    except AmountError:
        return STALE
    changed = NewEntry(
        entry.kind,
        -amount if entry.refund else amount,
        currency,
        entry.category.id if entry.category else None,
        entry.note,
        entry.occurred_on,
        entry.unsorted,
    )
    await tx.update_entry(session=session, user_id=profile.user_id, tx_id=tx_id, entry=changed)
    today = local_now(now, profile.timezone).date()
    logged = await logged_result(session=session, profile=profile, ids=[tx_id], today=today)
    return replace(logged, edited=True)


async def remove_entry(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> Removed | Stale:
    """Remove the one entry a confirmed "remove …" message meant."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None:
        return STALE
    await tx.delete_entries(session=session, user_id=profile.user_id, ids=[tx_id], now=now)
    return Removed([entry], local_now(now, profile.timezone).date())
