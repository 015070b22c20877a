"""Shared ledgers: members, split shares and payments between members. Callers own the commit.

Every function takes the shared ledger's id (``user_id``, the group's account) and filters by
it, like every other repository; a member row is reached only through its ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, delete, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.households import FORMER_MEMBER
from bot.core.money import from_minor
from bot.core.periods import Period
from models.db import insert_ignoring_conflicts
from models.erase import erase_user, owned_tables
from models.tables import Member, Settlement, Share, Transaction, User


@dataclass(frozen=True, slots=True)
class MemberView:
    """A member as handlers and renderers see them."""

    id: int
    name: str
    username: str | None
    active: bool
    # Their Telegram user id; None once they erased their data.
    person_id: int | None


def member_label(name: str | None, person_id: int | None) -> str:
    """How a member is named: their first name, or "a former member" once anonymised."""
    if person_id is None:
        return FORMER_MEMBER
    return name or "someone"


def _view(row: Member) -> MemberView:
    return MemberView(
        row.id,
        member_label(row.name, row.person_id),
        row.username,
        row.left_at is None,
        row.person_id,
    )


async def join(
    *,
    session: AsyncSession,
    user_id: int,
    person_id: int,
    name: str,
    username: str | None,
    now: datetime,
) -> int:
    """The member id of ``person_id`` in the ledger, adding them (or bringing them back).

    Every message in a group comes through here, so a member who is already in (nearly always)
    costs one read and no write: on SQLite even an insert that changes nothing takes the write
    lock. Two first messages of one person can race, so the insert ignores the conflict.
    """
    query = select(Member).where(Member.user_id == user_id, Member.person_id == person_id)
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        await session.execute(
            insert_ignoring_conflicts(session, Member)
            .values(
                user_id=user_id,
                person_id=person_id,
                name=name[:64],
                username=username,
                joined_at=now,
            )
            .on_conflict_do_nothing()
        )
        row = (await session.execute(query)).scalar_one()
    if row.left_at is not None:
        row.left_at = None
        row.joined_at = now
    if row.name != name[:64] or row.username != username:
        row.name, row.username = name[:64], username
    await session.flush()
    return row.id


async def active_member(*, session: AsyncSession, user_id: int, person_id: int) -> int | None:
    """The member id of ``person_id`` if they are a member now (not left, not erased)."""
    return await session.scalar(
        select(Member.id).where(
            Member.user_id == user_id, Member.person_id == person_id, Member.left_at.is_(None)
        )
    )


async def mark_left(*, session: AsyncSession, user_id: int, person_id: int, now: datetime) -> bool:
    """Take away a member's access; their entries, shares and payments stay."""
    result = await session.execute(
        update(Member)
        .where(Member.user_id == user_id, Member.person_id == person_id, Member.left_at.is_(None))
        .values(left_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def members(*, session: AsyncSession, user_id: int) -> list[MemberView]:
    """Everyone who ever was a member, in the order they joined; ``active`` tells who still is."""
    rows = await session.scalars(
        select(Member).where(Member.user_id == user_id).order_by(Member.id)
    )
    return [_view(row) for row in rows]


async def anonymise(*, session: AsyncSession, person_id: int, now: datetime) -> int:
    """Make ``person_id`` "a former member" of every shared ledger; returns how many.

    What they paid and owe stays in each household's figures; nothing says who they were.
    """
    result = await session.execute(
        update(Member)
        .where(Member.person_id == person_id)
        .values(
            person_id=None, name=None, username=None, left_at=func.coalesce(Member.left_at, now)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class Membership:
    """A shared ledger a person is a member of, seen from their private chat."""

    user_id: int
    title: str
    member_id: int
    currency: str
    timezone: str
    month_start_day: int


async def memberships(*, session: AsyncSession, person_id: int) -> list[Membership]:
    """The shared ledgers ``person_id`` is a member of now."""
    rows = await session.execute(
        select(User.id, User.title, Member.id, User.currency, User.timezone, User.month_start_day)
        .join(Member, Member.user_id == User.id)
        .where(Member.person_id == person_id, Member.left_at.is_(None), User.shared.is_(True))
        .order_by(User.id)
    )
    return [
        Membership(ledger, title or "your group", member, currency, zone, start)
        for ledger, title, member, currency, zone, start in rows
    ]


# --- shares ---


async def add_shares(
    *, session: AsyncSession, user_id: int, tx_id: int, shares: Mapping[int, int]
) -> None:
    """Store a split's shares (member id -> minor units); a repeat stores nothing new."""
    if not shares:
        return
    await session.execute(
        insert_ignoring_conflicts(session, Share)
        .values(
            [
                {
                    "transaction_id": tx_id,
                    "member_id": member,
                    "user_id": user_id,
                    "amount_minor": m,
                }
                for member, m in shares.items()
            ]
        )
        .on_conflict_do_nothing()
    )


async def clear_shares(*, session: AsyncSession, user_id: int, tx_id: int) -> int:
    result = await session.execute(
        delete(Share).where(Share.user_id == user_id, Share.transaction_id == tx_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def shares_of(
    *, session: AsyncSession, user_id: int, tx_ids: Sequence[int]
) -> dict[int, dict[int, int]]:
    """``{transaction id: {member id: minor units}}`` for the split ones among ``tx_ids``."""
    rows = await session.execute(
        select(Share.transaction_id, Share.member_id, Share.amount_minor)
        .where(Share.user_id == user_id, Share.transaction_id.in_(tx_ids))
        .order_by(Share.transaction_id, Share.member_id)
    )
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for tx_id, member, minor in rows:
        found[tx_id][member] = minor
    return dict(found)


# --- payments between members ---


async def add_settlement(
    *,
    session: AsyncSession,
    user_id: int,
    payer_id: int,
    payee_id: int,
    amount_minor: int,
    currency: str,
    occurred_on: date,
    source_chat_id: int,
    source_message_id: int,
    now: datetime,
) -> bool:
    """Record a payment; False when this message already recorded one between the two."""
    result = await session.execute(
        insert_ignoring_conflicts(session, Settlement)
        .values(
            user_id=user_id,
            payer_id=payer_id,
            payee_id=payee_id,
            amount_minor=amount_minor,
            currency=currency,
            occurred_on=occurred_on,
            source_chat_id=source_chat_id,
            source_message_id=source_message_id,
            created_at=now,
        )
        .on_conflict_do_nothing()
    )
    return bool(getattr(result, "rowcount", 0))


async def balances(*, session: AsyncSession, user_id: int) -> dict[str, dict[int, Decimal]]:
    """``{currency: {member id: balance}}``: what each member is owed (+) or owes (-).

    Whoever paid a split expense is owed its amount, each member owes their share, and a
    payment between members moves the payer up and the payee down by what was paid. Summed in
    the database, per currency.
    """
    paid = (
        select(Transaction.currency, Transaction.member_id, func.sum(Transaction.amount_minor))
        .where(
            Transaction.user_id == user_id,
            Transaction.member_id.is_not(None),
            Transaction.id.in_(select(Share.transaction_id).where(Share.user_id == user_id)),
        )
        .group_by(Transaction.currency, Transaction.member_id)
    )
    owed = (
        select(Transaction.currency, Share.member_id, func.sum(Share.amount_minor))
        .join(Transaction, Transaction.id == Share.transaction_id)
        .where(Share.user_id == user_id)
        .group_by(Transaction.currency, Share.member_id)
    )
    sent = (
        select(Settlement.currency, Settlement.payer_id, func.sum(Settlement.amount_minor))
        .where(Settlement.user_id == user_id)
        .group_by(Settlement.currency, Settlement.payer_id)
    )
    received = (
        select(Settlement.currency, Settlement.payee_id, func.sum(Settlement.amount_minor))
        .where(Settlement.user_id == user_id)
        .group_by(Settlement.currency, Settlement.payee_id)
    )
    minor: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for query, sign in ((paid, 1), (owed, -1), (sent, 1), (received, -1)):
        for currency, member, total in await session.execute(query):
            if member is not None:
                minor[currency][member] += sign * int(total)
    return {
        currency: {member: from_minor(m, currency) for member, m in sorted(by_member.items())}
        for currency, by_member in sorted(minor.items())
    }


async def spending_by_member(
    *, session: AsyncSession, user_id: int, period: Period
) -> dict[str, dict[int | None, Decimal]]:
    """``{currency: {member id or None: expenses paid}}`` over ``[start, end)``."""
    rows = await session.execute(
        select(Transaction.currency, Transaction.member_id, func.sum(Transaction.amount_minor))
        .where(
            Transaction.user_id == user_id,
            Transaction.kind == "expense",
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        )
        .group_by(Transaction.currency, Transaction.member_id)
    )
    found: dict[str, dict[int | None, Decimal]] = defaultdict(dict)
    for currency, member, total in rows:
        found[currency][member] = from_minor(int(total), currency)
    return dict(found)


async def share_of_spending(
    *, session: AsyncSession, user_id: int, member_id: int, period: Period
) -> dict[str, Decimal]:
    """``{currency: amount}``: a member's part of the household's expenses in ``[start, end)``.

    Their share of each split expense, and the whole of each expense they paid and didn't split.
    """
    in_period = (
        Transaction.user_id == user_id,
        Transaction.kind == "expense",
        Transaction.occurred_on >= period.start,
        Transaction.occurred_on < period.end,
    )
    split_ids = select(Share.transaction_id).where(Share.user_id == user_id)
    shares = (
        select(Transaction.currency, func.sum(Share.amount_minor))
        .join(Transaction, Transaction.id == Share.transaction_id)
        .where(Share.user_id == user_id, Share.member_id == member_id, *in_period)
        .group_by(Transaction.currency)
    )
    unsplit = (
        select(Transaction.currency, func.sum(Transaction.amount_minor))
        .where(*in_period, Transaction.member_id == member_id, Transaction.id.not_in(split_ids))
        .group_by(Transaction.currency)
    )
    minor: dict[str, int] = defaultdict(int)
    for query in (shares, unsplit):
        for currency, total in await session.execute(query):
            minor[currency] += int(total)
    return {currency: from_minor(m, currency) for currency, m in sorted(minor.items())}


# --- a group that became a supergroup ---


async def move_ledger(*, session: AsyncSession, old_id: int, new_id: int) -> bool:
    """Give the ledger of chat ``old_id`` to chat ``new_id`` (Telegram changed the group's id).

    Every owned row moves, found from the metadata as erasing finds them, so tables added later
    move too. A ledger already opened under the new id is replaced when it holds no entries;
    one that does is left alone (False) rather than merged by guesswork.
    """
    # Telegram tells both chats (migrate_to in the old, migrate_from in the new), and the two
    # updates run at once: the row lock makes the second wait, then find the ledger gone.
    if await session.get(User, old_id, with_for_update=True) is None:
        return False
    if await session.get(User, new_id) is not None:
        has_entries = await session.scalar(
            select(func.count()).select_from(Transaction).where(Transaction.user_id == new_id)
        )
        if has_entries:
            return False
        await erase_user(session=session, user_id=new_id)
    columns = [c for c in User.__table__.c if c.name != "id"]
    await session.execute(
        insert(User).from_select(
            ["id", *(c.name for c in columns)],
            select(literal(new_id, BigInteger), *columns).where(User.id == old_id),
        )
    )
    for table in owned_tables():
        await session.execute(update(table).where(table.c.user_id == old_id).values(user_id=new_id))
    await session.execute(delete(User).where(User.id == old_id))
    return True
