"""Use cases for the logging habit: which chat text is about goals, streaks and points.

:func:`log_message` is the free-text entry point. It answers the few sentences that belong to
goals and habits ("saved 100 for laptop", "save 500 a month", "nothing today", an amount after
"Add savings") and hands everything else, untouched, to ``entries.record_text``; a day on which
that stores something becomes a logging day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import habits as rules
from bot.core.goals import (
    GoalAmongEntries,
    Saved,
    goal_among_entries,
    parse_saved,
    parse_target,
    read_amount,
)
from bot.core.habits import Streak, is_nothing_today
from bot.core.periods import Period, local_now, month_period
from models import goals as goal_repo
from models import habits as repo
from models import transactions as tx
from models.services import account, entries, points, reports
from models.services import goals as goal_cases
from models.services.goals import Contributed, NoSuchGoal, TargetLine, TargetSet
from models.services.receipts import Logged
from models.services.results import Rejected
from models.users import Profile


@dataclass(frozen=True, slots=True)
class NothingToday:
    """The user said there was nothing to log today: the day still counts for the streak."""

    streak: Streak
    already: bool = False  # today was a logging day before they said it


@dataclass(frozen=True, slots=True)
class ContributionEdited:
    """An edit of a message that put money toward a goal: nothing is changed by it."""


@dataclass(frozen=True, slots=True)
class Standing:
    """Streak and points as of today, and the points earned in the period asked about."""

    streak: Streak
    points: int
    points_in_period: int


# What log_message answers itself; a Rejected from a goal sentence reads like any other.
HabitAnswer = Contributed | NoSuchGoal | TargetSet | NothingToday | ContributionEdited
HabitReply = HabitAnswer | Rejected


def _today(profile: Profile, now: datetime) -> date:
    return local_now(now, profile.timezone).date()


async def log_message(
    *, session: AsyncSession, profile: Profile, now: datetime, text: str, **message: Any
) -> entries.Outcome | HabitReply:
    """Answer a goals/habits sentence, or record the text as entries (``entries.record_text``).

    ``message`` (chat_id, message_id, …) is passed on to ``record_text`` as it is.
    """
    reply = await _habit_text(
        session=session,
        profile=profile,
        now=now,
        text=text,
        chat_id=message.get("chat_id"),
        message_id=message.get("message_id"),
    )
    if reply is not None:
        return reply
    outcome = await entries.record_text(
        session=session, profile=profile, now=now, text=text, **message
    )
    if isinstance(outcome, Logged) and not outcome.edited:
        await repo.mark_day(session=session, user_id=profile.user_id, day=_today(profile, now))
    return outcome


async def apply_edit(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    text: str,
    chat_id: int,
    message_id: int,
    **message: Any,
) -> entries.Outcome | HabitReply:
    """An edited message: ``entries.apply_edit``, unless the message is about a goal.

    A contribution isn't re-read from an edit (Undo on its reply is clearer than a silent
    change of money put aside), and an edit into a goal sentence of a message that stored
    nothing is answered like a new message, never recorded as an expense.
    """
    where = {"chat_id": chat_id, "message_id": message_id}
    if await goal_repo.contribution_from_message(session=session, user_id=profile.user_id, **where):
        return ContributionEdited()
    stored = await tx.entries_from_message(session=session, user_id=profile.user_id, **where)
    if not stored:
        reply = await _habit_text(session=session, profile=profile, now=now, text=text, **where)
        if reply is not None:
            return reply
    elif _is_goal_text(text):
        # Re-read as entries, the sentence would turn the spending into "saved for laptop"
        # spending; as a contribution, an edit would move money silently. Neither: say so.
        return Rejected(
            "That message recorded spending, and an edit can't turn it into money put aside. "
            "Undo it, and send “saved 100 for laptop” in a message of its own."
        )
    return await entries.apply_edit(
        session=session, profile=profile, now=now, text=text, **where, **message
    )


def _is_goal_text(text: str) -> bool:
    return (
        parse_saved(text) is not None or parse_target(text) is not None or goal_among_entries(text)
    )


async def _habit_text(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    text: str,
    chat_id: int | None,
    message_id: int | None,
) -> HabitReply | None:
    if profile.awaiting_goal_id is not None:
        await goal_cases.stop_awaiting(session=session, profile=profile)
        amount = read_amount(text)
        # A reminder's category tap or a budget's "type the new limit" asked more recently.
        others_waiting = profile.awaiting_category_id or profile.awaiting_limit_budget_id
        if amount is not None and not others_waiting:
            return await goal_cases.contribute(
                session=session,
                profile=profile,
                now=now,
                saved=Saved(amount[0], amount[1], None),
                chat_id=chat_id,
                message_id=message_id,
                goal_id=profile.awaiting_goal_id,
            )
    if goal_among_entries(text):
        # Checked first: joined into one line, "saved 100 for laptop\nsaved 50 for trip" would
        # read as one goal named "laptop saved 50 for trip"; left to record_text, every line
        # of it would be spending.
        return Rejected(GoalAmongEntries.message)
    target = parse_target(text)
    if target is not None:
        return await goal_cases.set_target(session=session, profile=profile, now=now, target=target)
    saved = parse_saved(text)
    if saved is not None:
        return await goal_cases.contribute(
            session=session,
            profile=profile,
            now=now,
            saved=saved,
            chat_id=chat_id,
            message_id=message_id,
        )
    if is_nothing_today(text):
        return await nothing_today(session=session, profile=profile, now=now)
    return None


async def nothing_today(*, session: AsyncSession, profile: Profile, now: datetime) -> NothingToday:
    """ "Nothing today": today counts as a logging day without an entry."""
    today = _today(profile, now)
    since = today - timedelta(days=repo.STREAK_WINDOW_DAYS)
    days = await repo.logged_days(session=session, user_id=profile.user_id, since=since)
    await repo.mark_day(session=session, user_id=profile.user_id, day=today)
    return NothingToday(rules.streak([*days, today], today), already=today in days)


async def standing(
    *, session: AsyncSession, profile: Profile, now: datetime, period: Period | None = None
) -> Standing:
    """Streak and points today (scoring any finished days first); points earned in ``period``."""
    return await standing_of(
        session=session,
        user_id=profile.user_id,
        today=_today(profile, now),
        month_start_day=profile.month_start_day,
        period=period,
    )


async def standing_of(
    *,
    session: AsyncSession,
    user_id: int,
    today: date,
    month_start_day: int,
    period: Period | None = None,
) -> Standing:
    """:func:`standing` for the scheduler, which has a user id and their date, not a profile."""
    since = today - timedelta(days=repo.STREAK_WINDOW_DAYS)
    days = await repo.logged_days(session=session, user_id=user_id, since=since)
    await points.settle(
        session=session,
        user_id=user_id,
        today=today,
        month_start_day=month_start_day,
        logged=set(days),
    )
    total, in_period = await repo.points_totals(session=session, user_id=user_id, period=period)
    return Standing(rules.streak(days, today), total, in_period)


# --- what /balance and /report add ---


@dataclass(frozen=True, slots=True)
class BalanceView:
    balance: account.Balance
    target: TargetLine
    standing: Standing


async def balance(*, session: AsyncSession, profile: Profile, now: datetime) -> BalanceView:
    """/balance, with this month's savings target, put-aside money, streak and points."""
    result = await account.balance(session=session, profile=profile, now=now)
    month = month_period(_today(profile, now), profile.month_start_day)
    return BalanceView(
        result,
        await goal_cases.target_line(session=session, profile=profile, now=now),
        await standing(session=session, profile=profile, now=now, period=month),
    )


@dataclass(frozen=True, slots=True)
class ReportView:
    report: reports.Report
    target: TargetLine | None  # only for a month period
    standing: Standing
    ended: bool  # the period is over (its target line says what was kept, not "so far")


async def report(
    *, session: AsyncSession, profile: Profile, now: datetime, words: str
) -> ReportView | reports.Unreadable:
    """/report, with the month's savings target (for a month) and streak and points."""
    result = await reports.report(session=session, profile=profile, now=now, words=words)
    if isinstance(result, reports.Unreadable):
        return result
    period = result.period
    is_month = period == month_period(period.start, profile.month_start_day)
    target = (
        await goal_cases.target_line(session=session, profile=profile, now=now, month=period)
        if is_month
        else None
    )
    return ReportView(
        result,
        target,
        await standing(session=session, profile=profile, now=now, period=period),
        ended=period.end <= _today(profile, now),
    )
