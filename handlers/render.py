"""Reply texts built from service results. Plain text: user notes need no escaping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from bot.core.money import format_amount
from bot.core.periods import month_label, month_period, relative_day
from models.categories import CategoryInfo
from models.services.account import Balance
from models.services.history import History
from models.services.households import MyShare
from models.services.receipts import Logged, Removed
from models.transactions import Entry, NewEntry

T = TypeVar("T")

# Notes are shown, not trusted: cut long ones so a reply stays short and under Telegram's limit.
NOTE_LIMIT = 60
# A receipt lists this many entries; a longer one shows the first few and totals for the rest,
# so a 100-line message still gets a reply that fits on a screen (and in Telegram's 4096).
RECEIPT_LINES = 12
RECEIPT_HEAD = 8
# Per-currency blocks a summary shows: a traveller's dozens of currencies must still fit in
# one message, so the rest are counted, not listed (the user's own currency comes first).
CURRENCIES_SHOWN = 6


def first_of(items: list[T], limit: int) -> tuple[list[T], str | None]:
    """The first ``limit`` items, and ``…and N more`` for the rest (None when there are none)."""
    if len(items) <= limit:
        return items, None
    return items[:limit], f"…and {len(items) - limit} more"


def short(text: str, limit: int = NOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def signed(kind: str, amount: Decimal, currency: str) -> str:
    return format_amount(amount if kind == "income" else -amount, currency, sign=True)


def entry_line(entry: Entry | NewEntry, today: date, category: CategoryInfo | None = None) -> str:
    """``−4.50 USD · 🍔 Food · coffee · yesterday``; a refund shows ``+``, an unsorted entry
    ``to sort``."""
    cat = category or (entry.category if isinstance(entry, Entry) else None)
    parts = [signed(entry.kind, entry.amount, entry.currency)]
    if cat is not None:
        parts.append(f"{cat.label} (to sort)" if entry.unsorted else cat.label)
    # "spent 250 on food" leaves the note "food"; saying Food twice adds nothing.
    if entry.note and (cat is None or entry.note.casefold() != cat.name.casefold()):
        parts.append(short(entry.note))
    if entry.occurred_on != today:
        parts.append(relative_day(entry.occurred_on, today))
    if isinstance(entry, Entry) and entry.member is not None:
        parts.append(f"{'paid by' if entry.kind == 'expense' else 'to'} {entry.member}")
        if entry.split_among:
            parts.append(f"split {entry.split_among} ways")
    return " · ".join(parts)


def date_notes(result: Logged) -> list[str]:
    """What the user must hear about dates: ones Penny could not read, ones in the future."""
    lines = [
        f"⚠️ I couldn't read the date “{short(phrase, 30)}”, so it's dated today. "
        "Edit your message to change it."
        for phrase in result.unread_dates
    ]
    ahead = sorted({e.occurred_on for e in result.entries if e.occurred_on > result.today})
    for day in ahead:
        days = (day - result.today).days
        when = "tomorrow" if days == 1 else f"{relative_day(day, result.today)}, in {days} days"
        lines.append(f"📅 Dated {when}. Edit your message to change it.")
    return lines


def logged_text(result: Logged) -> str:
    head = "✏️ Updated" if result.edited else "✅ Saved"
    if len(result.entries) == 1:
        entry, total = result.entries[0], result.month_totals[0]
        lines = [f"{head}: {entry_line(entry, result.today)}"]
        if entry.unsorted:
            lines.append("Which category? Tap one to file it (it stays in Other until you do).")
        elif entry.category is not None and total is not None:
            when = _total_span(result, entry)
            lines.append(f"{entry.category.name} {when}: {format_amount(total, entry.currency)}")
    else:
        lines = [
            f"{head} {len(result.entries)} entries:",
            *_itemized(result.entries, result.today, numbered=True),
        ]
        lines += _category_totals(result)
    lines += date_notes(result)
    if result.learned is not None and result.entries and result.focused.category:
        label = result.focused.category.label
        lines.append(
            f"📚 From now on “{result.learned}” goes under {label} "
            f"(/categories forget {result.learned} undoes that)."
        )
    # the receipt of one entry to sort has its own buttons; the others wait for /sort
    waiting = result.to_sort - (1 if result.choices else 0)
    if waiting > 0:
        more = " more" if result.choices else ""
        entries, them = ("entry", "it") if waiting == 1 else ("entries", "them")
        lines.append(f"📥 {waiting}{more} {entries} to sort: /sort files {them}.")
    return "\n".join(lines)


def _total_span(result: Logged, entry: Entry) -> str:
    """``this month``, ``in October 2026``, ``this week`` or ``in the week of 16 Nov``."""
    known = result.total_periods[0] if result.total_periods else None
    period = known or month_period(entry.occurred_on, result.month_start_day)
    if period.days == 7 and period.start.weekday() == 0:  # a weekly budget's week
        if result.today in period:
            return "this week"
        return f"in the week of {period.start.day} {period.start:%b}"
    return "this month" if result.today in period else f"in {month_label(period)}"


def listed_count(count: int) -> int:
    """How many of a receipt's ``count`` entries it lists one by one."""
    return count if count <= RECEIPT_LINES else RECEIPT_HEAD


# A receipt of several entries names this many categories' totals; more would crowd it.
TOTALS_SHOWN = 4


def _category_totals(result: Logged) -> list[str]:
    """``This month: Food 45.00 USD · Transport 20.00 USD`` for the categories just used."""
    seen: dict[tuple[str, str, str], Decimal] = {}
    for index, (entry, total) in enumerate(zip(result.entries, result.month_totals, strict=True)):
        if entry.category is None or total is None or entry.unsorted:
            continue
        one = Logged(
            [entry],
            [total],
            result.today,
            month_start_day=result.month_start_day,
            total_periods=result.total_periods[index : index + 1],
        )
        seen[(_total_span(one, entry), entry.category.name, entry.currency)] = total
    if not seen or len(result.entries) > RECEIPT_LINES:
        return []
    items = list(seen.items())[:TOTALS_SHOWN]
    spans = {span for (span, _, _), _ in items}
    if len(spans) == 1:
        [span] = spans
        parts = [f"{name} {format_amount(v, cur)}" for (_, name, cur), v in items]
        return [f"{span[:1].upper()}{span[1:]}: " + " · ".join(parts)]
    return [" · ".join(f"{name} {span}: {format_amount(v, cur)}" for (span, name, cur), v in items)]


def _itemized(entries: list[Entry], today: date, *, numbered: bool = False) -> list[str]:
    """A line per entry (``1.`` when its receipt has a button per number, else ``•``); past
    RECEIPT_LINES, the first few, how many more, and the totals."""

    def mark(index: int) -> str:
        return f"{index}." if numbered else "•"

    if len(entries) <= RECEIPT_LINES:
        return [f"{mark(n)} {entry_line(e, today)}" for n, e in enumerate(entries, start=1)]
    lines = [
        f"{mark(n)} {entry_line(e, today)}" for n, e in enumerate(entries[:RECEIPT_HEAD], start=1)
    ]
    lines.append(f"…and {len(entries) - RECEIPT_HEAD} more.")
    totals: dict[tuple[str, str], Decimal] = {}
    for entry in entries:
        key = (entry.kind, entry.currency)
        totals[key] = totals.get(key, Decimal(0)) + entry.amount
    parts = [signed(kind, total, currency) for (kind, currency), total in sorted(totals.items())]
    lines.append("Total: " + ", ".join(parts))
    return lines


def removed_text(removed: Removed) -> str:
    entries, today = removed.entries, removed.today
    if len(entries) == 1:
        return f"↩️ Removed: {entry_line(entries[0], today)}"
    return "\n".join([f"↩️ Removed {len(entries)} entries:", *_itemized(entries, today)])


def balance_text(result: Balance) -> str:
    lines = [f"📊 {result.month}"]
    months, more = first_of(list(result.this_month.items()), CURRENCIES_SHOWN)
    for currency, (income, expenses) in months:
        net = income - expenses
        if len(result.this_month) > 1:
            lines.append(f"— {currency} —")
        lines += [
            f"Income:   {format_amount(income, currency)}",
            f"Expenses: {format_amount(expenses, currency)}",
            f"Net:      {format_amount(net, currency, sign=True)}",
        ]
    if more:
        lines.append(f"{more} currencies this month (/export has every one).")
    nets, more = first_of(list(result.all_time_net.items()), CURRENCIES_SHOWN)
    totals = ", ".join(format_amount(net, currency, sign=True) for currency, net in nets)
    lines += ["", f"All-time net: {totals}" + (f" {more} currencies" if more else "")]
    paid_by, _ = first_of(list(result.by_member.items()), CURRENCIES_SHOWN)
    for currency, members in paid_by:
        paid = ", ".join(f"{m.name} {percent(m.share)}" for m in members)
        lines.append(f"Paid this month ({currency}): {paid}")
    households, more = first_of(result.households, CURRENCIES_SHOWN)
    lines += [line for household in households for line in ("", household_line(household))]
    if more:
        lines.append(f"{more} households")
    return "\n".join(lines)


def percent(share: Decimal) -> str:
    return f"{int((share * 100).to_integral_value())}%"


def household_line(share: MyShare) -> str:
    """``🏠 Your share in Home this month: 140.00 USD · you owe 20.00 USD``"""
    spent = ", ".join(format_amount(a, c) for c, a in share.spent.items()) or "nothing yet"
    line = f"🏠 Your share in {share.title} this month: {spent}"
    for currency, balance in share.balance.items():
        owed = "you are owed" if balance > 0 else "you owe"
        line += f" · {owed} {format_amount(abs(balance), currency)}"
    return line


def history_text(result: History) -> str:
    entries, today = result.entries, result.today
    if not entries and result.heading is not None:
        return (
            f"Nothing found for {result.heading}. Try /history, /history food, "
            "/history last month or /history taxi."
        )
    if not entries:
        return "No transactions yet. Try typing “coffee 4.50”."
    total = result.total if result.total is not None else len(entries)
    whose = "The household's" if any(e.member for e in entries) else "Your"
    if result.heading is None and result.start == 0 and total <= len(entries):
        lines = [
            f"🧾 {whose} last transaction:"
            if len(entries) == 1
            else f"🧾 {whose} last {len(entries)} transactions (newest first):"
        ]
    else:
        shown = f"{result.start + 1}–{result.start + len(entries)} of {total}"
        lines = [f"🧾 {result.heading or 'Transactions'} · {shown} (newest first):"]
    for number, entry in enumerate(entries, start=result.start + 1):
        lines.append(f"{number}. {entry_line(entry, today)}")
        if entry.occurred_on == today:
            lines[-1] += " · today"
    lines.append("\nTap 🗑 N to delete one (Penny asks first).")
    return "\n".join(lines)
