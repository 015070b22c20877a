"""Use cases for /invite and for the welcome of someone who came through an invite link.

The inviter decides whether newcomers see who invited them (off until they switch it on);
Penny stores no names: the handler asks Telegram for the inviter's first name when it may.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.invites import is_invite_code
from models import invites as repo
from models.services.account import UserSettings, user_settings
from models.users import Profile

CODE_BYTES = 6  # 8 URL-safe characters: the deep link stays short, guessing one stays hopeless


@dataclass(frozen=True, slots=True)
class InviteInfo:
    code: str
    show_name: bool
    joined: int  # how many people started Penny through this link


async def _invite(session: AsyncSession, profile: Profile, now: datetime) -> repo.InviteView:
    found = await repo.invite_of(session=session, user_id=profile.user_id)
    while found is None:
        # A collision among 2**48 codes is unlikely but possible; the unique key decides.
        found = await repo.add_invite(
            session=session,
            user_id=profile.user_id,
            code=secrets.token_urlsafe(CODE_BYTES),
            now=now,
        ) or await repo.invite_of(session=session, user_id=profile.user_id)
    return found


async def my_invite(
    *, session: AsyncSession, profile: Profile, now: datetime, toggle_name: bool = False
) -> InviteInfo:
    """The user's invite code (made on first use); ``toggle_name`` flips whether they're named."""
    found = await _invite(session, profile, now)
    show = found.show_name
    if toggle_name:
        show = not show
        await repo.set_show_name(session=session, user_id=profile.user_id, show=show)
    joined = await repo.referrals_of(session=session, inviter_id=profile.user_id)
    return InviteInfo(found.code, show, joined)


@dataclass(frozen=True, slots=True)
class Welcome:
    settings: UserSettings
    # Set only for a brand-new account that came through someone's link.
    inviter_id: int | None = None
    name_inviter: bool = False


async def welcome(
    *, session: AsyncSession, profile: Profile, now: datetime, payload: str | None
) -> Welcome:
    """/start, maybe with a deep-link payload: a newcomer's invite is recorded once."""
    settings = await user_settings(session=session, profile=profile, now=now)
    if not profile.is_new or payload is None or not is_invite_code(payload):
        return Welcome(settings)
    invite = await repo.invite_by_code(session=session, code=payload)
    if invite is None or invite.user_id == profile.user_id:
        return Welcome(settings)
    await repo.add_referral(
        session=session, user_id=profile.user_id, inviter_id=invite.user_id, now=now
    )
    return Welcome(settings, invite.user_id, invite.show_name)
