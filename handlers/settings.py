"""/settings: currency, time zone, month start day and quiet hours."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.core.schedules import minute_time
from handlers.buttons import Button
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from models.services import account
from models.services.account import UserSettings
from models.services.results import STALE, Stale

MONTH_START = Button("ms", ints=1)  # day
QUIET = Button("sq", ints=1)  # (always 0) switch quiet hours

MONTH_STARTS = (1, 5, 10, 15, 20, 25, 28)
USAGE = "Usage: /settings month DAY — months start on that day (1–28), e.g. /settings month 25"


def settings_text(settings: UserSettings) -> str:
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


def settings_keyboard(settings: UserSettings) -> InlineKeyboardMarkup:
    buttons = [
        (f"{'• ' if d == settings.profile.month_start_day else ''}{d}", MONTH_START.data(d))
        for d in MONTH_STARTS
    ]
    buttons.append(("🌙 Quiet hours " + ("off" if settings.quiet else "on"), QUIET.data(0)))
    return keyboard(buttons, per_row=4)


async def settings(update: Update, context: Context) -> None:
    """Show settings, or set the month start with /settings month 25."""
    args = context.args or []
    result: UserSettings | Stale = STALE
    if not args:
        result = await call(update, context, account.user_settings)
    elif len(args) == 2 and args[0].lower() in {"month", "monthstart"} and args[1].isdigit():
        result = await call(update, context, account.set_month_start, day=int(args[1]))
    if isinstance(result, Stale):
        await message_of(update).reply_text(USAGE)
        return
    await message_of(update).reply_text(
        settings_text(result), reply_markup=settings_keyboard(result)
    )


@MONTH_START.handles
async def month_start_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Move the start of the user's month to the tapped day."""
    result = fresh(await call(update, context, account.set_month_start, day=ids[0]))
    await query.answer("Saved")
    await edit_pressed(
        query, context, settings_text(result), reply_markup=settings_keyboard(result)
    )


@QUIET.handles
async def quiet_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Switch quiet hours on or off."""
    result = await call(update, context, account.toggle_quiet)
    await query.answer("Saved")
    await edit_pressed(
        query, context, settings_text(result), reply_markup=settings_keyboard(result)
    )
