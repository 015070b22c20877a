"""Erasing a user: every row that belongs to them, in every table, in one transaction."""

from __future__ import annotations

from sqlalchemy import Table, delete
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import Base, Referral, User


def owned_tables() -> list[Table]:
    """Tables with a ``user_id`` column, children before parents.

    Found from the metadata rather than listed by hand, so a table added later (budgets,
    schedules, rules, …) is erased too even if it has no foreign key to ``users``.
    """
    return [
        table
        for table in reversed(Base.metadata.sorted_tables)
        if "user_id" in table.c and table.name != User.__tablename__
    ]


async def erase_user(*, session: AsyncSession, user_id: int) -> dict[str, int]:
    """Delete everything stored about ``user_id``; returns rows deleted per table.

    The ``users`` row goes last; ON DELETE CASCADE would take the children with it, but the
    explicit deletes also cover tables without a foreign key and give honest counts.
    """
    counts: dict[str, int] = {}
    # Who joined through this user's invite link is about this user too.
    result = await session.execute(delete(Referral).where(Referral.inviter_id == user_id))
    invited = int(getattr(result, "rowcount", 0) or 0)
    for table in owned_tables():
        result = await session.execute(delete(table).where(table.c.user_id == user_id))
        counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
    counts[Referral.__tablename__] += invited
    result = await session.execute(delete(User).where(User.id == user_id))
    counts[User.__tablename__] = int(getattr(result, "rowcount", 0) or 0)
    return counts
