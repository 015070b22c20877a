"""Use cases for sharing expenses in a household: splits, /debts and /settle.

A split entry stores each member's share (they add up to the amount, odd cents spread by the
entry's id); whoever paid is owed the others' shares. ``/debts`` settles every balance with the
fewest transfers; ``/settle`` records a payment between two members, once per offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.households import (
    NobodyToSplitWith,
    NotAnExpense,
    Transfer,
    UnknownMembers,
    settle,
    split_minor,
)
from bot.core.money import AmountError, check_amount, from_minor, to_minor
from bot.core.periods import local_now
from models import households as hh
from models import transactions as tx
from models.households import MemberView
from models.services import entries, habits
from models.services.entries import NotTransaction, Outcome
from models.services.habits import HabitReply
from models.services.receipts import Logged
from models.services.results import STALE, Rejected, Stale
from models.users import Profile


@dataclass(frozen=True, slots=True)
class Who:
    """Whom a split is with: members named by @username or first name, or by Telegram id."""

    handles: tuple[str, ...] = ()
    person_ids: tuple[int, ...] = ()

    @property
    def everyone(self) -> bool:
        return not self.handles and not self.person_ids


EVERYONE = Who()


async def record_split(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    text: str,
    chat_id: int,
    message_id: int,
    who: Who = EVERYONE,
) -> Outcome | HabitReply:
    """Record an expense paid by the member writing and split it with ``who`` (all by default).

    The entry is saved at once, as every entry is (in Other, unsorted, when its category is
    unclear; /sort files it). A re-delivered message splits nothing twice.
    """
    if profile.member_id is None:
        return Rejected(NobodyToSplitWith.message)
    parsed = entries.parse_for_user(text, now=now, profile=profile)
    if isinstance(parsed, Rejected):
        return parsed
    if not parsed:
        return NotTransaction()
    if any(p.kind != "expense" for p in parsed):
        return Rejected(NotAnExpense.message)
    with_whom = await _members_for(session=session, profile=profile, who=who)
    if isinstance(with_whom, Rejected):
        return with_whom
    outcome = await habits.log_message(
        session=session, profile=profile, now=now, text=text, chat_id=chat_id, message_id=message_id
    )
    if not isinstance(outcome, Logged):
        return outcome
    for entry in outcome.entries:
        await _split(session=session, profile=profile, entry=entry, members=with_whom)
    ids = [e.id for e in outcome.entries]
    refreshed = await tx.get_entries(session=session, user_id=profile.user_id, ids=ids)
    return replace(outcome, entries=refreshed)


async def apply_edit(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    text: str,
    chat_id: int,
    message_id: int,
    split: bool = False,
) -> Outcome | HabitReply:
    """An edited message (``habits.apply_edit``), and split entries are shared anew.

    A split entry whose amount changed is split again among the same members; an edit that
    adds "split" splits the message's entries among everyone. Dropping the word doesn't unsplit
    (the Unsplit button does), so an entry split with the button survives any edit.
    """
    outcome = await habits.apply_edit(
        session=session, profile=profile, now=now, text=text, chat_id=chat_id, message_id=message_id
    )
    if not isinstance(outcome, Logged) or not profile.shared:
        return outcome
    everyone: list[MemberView] | Rejected | None = None
    for entry in outcome.entries:
        if entry.split_among:
            await _reshare(session=session, profile=profile, entry=entry)
        elif split and entry.kind == "expense":
            everyone = everyone or await _members_for(
                session=session, profile=profile, who=EVERYONE
            )
            if not isinstance(everyone, Rejected):
                await _split(session=session, profile=profile, entry=entry, members=everyone)
    ids = [e.id for e in outcome.entries]
    refreshed = await tx.get_entries(session=session, user_id=profile.user_id, ids=ids)
    return replace(outcome, entries=refreshed)


async def _reshare(*, session: AsyncSession, profile: Profile, entry: tx.Entry) -> None:
    """Split an entry again among the members it was split with (its amount may have changed)."""
    found = await hh.shares_of(session=session, user_id=profile.user_id, tx_ids=[entry.id])
    members = sorted(found.get(entry.id, {}))
    shares = split_minor(to_minor(entry.amount, entry.currency), len(members), start=entry.id)
    if dict(zip(members, shares, strict=True)) == found.get(entry.id):
        return
    await hh.clear_shares(session=session, user_id=profile.user_id, tx_id=entry.id)
    await hh.add_shares(
        session=session,
        user_id=profile.user_id,
        tx_id=entry.id,
        shares=dict(zip(members, shares, strict=True)),
    )


async def split_entry(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> Logged | Rejected | Stale:
    """The Split button on a receipt: share the expense equally among the active members."""
    entry = await tx.get_entry(session=session, user_id=profile.user_id, tx_id=tx_id)
    if entry is None or not profile.shared or entry.split_among:
        return STALE
    if entry.kind != "expense":
        return Rejected(NotAnExpense.message)
    members = await _members_for(session=session, profile=profile, who=EVERYONE)
    if isinstance(members, Rejected):
        return members
    await _split(session=session, profile=profile, entry=entry, members=members)
    today = local_now(now, profile.timezone).date()
    refreshed = await tx.get_entries(session=session, user_id=profile.user_id, ids=[tx_id])
    return Logged(refreshed, [None], today, month_start_day=profile.month_start_day)


async def unsplit_entry(
    *, session: AsyncSession, profile: Profile, now: datetime, tx_id: int
) -> Logged | Stale:
    """Undo a split: the expense is the payer's alone again, and debts follow."""
    if not await hh.clear_shares(session=session, user_id=profile.user_id, tx_id=tx_id):
        return STALE
    refreshed = await tx.get_entries(session=session, user_id=profile.user_id, ids=[tx_id])
    today = local_now(now, profile.timezone).date()
    return Logged(refreshed, [None], today, month_start_day=profile.month_start_day)


async def _members_for(
    *, session: AsyncSession, profile: Profile, who: Who
) -> list[MemberView] | Rejected:
    """The payer and whom they named (or every active member), in the order they joined."""
    everyone = await hh.members(session=session, user_id=profile.user_id)
    active = [m for m in everyone if m.active]
    if who.everyone:
        chosen = active
    else:
        unknown: list[str] = []
        named: set[int] = {m.id for m in active if m.person_id in who.person_ids}
        for handle in who.handles:
            found = _by_handle(active, handle)
            if found is None:
                unknown.append(handle)
            else:
                named.add(found.id)
        if unknown:
            return Rejected(str(UnknownMembers(unknown)))
        chosen = [m for m in active if m.id in named or m.id == profile.member_id]
    if len([m for m in chosen if m.id != profile.member_id]) < 1:
        return Rejected(NobodyToSplitWith.message)
    return chosen


def _by_handle(members: Sequence[MemberView], handle: str) -> MemberView | None:
    """A member by @username, else by a first name no other member shares."""
    wanted = handle.casefold()
    for member in members:
        if member.username and member.username.casefold() == wanted:
            return member
    by_name = [m for m in members if m.name.casefold() == wanted]
    return by_name[0] if len(by_name) == 1 else None


async def _split(
    *, session: AsyncSession, profile: Profile, entry: tx.Entry, members: Sequence[MemberView]
) -> None:
    if entry.split_among:
        return  # already split (a re-delivered message): the shares stay as first stored
    minor = to_minor(entry.amount, entry.currency)
    shares = split_minor(minor, len(members), start=entry.id)
    await hh.add_shares(
        session=session,
        user_id=profile.user_id,
        tx_id=entry.id,
        shares={m.id: share for m, share in zip(members, shares, strict=True)},
    )


# --- /debts and /settle ---


@dataclass(frozen=True, slots=True)
class Owed:
    """One transfer of the plan, with both members' names."""

    payer_id: int
    payer: str
    payee_id: int
    payee: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Debts:
    """Who owes whom: the fewest transfers that settle everyone, per currency."""

    transfers: list[Owed]
    # Every member with a balance: name, currency, what they are owed (+) or owe (-).
    balances: list[tuple[str, str, Decimal]]

    @property
    def settled(self) -> bool:
        return not self.transfers


async def debts(*, session: AsyncSession, profile: Profile, now: datetime) -> Debts:
    """Who owes whom in the household, and the fewest payments that clear it."""
    members = {m.id: m for m in await hh.members(session=session, user_id=profile.user_id)}
    balances = await hh.balances(session=session, user_id=profile.user_id)
    transfers: list[Owed] = []
    lines: list[tuple[str, str, Decimal]] = []
    for currency, by_member in balances.items():
        plan: list[Transfer[int]] = settle(by_member)
        transfers += [
            Owed(
                t.debtor,
                _name(members, t.debtor),
                t.creditor,
                _name(members, t.creditor),
                t.amount,
                currency,
            )
            for t in plan
        ]
        lines += [(_name(members, m), currency, b) for m, b in by_member.items() if b]
    return Debts(transfers, lines)


def _name(members: dict[int, MemberView], member_id: int) -> str:
    member = members.get(member_id)
    if member is None:
        return "someone"
    return member.name if member.active or member.person_id is None else f"{member.name} (left)"


@dataclass(frozen=True)
class Settled:
    """A payment just recorded, and the debts after it."""

    payer: str
    payee: str
    amount: Decimal
    currency: str
    debts: Debts


async def settle_transfer(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    payer_id: int,
    payee_id: int,
    amount_minor: int,
    currency: str,
    chat_id: int,
    message_id: int,
) -> Settled | Stale:
    """A /settle button: record that ``payer`` paid ``payee`` what the plan said.

    Stale when the two no longer owe that much (paid meanwhile) or the offer was used already.
    """
    amount = from_minor(amount_minor, currency)
    current = await debts(session=session, profile=profile, now=now)
    offered = [
        t
        for t in current.transfers
        if (t.payer_id, t.payee_id, t.currency) == (payer_id, payee_id, currency)
    ]
    if amount <= 0 or not offered or offered[0].amount < amount:
        return STALE
    return await _record_payment(
        session=session,
        profile=profile,
        now=now,
        payer_id=payer_id,
        payee_id=payee_id,
        amount=amount,
        currency=currency,
        chat_id=chat_id,
        message_id=message_id,
    )


async def settle_typed(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    text: str,
    who: Who,
    chat_id: int,
    message_id: int,
) -> Settled | Rejected | Stale:
    """``/settle 40 @ben``: the member writing paid Ben 40 (in the ledger's currency unless said).

    A payment typed is a fact, so it is recorded even when it is more than was owed.
    """
    if profile.member_id is None:
        return STALE
    parsed = entries.parse_for_user(text, now=now, profile=profile)
    if isinstance(parsed, Rejected):
        return parsed
    if len(parsed) != 1:
        return Rejected("Say how much you paid, like /settle 40 @ben.")
    currency = parsed[0].currency or profile.currency
    try:
        amount = check_amount(parsed[0].amount, currency)
    except AmountError as exc:
        return Rejected(str(exc))
    everyone = await hh.members(session=session, user_id=profile.user_id)
    payees = {m.id for m in everyone if m.person_id is not None and m.person_id in who.person_ids}
    for handle in who.handles:
        found = _by_handle(everyone, handle)
        if found is None:
            return Rejected(str(UnknownMembers([handle])))
        payees.add(found.id)
    payees.discard(profile.member_id)
    if len(payees) != 1:
        return Rejected("Name the one member you paid, like /settle 40 @ben.")
    return await _record_payment(
        session=session,
        profile=profile,
        now=now,
        payer_id=profile.member_id,
        payee_id=payees.pop(),
        amount=amount,
        currency=currency,
        chat_id=chat_id,
        message_id=message_id,
    )


async def _record_payment(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    payer_id: int,
    payee_id: int,
    amount: Decimal,
    currency: str,
    chat_id: int,
    message_id: int,
) -> Settled | Stale:
    members = {m.id: m for m in await hh.members(session=session, user_id=profile.user_id)}
    if payer_id not in members or payee_id not in members or payer_id == payee_id:
        return STALE
    recorded = await hh.add_settlement(
        session=session,
        user_id=profile.user_id,
        payer_id=payer_id,
        payee_id=payee_id,
        amount_minor=to_minor(amount, currency),
        currency=currency,
        occurred_on=local_now(now, profile.timezone).date(),
        source_chat_id=chat_id,
        source_message_id=message_id,
        now=now,
    )
    if not recorded:
        return STALE
    after = await debts(session=session, profile=profile, now=now)
    return Settled(_name(members, payer_id), _name(members, payee_id), amount, currency, after)
