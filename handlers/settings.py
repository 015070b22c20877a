"""/settings: currency, time zone, month start day and quiet hours."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.core.schedules import minute_time
from handlers.common import (
    Context,
    actor,
    answer_stale,
    callback_ints,
    keyboard,
    message_of,
    query_of,
    runtime,
    unit_of_work,
)
from models.services import planning
from models.services.planning import Settings

MONTH_STARTS = (1, 5, 10, 15, 20, 25, 28)
USAGE = "Usage: /settings month DAY — months start on that day (1–28), e.g. /settings month 25"


def settings_text(settings: Settings) -> str:
    p = settings.profile
    quiet = (
        "{:%H:%M}–{:%H:%M}".format(*(minute_time(m) for m in settings.quiet))
        if settings.quiet
        else "off"
    )
    return (
        "⚙️ Settings\n"
        f"Currency: {p.currency} (/currency CODE)\n"
        f"Time zone: {p.timezone} (/timezone Area/City)\n"
        f"Month starts on day {p.month_start_day} — budgets, /balance and reports follow it\n"
        f"Quiet hours: {quiet}\n\n"
        "Tap a day to move the start of your month:"
    )


def settings_keyboard(settings: Settings) -> InlineKeyboardMarkup:
    buttons = [
        (f"{'• ' if d == settings.profile.month_start_day else ''}{d}", f"ms:{d}")
        for d in MONTH_STARTS
    ]
    buttons.append(("🌙 Quiet hours " + ("off" if settings.quiet else "on"), "sq:0"))
    return keyboard(buttons, per_row=4)


async def settings(update: Update, context: Context) -> None:
    """Show settings, or set the month start with /settings month 25."""
    args = context.args or []
    now = runtime(context).clock()
    async with unit_of_work(context) as session:
        who = actor(update, context)
        if not args:
            result: Settings | None = await planning.user_settings(
                session=session, actor=who, now=now
            )
        elif len(args) == 2 and args[0].lower() in {"month", "monthstart"} and args[1].isdigit():
            result = await planning.set_month_start(
                session=session, actor=who, day=int(args[1]), now=now
            )
        else:
            result = None
    if result is None:
        await message_of(update).reply_text(USAGE)
        return
    await message_of(update).reply_text(
        settings_text(result), reply_markup=settings_keyboard(result)
    )


async def settings_button(update: Update, context: Context) -> None:
    """Month start day or quiet hours from the /settings buttons."""
    query = query_of(update)
    now = runtime(context).clock()
    day = callback_ints(query.data, "ms", 1)
    quiet = callback_ints(query.data, "sq", 1)
    async with unit_of_work(context) as session:
        who = actor(update, context)
        result: Settings | None = None
        if day is not None:
            result = await planning.set_month_start(session=session, actor=who, day=day[0], now=now)
        elif quiet is not None:
            result = await planning.toggle_quiet(session=session, actor=who, now=now)
    if result is None:
        await answer_stale(update)
        return
    await query.answer("Saved")
    await query.edit_message_text(settings_text(result), reply_markup=settings_keyboard(result))
