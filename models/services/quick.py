"""Logging a message with one statement: the user's account kept in this process.

Logging ``coffee 4.50`` used to read the profile, then the categories, insert, read the entry
back and sum the month: five round trips. The profile, categories and rules change rarely, so
each process keeps them per user (:class:`Accounts`) and stores the entry with one
``INSERT … SELECT … WHERE`` that only runs while ``users.revision`` is still the one read, and
returns the category's month total with the new id (``transactions.add_entry_if_current``).
Database triggers bump the revision on every change that matters (migration 0010), in any
process; a copy that is out of date stores nothing, and the ordinary path
(``habits.log_message``) runs and reads the account afresh. Anything but one entry with a
known category (several entries, an amount to ask a category for, a typed limit, a goal or
habit sentence) takes the ordinary path too.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.goals import goal_among_entries, parse_saved, parse_target
from bot.core.habits import is_nothing_today
from bot.core.money import from_minor, to_minor
from bot.core.parsing import read_request
from bot.core.periods import local_now, month_period, week_period
from models import budgets, rules
from models import habits as habit_days
from models import transactions as tx
from models.categories import CategoryInfo, categories_by_name
from models.services import entries, habits
from models.services.account import open_account
from models.services.entries import Outcome
from models.services.habits import HabitReply
from models.services.receipts import Logged
from models.transactions import Entry
from models.users import Actor, Profile

# Accounts kept per process: a few hundred bytes each.
ACCOUNTS_KEPT = 10_000


@dataclass(slots=True)
class Account:
    """What logging reads about a user, as of ``profile.revision``."""

    profile: Profile
    known: dict[tuple[str, str], CategoryInfo]  # (kind, lower-case name) -> category
    taught: dict[str, CategoryInfo]  # the user's keyword rules
    # The last day this process marked as logged for the streak (marking is idempotent).
    marked: date | None = None


class Accounts:
    """The accounts this process logged for lately, least recently used dropped first."""

    def __init__(self, size: int = ACCOUNTS_KEPT) -> None:
        self._size = size
        self._kept: OrderedDict[int, Account] = OrderedDict()

    def get(self, user_id: int) -> Account | None:
        account = self._kept.get(user_id)
        if account is not None:
            self._kept.move_to_end(user_id)
        return account

    def keep(self, account: Account) -> None:
        self._kept[account.profile.user_id] = account
        self._kept.move_to_end(account.profile.user_id)
        while len(self._kept) > self._size:
            self._kept.popitem(last=False)

    def forget(self, user_id: int) -> None:
        self._kept.pop(user_id, None)

    def __len__(self) -> int:
        return len(self._kept)


async def record_text(
    *,
    session: AsyncSession,
    actor: Actor,
    now: datetime,
    accounts: Accounts,
    text: str,
    chat_id: int,
    message_id: int,
) -> Outcome | HabitReply:
    """Understand a chat message and store what it describes (``habits.log_message``)."""
    account = accounts.get(actor.user_id)
    if account is not None:
        logged = await _one_statement(
            session=session,
            account=account,
            now=now,
            text=text,
            chat_id=chat_id,
            message_id=message_id,
        )
        if logged is not None:
            return logged
    profile = await open_account(session=session, actor=actor, now=now)
    outcome = await habits.log_message(
        session=session,
        profile=profile,
        now=now,
        text=text,
        chat_id=chat_id,
        message_id=message_id,
    )
    if isinstance(outcome, Logged):
        # The categories were read for this message already (cached in the session).
        known = await categories_by_name(session=session, user_id=profile.user_id)
        taught: dict[str, CategoryInfo] = {}
        if profile.has_rules:
            taught = {
                rule.keyword: rule.category
                for rule in await rules.user_rules(session=session, user_id=profile.user_id)
            }
        today = local_now(now, profile.timezone).date()
        accounts.keep(Account(profile, dict(known), taught, marked=today))
    else:
        accounts.forget(actor.user_id)
    return outcome


async def _one_statement(
    *,
    session: AsyncSession,
    account: Account,
    now: datetime,
    text: str,
    chat_id: int,
    message_id: int,
) -> Logged | None:
    """The entry stored with one statement, or None for the ordinary path to handle."""
    profile = account.profile
    waiting = (
        profile.awaiting_limit_budget_id,
        profile.awaiting_category_id,
        profile.awaiting_goal_id,
    )
    if any(w is not None for w in waiting) or _about_goals(text):
        return None
    local = local_now(now, profile.timezone)
    if read_request(text, now=local, month_start=profile.month_start_day) is not None:
        return None  # a question ("how much on food?") is answered by the ordinary path
    parsed = entries.parse_for_user(text, now=now, profile=profile)
    if not isinstance(parsed, list) or len(parsed) != 1 or parsed[0].unread_date:
        return None  # the ordinary path says which date phrase it could not read
    new = entries.resolve(parsed, profile=profile, known=account.known, taught=account.taught)
    if not isinstance(new, list) or new[0].category_id is None:
        return None
    entry = new[0]
    category = next(c for c in account.known.values() if c.id == entry.category_id)
    weekly = (
        await budgets.weekly_categories(session=session, user_id=profile.user_id)
        if profile.has_budgets
        else set()
    )
    period = (
        week_period(entry.occurred_on)
        if entry.kind == "expense" and category.id in weekly
        else month_period(entry.occurred_on, profile.month_start_day)
    )
    stored = await tx.add_entry_if_current(
        session=session,
        user_id=profile.user_id,
        revision=profile.revision,
        entry=entry,
        source_chat_id=chat_id,
        source_message_id=message_id,
        created_at=now,
        period=period,
    )
    if stored is None:
        return None
    tx_id, before, note = stored  # the note as the column keeps it (without a NUL)
    total = from_minor(before + to_minor(entry.amount, entry.currency), entry.currency)
    today = local.date()
    alerts = (
        await budgets.new_alerts(
            session=session,
            user_id=profile.user_id,
            category_ids={category.id},
            today=today,
            month_start_day=profile.month_start_day,
        )
        if entry.kind == "expense" and profile.has_budgets
        else []
    )
    if account.marked != today:  # the day counts for the streak
        await habit_days.mark_day(session=session, user_id=profile.user_id, day=today)
        account.marked = today
    saved = Entry(
        tx_id, entry.kind, entry.amount, entry.currency, category, note, entry.occurred_on
    )
    return Logged(
        [saved],
        [total],
        today,
        alerts=alerts,
        month_start_day=profile.month_start_day,
        total_periods=[period],
    )


def _about_goals(text: str) -> bool:
    """A goal or habit sentence ("saved 100 for laptop", "nothing today"), alone or among other
    lines (``habits.log_message`` refuses those; they can still parse as one entry): not an entry.
    """
    return (
        parse_target(text) is not None
        or parse_saved(text) is not None
        or is_nothing_today(text)
        or goal_among_entries(text)
    )
