"""Use cases for logging money: free text, edits, the category buttons, undo and /history.

Each takes the session keyword-only and the caller's profile; handlers call exactly one per
update, inside one database transaction, and render the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.budgets import parse_limit
from bot.core.money import AmountError, check_amount
from bot.core.parsing import AmountRejected, ParsedEntry, parse_message
from bot.core.periods import local_now, month_period
from bot.core.rules import match_rule, rule_keyword
from models import budgets, rules
from models import transactions as tx
from models.budgets import Alert, BudgetView
from models.categories import (
    CategoryInfo,
    categories_by_name,
    fallback_category,
    get_category,
    list_categories,
)
from models.services import budgets as budget_services
from models.services.entry_cap import over_entry_cap
from models.services.results import STALE, Rejected, Stale
from models.transactions import Entry, NewEntry
from models.users import Profile, update_user


@dataclass(frozen=True)
class Logged:
    """Transactions now stored, with what each one's category reached this month.

    ``alerts`` are budget thresholds these entries crossed for the first time this period.
    """

    entries: list[Entry]
    month_totals: list[Decimal | None]
    today: date
    edited: bool = False
    alerts: list[Alert] = field(default_factory=list)
    # After a category change: the word Penny offers to always file under the new category.
    learn_keyword: str | None = None
    month_start_day: int = 1


@dataclass(frozen=True)
class AskCategory:
    """An amount whose category Penny can't tell: the user picks one with a button."""

    pending_id: int
    entry: NewEntry
    categories: list[CategoryInfo]
    today: date


@dataclass(frozen=True)
class NotTransaction:
    """Nothing in the text looks like money; nothing was stored."""

    edited: bool = False


@dataclass(frozen=True)
class EditOfUndone:
    """An edit of a message whose entries the user had removed: nothing was stored again."""


@dataclass(frozen=True)
class LimitChanged:
    """The user typed a new limit for a budget they were asked about."""

    budget: BudgetView


Outcome = Logged | AskCategory | NotTransaction | Rejected | LimitChanged | EditOfUndone

HISTORY_SIZE = 10


@dataclass(frozen=True)
class Removed:
    """Transactions just deleted (empty when there was nothing to delete)."""

    entries: list[Entry]
    today: date


@dataclass(frozen=True)
class Choices:
    """A transaction and the categories it could move to."""

    entry: Entry
    categories: list[CategoryInfo]


@dataclass(frozen=True)
class History:
    entries: list[Entry]
    today: date
    removed: Entry | None = None


async def record_text(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    text: str,
    chat_id: int,
    message_id: int,
) -> Outcome:
    """Understand a chat message and store what it describes."""
    today = local_now(now, profile.timezone).date()
    if profile.awaiting_limit_budget_id is not None:
        changed = await _typed_limit(session=session, profile=profile, now=now, text=text)
        if changed is not None:
            return changed
    parsed = parse_for_user(text, now=now, profile=profile)
    if isinstance(parsed, Rejected):
        return parsed
    if not parsed:
        return NotTransaction()
    new = await resolve_entries(session=session, profile=profile, parsed=parsed)
    if isinstance(new, Rejected):
        return new
    if profile.awaiting_category_id is not None:
        # The user tapped a category on a reminder; this amount belongs there.
        await update_user(session=session, user_id=profile.user_id, awaiting_category_id=None)
        tapped = await get_category(
            session=session, user_id=profile.user_id, category_id=profile.awaiting_category_id
        )
        if len(new) == 1 and tapped is not None and tapped.kind == new[0].kind:
            new = [replace(new[0], category_id=tapped.id)]
    if len(new) == 1 and new[0].category_id is None:
        # A re-delivered message must not ask twice, nor re-ask once it was answered.
        stored = await tx.entries_from_message(
            session=session, user_id=profile.user_id, chat_id=chat_id, message_id=message_id
        )
        if stored:
            return await _logged(
                session=session, profile=profile, ids=[e.id for e in stored], today=today
            )
        pending_id = await tx.pending_for_message(
            session=session, user_id=profile.user_id, chat_id=chat_id, message_id=message_id
        ) or await tx.add_pending(
            session=session,
            user_id=profile.user_id,
            entry=new[0],
            source_chat_id=chat_id,
            source_message_id=message_id,
            created_at=now,
        )
        categories = await list_categories(
            session=session, user_id=profile.user_id, kind=new[0].kind
        )
        return AskCategory(pending_id, new[0], categories, today)
    new = [await _with_fallback(session=session, user_id=profile.user_id, entry=e) for e in new]
    ids = await tx.add_entries(
        session=session,
        user_id=profile.user_id,
        entries=new,
        source_chat_id=chat_id,
        source_message_id=message_id,
        created_at=now,
    )
    return await _logged(session=session, profile=profile, ids=ids, today=today)


async def pick_category(
    *, session: AsyncSession, profile: Profile, now: datetime, pending_id: int, category_id: int
) -> Logged | Stale:
    """Record a waiting amount under the tapped category."""
    category = await get_category(session=session, user_id=profile.user_id, category_id=category_id)
    if category is None:
        return STALE
    pending = await tx.take_pending(session=session, user_id=profile.user_id, pending_id=pending_id)
    if pending is None or pending.entry.kind != category.kind:
        return STALE
    entry = replace(pending.entry, category_id=category.id)
    ids = await tx.add_entries(
        session=session,
        user_id=profile.user_id,
        entries=[entry],
        source_chat_id=pending.source_chat_id,
        source_message_id=pending.source_message_id,
        created_at=now,
    )
    today = local_now(now, profile.timezone).date()
    return await _logged(session=session, profile=profile, ids=ids, today=today)


async def cancel_pending(
    *, session: AsyncSession, profile: Profile, now: datetime, pending_id: int
) -> Stale | None:
    """Drop a waiting amount without recording it."""
    taken = await tx.take_pending(session=session, user_id=profile.user_id, pending_id=pending_id)
    return STALE if taken is None else None


async def undo(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> Removed | Stale:
    """Remove a transaction and any recorded from the same message."""
    entries = await tx.siblings(session=session, user_id=profile.user_id, tx_id=tx_id)
    if not entries:
        return STALE
    await tx.delete_entries(
        session=session, user_id=profile.user_id, ids=[e.id for e in entries], now=now
    )
    return Removed(entries, local_now(now, profile.timezone).date())


async def undo_last(*, session: AsyncSession, profile: Profile, now: datetime) -> Removed:
    """Remove what the user recorded last: one transaction, or one message's several entries."""
    last = await tx.recent_entries(session=session, user_id=profile.user_id, limit=1)
    entries = (
        await tx.siblings(session=session, user_id=profile.user_id, tx_id=last[0].id)
        if last
        else []
    )
    await tx.delete_entries(
        session=session, user_id=profile.user_id, ids=[e.id for e in entries], now=now
    )
    return Removed(entries, local_now(now, profile.timezone).date())


async def history(
    *, session: AsyncSession, profile: Profile, now: datetime, limit: int = HISTORY_SIZE
) -> History:
    """The user's last transactions, newest first."""
    entries = await tx.recent_entries(session=session, user_id=profile.user_id, limit=limit)
    return History(entries, local_now(now, profile.timezone).date())


async def delete_from_history(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> History | Stale:
    """Remove one transaction picked from /history and return the refreshed list."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None:
        return STALE
    await tx.delete_entries(session=session, user_id=profile.user_id, ids=[tx_id], now=now)
    refreshed = await history(session=session, profile=profile, now=now)
    return History(refreshed.entries, refreshed.today, removed=entry)


async def category_choices(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> Choices | Stale:
    """A transaction and the categories it could move to."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None:
        return STALE
    categories = await list_categories(session=session, user_id=profile.user_id, kind=entry.kind)
    return Choices(entry, categories)


async def change_category(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int, category_id: int
) -> Logged | Stale:
    """File a transaction under another of the user's categories."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    category = await get_category(session=session, user_id=profile.user_id, category_id=category_id)
    if entry is None or category is None or category.kind != entry.kind:
        return STALE
    await tx.update_entry(
        session=session, user_id=profile.user_id, tx_id=tx_id, category_id=category.id
    )
    today = local_now(now, profile.timezone).date()
    logged = await _logged(session=session, profile=profile, ids=[tx_id], today=today)
    keyword = rule_keyword(entry.note)
    if keyword is None:
        return logged
    taught = {
        r.keyword: r.category.id
        for r in await rules.user_rules(session=session, user_id=profile.user_id)
    }
    if taught.get(keyword) == category.id:
        return logged
    return replace(logged, learn_keyword=keyword)


async def apply_edit(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    text: str,
    chat_id: int,
    message_id: int,
) -> Outcome:
    """Re-read an edited chat message and bring its stored transactions in line with it.

    An edit that no longer reads as a transaction keeps what was stored: deleting money on a
    typo would be worse than asking the user to press Undo.
    """
    # Two edits of one message arriving at once (two webhook processes) apply one after the other.
    await tx.lock_message(session=session, chat_id=chat_id, message_id=message_id)
    existing = await tx.entries_from_message(
        session=session, user_id=profile.user_id, chat_id=chat_id, message_id=message_id
    )
    if not existing and await tx.was_undone(
        session=session, user_id=profile.user_id, chat_id=chat_id, message_id=message_id
    ):
        # The user took back what it saved; an edit (a typo fixed) doesn't mean "save it again".
        return EditOfUndone()
    if not existing:
        pending_id = await tx.pending_for_message(
            session=session, user_id=profile.user_id, chat_id=chat_id, message_id=message_id
        )
        if pending_id is not None:
            await tx.take_pending(session=session, user_id=profile.user_id, pending_id=pending_id)
        return await record_text(
            session=session,
            profile=profile,
            text=text,
            now=now,
            chat_id=chat_id,
            message_id=message_id,
        )
    parsed = parse_for_user(text, now=now, profile=profile)
    if isinstance(parsed, Rejected):
        return parsed
    if not parsed:
        return NotTransaction(edited=True)
    new = await resolve_entries(session=session, profile=profile, parsed=parsed)
    if isinstance(new, Rejected):
        return new
    ids: list[int] = []
    for old, entry in zip(existing, new, strict=False):
        # Keep a category the user chose when the edit names none of its own.
        if entry.category_id is None and old.category and old.category.kind == entry.kind:
            entry = replace(entry, category_id=old.category.id)
        entry = await _with_fallback(session=session, user_id=profile.user_id, entry=entry)
        await tx.update_entry(session=session, user_id=profile.user_id, tx_id=old.id, entry=entry)
        ids.append(old.id)
    extra = [
        await _with_fallback(session=session, user_id=profile.user_id, entry=e)
        for e in new[len(existing) :]
    ]
    if extra:
        ids += await tx.add_entries(
            session=session,
            user_id=profile.user_id,
            entries=extra,
            source_chat_id=chat_id,
            source_message_id=message_id,
            created_at=now,
            first_position=await tx.next_position(
                session=session, user_id=profile.user_id, chat_id=chat_id, message_id=message_id
            ),
        )
    dropped = [old.id for old in existing[len(new) :]]
    await tx.delete_entries(session=session, user_id=profile.user_id, ids=dropped, now=now)
    today = local_now(now, profile.timezone).date()
    logged = await _logged(session=session, profile=profile, ids=ids, today=today)
    return replace(logged, edited=True)


# --- helpers ---


def parse_for_user(text: str, *, now: datetime, profile: Profile) -> list[ParsedEntry] | Rejected:
    try:
        parsed = parse_message(
            text, now=local_now(now, profile.timezone), default_currency=profile.currency
        )
    except AmountRejected as exc:
        return Rejected(str(exc))
    refused = over_entry_cap(parsed)
    return parsed if refused is None else refused


async def resolve_entries(
    *, session: AsyncSession, profile: Profile, parsed: list[ParsedEntry]
) -> list[NewEntry] | Rejected:
    """Parsed entries in the user's terms: their currency by default, their category ids."""
    known = await categories_by_name(session=session, user_id=profile.user_id)
    taught = (
        {
            rule.keyword: rule.category
            for rule in await rules.user_rules(session=session, user_id=profile.user_id)
        }
        if profile.has_rules
        else {}
    )
    return resolve(parsed, profile=profile, known=known, taught=taught)


def resolve(
    parsed: list[ParsedEntry],
    *,
    profile: Profile,
    known: Mapping[tuple[str, str], CategoryInfo],
    taught: Mapping[str, CategoryInfo],
) -> list[NewEntry] | Rejected:
    """``resolve_entries`` given the user's categories by (kind, lower name) and their rules."""
    new: list[NewEntry] = []
    for p in parsed:
        currency = p.currency or profile.currency
        try:
            amount = check_amount(p.amount, currency)
        except AmountError as exc:
            return Rejected(str(exc))
        category_id = None
        mine = match_rule(p.note, {k: c for k, c in taught.items() if c.kind == p.kind})
        if mine is not None:
            # What the user taught beats the built-in dictionary.
            category_id = mine.id
        elif p.category:
            found = known.get((p.kind, p.category.lower()))
            category_id = found.id if found else None
        new.append(NewEntry(p.kind, amount, currency, category_id, p.note, p.occurred_on))
    return new


async def _with_fallback(*, session: AsyncSession, user_id: int, entry: NewEntry) -> NewEntry:
    """File an entry Penny couldn't categorize under Other (the user can change it)."""
    if entry.category_id is not None:
        return entry
    other = await fallback_category(session=session, user_id=user_id, kind=entry.kind)
    return replace(entry, category_id=other.id if other else None)


async def _typed_limit(
    *, session: AsyncSession, profile: Profile, now: datetime, text: str
) -> LimitChanged | None:
    """Apply a limit the user was asked to type; None (and stop asking) if this isn't one."""
    budget_id = profile.awaiting_limit_budget_id
    await update_user(session=session, user_id=profile.user_id, awaiting_limit_budget_id=None)
    amount = parse_limit(text)
    if budget_id is None or amount is None:
        return None
    view = await budget_services.set_limit(
        session=session, profile=profile, now=now, budget_id=budget_id, amount=amount
    )
    return LimitChanged(view) if isinstance(view, BudgetView) else None


async def _logged(
    *, session: AsyncSession, profile: Profile, ids: list[int], today: date
) -> Logged:
    user_id = profile.user_id
    entries = await tx.get_entries(session=session, user_id=user_id, ids=ids)
    totals: list[Decimal | None] = []
    for entry in entries:
        if entry.category is None:
            totals.append(None)
            continue
        # The month the entry belongs to: "uber 20 on 3 oct" reports October's total.
        totals.append(
            await tx.category_total(
                session=session,
                user_id=user_id,
                category_id=entry.category.id,
                currency=entry.currency,
                period=month_period(entry.occurred_on, profile.month_start_day),
            )
        )
    touched = {e.category.id if e.category else None for e in entries if e.kind == "expense"}
    alerts = (
        await budgets.new_alerts(
            session=session,
            user_id=user_id,
            category_ids=touched,
            today=today,
            month_start_day=profile.month_start_day,
        )
        if touched and profile.has_budgets
        else []
    )
    return Logged(entries, totals, today, alerts=alerts, month_start_day=profile.month_start_day)
