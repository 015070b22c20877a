"""Transactions: the repository. Callers own the unit of work (no commits).

Every function takes the owner's ``user_id`` and filters by it, so ids forged by another user
match nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Integer,
    String,
    delete,
    exists,
    func,
    literal,
    literal_column,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from bot.core.money import from_minor, to_minor
from bot.core.periods import Period
from models.categories import CategoryInfo
from models.db import insert_ignoring_conflicts
from models.households import member_label
from models.tables import Category, CleanText, Member, Share, Transaction, UndoneMessage, User


@dataclass(frozen=True, slots=True)
class Entry:
    """A recorded transaction as plain values for handlers and renderers."""

    id: int
    kind: str
    amount: Decimal  # negative for a refund
    currency: str
    category: CategoryInfo | None
    note: str
    occurred_on: date
    unsorted: bool = False  # in Other until the user sorts it
    # In a shared ledger: who paid it, and among how many it is split (0: not split).
    member: str | None = None
    split_among: int = 0

    @property
    def refund(self) -> bool:
        return self.kind == "expense" and self.amount < 0


@dataclass(frozen=True, slots=True)
class NewEntry:
    kind: str
    amount: Decimal  # negative for a refund: an expense given back
    currency: str
    category_id: int | None
    note: str
    occurred_on: date
    unsorted: bool = False

    def columns(self) -> dict[str, Any]:
        """The entry as column values (amounts in minor units), for any table that stores one."""
        return {
            "kind": self.kind,
            "amount_minor": to_minor(self.amount, self.currency),
            "currency": self.currency,
            "category_id": self.category_id,
            "note": self.note,
            "occurred_on": self.occurred_on,
        }

    def transaction_columns(self) -> dict[str, Any]:
        """The columns of a transaction row, which also says whether it is still to sort."""
        return {**self.columns(), "unsorted": self.unsorted}


_ENTRY_COLUMNS = (
    Transaction.id,
    Transaction.kind,
    Transaction.amount_minor,
    Transaction.currency,
    Transaction.note,
    Transaction.occurred_on,
    Transaction.unsorted,
    Category.id,
    Category.kind,
    Category.name,
    Category.emoji,
    Member.id,
    Member.name,
    Member.person_id,
    select(func.count())
    .where(Share.transaction_id == Transaction.id)
    .correlate(Transaction)
    .scalar_subquery(),
)


def entries_query(user_id: int) -> Any:
    return (
        select(*_ENTRY_COLUMNS)
        .outerjoin(Category, Category.id == Transaction.category_id)
        .outerjoin(Member, Member.id == Transaction.member_id)
        .where(Transaction.user_id == user_id)
    )


def entry_from_row(row: Any) -> Entry:
    tx_id, kind, minor, currency, note, occurred_on, unsorted = row[:7]
    cat_id, cat_kind, cat_name, emoji, member_id, member_name, person_id, split_among = row[7:]
    category = CategoryInfo(cat_id, cat_kind, cat_name, emoji) if cat_id is not None else None
    member = member_label(member_name, person_id) if member_id is not None else None
    amount = from_minor(minor, currency)
    return Entry(
        tx_id,
        kind,
        amount,
        currency,
        category,
        note,
        occurred_on,
        bool(unsorted),
        member,
        int(split_among or 0),
    )


async def add_entries(
    *,
    session: AsyncSession,
    user_id: int,
    entries: Sequence[NewEntry],
    source_chat_id: int | None,
    source_message_id: int | None,
    created_at: datetime,
    first_position: int = 0,
    member_id: int | None = None,
) -> list[int]:
    """Insert entries (one message's worth) and return their ids in order.

    A message's entries are unique by (user, chat, message, position), so the same update
    delivered twice (a restart before Telegram saw it acknowledged) stores nothing new: the
    ids already stored for those positions come back instead.
    """
    rows = [
        {
            "user_id": user_id,
            **e.transaction_columns(),
            "source_chat_id": source_chat_id,
            "source_message_id": source_message_id,
            "position": first_position + i,
            "created_at": created_at,
            "member_id": member_id,
        }
        for i, e in enumerate(entries)
    ]
    if not rows:
        return []
    inserted = await session.execute(
        insert_ignoring_conflicts(session, Transaction)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(Transaction.id, Transaction.position)
    )
    ids = {position: tx_id for tx_id, position in inserted}
    if len(ids) < len(rows) and source_chat_id is not None and source_message_id is not None:
        stored = await session.execute(
            select(Transaction.id, Transaction.position).where(
                Transaction.user_id == user_id,
                Transaction.source_chat_id == source_chat_id,
                Transaction.source_message_id == source_message_id,
            )
        )
        ids = {position: tx_id for tx_id, position in stored} | ids
    return [ids[row["position"]] for row in rows if row["position"] in ids]


async def add_entry_if_current(
    *,
    session: AsyncSession,
    user_id: int,
    revision: int,
    entry: NewEntry,
    source_chat_id: int,
    source_message_id: int,
    created_at: datetime,
    period: Period,
) -> tuple[int, int, str] | None:
    """Store one entry only while the user's revision is still ``revision``, in one statement
    that also sums what the entry's category already had in ``period`` (minor units).

    ``(id, total before it, the note as stored)``, or None when nothing was stored: the user's
    account changed since the caller read it, or the message was stored already (a re-delivered
    update).
    """
    values = entry.columns()
    if values["category_id"] is None:
        raise ValueError("only an entry with a category is stored this way")
    rows: dict[str, tuple[Any, TypeEngine[Any]]] = {
        "user_id": (user_id, BigInteger()),
        "kind": (values["kind"], String()),
        "amount_minor": (values["amount_minor"], BigInteger()),
        "currency": (values["currency"], String()),
        "category_id": (values["category_id"], Integer()),
        "note": (values["note"], CleanText()),
        "occurred_on": (values["occurred_on"], Date()),
        "source_chat_id": (source_chat_id, BigInteger()),
        "source_message_id": (source_message_id, BigInteger()),
        "position": (0, Integer()),
        "created_at": (created_at, DateTime(timezone=True)),
    }
    current = (
        select(*(literal(value, type_) for value, type_ in rows.values()))
        .where(exists().where(User.id == user_id, User.revision == revision))
    )  # fmt: skip
    # What the category had in the period before this entry. Written out: SQLAlchemy renders
    # RETURNING columns unqualified, which a correlated subquery can't be. The bounds are dates
    # Penny computed (ISO text), never user input.
    before = literal_column(
        "(SELECT coalesce(sum(o.amount_minor), 0) FROM transactions AS o"
        " WHERE o.user_id = transactions.user_id AND o.category_id = transactions.category_id"
        " AND o.currency = transactions.currency"
        f" AND o.occurred_on >= '{period.start.isoformat()}'"
        f" AND o.occurred_on < '{period.end.isoformat()}'"
        " AND o.id <> transactions.id)",
        BigInteger(),
    )
    found = (
        await session.execute(
            insert_ignoring_conflicts(session, Transaction)
            .from_select(list(rows), current)
            .on_conflict_do_nothing()
            .returning(Transaction.id, before, Transaction.note)
        )
    ).first()
    return (int(found[0]), int(found[1]), found[2] or "") if found is not None else None


async def next_position(
    *, session: AsyncSession, user_id: int, chat_id: int, message_id: int
) -> int:
    """The position after a message's last entry (deleting one from /history leaves a gap)."""
    last = await session.scalar(
        select(func.max(Transaction.position)).where(
            Transaction.user_id == user_id,
            Transaction.source_chat_id == chat_id,
            Transaction.source_message_id == message_id,
        )
    )
    return 0 if last is None else int(last) + 1


async def get_entries(*, session: AsyncSession, user_id: int, ids: Sequence[int]) -> list[Entry]:
    rows = await session.execute(
        entries_query(user_id).where(Transaction.id.in_(ids)).order_by(Transaction.id)
    )
    return [entry_from_row(row) for row in rows]


async def get_entry(*, session: AsyncSession, user_id: int, tx_id: int) -> Entry | None:
    found = await get_entries(session=session, user_id=user_id, ids=[tx_id])
    return found[0] if found else None


async def entries_from_message(
    *, session: AsyncSession, user_id: int, chat_id: int, message_id: int
) -> list[Entry]:
    """Transactions recorded from one chat message, in the order they were written."""
    rows = await session.execute(
        entries_query(user_id)
        .where(
            Transaction.source_chat_id == chat_id,
            Transaction.source_message_id == message_id,
        )
        .order_by(Transaction.position, Transaction.id)
    )
    return [entry_from_row(row) for row in rows]


async def siblings(*, session: AsyncSession, user_id: int, tx_id: int) -> list[Entry]:
    """The transaction and every other one recorded from the same message."""
    source = (
        await session.execute(
            select(Transaction.source_chat_id, Transaction.source_message_id).where(
                Transaction.id == tx_id, Transaction.user_id == user_id
            )
        )
    ).first()
    if source is None:
        return []
    chat_id, message_id = source
    if chat_id is None or message_id is None:
        return await get_entries(session=session, user_id=user_id, ids=[tx_id])
    return await entries_from_message(
        session=session, user_id=user_id, chat_id=chat_id, message_id=message_id
    )


async def recent_entries(
    *, session: AsyncSession, user_id: int, limit: int, member_id: int | None = None
) -> list[Entry]:
    """The user's last ``limit`` recorded transactions, newest first (only one member's)."""
    query = entries_query(user_id)
    if member_id is not None:
        query = query.where(Transaction.member_id == member_id)
    rows = await session.execute(query.order_by(Transaction.id.desc()).limit(limit))
    return [entry_from_row(row) for row in rows]


async def page_entries(
    *,
    session: AsyncSession,
    user_id: int,
    offset: int,
    limit: int,
    category_ids: Sequence[int] = (),
    period: Period | None = None,
    text: str = "",
) -> tuple[list[Entry], int]:
    """A page of the user's transactions, newest first, narrowed to categories, a period or
    a word in the note; with how many match in all."""
    conditions: list[Any] = [Transaction.user_id == user_id]
    if category_ids:
        conditions.append(Transaction.category_id.in_(category_ids))
    if period is not None:
        conditions += [
            Transaction.occurred_on >= period.start,
            Transaction.occurred_on < period.end,
        ]
    if text:
        conditions.append(func.lower(Transaction.note).contains(text.lower(), autoescape=True))
    total = await session.scalar(select(func.count()).select_from(Transaction).where(*conditions))
    rows = await session.execute(
        entries_query(user_id)  # with the payer's join, which a shared ledger's entries need
        .where(*conditions)
        .order_by(Transaction.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [entry_from_row(row) for row in rows], int(total or 0)


# Telegram lets a message be edited for 48 hours; an undone message is remembered a bit longer.
UNDONE_TTL = timedelta(days=3)


async def delete_entries(
    *, session: AsyncSession, user_id: int, ids: Sequence[int], now: datetime
) -> int:
    """Delete transactions; a chat message none of whose entries is left is remembered as
    undone, so editing it later doesn't bring them back."""
    if not ids:
        return 0
    deleted = (
        await session.execute(
            delete(Transaction)
            .where(Transaction.user_id == user_id, Transaction.id.in_(ids))
            .returning(Transaction.source_chat_id, Transaction.source_message_id)
        )
    ).all()
    sources = {(chat, message) for chat, message in deleted if chat is not None and message}
    for chat_id, message_id in sources:
        if await session.scalar(
            select(Transaction.id)
            .where(
                Transaction.user_id == user_id,
                Transaction.source_chat_id == chat_id,
                Transaction.source_message_id == message_id,
            )
            .limit(1)
        ):
            continue
        await session.execute(
            insert_ignoring_conflicts(session, UndoneMessage)
            .values(user_id=user_id, chat_id=chat_id, message_id=message_id, undone_at=now)
            .on_conflict_do_nothing()
        )
    if sources:
        await session.execute(
            delete(UndoneMessage).where(UndoneMessage.undone_at < now - UNDONE_TTL)
        )
    return len(deleted)


async def was_undone(*, session: AsyncSession, user_id: int, chat_id: int, message_id: int) -> bool:
    """Whether the user removed everything this chat message had saved."""
    found = await session.scalar(
        select(UndoneMessage.message_id).where(
            UndoneMessage.user_id == user_id,
            UndoneMessage.chat_id == chat_id,
            UndoneMessage.message_id == message_id,
        )
    )
    return found is not None


async def lock_message(*, session: AsyncSession, chat_id: int, message_id: int) -> None:
    """Hold one chat message's entries for this transaction: edits of it apply one at a time,
    across processes. (On SQLite every writing transaction already runs alone.)"""
    if session.get_bind().dialect.name != "postgresql":
        return
    # Any 63-bit number naming the message: two messages sharing one only wait for each other.
    key = ((chat_id & 0xFFFFFFFF) << 31) ^ (message_id & 0x7FFFFFFF)
    await session.execute(select(func.pg_advisory_xact_lock(key)))


async def update_entry(
    *,
    session: AsyncSession,
    user_id: int,
    tx_id: int,
    entry: NewEntry | None = None,
    category_id: int | None = None,
) -> None:
    """Replace a transaction's values (from an edited message) or only its category.

    A category given on its own is the user's choice: the entry is sorted from then on.
    """
    values: dict[str, Any] = entry.transaction_columns() if entry is not None else {}
    if category_id is not None:
        values["category_id"] = category_id
        if entry is None:
            values["unsorted"] = False
    await session.execute(
        update(Transaction)
        .where(Transaction.id == tx_id, Transaction.user_id == user_id)
        .values(**values)
    )


async def unsorted_count(*, session: AsyncSession, user_id: int) -> int:
    """How many of the user's entries Penny saved without knowing their category."""
    found = await session.scalar(
        select(func.count())
        .select_from(Transaction)
        .where(Transaction.user_id == user_id, Transaction.unsorted.is_(True))
    )
    return int(found or 0)


async def next_unsorted(
    *, session: AsyncSession, user_id: int, after_id: int | None = None
) -> Entry | None:
    """The oldest entry still to sort (after ``after_id``, to skip one), or None."""
    query = entries_query(user_id).where(Transaction.unsorted.is_(True))
    if after_id is not None:
        query = query.where(Transaction.id > after_id)
    row = (await session.execute(query.order_by(Transaction.id).limit(1))).first()
    return entry_from_row(row) if row is not None else None


async def find_entries(
    *,
    session: AsyncSession,
    user_id: int,
    amount_minor: int | None = None,
    currency: str | None = None,
    category_ids: Sequence[int] | None = None,
    day: date | None = None,
    limit: int = 1,
) -> list[Entry]:
    """The user's newest entries that match what is given: amount (either sign), currency,
    categories, day."""
    query = entries_query(user_id)
    if amount_minor is not None:
        query = query.where(func.abs(Transaction.amount_minor) == abs(amount_minor))
    if currency is not None:
        query = query.where(Transaction.currency == currency)
    if category_ids is not None:
        query = query.where(Transaction.category_id.in_(category_ids))
    if day is not None:
        query = query.where(Transaction.occurred_on == day)
    rows = await session.execute(query.order_by(Transaction.id.desc()).limit(limit))
    return [entry_from_row(row) for row in rows]


# The read-only totals live next door; callers keep using ``transactions.<name>``.
from models.ledger_totals import (  # noqa: E402
    category_summary,
    category_total,
    export_rows,
    last_logged_at,
    top_expense_categories,
    totals_by_currency,
)

__all__ = [
    "Entry",
    "NewEntry",
    "category_summary",
    "category_total",
    "export_rows",
    "last_logged_at",
    "top_expense_categories",
    "totals_by_currency",
]
