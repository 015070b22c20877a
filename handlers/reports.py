"""/report (a short summary of a period) and /rate (conversion rates for other currencies)."""

from __future__ import annotations

from decimal import Decimal

from telegram import Update

from bot.core.money import format_amount
from bot.core.rates import RateError
from handlers.common import Context, call, message_of
from handlers.habits import extra_lines
from handlers.render import CURRENCIES_SHOWN, first_of
from models.services import habits, reports
from models.services.reports import Report, Unreadable

REPORT_USAGE = (
    "Usage: /report [period] — for example /report, /report last month, /report march, "
    "/report 2026-10, /report year or /report 1 oct - 15 oct"
)
RATE_USAGE = (
    "Usage: /rate CODE RATE — what one unit of another currency is worth in yours, "
    "for example /rate EUR 1.08. /rate EUR off removes it; /rate lists your rates."
)
NAME_LIMIT = 24
# Rates /rate lists; a line is ~25 characters, so the list stays well inside one message.
RATES_SHOWN = 60


async def report(update: Update, context: Context) -> None:
    """Summarize a period: income, expenses, net, top categories and the change."""
    # habits.report is reports.report plus the month's savings target, streak and points.
    result = await call(update, context, habits.report, words=" ".join(context.args or []))
    if isinstance(result, Unreadable):
        await message_of(update).reply_text(f"I can't read that period.\n\n{REPORT_USAGE}")
        return
    extra = extra_lines(result.target, result.standing, period="in this period", ended=result.ended)
    await message_of(update).reply_text(report_text(result.report) + extra)


async def rate(update: Update, context: Context) -> None:
    """Set, remove or list the rates that convert other currencies into the user's own."""
    args = context.args or []
    if len(args) not in (0, 2):
        await message_of(update).reply_text(RATE_USAGE)
        return
    if not args:
        listed = await call(update, context, reports.list_rates)
        await message_of(update).reply_text(rates_text(listed))
        return
    try:
        result = await call(update, context, reports.set_rate, code=args[0], value=args[1])
    except RateError as exc:
        await message_of(update).reply_text(f"{exc}\n\n{RATE_USAGE}")
        return
    if result.rate is None:
        text = f"👍 Removed the {result.currency} rate."
    else:
        text = (
            f"👍 1 {result.currency} = {result.rate:f} {result.base}. "
            "/report now also shows a converted total."
        )
    await message_of(update).reply_text(text)


def rates_text(listed: reports.RateList) -> str:
    if not listed.rates:
        return f"You have no rates yet.\n\n{RATE_USAGE}"
    lines = [f"Your rates into {listed.base}:"]
    rates, more = first_of(list(listed.rates), RATES_SHOWN)
    lines += [f"1 {cur} = {value:f} {listed.base}" for cur, value in rates]
    if more:
        lines.append(f"{more} (/rate CODE off removes one).")
    return "\n".join(lines)


def report_text(result: Report) -> str:
    """A phone-sized summary: totals, change, average, biggest expense, top categories."""
    lines = [f"📊 {result.label}"]
    if result.empty:
        lines.append("Nothing recorded in this period yet. Try /report last month.")
        return "\n".join(lines)
    several = sum(1 for c in result.currencies if c.income or c.expenses) > 1
    active = [c for c in result.currencies if c.income or c.expenses or not several]
    shown, more = first_of(active, CURRENCIES_SHOWN)
    for cur in shown:
        code = cur.currency
        if several:
            lines += ["", f"— {code} —"]
        lines += [
            f"Income:   {format_amount(cur.income, code)}",
            f"Expenses: {format_amount(cur.expenses, code)}",
            f"Net:      {format_amount(cur.net, code, sign=True)}",
        ]
        if cur.expenses:
            lines.append(_change(cur.expenses, cur.previous_expenses, code, result.compared_with))
            if result.days > 1:  # over one day the average is the total
                average = (cur.expenses / result.days).quantize(Decimal("0.01"))
                lines.append(f"Per day:  {format_amount(average, code)} over {result.days} days")
        if cur.biggest is not None:
            big = cur.biggest
            note = f" · {_short(big.note)}" if big.note else ""
            lines.append(
                f"Biggest:  {format_amount(big.amount, code)} · {_short(big.category)}{note}"
                f" · {big.day.day} {big.day:%b}"
            )
        if cur.top:
            lines.append("Top categories:")
            lines += [
                f"  {_short(c.label)} {format_amount(c.amount, code)} · {_percent(c.share)}"
                for c in cur.top
            ]
    if more:
        lines += ["", f"{more} currencies (/export has every one)."]
    if result.budgets:
        lines += ["", "Budgets:"]
        lines += [
            f"  {_short(b.name)}{' this week' if b.weekly else ''}"
            f" {_percent(b.spent / b.limit) if b.limit > 0 else 'over'}"
            f" · {format_amount(b.spent, b.currency)} of {format_amount(b.limit, b.currency)}"
            for b in result.budgets[:4]
        ]
    if result.converted is not None:
        conv = result.converted
        used, unlisted = first_of(list(conv.rates), CURRENCIES_SHOWN)
        rates = ", ".join(f"{cur} at {value:f}" for cur, value in used)
        rates += f" {unlisted}" if unlisted else ""
        income = format_amount(conv.income, conv.currency)
        expenses = format_amount(conv.expenses, conv.currency)
        lines += ["", f"≈ All in {conv.currency} ({rates}): income {income}, expenses {expenses}"]
    elif result.missing_rates:
        missing, unlisted = first_of(list(result.missing_rates), CURRENCIES_SHOWN)
        codes = ", ".join(missing) + (f" {unlisted}" if unlisted else "")
        lines += [
            "",
            f"Totals stay per currency; /rate {result.missing_rates[0]} … converts {codes}.",
        ]
    return "\n".join(lines)


def _change(now: Decimal, before: Decimal, currency: str, span: str) -> str:
    if before == 0:
        return f"vs {span}: nothing spent then"
    delta = now - before
    percent = abs(delta) / before * 100
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    # "▲ 39900%" reads as noise; ten times as much and more says it as a multiple.
    change = f"×{now / before:.0f}" if now >= before * 10 else f"{percent:.0f}%"
    return f"vs {span}: {arrow} {change} ({format_amount(delta, currency, sign=True)})"


def _percent(share: Decimal) -> str:
    value = share * 100
    return "<1%" if 0 < value < 1 else f"{value:.0f}%"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"
