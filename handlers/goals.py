"""/goal and the goal replies: progress, contributions ("saved 100 for laptop"), the target."""

from __future__ import annotations

from decimal import Decimal

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update

from bot.core.goals import GoalUsage
from bot.core.money import format_amount
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of, say
from handlers.habits import nothing_text, target_lines
from models.services import goals as goal_cases
from models.services.goals import (
    Contributed,
    GoalLine,
    GoalRemoved,
    Goals,
    GoalSaved,
    NoSuchGoal,
    TargetLine,
    TargetSet,
)
from models.services.habits import ContributionEdited, HabitAnswer, NothingToday
from models.services.results import Rejected

ADD = Button("ga", ints=1)  # goal: ask how much to put aside
TAKE_BACK = Button("gu", ints=1)  # contribution: undo it

EXAMPLE = "/goal laptop 1200 by june"


def money(amount: Decimal, currency: str) -> str:
    return format_amount(amount, currency)


def goal_text(line: GoalLine) -> str:
    """``🎯 laptop — 300.00 USD of 1,200.00 USD (25%)`` and what is needed to make the date."""
    p, cur = line.progress, line.progress.currency
    head = f"🎯 {line.name} — {money(p.saved, cur)} of {money(p.target, cur)} ({p.percent}%)"
    if p.reached:
        return f"{head}\n   ✅ reached"
    to_go = f"{money(p.remaining, cur)} to go"
    if line.deadline is None:
        return f"{head}\n   {to_go}"
    when = f"{line.deadline.day} {line.deadline:%b %Y}"
    if p.overdue:
        return (
            f"{head}\n   {to_go} · the date ({when}) has passed; /goal {line.name} … by … moves it"
        )
    if p.per_month is not None and p.months_left == 1:
        return f"{head}\n   {to_go} by {when}"
    assert p.per_month is not None
    return f"{head}\n   {to_go} · {money(p.per_month, cur)} a month to make {when}"


def goal_keyboard(lines: list[GoalLine]) -> InlineKeyboardMarkup | None:
    open_goals = [line for line in lines if not line.progress.reached]
    if not open_goals:
        return None
    return keyboard([(f"💰 {line.name}", ADD.data(line.id)) for line in open_goals], per_row=2)


def goals_text(result: Goals) -> str:
    if not result.lines and result.target.status is None:
        return (
            "You have no savings goals yet. Name one, its amount and (if you like) a date:\n\n"
            f"  {EXAMPLE}\n  /goal trip 3000 in 10 months\n\n"
            "Then type “saved 100 for laptop” whenever you put money aside. "
            "A monthly target works too: “save 500 a month”."
        )
    lines = ["Your goals:"] if result.lines else []
    lines += [goal_text(line) for line in result.lines]
    if result.target.status is not None:
        lines += ["", *target_lines(result.target)]
    lines += ["", "Tap a goal to put money aside, or type “saved 100 for laptop”."]
    return "\n".join(lines)


def target_text(target: TargetLine, *, removed: bool) -> str:
    if removed:
        return "👍 No savings target now. “save 500 a month” sets one again."
    assert target.status is not None
    status = target.status
    amount = money(status.target, status.currency)
    when = "this month" if target.scope == "this" else "every month"
    lines = [f"👍 Savings target: {amount} {when}, measured as income − expenses."]
    lines += target_lines(TargetLine(target.month, status))
    return "\n".join(lines)


def contributed_text(result: Contributed) -> str:
    cur = result.line.progress.currency
    stars = f" · +{result.points} ⭐" if result.points else ""
    return f"💰 Put aside {money(result.amount, cur)} for {result.line.name}{stars}\n" + goal_text(
        result.line
    )


def no_goal_text(result: NoSuchGoal, *, saving: bool = True) -> str:
    nothing = " — nothing was saved" if saving else ""
    if not result.names and not saving:
        return f"You have no savings goals yet. Start one with {EXAMPLE}."
    if not result.names:
        return (
            "You have no savings goal to put that toward yet — nothing was saved. "
            f"Start one with {EXAMPLE}."
        )
    names = ", ".join(result.names)
    if len(result.could_be) > 1:
        *first, last = result.could_be
        return f"“{result.typed}” could be {', '.join(first)} or {last}{nothing}. Which one?"
    if result.typed is None:
        return f"Which goal? Type, for example, “saved 100 for {result.names[0]}”. Yours: {names}."
    return f"You have no goal called “{result.typed}”{nothing}. Your goals: {names}."


async def reply_to_habit(message: Message, outcome: HabitAnswer) -> None:
    """Answer what ``habits.log_message`` handled itself instead of recording entries."""
    match outcome:
        case Contributed():
            await _send_contributed(message, outcome)
        case NoSuchGoal():
            await message.reply_text(no_goal_text(outcome))
        case TargetSet():
            await message.reply_text(target_text(outcome.target, removed=outcome.removed))
        case NothingToday():
            await message.reply_text(nothing_text(outcome))
        case ContributionEdited():
            await message.reply_text(
                "That message put money toward a goal, and editing it changes nothing. "
                "Tap Undo on my reply to it and send the right amount again."
            )


async def _send_contributed(message: Message, result: Contributed) -> None:
    buttons = [("↩️ Undo", TAKE_BACK.data(result.contribution_id))]
    if not result.line.progress.reached:
        buttons.append(("💰 Add more", ADD.data(result.line.id)))
    await message.reply_text(contributed_text(result), reply_markup=keyboard(buttons))
    if result.reached_now:
        cur = result.line.progress.currency
        await message.reply_text(
            f"🎉 You reached your {result.line.name} goal: "
            f"{money(result.line.progress.target, cur)} put aside. Well done!"
        )


async def goal(update: Update, context: Context) -> None:
    """List goals, or create, change or remove one, or set the savings target."""
    message = message_of(update)
    result = await call(update, context, goal_cases.goal_command, args=" ".join(context.args or []))
    match result:
        case Goals():
            await message.reply_text(goals_text(result), reply_markup=goal_keyboard(result.lines))
        case GoalSaved():
            head = "✅ New goal" if result.created else "✏️ Goal changed"
            text = f"{head}:\n{goal_text(result.line)}"
            if result.created:
                text += f"\n\nType “saved 100 for {result.line.name}” when you put money aside."
            await message.reply_text(text, reply_markup=goal_keyboard([result.line]))
        case GoalRemoved():
            await message.reply_text(f"🗑 Removed the goal {result.name}.")
        case NoSuchGoal():
            await message.reply_text(no_goal_text(result, saving=False))
        case TargetSet():
            await message.reply_text(target_text(result.target, removed=result.removed))
        case Rejected():
            usage = "" if result.reason == GoalUsage.message else f"\n\n{GoalUsage.message}"
            await message.reply_text(f"⚠️ {result.reason}{usage}")


@ADD.handles
async def add_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Ask how much to put toward the tapped goal; the next bare amount goes there."""
    asked = fresh(await call(update, context, goal_cases.ask_amount, goal_id=ids[0]))
    await query.answer()
    await say(update, context, f"How much did you put aside for {asked.name}? Type the amount.")


@TAKE_BACK.handles
async def take_back_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Undo a contribution."""
    undone = fresh(
        await call(update, context, goal_cases.undo_contribution, contribution_id=ids[0])
    )
    await query.answer("Removed")
    cur = undone.line.progress.currency
    await edit_pressed(
        query,
        context,
        f"↩️ Took back {money(undone.amount, cur)} from {undone.line.name}.\n"
        + goal_text(undone.line),
    )
