"""/budget and the buttons on budget alerts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.core.budgets import (
    BudgetCommand,
    BudgetUsage,
    parse_budget_args,
    progress_bar,
    raised_limit,
)
from bot.core.money import format_amount, to_minor
from bot.core.rules import CategoriesUsage, parse_categories_args
from handlers.buttons import Button, StalePress
from handlers.common import Context, call, edit_pressed, fresh, keyboard, message_of
from handlers.paging import page_buttons, paginate
from models.budgets import Alert, BudgetView
from models.services import budgets as budget_cases
from models.services.budgets import BadLimit, Budgets, UnknownCategory
from models.services.results import Stale

RAISE = Button("bl", ints=3)  # budget, percent, the limit the alert was for (minor units)
TYPE = Button("bt", ints=1)  # budget: ask for a new limit
KEEP = Button("bq", ints=1)  # budget
PAGE = Button("bgp", ints=1)  # page of /budget's list
# a /budget for a category that doesn't exist: add it (the limit as typed, m/w, its name)
CREATE = Button("bnew", fields=(r"\d{1,15}(?:\.\d{1,4})?", r"[mw]", r"[^:]{1,30}"))
RAISES = (10, 25)
# A budget takes three lines (~170 characters): this many make one message, the rest a page on.
BUDGETS_SHOWN = 12

USAGE = (
    "Budgets:\n"
    "/budget – show them all\n"
    "/budget 20000 – overall monthly limit\n"
    "/budget food 5000 – a category limit\n"
    "/budget food 1500 weekly – weekly instead of monthly\n"
    "/budget food 5000 rollover – carry unspent (or overspent) money into the next period\n"
    "/budget food off – remove it"
)


def budget_line(view: BudgetView) -> str:
    s = view.status
    icon = view.category.emoji if view.category and view.category.emoji else "💰"
    per = "week" if view.frequency == "weekly" else "month"
    spent, limit = format_amount(s.spent, s.currency), format_amount(s.limit, s.currency)
    head = f"{icon} {view.name} — {spent} of {limit}"
    bar = f"{progress_bar(s.ratio)} {int(s.ratio * 100)}%"
    until = s.period.end - timedelta(days=1)
    if s.left >= 0:
        tail = (
            f"{format_amount(s.left, s.currency)} left · {s.days_left} days left this {per}\n"
            f"   you can spend {format_amount(s.safe_daily, s.currency)} a day until the "
            f"{_ordinal(until.day)}"
        )
    else:
        tail = f"over by {format_amount(-s.left, s.currency)} · {s.days_left} days left this {per}"
    extra = " · rollover" if view.rollover else ""
    return f"{head}{extra}\n   {bar}\n   {tail}"


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def budgets_text(result: Budgets, page: int = 0) -> str:
    """The list for ``/budget``; after a change, just what changed (the list is a tap away)."""
    if result.changed:
        return _changed_text(result)
    if not result.views:
        return "No budgets yet.\n\n" + USAGE
    lines = []
    shown = paginate(result.views, page, BUDGETS_SHOWN)
    if shown.count > 1:
        lines.append(f"Your budgets ({shown.span}):")
    lines += [budget_line(v) for v in shown.items]
    return "\n\n".join(lines)


def _changed_text(result: Budgets) -> str:
    if result.removed:
        left = len(result.views)
        other = "other one" if left == 1 else f"other {left}"
        return f"🗑 Removed the {result.changed} budget." + (
            f"\n\n/budget shows the {other}." if left else ""
        )
    changed = next((v for v in result.views if v.name == result.changed), None)
    if changed is None:
        return f"There was no {result.changed} budget, so nothing changed."
    tail = f"\n\n/budget shows all {len(result.views)}." if len(result.views) > 1 else ""
    return f"👍 {result.changed} budget saved.\n\n{budget_line(changed)}{tail}"


def budgets_keyboard(result: Budgets, page: int = 0) -> InlineKeyboardMarkup | None:
    buttons = page_buttons(paginate(result.views, page, BUDGETS_SHOWN), PAGE.data)
    return keyboard(buttons, per_row=2) if buttons else None


def alert_text(alert: Alert) -> str:
    s = alert.budget.status
    if alert.threshold >= 100:
        return (
            f"⚠️ {alert.budget.name} is over its {format_amount(s.limit, s.currency)} limit by "
            f"{format_amount(-s.left, s.currency)}."
        )
    return (
        f"⚠️ {alert.budget.name} has reached {int(s.ratio * 100)}% of its "
        f"{format_amount(s.limit, s.currency)} limit — "
        f"{format_amount(s.left, s.currency)} left for {s.days_left} days."
    )


def alert_keyboard(alert: Alert) -> InlineKeyboardMarkup | None:
    if alert.threshold < 100:
        return None
    bid = alert.budget.id
    base, currency = alert.budget.base, alert.budget.status.currency
    raises = [
        (
            f"+{percent}% → {format_amount(raised_limit(base, percent, currency), currency)}",
            RAISE.data(bid, percent, to_minor(base, currency)),
        )
        for percent in RAISES
    ]
    return keyboard(
        [
            *raises,
            ("✏️ Type an amount", TYPE.data(bid)),
            ("Keep it", KEEP.data(bid)),
        ],
        per_row=2,
    )


async def budget(update: Update, context: Context) -> None:
    """Show, set or remove budgets."""
    try:
        command = parse_budget_args(context.args or [])
    except BudgetUsage:
        await message_of(update).reply_text("I didn't get that.\n\n" + USAGE)
        return
    result = await call(update, context, budget_cases.budget_command, command=command)
    if isinstance(result, BadLimit):
        await message_of(update).reply_text(f"⚠️ {result.reason}\n\n{USAGE}")
        return
    if isinstance(result, UnknownCategory):
        await message_of(update).reply_text(
            f"You have no category called “{result.name[:40]}”. "
            f"Yours are: {', '.join(result.known)}.",
            reply_markup=_create_keyboard(result.name, command),
        )
        return
    await message_of(update).reply_text(
        budgets_text(result), reply_markup=None if result.changed else budgets_keyboard(result)
    )


def _create_keyboard(name: str, command: BudgetCommand) -> InlineKeyboardMarkup | None:
    """``➕ Add Pets with 100.00 USD`` when the name could be a category and fits a button."""
    if command.action != "set" or command.amount is None:
        return None
    try:
        parse_categories_args(["add", *name.split()])
        data = CREATE.data(
            f"{command.amount:f}",
            "w" if command.frequency == "weekly" else "m",
            name.strip(),
        )
    except (CategoriesUsage, ValueError):
        return None
    label = name.strip()[:1].upper() + name.strip()[1:]
    return keyboard([(f"➕ Add {label[:24]} with this budget", data)], per_row=1)


@CREATE.handles_text
async def create_button(
    update: Update, context: Context, query: CallbackQuery, parts: tuple[str, ...]
) -> None:
    """Add the category the user budgeted for, then set its budget."""
    name = parts[2][:1].upper() + parts[2][1:]
    result = await call(
        update,
        context,
        budget_cases.create_and_budget,
        name=name,
        amount=Decimal(parts[0]),
        weekly=parts[1] == "w",
    )
    if isinstance(result, Stale):
        raise StalePress
    await query.answer("Added")
    if isinstance(result, BadLimit):
        await edit_pressed(query, context, f"⚠️ {result.reason}")
        return
    await edit_pressed(query, context, f"➕ Added the category {name}.\n" + budgets_text(result))


@PAGE.handles
async def page_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Show another page of the budgets."""
    result = await call(update, context, budget_cases.budget_command, command=BudgetCommand("show"))
    await query.answer()
    if isinstance(result, Budgets):
        await edit_pressed(
            query,
            context,
            budgets_text(result, ids[0]),
            reply_markup=budgets_keyboard(result, ids[0]),
        )


@RAISE.handles
async def raise_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Raise a limit by 10% or 25% from the over-limit alert."""
    if ids[1] not in RAISES:
        raise StalePress
    budget_id, percent, limit_minor = ids
    view = await call(
        update,
        context,
        budget_cases.raise_limit,
        budget_id=budget_id,
        percent=percent,
        limit_minor=limit_minor,
    )
    # (fresh() can't narrow a union of three results for mypy; the same check, spelled out)
    if isinstance(view, Stale):
        raise StalePress
    if isinstance(view, BadLimit):
        await query.answer(view.reason, show_alert=True)
        return
    await query.answer("Limit raised")
    await edit_pressed(query, context, f"👍 New limit.\n\n{budget_line(view)}")


@TYPE.handles
async def type_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Ask for a new limit; the user's next amount sets it."""
    view = fresh(await call(update, context, budget_cases.ask_limit, budget_id=ids[0]))
    await query.answer()
    await edit_pressed(
        query,
        context,
        f"✏️ Send the new {view.frequency} limit for {view.name}, e.g. "
        f"{format_amount(view.base * Decimal('1.2'), view.status.currency)}",
    )


@KEEP.handles
async def keep_button(
    update: Update, context: Context, query: CallbackQuery, ids: tuple[int, ...]
) -> None:
    """Leave the limit as it is."""
    view = fresh(await call(update, context, budget_cases.budget_of, budget_id=ids[0]))
    await query.answer()
    await edit_pressed(query, context, f"OK, keeping the limit.\n\n{budget_line(view)}")
