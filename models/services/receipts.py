"""What a reply shows for entries just stored, changed or removed: each category's month total,
the budget alerts they crossed, and what is still to sort."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.periods import Period, month_period, week_period
from models import budgets
from models import transactions as tx
from models.budgets import Alert
from models.categories import CategoryInfo, list_categories
from models.transactions import Entry
from models.users import Profile


@dataclass(frozen=True)
class Logged:
    """Transactions now stored, with what each one's category reached this month.

    ``alerts`` are budget thresholds these entries crossed for the first time this period.
    """

    entries: list[Entry]
    month_totals: list[Decimal | None]
    today: date
    edited: bool = False
    alerts: list[Alert] = field(default_factory=list)
    # After a category change: the word Penny offers to always file under the new category.
    learn_keyword: str | None = None
    month_start_day: int = 1
    # A single entry saved to sort: the categories to offer on its receipt.
    choices: list[CategoryInfo] = field(default_factory=list)
    # Entries of this user still to sort, these included (said when there are some).
    to_sort: int = 0
    # Date phrases the message held that Penny could not read (the entries are dated today).
    unread_dates: list[str] = field(default_factory=list)
    # After the user filed an unsorted entry: the word Penny learned from it.
    learned: str | None = None
    # The period each of ``month_totals`` covers: the week for a category with a weekly budget.
    total_periods: list[Period | None] = field(default_factory=list)
    # The entry a category change was about (its rule offer and the buttons follow it).
    focus: int | None = None

    @property
    def focused(self) -> Entry:
        return next((e for e in self.entries if e.id == self.focus), self.entries[0])


@dataclass(frozen=True)
class Removed:
    """Transactions just deleted (empty when there was nothing to delete)."""

    entries: list[Entry]
    today: date


async def logged_result(
    *, session: AsyncSession, profile: Profile, ids: list[int], today: date
) -> Logged:
    """What a receipt shows for these stored entries: month totals, alerts, what's to sort."""
    user_id = profile.user_id
    entries = await tx.get_entries(session=session, user_id=user_id, ids=ids)
    totals: list[Decimal | None] = []
    periods: list[Period | None] = []
    weekly = (
        await budgets.weekly_categories(session=session, user_id=user_id)
        if profile.has_budgets
        else set()
    )
    for entry in entries:
        if entry.category is None:
            totals.append(None)
            periods.append(None)
            continue
        # The period the entry belongs to: "uber 20 on 3 oct" reports October's total.
        period = total_period(entry, weekly, profile.month_start_day)
        periods.append(period)
        totals.append(
            await tx.category_total(
                session=session,
                user_id=user_id,
                category_id=entry.category.id,
                currency=entry.currency,
                period=period,
            )
        )
    touched = {e.category.id if e.category else None for e in entries if e.kind == "expense"}
    alerts = (
        await budgets.new_alerts(
            session=session,
            user_id=user_id,
            category_ids=touched,
            today=today,
            month_start_day=profile.month_start_day,
        )
        if touched and profile.has_budgets
        else []
    )
    to_sort = (
        await tx.unsorted_count(session=session, user_id=user_id)
        if any(e.unsorted for e in entries)
        else 0
    )
    choices = (
        await list_categories(session=session, user_id=user_id, kind=entries[0].kind)
        if len(entries) == 1 and entries[0].unsorted
        else []
    )
    return Logged(
        entries,
        totals,
        today,
        alerts=alerts,
        month_start_day=profile.month_start_day,
        choices=choices,
        to_sort=to_sort,
        total_periods=periods,
    )


def total_period(entry: Entry, weekly: set[int], month_start_day: int) -> Period:
    """What a receipt totals the entry's category over: its budget's week, else the month."""
    if entry.kind == "expense" and entry.category is not None and entry.category.id in weekly:
        return week_period(entry.occurred_on)
    return month_period(entry.occurred_on, month_start_day)
