"""Use cases for a group's shared ledger (a household): opening it, who is a member, leaving.

A group's ledger is an account of its own, keyed by the group's chat id, so every existing use
case works on it unchanged and every repository keeps it apart from the members' own ledgers.
What is new is membership: ``open_household`` decides, once per update, whether the person
acting is a member (``Profile.member_id``), and records the member who pays each entry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.periods import local_now, month_period
from models import households as hh
from models import schedules
from models.households import MemberView
from models.users import Actor, Profile, ensure_user, update_user

# A household is told about its week and month; "you haven't logged for 2 days" is a personal
# nudge that would only be noise in a group.
QUIET_IN_GROUPS = ("nudge",)


@dataclass(frozen=True, slots=True)
class Group:
    """The group an update came from, who sent it, and whether that makes them a member."""

    chat_id: int
    title: str
    person_id: int
    name: str
    username: str | None
    # True when the update is the person writing in the group (or tapping Join).
    join: bool


async def open_household(
    *, session: AsyncSession, group: Group, defaults: Actor, now: datetime
) -> Profile:
    """The group's ledger, opened on first contact; ``member_id`` is the sender's, or None.

    A sender who writes joins (or rejoins); anyone else is looked up and is no member unless
    they joined before and haven't left.
    """
    actor = Actor(group.chat_id, defaults.default_currency, defaults.default_timezone)
    profile = await ensure_user(session=session, actor=actor, now=now)
    title = group.title[:128]
    if not profile.shared or profile.title != title:
        await update_user(session=session, user_id=group.chat_id, shared=True, title=title)
        if profile.is_new:
            for kind in QUIET_IN_GROUPS:
                await schedules.change_schedule(
                    session=session, user_id=group.chat_id, kind=kind, now=now, toggle=True
                )
    if group.join:
        member_id: int | None = await hh.join(
            session=session,
            user_id=group.chat_id,
            person_id=group.person_id,
            name=group.name,
            username=group.username,
            now=now,
        )
    else:
        member_id = await hh.active_member(
            session=session, user_id=group.chat_id, person_id=group.person_id
        )
    return replace(profile, shared=True, title=title, member_id=member_id)


async def is_member(*, session: AsyncSession, chat_id: int, person_id: int) -> bool:
    """Whether ``person_id`` may act on the group's ledger now (joined, not left)."""
    found = await hh.active_member(session=session, user_id=chat_id, person_id=person_id)
    return found is not None


@dataclass(frozen=True)
class Household:
    """A shared ledger and its members, for the welcome, Join and /members."""

    title: str
    currency: str
    members: list[MemberView]
    is_new: bool = False

    @property
    def active(self) -> list[MemberView]:
        return [m for m in self.members if m.active]


async def household(*, session: AsyncSession, profile: Profile, now: datetime) -> Household:
    """The household's name, currency and members (the dashboard's member filter reads this)."""
    found = await hh.members(session=session, user_id=profile.user_id)
    return Household(profile.title or "", profile.currency, found, profile.is_new)


async def left(*, session: AsyncSession, profile: Profile, now: datetime, person_id: int) -> bool:
    """A member left the group: they lose access and keep their place in the debts."""
    return await hh.mark_left(
        session=session, user_id=profile.user_id, person_id=person_id, now=now
    )


async def moved(*, session: AsyncSession, old_chat_id: int, new_chat_id: int) -> bool:
    """The group became a supergroup under a new chat id: its ledger follows it."""
    return await hh.move_ledger(session=session, old_id=old_chat_id, new_id=new_chat_id)


@dataclass(frozen=True, slots=True)
class MyShare:
    """A person's part of one household, for their private /balance."""

    title: str
    # What they spent this month: their share of split expenses and what they paid unsplit.
    spent: dict[str, Decimal]
    # What they are owed (+) or owe (-) the others, per currency.
    balance: dict[str, Decimal]


async def my_shares(*, session: AsyncSession, person_id: int, now: datetime) -> list[MyShare]:
    """The households a person belongs to, with their share; only ever shown to them."""
    found: list[MyShare] = []
    for membership in await hh.memberships(session=session, person_id=person_id):
        today = local_now(now, membership.timezone).date()
        period = month_period(today, membership.month_start_day)
        spent = await hh.share_of_spending(
            session=session,
            user_id=membership.user_id,
            member_id=membership.member_id,
            period=period,
        )
        balances = await hh.balances(session=session, user_id=membership.user_id)
        mine = {
            currency: by_member[membership.member_id]
            for currency, by_member in balances.items()
            if by_member.get(membership.member_id)
        }
        found.append(MyShare(membership.title, spent, mine))
    return found


@dataclass(frozen=True, slots=True)
class MemberSpending:
    name: str
    amount: Decimal
    share: Decimal  # of the currency's expenses this month, 0..1


async def spending_by_member(
    *, session: AsyncSession, profile: Profile, now: datetime
) -> dict[str, list[MemberSpending]]:
    """Who paid this month's expenses, per currency, biggest first ("Anna 42%, Ben 58%")."""
    today = local_now(now, profile.timezone).date()
    period = month_period(today, profile.month_start_day)
    paid = await hh.spending_by_member(session=session, user_id=profile.user_id, period=period)
    names = {m.id: m.name for m in await hh.members(session=session, user_id=profile.user_id)}
    result: dict[str, list[MemberSpending]] = {}
    for currency, by_member in paid.items():
        total = sum(by_member.values(), Decimal(0))
        if not total:
            continue
        lines = [
            MemberSpending(names.get(m, "the household") if m else "the household", a, a / total)
            for m, a in by_member.items()
        ]
        result[currency] = sorted(lines, key=lambda line: (-line.amount, line.name))
    return result
