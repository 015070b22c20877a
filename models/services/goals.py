"""Use cases for savings goals and the monthly savings target.

Money put toward a goal is an earmark, not a ledger entry: it is still the user's money (in
their account, a jar, a savings account), so it is neither an expense nor income, and /balance's
income − expenses stays what it was. When the laptop is bought, that purchase is the expense,
recorded once. The savings target is measured against that same income − expenses.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import habits as rules
from bot.core.errors import UserMistake
from bot.core.goals import (
    ListGoals,
    NewGoal,
    Progress,
    RemoveGoal,
    Saved,
    SetTarget,
    TargetStatus,
    matching_goals,
    parse_goal_args,
    progress,
)
from bot.core.money import check_amount
from bot.core.periods import Period, local_now, month_period
from models import goals as repo
from models import habits as habit_repo
from models import transactions as tx
from models.goals import GoalView
from models.services.results import STALE, Rejected, Stale
from models.users import Profile, update_user

# A list longer than this stops being something to look at every day.
MAX_GOALS = 20


@dataclass(frozen=True, slots=True)
class GoalLine:
    id: int
    name: str
    progress: Progress
    deadline: date | None


@dataclass(frozen=True, slots=True)
class TargetLine:
    """This month's savings target, and the put-aside total toward goals this month."""

    month: str
    status: TargetStatus | None
    scope: str | None = None  # "every" or "this"
    put_aside: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Goals:
    lines: list[GoalLine]
    target: TargetLine


@dataclass(frozen=True, slots=True)
class GoalSaved:
    line: GoalLine
    created: bool


@dataclass(frozen=True, slots=True)
class GoalRemoved:
    name: str


@dataclass(frozen=True, slots=True)
class NoSuchGoal:
    """The name typed matches none (or several) of the user's goals."""

    typed: str | None
    names: list[str]
    # The goals ``typed`` fits when it fits more than one ("laptop": gaming and work laptop).
    could_be: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Contributed:
    contribution_id: int
    amount: Decimal
    line: GoalLine
    points: int
    reached_now: bool


@dataclass(frozen=True, slots=True)
class ContributionUndone:
    amount: Decimal
    line: GoalLine
    points: int


@dataclass(frozen=True, slots=True)
class AskAmount:
    name: str
    currency: str


@dataclass(frozen=True, slots=True)
class TargetSet:
    target: TargetLine
    removed: bool = False


GoalOutcome = Goals | GoalSaved | GoalRemoved | NoSuchGoal | TargetSet | Rejected


def _today(profile: Profile, now: datetime) -> date:
    return local_now(now, profile.timezone).date()


def _line(goal: GoalView, today: date, profile: Profile) -> GoalLine:
    found = progress(
        goal.saved, goal.target, goal.currency, goal.deadline, today, profile.month_start_day
    )
    return GoalLine(goal.id, goal.name, found, goal.deadline)


async def goal_command(
    *, session: AsyncSession, profile: Profile, now: datetime, args: str
) -> GoalOutcome:
    """``/goal …``: list, create or change, remove, or set the savings target."""
    today = _today(profile, now)
    try:
        command = parse_goal_args(args, today)
        match command:
            case ListGoals():
                return await overview(session=session, profile=profile, now=now)
            case NewGoal():
                return await _save_goal(session, profile, now, command)
            case RemoveGoal():
                return await _remove_goal(session, profile, command.name)
            case SetTarget():
                return await set_target(session=session, profile=profile, now=now, target=command)
    except UserMistake as mistake:
        return Rejected(str(mistake))
    raise AssertionError(f"unhandled goal command {command!r}")


async def overview(*, session: AsyncSession, profile: Profile, now: datetime) -> Goals:
    today = _today(profile, now)
    goals = await repo.list_goals(session=session, user_id=profile.user_id)
    target = await target_line(session=session, profile=profile, now=now)
    return Goals([_line(g, today, profile) for g in goals], target)


async def _save_goal(
    session: AsyncSession, profile: Profile, now: datetime, command: NewGoal
) -> GoalSaved | Rejected:
    today = _today(profile, now)
    goals = await repo.list_goals(session=session, user_id=profile.user_id)
    same = next((g for g in goals if g.name.casefold() == command.name.casefold()), None)
    currency = command.currency or (same.currency if same else profile.currency)
    if same is not None and currency != same.currency:
        return Rejected(f"{same.name} is saved in {same.currency}; give its target in it.")
    check_amount(command.target, currency)
    if same is not None:
        await repo.change_goal(
            session=session,
            user_id=profile.user_id,
            goal_id=same.id,
            target=command.target,
            # A new amount alone ("/goal laptop 1600") doesn't mean the date is off.
            deadline=None if command.no_deadline else command.deadline or same.deadline,
        )
        changed = await repo.get_goal(session=session, user_id=profile.user_id, goal_id=same.id)
        assert changed is not None
        return GoalSaved(_line(changed, today, profile), created=False)
    if len(goals) >= MAX_GOALS:
        return Rejected(f"You have {MAX_GOALS} goals already; remove one with /goal NAME off.")
    goal_id = await repo.add_goal(
        session=session,
        user_id=profile.user_id,
        name=command.name,
        target=command.target,
        currency=currency,
        deadline=command.deadline,
        now=now,
    )
    created = await repo.get_goal(session=session, user_id=profile.user_id, goal_id=goal_id)
    assert created is not None
    return GoalSaved(_line(created, today, profile), created=True)


async def _find(
    session: AsyncSession, profile: Profile, typed: str | None
) -> GoalView | NoSuchGoal:
    goals = await repo.list_goals(session=session, user_id=profile.user_id)
    names = [g.name for g in goals]
    if typed is None:
        # "saved 100" with one goal still short of its target can only mean that one (a
        # goal reached once and then given a higher target is short again).
        open_goals = [g for g in goals if g.saved < g.target]
        return open_goals[0] if len(open_goals) == 1 else NoSuchGoal(None, names)
    found = matching_goals(typed, names)
    if len(found) != 1:
        return NoSuchGoal(typed, names, found)
    return next(g for g in goals if g.name == found[0])


async def _remove_goal(
    session: AsyncSession, profile: Profile, typed: str
) -> GoalRemoved | NoSuchGoal:
    goal = await _find(session, profile, typed)
    if isinstance(goal, NoSuchGoal):
        return goal
    if not goal.reached:
        # Points for a goal given up go with it; a reached goal keeps what it earned.
        await habit_repo.take_back_goal(session=session, user_id=profile.user_id, goal_id=goal.id)
    await repo.delete_goal(session=session, user_id=profile.user_id, goal_id=goal.id)
    return GoalRemoved(goal.name)


async def contribute(
    *,
    session: AsyncSession,
    profile: Profile,
    now: datetime,
    saved: Saved,
    chat_id: int | None = None,
    message_id: int | None = None,
    goal_id: int | None = None,
) -> Contributed | NoSuchGoal | Rejected:
    """Put money aside toward the goal named in ``saved`` (or ``goal_id``, from a button)."""
    today = _today(profile, now)
    goal: GoalView | NoSuchGoal | None
    if goal_id is not None:
        goal = await repo.get_goal(session=session, user_id=profile.user_id, goal_id=goal_id)
        if goal is None:
            return NoSuchGoal(None, [])
    else:
        goal = await _find(session, profile, saved.goal)
    if isinstance(goal, NoSuchGoal):
        return goal
    if saved.currency is not None and saved.currency != goal.currency:
        return Rejected(f"{goal.name} is saved in {goal.currency}; type the amount in it.")
    try:
        check_amount(saved.amount, goal.currency)
    except UserMistake as mistake:
        return Rejected(str(mistake))
    contribution_id, new = await repo.add_contribution(
        session=session,
        user_id=profile.user_id,
        goal=goal,
        amount=saved.amount,
        saved_on=today,
        now=now,
        chat_id=chat_id,
        message_id=message_id,
    )
    after = goal.saved + saved.amount if new else goal.saved
    before = goal.saved if new else goal.saved - saved.amount
    earned = (
        await habit_repo.goal_points_earned(
            session=session, user_id=profile.user_id, goal_id=goal.id
        )
        if new
        else 0
    )
    points = rules.goal_points(before, after, goal.target, earned)
    reached_now = False
    if new:
        await habit_repo.mark_day(session=session, user_id=profile.user_id, day=today)
        await habit_repo.award(
            session=session,
            user_id=profile.user_id,
            reason=habit_repo.GOAL,
            ref=contribution_id,
            points=points,
            earned_on=today,
            goal_id=goal.id,
        )
        if after >= goal.target:
            reached_now = await repo.mark_reached(session=session, goal_id=goal.id, at=now)
        if reached_now:
            await habit_repo.award(
                session=session,
                user_id=profile.user_id,
                reason=habit_repo.GOAL_REACHED,
                # The contribution, not the goal: Undo on it finds the reaching it made.
                # (Reached once per goal is kept by mark_reached.)
                ref=contribution_id,
                points=rules.GOAL_REACHED_POINTS,
                earned_on=today,
                goal_id=goal.id,
            )
            points += rules.GOAL_REACHED_POINTS
    line = _line(
        GoalView(
            goal.id, goal.name, goal.target, goal.currency, goal.deadline, after, goal.reached
        ),
        today,
        profile,
    )
    return Contributed(contribution_id, saved.amount, line, points, reached_now)


async def undo_contribution(
    *, session: AsyncSession, profile: Profile, now: datetime, contribution_id: int
) -> ContributionUndone | Stale:
    """Take back one contribution and the points it earned."""
    taken = await repo.take_contribution(
        session=session, user_id=profile.user_id, contribution_id=contribution_id
    )
    if taken is None:
        return STALE
    points = await habit_repo.take_back(
        session=session, user_id=profile.user_id, reason=habit_repo.GOAL, ref=taken.id
    )
    goal = await repo.get_goal(session=session, user_id=profile.user_id, goal_id=taken.goal_id)
    assert goal is not None, "the contribution's goal was just joined"
    # The points for reaching the goal are filed under the contribution that reached it.
    reaching = (
        await habit_repo.take_back(
            session=session, user_id=profile.user_id, reason=habit_repo.GOAL_REACHED, ref=taken.id
        )
        if goal.saved < goal.target
        else 0
    )
    if reaching:
        # Without this contribution the goal isn't reached: the reaching goes too (its points;
        # the party is for when it is reached again).
        points += reaching
        await repo.unmark_reached(session=session, goal_id=goal.id)
        goal = replace(goal, reached=False)
    return ContributionUndone(taken.amount, _line(goal, _today(profile, now), profile), points)


async def ask_amount(
    *, session: AsyncSession, profile: Profile, now: datetime, goal_id: int
) -> AskAmount | Stale:
    """The "Add savings" button: the user's next bare amount goes toward this goal."""
    goal = await repo.get_goal(session=session, user_id=profile.user_id, goal_id=goal_id)
    if goal is None:
        return STALE
    await update_user(
        session=session,
        user_id=profile.user_id,
        awaiting_goal_id=goal.id,
        awaiting_category_id=None,
        awaiting_limit_budget_id=None,
    )
    return AskAmount(goal.name, goal.currency)


async def stop_awaiting(*, session: AsyncSession, profile: Profile) -> None:
    await update_user(session=session, user_id=profile.user_id, awaiting_goal_id=None)


# --- the monthly savings target ---


async def target_line(
    *, session: AsyncSession, profile: Profile, now: datetime, month: Period | None = None
) -> TargetLine:
    """The target for ``month`` (this one by default) against its income − expenses."""
    period = month or month_period(_today(profile, now), profile.month_start_day)
    return await month_target(session=session, user_id=profile.user_id, month=period)


async def month_target(*, session: AsyncSession, user_id: int, month: Period) -> TargetLine:
    """The savings target of one month and what the month kept, and the money put aside."""
    label = f"{month.start:%B %Y}" if month.start.day == 1 else f"month from {month.start:%-d %b}"
    put_aside = await repo.put_aside_in(session=session, user_id=user_id, period=month)
    found = await repo.savings_target(session=session, user_id=user_id, month=month)
    if found is None:
        return TargetLine(label, None, None, put_aside)
    totals = await tx.totals_by_currency(session=session, user_id=user_id, period=month)
    zero = Decimal(0)
    cur = found.currency
    kept = totals.get((cur, "income"), zero) - totals.get((cur, "expense"), zero)
    scope = "every" if found.every_month else "this"
    return TargetLine(label, TargetStatus(found.amount, kept, cur), scope, put_aside)


async def set_target(
    *, session: AsyncSession, profile: Profile, now: datetime, target: SetTarget
) -> TargetSet | Rejected:
    """``save 500 a month`` / ``save 500 this month`` / ``save off``."""
    month = month_period(_today(profile, now), profile.month_start_day)
    currency = target.currency or profile.currency
    if target.amount is not None:
        try:
            check_amount(target.amount, currency)
        except UserMistake as mistake:
            return Rejected(str(mistake))
    await repo.set_savings_target(
        session=session,
        user_id=profile.user_id,
        month=month if target.scope == "this" else None,
        amount=target.amount,
        currency=currency,
    )
    line = await target_line(session=session, profile=profile, now=now)
    return TargetSet(line, removed=target.amount is None)
