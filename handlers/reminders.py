"""/remind: scheduled messages on/off, their time, the nudge's N days; and what the ticker says."""

from __future__ import annotations

from decimal import Decimal

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.core.money import format_amount
from bot.core.schedules import Quiet, RemindUsage, minute_time, parse_remind_args
from handlers.budgets import BUDGETS_SHOWN, budget_line
from handlers.buttons import Button, StalePress
from handlers.common import (
    Context,
    call,
    edit_pressed,
    edit_pressed_markup,
    fresh,
    keyboard,
    message_of,
    say,
)
from handlers.feedback import RATING_QUESTION, rating_keyboard
from handlers.habits import NOTHING, extra_lines
from handlers.render import CURRENCIES_SHOWN, first_of
from models.services import reminders as reminder_cases
from models.services.reminders import Reminded, ReminderChange, Reminders
from models.services.ticker import DueMessage, PeriodFigures

NAMES = {
    "nudge": "Reminder when I haven't heard from you",
    "digest": "Daily digest",
    "weekly": "Weekly summary (Sundays)",
    "monthly": "Month-end report",
}
SHORT_NAMES = {"nudge": "Nudge", "digest": "Digest", "weekly": "Weekly", "monthly": "Monthly"}
KIND_CODES = {"nudge": "n", "digest": "d", "weekly": "w", "monthly": "m"}
KINDS_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}

# rm:b back · rm:q quiet hours · rm:t:KIND on/off · rm:h:KIND hours · rm:s:KIND:HOUR · rm:n:DAYS
REMIND = Button("rm", fields=(r"b|q|[th]:[ndwm]|s:[ndwm]:\d{1,2}|n:\d{1,2}",))
QUICK = Button("qc", ints=1)  # category tapped on a nudge


def reminders_text(result: Reminders) -> str:
    lines = [f"⏰ Scheduled messages (your time zone: {result.timezone})", ""]
    for view in result.schedules:
        state = "on" if view.enabled else "off"
        when = f"{minute_time(view.at_minute):%H:%M}"
        extra = f", after {view.every_days} quiet days" if view.kind == "nudge" else ""
        mark = "✅" if view.enabled else "⬜️"
        lines.append(f"{mark} {NAMES.get(view.kind, view.kind)}: {state}, {when}{extra}")
        if view.enabled and (moved := quiet_delay(result, view.at_minute)):
            lines.append(f"   {moved}")
    if result.quiet:
        start, end = (minute_time(m) for m in result.quiet)
        lines.append(f"\n🌙 Quiet hours {start:%H:%M}–{end:%H:%M}: nothing is sent then.")
    else:
        lines.append("\n🌙 Quiet hours: off")
    lines.append("\nTap to switch on/off or change the time; /remind help for typed times.")
    return "\n".join(lines)


def quiet_delay(result: Reminders, at_minute: int) -> str | None:
    """``⚠️ 22:00 is in your quiet hours: it comes at 08:00`` (None when it isn't)."""
    if result.quiet is None:
        return None
    start, end = (minute_time(m) for m in result.quiet)
    moment = minute_time(at_minute)
    if not Quiet(start, end).contains(moment):
        return None
    return f"⚠️ {moment:%H:%M} is in your quiet hours: it comes at {end:%H:%M}."


REMIND_HELP = (
    "⏰ Scheduled messages, typed:\n"
    "/remind digest 21:30 – the daily digest's time (any minute)\n"
    "/remind weekly off – or on; also nudge, digest, monthly\n"
    "/remind nudge 3 days – nudge after 3 quiet days\n"
    "/remind quiet 23:00-07:00 – quiet hours (or /remind quiet off)\n"
    "/remind – the list, with buttons"
)


def reminded_text(result: Reminded) -> str:
    """One line for what changed, and a warning when it falls in quiet hours."""
    command, now = result.command, result.reminders
    if command.action == "quiet":
        if now.quiet is None:
            return "🌙 Quiet hours off: messages come at their time."
        start, end = (minute_time(m) for m in now.quiet)
        lines = [f"🌙 Quiet hours {start:%H:%M}–{end:%H:%M}: nothing is sent then."]
        lines += [
            f"{NAMES[v.kind]}: {moved}"
            for v in now.schedules
            if v.enabled and v.kind in NAMES and (moved := quiet_delay(now, v.at_minute))
        ]
        return "\n".join(lines)
    view = next(v for v in now.schedules if v.kind == command.kind)
    name = NAMES.get(view.kind, view.kind)
    if not view.enabled:
        return f"⬜️ {name}: off. /remind {command.kind} on brings it back."
    extra = f", after {view.every_days} quiet days" if view.kind == "nudge" else ""
    lines = [f"✅ {name}: on, {minute_time(view.at_minute):%H:%M}{extra}."]
    if moved := quiet_delay(now, view.at_minute):
        lines.append(moved + " (/remind quiet changes them)")
    return "\n".join(lines)


def reminders_keyboard(result: Reminders) -> InlineKeyboardMarkup:
    buttons: list[tuple[str, str]] = []
    for view in result.schedules:
        code = KIND_CODES[view.kind]
        short = (
            NAMES[view.kind]
            .split(" (")[0]
            .replace("Reminder when I haven't heard from you", "Nudge")
        )
        # the mark says the state, as in the list above (🔕 on an item that is on read as off)
        buttons.append((f"{'✅' if view.enabled else '⬜️'} {short}", REMIND.data(f"t:{code}")))
        buttons.append((f"🕗 {minute_time(view.at_minute):%H:%M}", REMIND.data(f"h:{code}")))
    nudge = next((v for v in result.schedules if v.kind == "nudge"), None)
    if nudge is not None:
        buttons.append(
            (
                f"Nudge after {nudge.every_days} days ➕",
                REMIND.data(f"n:{min(nudge.every_days + 1, 30)}"),
            )
        )
        buttons.append(("➖", REMIND.data(f"n:{max(nudge.every_days - 1, 1)}")))
    buttons.append(("🌙 Quiet hours " + ("off" if result.quiet else "on"), REMIND.data("q")))
    return keyboard(buttons, per_row=2)


def hour_keyboard(code: str) -> InlineKeyboardMarkup:
    hours = [(f"{h:02d}:00", REMIND.data(f"s:{code}:{h}")) for h in range(6, 24)]
    return keyboard([*hours, ("« Back", REMIND.data("b"))], per_row=6)


async def remind(update: Update, context: Context) -> None:
    """Show scheduled messages with buttons, or apply a typed change (/remind digest 21:30)."""
    try:
        command = parse_remind_args(context.args or [])
    except RemindUsage as exc:
        await message_of(update).reply_text(f"I didn't get that.\n\n{exc}")
        return
    if command.action == "help":
        await message_of(update).reply_text(REMIND_HELP)
        return
    if command.action != "show":
        changed = await call(update, context, reminder_cases.remind_command, command=command)
        await message_of(update).reply_text(reminded_text(changed))
        return
    result = await call(update, context, reminder_cases.reminders)
    assert isinstance(result, Reminders), "no change asked, nothing to refuse"
    await message_of(update).reply_text(
        reminders_text(result), reply_markup=reminders_keyboard(result)
    )


def parse_remind_data(data: str | None) -> ReminderChange | None:
    """The change a /remind button asks for; None for forged or stale data."""
    match (data or "").split(":"):
        case ["rm", "b"]:
            return ReminderChange()
        case ["rm", "q"]:
            return ReminderChange(quiet=True)
        case ["rm", "t", code] if code in KINDS_BY_CODE:
            return ReminderChange(KINDS_BY_CODE[code], toggle=True)
        case ["rm", "s", code, hour] if code in KINDS_BY_CODE and hour.isdigit() and int(hour) < 24:
            return ReminderChange(KINDS_BY_CODE[code], hour=int(hour))
        case ["rm", "n", days] if days.isdigit() and 1 <= int(days) <= 30:
            return ReminderChange("nudge", every_days=int(days))
    return None


@REMIND.handles_text
async def remind_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Apply a /remind button: toggle, pick an hour, N days, quiet hours."""
    data = query.data or ""
    if data.startswith("rm:h:"):
        await query.answer()
        await edit_pressed_markup(query, context, hour_keyboard(data[5:]))
        return
    change = parse_remind_data(data)
    if change is None:
        raise StalePress
    result = fresh(await call(update, context, reminder_cases.reminders, change=change))
    await query.answer()
    await edit_pressed(
        query, context, reminders_text(result), reply_markup=reminders_keyboard(result)
    )


@QUICK.handles
async def quick_category_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """A category tapped on a nudge: ask for the amount."""
    category = fresh(await call(update, context, reminder_cases.quick_category, category_id=ids[0]))
    await query.answer()
    await say(update, context, f"How much for {category.label}? Just type the amount, e.g. 12.50")


# --- rendering what the ticker sends ---


def _sums(values: dict[str, Decimal]) -> str:
    shown, more = first_of(list(values.items()), CURRENCIES_SHOWN)
    text = ", ".join(format_amount(v, c) for c, v in shown) or "nothing"
    return f"{text} {more} currencies" if more else text


def figures_text(title: str, figures: PeriodFigures) -> str:
    lines = [f"{title} — {figures.label}", f"Spent: {_sums(figures.expenses)}"]
    if figures.income:
        lines.append(f"Income: {_sums(figures.income)}")
    if figures.top:
        lines.append(
            "Top: " + ", ".join(f"{name} {format_amount(v, c)}" for name, c, v in figures.top)
        )
    return "\n".join(lines)


def due_message(message: DueMessage) -> tuple[str, InlineKeyboardMarkup | None]:
    """Text and buttons for a scheduled message."""
    if message.kind == "nudge":
        text = (
            f"👋 Nothing logged for {message.days_idle} days. Spent anything? "
            "Tap a category or just type it, like “coffee 4.50”."
        )
        buttons = [(c.label, QUICK.data(c.id)) for c in message.categories]
        buttons.append(("🙅 Nothing to log", NOTHING.data()))
        return text, keyboard(buttons, per_row=3)
    assert message.figures is not None
    titles = {
        "digest": "📅 Daily digest",
        "weekly": "📊 Weekly summary",
        "monthly": "🗓 Month-end report",
    }
    text = figures_text(titles.get(message.kind, "📊"), message.figures)
    if message.budgets:
        budgets, more = first_of(message.budgets, BUDGETS_SHOWN)
        text += "\n\nBudgets:\n" + "\n".join(budget_line(b) for b in budgets)
        text += f"\n{more}: /budget shows them all." if more else ""
    period = {"weekly": "this week", "monthly": "that month"}.get(message.kind)
    text += extra_lines(
        message.target, message.standing, period=period, ended=message.kind == "monthly"
    )
    if message.to_sort:
        text += "\n\n" + to_sort_line(message.to_sort)
    if message.offer_rating:
        return f"{text}\n\n{RATING_QUESTION}", rating_keyboard()
    if message.offer_nothing:
        return text, keyboard([("🙅 Nothing to log today", NOTHING.data())])
    return text, None


def to_sort_line(count: int) -> str:
    """The reminder of what Penny saved in Other without knowing where it goes."""
    entries, them = ("entry is", "it") if count == 1 else ("entries are", "them")
    return f"📥 {count} {entries} still to sort — /sort files {them}."
