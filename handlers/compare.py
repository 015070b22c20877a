"""/compare: opt in, then see your category shares next to the median of the others."""

from __future__ import annotations

from telegram import CallbackQuery, Update

from bot.core.compare import Comparison
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed_markup, keyboard, say
from models.services import compare as cases
from models.services.compare import Compared, NotOptedIn

JOIN = Button("cmp", fields=("in|out",))

EXPLAIN = (
    "🔍 /compare shows how your spending splits across categories next to the typical split "
    "(the median) among people using this Penny with your currency.\n\n"
    "To see it you join it: your category shares (percent of your spending, never amounts) "
    "count toward the medians. Nobody — you included — ever sees anyone's figures, and "
    "nothing is shown until at least 20 people have joined. /compare off leaves."
)


def compared_text(result: Compared) -> str:
    if not isinstance(result.result, Comparison):
        return (
            f"✅ You're in. Not enough people with {result.currency} have joined yet — it needs "
            f"{result.minimum}, so nothing can be shown without giving someone away. "
            "Try again later; /compare off leaves."
        )
    lines = [
        f"🔍 Your last {result.days} days vs the median of {result.result.people} people "
        f"with {result.currency}:",
        "",
    ]
    for line in result.result.lines:
        typical = "—" if line.median is None else f"{line.median}%"
        lines.append(f"{line.category}: you {line.mine}% · typical {typical}")
    lines += [
        "",
        "Shares of each person's spending; no one's amounts are used or shown. Typical shares "
        "are rounded so no one person can move them; “—” where any one could.",
    ]
    return "\n".join(lines)


async def compare(update: Update, context: Context) -> None:
    """Show the comparison, or explain it and offer to join; /compare off leaves."""
    args = [a.lower() for a in context.args or []]
    join = False if args[:1] in (["off"], ["leave"], ["out"]) else None
    result = await call(update, context, cases.compare_shares, join=join)
    await _show(update, context, result, left=join is False)


async def _show(
    update: Update, context: Context, result: Compared | NotOptedIn, *, left: bool = False
) -> None:
    if isinstance(result, NotOptedIn):
        text = "👍 You've left /compare; your shares no longer count." if left else EXPLAIN
        markup = keyboard([("✅ Join and compare", JOIN.data("in"))])
        await say(update, context, text, reply_markup=markup)
        return
    await say(update, context, compared_text(result))


@JOIN.handles_text
async def join_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Opt in (or out) and show what there is to show."""
    result = await call(update, context, cases.compare_shares, join=parts[0] == "in")
    await query.answer()
    await edit_pressed_markup(query, context, None)
    await _show(update, context, result, left=parts[0] == "out")
