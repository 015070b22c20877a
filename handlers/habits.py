"""Streak, points and savings-target lines for the summaries, and the "Nothing today" button.

The lines state facts and stay out of the way: nothing is shown until there is something to
show (a target set, a streak of two days, a point earned), and nothing scolds.
"""

from __future__ import annotations

from telegram import CallbackQuery, Update

from bot.core.habits import POINTS_RULES
from bot.core.money import format_amount
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed_markup, say
from models.services import habits as habit_cases
from models.services.goals import TargetLine
from models.services.habits import NothingToday, Standing

NOTHING = Button("nt")

__all__ = ["NOTHING", "POINTS_RULES", "nothing_text", "standing_line", "target_lines"]


def standing_line(standing: Standing | None, *, period: str | None = None) -> str | None:
    """``🔥 5-day streak · ⭐ 120 points (+30 this week)``, or None when there is nothing yet."""
    if standing is None:
        return None
    parts = []
    if standing.streak.current >= 2:
        parts.append(f"🔥 {standing.streak.current}-day streak")
    if standing.points:
        earned = standing.points_in_period
        extra = f" (+{earned} {period})" if period and earned and earned != standing.points else ""
        parts.append(f"⭐ {standing.points} points{extra}")
    return " · ".join(parts) or None


def target_lines(target: TargetLine | None, *, ended: bool = False) -> list[str]:
    """The month's savings target against income − expenses, and what was put aside."""
    if target is None:
        return []
    lines = []
    if target.status is not None:
        status = target.status
        kept = format_amount(status.kept, status.currency, sign=True)
        goal = format_amount(status.target, status.currency)
        mark = "✅" if status.met else "🐷"
        so_far = "" if ended else " so far"
        lines.append(f"{mark} Savings target {goal}: kept {kept}{so_far} ({status.percent}%)")
    if target.put_aside:
        amounts = ", ".join(format_amount(v, c) for c, v in target.put_aside.items())
        lines.append(f"💰 Put aside for goals: {amounts}")
    return lines


def extra_lines(
    target: TargetLine | None,
    standing: Standing | None,
    *,
    period: str | None = None,
    ended: bool = False,
) -> str:
    """The block /balance, /report and the summaries append: empty when there's nothing."""
    lines = target_lines(target, ended=ended)
    line = standing_line(standing, period=period)
    if line:
        lines.append(line)
    return "\n\n" + "\n".join(lines) if lines else ""


def nothing_text(result: NothingToday) -> str:
    days = result.streak.current
    streak = f" 🔥 {days}-day streak." if days >= 2 else ""
    if result.already:
        return f"👍 Noted — you logged today already, so today counts.{streak}"
    return f"👍 Noted: nothing to log today.{streak}"


@NOTHING.handles
async def nothing_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Count today as a logging day without an entry."""
    result = await call(update, context, habit_cases.nothing_today)
    await query.answer("Noted")
    await edit_pressed_markup(query, context, None)
    await say(update, context, nothing_text(result))
