"""Onboarding and settings: /start, /help, /currency, /timezone and their buttons."""

from __future__ import annotations

from telegram import CallbackQuery, Update

from bot.core.habits import POINTS_RULES
from bot.core.zones import resolve_zone
from handlers.buttons import Button
from handlers.common import Context, call, keyboard, message_of, say
from handlers.invites import invited_by
from models.services import account, invites
from models.services.results import Stale

CURRENCY = Button("cur", fields=(r"[A-Z]{3}",))
ZONES = Button("tzmenu")
ZONE = Button("tz", fields=(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+){0,2}",))

CURRENCY_CHOICES = ("USD", "EUR", "GBP", "INR", "JPY", "CAD", "AUD", "BRL", "RUB")
TIMEZONE_CHOICES = (
    ("UTC", "UTC"),
    ("London", "Europe/London"),
    ("Berlin", "Europe/Berlin"),
    ("Moscow", "Europe/Moscow"),
    ("Dubai", "Asia/Dubai"),
    ("India", "Asia/Kolkata"),
    ("Singapore", "Asia/Singapore"),
    ("Tokyo", "Asia/Tokyo"),
    ("Sydney", "Australia/Sydney"),
    ("New York", "America/New_York"),
    ("Chicago", "America/Chicago"),
    ("Los Angeles", "America/Los_Angeles"),
    ("São Paulo", "America/Sao_Paulo"),
)

EXAMPLES = "  coffee 4.50\n  uber 320 yesterday\n  +5000 salary"

# One screen on a phone: what to type, then the commands people reach for first.
HELP = (
    "Type what happened — “coffee 4.50”, “uber 320 yesterday”, “+5000 salary” — or ask: "
    "“how much did I spend on food this month?” Edit a message and I update what I saved."
    """

/report [period] – totals and top categories, e.g. /report last month
/chart – charts: categories, daily, running, months
/balance – this month's income, expenses and net
/history – recent entries; /history food, /history 20 · /undo – the last one
/budget – limits with alerts, e.g. /budget food 300
/categories – add, rename, remove · /sort – file what's in Other
/remind – digest, summaries, quiet hours · /recurring – rent, subscriptions
/settings – month start · /currency EUR · /timezone Mumbai · /rate EUR 1.08
/export – your data (CSV, xlsx, json, a period) · /import – a CSV or bank statement
/goal – savings goals · /help points – streaks and points
In a group: /add groceries 80 · /split 90 taxi @ben · /debts · /settle
/privacy · /deleteme · /dashboard · /feedback · /invite · /compare"""
)

COMMANDS = (
    ("add", "Record an entry: /add groceries 80"),
    ("balance", "This month's income, expenses and net"),
    ("history", "Your last 10 transactions"),
    ("undo", "Remove your last transaction"),
    ("sort", "File what is still to sort"),
    ("export", "Download all your transactions (CSV)"),
    ("currency", "Set your currency"),
    ("timezone", "Set your time zone"),
    ("help", "Examples and commands"),
    ("start", "Welcome and settings"),
    ("privacy", "What Penny stores and why"),
    ("deleteme", "Erase all your data"),
    ("import", "Import a CSV file"),
    ("categories", "Your categories and learned words"),
    ("budget", "Spending limits"),
    ("remind", "Reminders and summaries"),
    ("recurring", "Repeating transactions"),
    ("settings", "Month start, quiet hours"),
    ("report", "Summary of a period"),
    ("chart", "Charts of your spending"),
    ("rate", "Conversion rates for other currencies"),
    ("dashboard", "Open your dashboard"),
    ("goal", "Savings goals and a monthly target"),
    ("feedback", "Tell the makers what to change"),
    ("invite", "Your link to share Penny"),
    ("compare", "Your spending split vs others (opt-in)"),
    ("split", "Share an expense in a group"),
    ("debts", "Who owes whom in a group"),
    ("settle", "Record a payment between members"),
)


async def start(update: Update, context: Context) -> None:
    """Greet the user, open their account and offer currency and time zone buttons."""
    # "/start CODE" is what Telegram sends for a t.me/<bot>?start=CODE invite link.
    payload = context.args[0] if context.args else None
    welcome = await call(update, context, invites.welcome, payload=payload)
    profile = welcome.settings
    inviter = await invited_by(context, welcome)
    greeting = f"👋 {inviter} invited you — welcome! I'm Penny." if inviter else "👋 I'm Penny."
    text = (
        f"{greeting} I keep track of your money from plain chat messages — "
        "no forms, no sign-up. Try:\n\n"
        f"{EXAMPLES}\n\n"
        "I store only what you send me here: amounts, categories, notes and dates, "
        "plus your currency and time zone. Nobody else can see them; /export gives you "
        "everything.\n\n"
        f"Your currency is {profile.profile.currency} and your time zone "
        f"{profile.profile.timezone}. "
        "Change them below, or just start typing."
    )
    buttons = [(code, CURRENCY.data(code)) for code in CURRENCY_CHOICES]
    buttons.append(("🌍 Time zone…", ZONES.data()))
    await message_of(update).reply_text(text, reply_markup=keyboard(buttons, per_row=5))


async def help_command(update: Update, context: Context) -> None:
    """Show examples and every command; ``/help points`` explains streaks and points."""
    topic = (context.args or [""])[0].lower()
    await message_of(update).reply_text(POINTS_RULES if topic == "points" else HELP)


@CURRENCY.handles_text
async def currency_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Set the currency picked on the /start keyboard."""
    await _set_currency(update, context, parts[0])


async def currency_command(update: Update, context: Context) -> None:
    """Set the currency typed after /currency; alone, say which one it is."""
    args = context.args or []
    if not args:
        current = await call(update, context, account.user_settings)
        code = current.profile.currency
        buttons = [(c, CURRENCY.data(c)) for c in CURRENCY_CHOICES if c != code]
        await message_of(update).reply_text(
            f"Your currency is {code}. Tap another, or send /currency CODE (e.g. /currency EUR).",
            reply_markup=keyboard(buttons, per_row=4),
        )
        return
    if len(args) != 1:
        await message_of(update).reply_text(
            "Usage: /currency CODE — a three-letter ISO code, for example /currency EUR"
        )
        return
    await _set_currency(update, context, args[0])


async def _set_currency(update: Update, context: Context, code: str) -> None:
    profile = await call(update, context, account.change_currency, code=code)
    if isinstance(profile, Stale):
        text = "I don't know that currency. Use a three-letter ISO code such as USD, EUR or INR."
    else:
        code = profile.currency
        text = f"👍 Your currency is now {code}. Amounts without one are in {code}."
    await _reply(update, context, text)


@ZONES.handles
async def timezone_menu(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Show common time zones as buttons."""
    buttons = [(label, ZONE.data(name)) for label, name in TIMEZONE_CHOICES]
    await query.answer()
    await say(
        update,
        context,
        "Pick your time zone (or send /timezone Area/City, e.g. /timezone Asia/Kolkata):",
        reply_markup=keyboard(buttons, per_row=3),
    )


@ZONE.handles_text
async def timezone_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Set the time zone picked on the keyboard."""
    await _set_timezone(update, context, parts[0])


async def timezone_command(update: Update, context: Context) -> None:
    """Set the time zone typed after /timezone (a zone, a city or IST); offer a choice when
    the words mean several, and the common zones when they mean none."""
    words = " ".join(context.args or [])
    zones = resolve_zone(words)
    if len(zones) == 1:
        await _set_timezone(update, context, zones[0])
        return
    if zones:
        text = f"“{words[:30]}” can mean several time zones. Which one?"
        buttons = [(zone.replace("_", " "), ZONE.data(zone)) for zone in zones]
    else:
        current = await call(update, context, account.user_settings)
        head = f"I don't know the time zone “{words[:30]}”. " if words else ""
        text = (
            f"{head}Your time zone is {current.profile.timezone}. Pick one, or send "
            "/timezone and a city, e.g. /timezone Mumbai or /timezone Europe/Berlin."
        )
        buttons = [(label, ZONE.data(name)) for label, name in TIMEZONE_CHOICES]
    await message_of(update).reply_text(text, reply_markup=keyboard(buttons, per_row=3))


async def _set_timezone(update: Update, context: Context, name: str) -> None:
    profile = await call(update, context, account.change_timezone, name=name)
    if isinstance(profile, Stale):
        text = "I don't know that time zone. Use a name like Europe/Berlin or America/New_York."
    else:
        text = f"👍 Your time zone is now {profile.timezone}. “Today” follows your clock."
    await _reply(update, context, text)


async def _reply(update: Update, context: Context, text: str) -> None:
    """Answer a button press with a toast and a message, or a command with a message."""
    if update.callback_query is not None and update.effective_message is None:
        # A button on an inline message: there is no chat to write to, so the toast says it.
        await update.callback_query.answer(text[:200])
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    await say(update, context, text)
