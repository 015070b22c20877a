"""Report and chart figures computed in SQL, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.chartdata import CategoryChart, CumulativeChart, DailyChart, MonthlyChart
from bot.core.rates import RateError
from models.db import create_engine, make_sessionmaker, migrate
from models.services import charts, reports
from models.services.account import open_account
from models.services.reports import UNREADABLE
from models.tables import Category, Transaction
from models.users import Actor, Profile, ensure_user

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ALICE = Actor(1001, "USD", "UTC")
BOB = Actor(2002, "USD", "UTC")


async def profile(session: AsyncSession, actor: Actor) -> Profile:
    return await open_account(session=session, actor=actor, now=NOW)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    await migrate(engine)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def add(
    sessions: async_sessionmaker[AsyncSession],
    actor: Actor,
    rows: list[tuple[str, str, int, str, str, str]],
) -> None:
    """Rows of (day, kind, minor units, currency, category name, note), bulk-inserted."""
    async with sessions.begin() as session:
        await ensure_user(session=session, actor=actor, now=NOW)
        ids = {
            name: cid
            for cid, name in await session.execute(
                select(Category.id, Category.name).where(Category.user_id == actor.user_id)
            )
        }
        values: list[dict[str, Any]] = [
            {
                "user_id": actor.user_id,
                "kind": kind,
                "amount_minor": minor,
                "currency": currency,
                "category_id": ids.get(category),
                "note": note,
                "occurred_on": date.fromisoformat(day),
                "position": 0,
                "created_at": NOW,
            }
            for day, kind, minor, currency, category, note in rows
        ]
        await session.execute(insert(Transaction), values)


ALICE_ROWS = [
    ("2026-11-01", "income", 500000, "USD", "Salary", "pay"),
    ("2026-11-03", "expense", 150000, "USD", "Housing", "rent"),
    ("2026-11-05", "expense", 450, "USD", "Food", "coffee"),
    ("2026-11-05", "expense", 1050, "USD", "Food", "lunch"),
    ("2026-11-20", "expense", 3200, "USD", "Transport", "uber"),
    ("2026-11-21", "expense", 1200, "EUR", "Food", "croissant"),
    ("2026-10-02", "expense", 100000, "USD", "Housing", "rent"),
    ("2026-10-30", "expense", 99900, "USD", "Fun", "after the 23rd"),
    ("2025-12-10", "income", 10000, "USD", "Salary", "old"),
]


async def test_report_figures(sessions: async_sessionmaker[AsyncSession]) -> None:
    await add(sessions, ALICE, ALICE_ROWS)
    await add(sessions, BOB, [("2026-11-02", "expense", 777700, "USD", "Food", "bob's")])
    async with sessions.begin() as session:
        result = await reports.report(
            session=session, profile=await profile(session, ALICE), words="", now=NOW
        )
    assert result is not None
    assert result.label == "November 2026" and result.days == 23
    assert result.compared_with == "1 Oct – 23 Oct 2026"
    usd, eur = result.currencies
    assert (usd.currency, usd.income, usd.expenses) == (
        "USD",
        Decimal("5000.00"),
        Decimal("1547.00"),
    )
    assert usd.net == Decimal("3453.00")
    assert usd.previous_expenses == Decimal("1000.00")  # the 30 Oct spend is past the same span
    assert [(c.name, c.amount) for c in usd.top] == [
        ("Housing", Decimal("1500.00")),
        ("Transport", Decimal("32.00")),
        ("Food", Decimal("15.00")),
    ]
    assert usd.top[0].share == Decimal("1500") / Decimal("1547")
    assert usd.biggest is not None and usd.biggest.note == "rent"
    assert usd.biggest.day == date(2026, 11, 3)
    # EUR stays on its own: never silently added to USD.
    assert (eur.currency, eur.expenses) == ("EUR", Decimal("12.00"))
    assert result.converted is None and result.missing_rates == ("EUR",)


async def test_report_converts_with_the_users_rate(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add(sessions, ALICE, ALICE_ROWS)
    async with sessions.begin() as session:
        await reports.set_rate(
            session=session,
            profile=await profile(session, ALICE),
            code="eur",
            value="1.08",
            now=NOW,
        )
    async with sessions.begin() as session:
        result = await reports.report(
            session=session, profile=await profile(session, ALICE), words="month", now=NOW
        )
        listed = await reports.list_rates(
            session=session, profile=await profile(session, ALICE), now=NOW
        )
        bob = await reports.report(
            session=session, profile=await profile(session, BOB), words="month", now=NOW
        )
    assert result is not None and result.converted is not None
    assert result.converted.expenses == Decimal("1547.00") + Decimal("12.96")
    assert result.converted.income == Decimal("5000.00")
    assert listed.rates == (("EUR", Decimal("1.08")),)
    assert bob is not None and bob.empty and bob.converted is None


async def test_rate_replaced_and_removed(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        await reports.set_rate(
            session=session,
            profile=await profile(session, ALICE),
            code="EUR",
            value="1.08",
            now=NOW,
        )
        await reports.set_rate(
            session=session, profile=await profile(session, ALICE), code="EUR", value="1,1", now=NOW
        )
        await reports.set_rate(
            session=session,
            profile=await profile(session, ALICE),
            code="JPY",
            value="0.0067",
            now=NOW,
        )
    async with sessions.begin() as session:
        listed = await reports.list_rates(
            session=session, profile=await profile(session, ALICE), now=NOW
        )
        assert listed.rates == (("EUR", Decimal("1.1")), ("JPY", Decimal("0.0067")))
        removed = await reports.set_rate(
            session=session, profile=await profile(session, ALICE), code="EUR", value="off", now=NOW
        )
        assert removed.rate is None
    async with sessions.begin() as session:
        listed = await reports.list_rates(
            session=session, profile=await profile(session, ALICE), now=NOW
        )
    assert listed.rates == (("JPY", Decimal("0.0067")),)


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("XYZ", "1"),
        ("USD", "1"),
        ("EUR", "0"),
        ("EUR", "-1"),
        ("EUR", "abc"),
        ("EUR", "nan"),
        ("EUR", "1e12"),
        ("EUR", "0.000000000001"),
        ("EURO", "1"),
    ],
)
async def test_bad_rates_are_refused(
    sessions: async_sessionmaker[AsyncSession], code: str, value: str
) -> None:
    async with sessions.begin() as session:
        with pytest.raises(RateError):
            await reports.set_rate(
                session=session,
                profile=await profile(session, ALICE),
                code=code,
                value=value,
                now=NOW,
            )


async def test_unreadable_period_is_unreadable(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        assert (
            await reports.report(
                session=session, profile=await profile(session, ALICE), words="someday", now=NOW
            )
            is UNREADABLE
        )
        assert (
            await charts.chart(
                session=session,
                profile=await profile(session, ALICE),
                kind="cat",
                period="x9",
                now=NOW,
            )
            is UNREADABLE
        )
        assert (
            await charts.chart(
                session=session,
                profile=await profile(session, ALICE),
                kind="pie!",
                period="m0",
                now=NOW,
            )
            is UNREADABLE
        )


async def chart(sessions: async_sessionmaker[AsyncSession], kind: str, period: str) -> Any:
    async with sessions.begin() as session:
        result = await charts.chart(
            session=session,
            profile=await profile(session, ALICE),
            kind=kind,
            period=period,
            now=NOW,
        )
    assert result is not UNREADABLE
    return result


async def test_category_chart_data(sessions: async_sessionmaker[AsyncSession]) -> None:
    await add(sessions, ALICE, ALICE_ROWS)
    await add(sessions, BOB, [("2026-11-02", "expense", 777700, "USD", "Gifts", "bob's")])
    result = await chart(sessions, "cat", "")
    assert result.key == "m0" and result.label == "November 2026"
    data = result.data
    assert isinstance(data, CategoryChart)
    assert {s.name: s.amount for s in data.slices} == {
        "🏠 Housing": Decimal("1500.00"),
        "🍔 Food": Decimal("15.00"),
        "🚕 Transport": Decimal("32.00"),
    }
    assert "12.00 EUR" in data.note
    async with sessions.begin() as session:
        await reports.set_rate(
            session=session, profile=await profile(session, ALICE), code="EUR", value="2", now=NOW
        )
    converted = (await chart(sessions, "cat", "m0")).data
    assert {s.name: s.amount for s in converted.slices}["🍔 Food"] == Decimal("39.00")
    assert converted.note == ""


async def test_daily_and_cumulative_chart_data(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add(sessions, ALICE, ALICE_ROWS)
    daily = (await chart(sessions, "day", "month")).data
    assert isinstance(daily, DailyChart)
    assert len(daily.amounts) == 30 and daily.today == date(2026, 11, 23)
    assert daily.amounts[2] == Decimal("1500.00") and daily.amounts[4] == Decimal("15.00")
    assert sum(daily.amounts) == Decimal("1547.00")
    cumulative = (await chart(sessions, "cum", "m0")).data
    assert isinstance(cumulative, CumulativeChart)
    assert len(cumulative.current) == 23 and cumulative.days == 30
    assert cumulative.previous_period == "October 2026"
    assert sum(cumulative.previous) == Decimal("1999.00") and len(cumulative.previous) == 31
    past = (await chart(sessions, "day", "last month")).data
    assert past.today is None and sum(past.amounts) == Decimal("1999.00")


async def test_monthly_chart_data(sessions: async_sessionmaker[AsyncSession]) -> None:
    await add(sessions, ALICE, ALICE_ROWS)
    result = await chart(sessions, "mon", "m0")
    data = result.data
    assert isinstance(data, MonthlyChart)
    assert data.months[0].month == date(2025, 12, 1)
    assert len(data.months) == 12 and data.months[-1].month == date(2026, 11, 1)
    assert data.months[0].income == Decimal("100.00")
    assert data.months[-1].expenses == Decimal("1547.00")
    assert data.months[-2].expenses == Decimal("1999.00")
    year = (await chart(sessions, "mon", "year")).data
    assert [m.month.month for m in year.months] == list(range(1, 13))


async def test_no_data_gives_no_chart(sessions: async_sessionmaker[AsyncSession]) -> None:
    await add(sessions, ALICE, ALICE_ROWS)
    for kind in charts.KINDS:
        result = await chart(sessions, kind, "march 2020")
        assert result.data is None and result.label == "March 2020"
