"""Use cases for logging money: free text, edits, the category buttons and undo (/history's
own are in ``models.services.history``).

Each takes the session keyword-only and the caller's profile; handlers call exactly one per
update, inside one database transaction, and render the result. What Penny can't file is
saved first, in Other and marked to sort (``models.services.sorting`` files it later), so
nothing is lost when no button is tapped; requests ("how much did I spend on food?",
"remove ₹300 grocery expense") go to ``models.services.requests`` and store nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.budgets import parse_limit
from bot.core.money import AmountError, check_amount
from bot.core.parsing import (
    AmountRejected,
    ParsedEntry,
    TooManyNumbers,
    parse_message,
    read_request,
)
from bot.core.periods import local_now
from bot.core.rules import match_name, match_rule, rule_keyword
from models import rules
from models import transactions as tx
from models.budgets import BudgetView
from models.categories import (
    CategoryInfo,
    categories_by_name,
    fallback_category,
    get_category,
    list_categories,
)
from models.services import budgets as budget_services
from models.services import requests
from models.services.entry_cap import over_entry_cap, too_many_entries
from models.services.receipts import Logged, Removed, logged_result
from models.services.requests import Answer
from models.services.results import STALE, Rejected, Stale
from models.transactions import Entry, NewEntry
from models.users import Profile, update_user


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


Outcome = Logged | NotTransaction | Rejected | LimitChanged | Answer | EditOfUndone


@dataclass(frozen=True)
class Choices:
    """A transaction and the categories it could move to."""

    entry: Entry
    categories: list[CategoryInfo]
    # The ids of every entry of the receipt's message (its buttons come back after « Back).
    siblings: list[int] = field(default_factory=list)


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
    local = local_now(now, profile.timezone)
    today = local.date()
    if profile.awaiting_limit_budget_id is not None:
        changed = await _typed_limit(session=session, profile=profile, now=now, text=text)
        if changed is not None:
            return changed
    request = read_request(text, now=local, month_start=profile.month_start_day)
    if request is not None:
        return await requests.answer(session=session, profile=profile, now=now, request=request)
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
    # Saved first, sorted later: what Penny can't file goes to Other, marked to sort.
    new = [await _with_fallback(session=session, user_id=profile.user_id, entry=e) for e in new]
    ids = await tx.add_entries(
        session=session,
        user_id=profile.user_id,
        entries=new,
        source_chat_id=chat_id,
        source_message_id=message_id,
        created_at=now,
        member_id=profile.member_id,
    )
    logged = await logged_result(session=session, profile=profile, ids=ids, today=today)
    return replace(logged, unread_dates=_unread(parsed))


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
    """Remove what the user recorded last: one transaction, or one message's several entries.

    In a shared ledger that is what this member recorded last, never someone else's.
    """
    last = await tx.recent_entries(
        session=session, user_id=profile.user_id, limit=1, member_id=profile.member_id
    )
    entries = (
        await tx.siblings(session=session, user_id=profile.user_id, tx_id=last[0].id)
        if last
        else []
    )
    await tx.delete_entries(
        session=session, user_id=profile.user_id, ids=[e.id for e in entries], now=now
    )
    return Removed(entries, local_now(now, profile.timezone).date())


async def category_choices(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> Choices | Stale:
    """A transaction and the categories it could move to."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None:
        return STALE
    categories = await list_categories(session=session, user_id=profile.user_id, kind=entry.kind)
    siblings = await tx.siblings(session=session, user_id=profile.user_id, tx_id=tx_id)
    return Choices(entry, categories, [e.id for e in siblings])


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
    # A receipt of several entries stays one: it shows them all, the changed one among them.
    siblings = await tx.siblings(session=session, user_id=profile.user_id, tx_id=tx_id)
    ids = [e.id for e in siblings] or [tx_id]
    logged = replace(
        await logged_result(session=session, profile=profile, ids=ids, today=today), focus=tx_id
    )
    keyword = rule_keyword(entry.note)
    if keyword is None:
        return logged
    taught = {
        r.keyword: r.category.id
        for r in await rules.user_rules(session=session, user_id=profile.user_id)
    }
    if taught.get(keyword) == category.id:
        return logged
    if entry.unsorted and keyword not in taught:
        # Penny knew nothing of this word, and the user just said where it goes: learn it
        # at once, so "Kaffee 2,90" files itself after "Kaffee 3,20" was sorted.
        await rules.learn(
            session=session, user_id=profile.user_id, keyword=keyword, category_id=category.id
        )
        return replace(logged, learned=keyword)
    return replace(logged, learn_keyword=keyword)


async def file_entry(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int, category_id: int
) -> Logged | Stale:
    """File an entry saved to sort under the tapped category (and learn its word).

    Only while it is still to sort: once filed, a second tap on the same keyboard (or an old
    one) changes nothing; "Change category" is the way to move it.
    """
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None or not entry.unsorted:
        return STALE
    return await change_category(
        session=session, profile=profile, now=now, tx_id=tx_id, category_id=category_id
    )


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
        if (
            entry.category_id is None
            and old.category
            and old.category.kind == entry.kind
            and not old.unsorted
        ):
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
            member_id=profile.member_id,
            first_position=await tx.next_position(
                session=session, user_id=profile.user_id, chat_id=chat_id, message_id=message_id
            ),
        )
    dropped = [old.id for old in existing[len(new) :]]
    await tx.delete_entries(session=session, user_id=profile.user_id, ids=dropped, now=now)
    today = local_now(now, profile.timezone).date()
    logged = await logged_result(session=session, profile=profile, ids=ids, today=today)
    return replace(logged, edited=True, unread_dates=_unread(parsed))


# --- helpers ---


def parse_for_user(text: str, *, now: datetime, profile: Profile) -> list[ParsedEntry] | Rejected:
    try:
        parsed = parse_message(
            text, now=local_now(now, profile.timezone), default_currency=profile.currency
        )
    except TooManyNumbers as exc:  # too many to read at all: about one entry per number
        return too_many_entries(exc.count)
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
    """``resolve_entries`` given the user's categories by (kind, lower name) and their rules.

    Pure, so the one-statement path (``models.services.quick``) shares it with its kept copy.
    """
    # Where a default category's words file now (Food renamed Essen), and the user's own names.
    origins = {(c.kind, c.origin): c for c in known.values() if c.origin is not None}
    own = {
        kind: {c.name.lower(): c for c in known.values() if c.kind == kind and c.own_name}
        for kind in ("expense", "income")
    }
    new: list[NewEntry] = []
    for p in parsed:
        currency = p.currency or profile.currency
        try:
            amount = check_amount(p.amount, currency)
        except AmountError as exc:
            return Rejected(str(exc))
        # What the user taught beats their own category names, which beat the dictionary;
        # a default category's words still file there after a rename (Food → Essen).
        mine = match_rule(p.note, {k: c for k, c in taught.items() if c.kind == p.kind})
        mine = mine or match_name(p.note, own[p.kind])
        if mine is None and p.category:
            mine = origins.get((p.kind, p.category)) or known.get((p.kind, p.category.lower()))
        category_id = mine.id if mine is not None and mine.kind == p.kind else None
        signed = -amount if p.refund else amount  # a refund is an expense given back
        new.append(NewEntry(p.kind, signed, currency, category_id, p.note, p.occurred_on))
    return new


async def _with_fallback(*, session: AsyncSession, user_id: int, entry: NewEntry) -> NewEntry:
    """File an entry Penny couldn't categorize under Other, marked to sort."""
    if entry.category_id is not None:
        return entry
    other = await fallback_category(session=session, user_id=user_id, kind=entry.kind)
    return replace(entry, category_id=other.id if other else None, unsorted=True)


def _unread(parsed: list[ParsedEntry]) -> list[str]:
    """The date phrases of the message Penny could not read, once each."""
    return list(dict.fromkeys(p.unread_date for p in parsed if p.unread_date))


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
