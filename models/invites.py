"""Invite codes, the choice to be named to invitees, and who came through whose link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import insert_ignoring_conflicts
from models.tables import Invite, Referral


@dataclass(frozen=True, slots=True)
class InviteView:
    user_id: int
    code: str
    show_name: bool


def _view(row: Invite) -> InviteView:
    return InviteView(row.user_id, row.code, row.show_name)


async def invite_of(*, session: AsyncSession, user_id: int) -> InviteView | None:
    row = await session.get(Invite, user_id)
    return _view(row) if row is not None else None


async def add_invite(
    *, session: AsyncSession, user_id: int, code: str, now: datetime
) -> InviteView | None:
    """Give the user ``code``; None when that code is taken (the caller draws another)."""
    result = await session.execute(
        insert_ignoring_conflicts(session, Invite)
        .values(user_id=user_id, code=code, show_name=False, created_at=now)
        .on_conflict_do_nothing()
    )
    if not getattr(result, "rowcount", 0):
        return None
    return InviteView(user_id, code, False)


async def set_show_name(*, session: AsyncSession, user_id: int, show: bool) -> None:
    row = await session.get(Invite, user_id)
    if row is not None:
        row.show_name = show
        await session.flush()


async def invite_by_code(*, session: AsyncSession, code: str) -> InviteView | None:
    row = (await session.scalars(select(Invite).where(Invite.code == code))).first()
    return _view(row) if row is not None else None


async def add_referral(
    *, session: AsyncSession, user_id: int, inviter_id: int, now: datetime
) -> bool:
    """Record that ``user_id`` came through ``inviter_id``'s link; only the first time counts."""
    result = await session.execute(
        insert_ignoring_conflicts(session, Referral)
        .values(user_id=user_id, inviter_id=inviter_id, created_at=now)
        .on_conflict_do_nothing()
    )
    return bool(getattr(result, "rowcount", 0))


async def referrals_of(*, session: AsyncSession, inviter_id: int) -> int:
    value = await session.scalar(
        select(func.count()).select_from(Referral).where(Referral.inviter_id == inviter_id)
    )
    return int(value or 0)
