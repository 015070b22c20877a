"""Own your data, end to end: /export (period, xlsx), /import, /deleteme, /privacy, backup."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.backup import backup_sqlite
from bot.offline.server import BotMessage
from handlers.buttons import STALE_TEXT
from handlers.runtime import BOT_DATA_KEY
from models.tables import Base, Referral, User
from tests.support.harness import Penny

ALICE = 1001
BOB = 2002
ROOT = Path(__file__).resolve().parents[2]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


async def owned_rows(penny: Penny, user_id: int) -> dict[str, int]:
    """Rows per table that belong to ``user_id``, straight from the database."""
    counts: dict[str, int] = {}
    async with penny.app.bot_data[BOT_DATA_KEY].sessions() as session:
        for table in Base.metadata.sorted_tables:
            column = table.c.get("user_id")
            if column is None and table.name == User.__tablename__:
                column = table.c.id
            if column is None:
                continue
            query = select(func.count()).select_from(table).where(column == user_id)
            counts[table.name] = int(await session.scalar(query) or 0)
    return counts


async def upload(penny: Penny, user_id: int, name: str, content: bytes):  # type: ignore[no-untyped-def]
    await penny.fake.send_document(user_id, name, content)
    return await penny.reply(user_id)


# --- /privacy and /deleteme ---


async def test_privacy_says_what_is_stored(penny: Penny) -> None:
    text = (await penny.say(ALICE, "/privacy")).text or ""
    for phrase in ("Telegram user id", "currency and time zone", "note", "/deleteme", "/export"):
        assert phrase in text


async def test_deleteme_erases_every_row_of_the_user_only(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")
    await penny.say(ALICE, "+5000 salary")
    await penny.say(ALICE, "250")  # saved to sort, in Other
    await penny.say(BOB, "lunch 12")
    ask = await penny.say(ALICE, "/deleteme")
    assert "can't be undone" in (ask.text or "")
    assert sum((await owned_rows(penny, ALICE)).values()) > 0

    await penny.press(ALICE, ask, "Erase everything")
    done = await penny.reply(ALICE)
    assert "erased everything" in (done.text or "") and "3 transactions" in (done.text or "")
    assert set((await owned_rows(penny, ALICE)).values()) == {0}
    assert await penny.count(BOB) == 1
    # Pressing the used button again erases nothing more; it has expired.
    query_id = await penny.fake.press(
        ALICE, ask.message_id, ask.button("Erase everything").callback_data or ""
    )
    await penny.settle()
    assert penny.fake.callback_answers[query_id].get("text") == STALE_TEXT
    await penny.fake.no_reply(ALICE)
    # A new message starts a fresh account.
    await penny.say(ALICE, "tea 2")
    assert await penny.count(ALICE) == 1


async def test_deleteme_cancel_keeps_everything(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")
    ask = await penny.say(ALICE, "/deleteme")
    await penny.press(ALICE, ask, "Cancel")
    assert "Nothing was erased" in ((await penny.reply(ALICE)).text or "")
    assert await penny.count(ALICE) == 1


async def test_a_deleteme_prompt_works_once_only_while_fresh(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")

    async def tap(prompt: BotMessage, label: str) -> str | None:
        data = prompt.button(label).callback_data or ""
        query_id = await penny.fake.press(ALICE, prompt.message_id, data)
        await penny.settle()
        return penny.fake.callback_answers[query_id].get("text")

    # Cancelled: the same prompt's Erase has expired.
    cancelled = await penny.say(ALICE, "/deleteme")
    assert await tap(cancelled, "Cancel") is None
    assert "Nothing was erased" in ((await penny.reply(ALICE)).text or "")
    assert await tap(cancelled, "Erase everything") == STALE_TEXT
    # Replaced by a newer prompt: the older one has expired.
    older = await penny.say(ALICE, "/deleteme")
    newer = await penny.say(ALICE, "/deleteme")
    assert await tap(older, "Erase everything") == STALE_TEXT
    # Left for too long: expired too.
    penny.clock.advance(minutes=11)
    assert await tap(newer, "Erase everything") == STALE_TEXT
    await penny.fake.no_reply(ALICE)
    assert await penny.count(ALICE) == 1
    # A fresh prompt still works.
    fresh = await penny.say(ALICE, "/deleteme")
    await tap(fresh, "Erase everything")
    assert "erased everything" in ((await penny.reply(ALICE)).text or "")
    assert await penny.count(ALICE) == 0


# --- /export ---


async def test_export_period_and_xlsx(penny: Penny) -> None:
    await penny.say(ALICE, "coffee 4.50")  # 23 Nov 2026
    penny.clock.advance(days=10)  # 3 Dec 2026
    await penny.say(ALICE, "lunch 12")
    reply = await penny.say(ALICE, "/export last month")
    assert reply.document is not None and "2026-11" in reply.document.filename
    rows = csv_rows(reply.document.content)
    assert rows[1:] == [["2026-11-23", "expense", "4.50", "USD", "Food", "coffee"]]
    assert "no transactions to export for" in ((await penny.say(ALICE, "/export 2025")).text or "")
    assert "didn't understand" in ((await penny.say(ALICE, "/export someday")).text or "")

    reply = await penny.say(ALICE, "/export xlsx")
    assert reply.document is not None and reply.document.filename.endswith(".xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(reply.document.content)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["date", "type", "amount", "currency", "category", "note"]
    assert [(v[0].date(), v[2]) for v in values[1:]] == [
        (date(2026, 11, 23), 4.5),
        (date(2026, 12, 3), 12),
    ]


# --- /import ---


async def test_export_import_round_trips_exactly(penny: Penny) -> None:
    for text in (
        "coffee 4.50",
        "uber 320 yesterday",
        "+5000 salary",
        "coffee 4.50",  # the same twice on one day is two transactions, not a duplicate
        "dinner 1200 JPY",
        "rent 15k",
        "refund 20 amazon",  # a refund: type "refund", back into Shopping
    ):
        await penny.say(ALICE, text)
    original = (await penny.say(ALICE, "/export")).document
    assert original is not None
    assert b"refund,20.00,USD,Shopping" in original.content

    preview = await upload(penny, BOB, original.filename, original.content)
    assert "7 transactions" in (preview.text or "") and "22 Nov 2026 – 23 Nov 2026" in (
        preview.text or ""
    )
    assert await penny.count(BOB) == 0  # nothing before the confirmation
    await penny.press(BOB, preview, "Import 7")
    assert "Imported 7" in ((await penny.reply(BOB)).text or "")
    copy = (await penny.say(BOB, "/export")).document
    assert copy is not None and copy.content == original.content
    assert -2000 in [row.amount_minor for row in await penny.rows(BOB)]

    # The same file again: everything is a duplicate; there is no "Import 0" to tap.
    again = await upload(penny, BOB, original.filename, original.content)
    assert "7 already in Penny" in (again.text or "")
    assert "nothing to import" in (again.text or "")
    assert [b.text for b in again.all_buttons()] == ["OK"]
    await penny.press(BOB, again, "OK")
    await penny.reply(BOB)
    assert await penny.count(BOB) == 7


BANK = (
    "Buchungstag;Verwendungszweck;Betrag;Währung\r\n"
    "01.10.2026;REWE Markt;-23,45;EUR\r\n"
    "02.10.2026;Gehalt Oktober;2.500,00;EUR\r\n"
    "03.10.2026;Café Müller;-4,20;EUR\r\n"
).encode("cp1252")


async def test_bank_statement_is_read_previewed_and_imported(penny: Penny) -> None:
    preview = await upload(penny, ALICE, "umsaetze.csv", BANK)
    text = preview.text or ""
    assert "3 transactions" in text and "1 Oct 2026 – 3 Oct 2026" in text
    assert "Expenses: 27.65 EUR" in text and "Income: 2,500.00 EUR" in text
    assert "cp1252" in text and "semicolon" in text and "decimal comma" in text
    assert "dates dd.mm.yyyy" in text
    await penny.press(ALICE, preview, "Import 3")
    assert "Imported 3" in ((await penny.reply(ALICE)).text or "")
    rows = csv_rows((await penny.say(ALICE, "/export")).document.content)  # type: ignore[union-attr]
    assert rows[1] == ["2026-10-01", "expense", "23.45", "EUR", "Groceries", "REWE Markt"]
    assert rows[3] == ["2026-10-03", "expense", "4.20", "EUR", "Food", "Café Müller"]


async def test_unclear_columns_are_asked_with_buttons(penny: Penny) -> None:
    # No header, and two number columns: Penny can't tell which one is the amount.
    content = b"2026-11-01,12.50,3,Coffee\n2026-11-02,40.00,1,Taxi\n"
    ask = await upload(penny, ALICE, "plain.csv", content)
    assert "Which column holds the amount?" in (ask.text or "")
    await penny.press(ALICE, ask, "column 2")
    preview = await penny.reply(ALICE)
    assert "2 transactions" in (preview.text or ""), preview.text
    await penny.press(ALICE, preview, "Import 2")
    await penny.reply(ALICE)
    amounts = sorted(row.amount_minor for row in await penny.rows(ALICE))
    assert amounts == [1250, 4000]


async def test_someone_elses_import_buttons_do_nothing(penny: Penny) -> None:
    preview = await upload(penny, ALICE, "umsaetze.csv", BANK)
    data = preview.button("Import").callback_data or ""
    await penny.say(BOB, "/start")
    await penny.press_data(BOB, preview.message_id, data)
    await penny.wait_idle()
    assert await penny.count(BOB) == 0 and await penny.count(ALICE) == 0


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"date,amount,note\n2026-11-01,4.50,coffee\n2026-13-45,3,tea\n", "line 3"),
        (b"date,amount,note\n2026-11-01,4.50,coffee\n2026-11-02,abc,tea\n", "line 3"),
        (b"date,amount\n2026-11-01,4.50\n2026-11-02\n", "line 3"),
        (b"date,amount,currency\n2026-11-01,4.50,XXQ\n", "line 2"),
    ],
)
async def test_malformed_file_names_the_line_and_imports_nothing(
    penny: Penny, content: bytes, named: str
) -> None:
    reply = await upload(penny, ALICE, "bad.csv", content)
    assert named in (reply.text or "") and "imported nothing" in (reply.text or "")
    assert not reply.buttons
    assert await penny.count(ALICE) == 0


async def test_binary_file_is_refused(penny: Penny) -> None:
    reply = await upload(penny, ALICE, "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    assert "isn't a text CSV" in (reply.text or "") and "Nothing was imported" in (reply.text or "")


@pytest.mark.parametrize(
    ("content", "said"),
    [
        # A cell beyond the csv module's limit (it used to escape in the delimiter guess).
        (b"date,amount,note\n2026-11-01,4.50," + b"x" * 140_000 + b"\n", "longer than 131,072"),
        # UTF-16 with a byte order mark, cut off in the middle of a character.
        ("date,amount\n2026-11-01,4.50\n".encode("utf-16") + b"\x00", "cut off"),
        # A NUL byte past the first 4 KiB: SQLite stored it, PostgreSQL refused the text.
        (
            b"date,amount,note\n" + b"2026-11-01,4.50,coffee\n" * 300 + b"2026-11-02,3,t\x00a\n",
            "line 302 holds a NUL",
        ),
    ],
    ids=["long-cell", "utf16-odd", "nul-late"],
)
async def test_bad_files_get_a_refusal_that_says_why(
    penny: Penny, content: bytes, said: str
) -> None:
    reply = await upload(penny, ALICE, "bad.csv", content)
    assert said in (reply.text or ""), reply.text
    assert "Nothing was imported" in (reply.text or "")
    assert await penny.count(ALICE) == 0
    assert "Saved" in ((await penny.say(ALICE, "coffee 3")).text or "")


async def test_ten_thousand_rows_import_in_seconds(penny: Penny) -> None:
    lines = ["date,type,amount,currency,category,note"]
    for i in range(10_000):
        lines.append(
            f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d},expense,{i % 900 + 1}.25,USD,Food,n{i}"
        )
    content = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    preview = await upload(penny, ALICE, "big.csv", content)
    await penny.press(ALICE, preview, "Import 10000")
    done = await penny.fake.next_reply(ALICE, timeout=30)
    elapsed = time.perf_counter() - started
    assert "Imported 10000" in (done.text or "")
    assert await penny.count(ALICE) == 10_000
    assert elapsed < 15, f"10,000 rows took {elapsed:.1f}s"


# --- penny backup ---


# penny backup is for SQLite (PostgreSQL has pg_dump), so this runs on the SQLite file only.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_backup_while_the_bot_runs(penny: Penny, database_url: str, tmp_path: Path) -> None:
    for n in range(5):
        await penny.say(ALICE, f"coffee {n + 1}")
    target = tmp_path / "backups" / "penny-backup.db"
    size = backup_sqlite(database_url, target)
    assert size > 0
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM transactions").fetchone() == (5,)
    # The command line does the same, with DATABASE_URL from the environment.
    cli_target = tmp_path / "cli.db"
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "backup", str(cli_target)],
        env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Backed up" in result.stdout
    with sqlite3.connect(cli_target) as conn:
        assert conn.execute("SELECT count(*) FROM transactions").fetchone() == (5,)


async def test_deleteme_erases_goals_habits_feedback_invites_and_compare(penny: Penny) -> None:
    bob_invite = (await penny.say(BOB, "/invite")).text or ""
    code = bob_invite.split("?start=")[1].split()[0]
    await penny.say(ALICE, f"/start {code}")  # Alice came through Bob's link
    await penny.say(ALICE, "/budget 3000")
    await penny.say(ALICE, "/goal laptop 100")
    await penny.say(ALICE, "saved 100 for laptop")  # a contribution, points, reached
    await penny.reply(ALICE)
    await penny.say(ALICE, "save 500 a month")
    await penny.say(ALICE, "nothing today")
    await penny.say(ALICE, "/feedback more charts please")
    invite = await penny.say(ALICE, "/invite")
    await penny.press(ALICE, invite, "Show my name")
    await penny.reply(ALICE)
    alice_invite = invite.text or ""
    carol_code = alice_invite.split("?start=")[1].split()[0]
    await penny.say(3003, f"/start {carol_code}")  # Carol came through Alice's
    offer = await penny.say(ALICE, "/compare")
    await penny.press(ALICE, offer, "Join")
    while (await penny.reply(ALICE)).event != "sendMessage":
        pass  # the offer loses its button, then the answer comes
    penny.clock.advance(days=1)
    await penny.say(ALICE, "/balance")  # yesterday is scored: a habit state row
    before = await owned_rows(penny, ALICE)
    for table in ("goals", "goal_contributions", "savings_targets", "habit_days", "points"):
        assert before[table] > 0, table
    for table in ("habit_state", "feedback", "invites", "referrals", "compare_optins"):
        assert before[table] > 0, table

    ask = await penny.say(ALICE, "/deleteme")
    await penny.press(ALICE, ask, "Erase everything")
    await penny.reply(ALICE)
    assert set((await owned_rows(penny, ALICE)).values()) == {0}
    async with penny.app.bot_data[BOT_DATA_KEY].sessions() as session:
        # Neither "Alice came through Bob" nor "Carol came through Alice" is left.
        assert (await session.execute(select(Referral))).all() == []
    assert "joined" not in ((await penny.say(BOB, "/invite")).text or "")
    # Coming back through Bob's link later is a new account, counted once.
    await penny.say(ALICE, f"/start {code}")
    assert "1 joined" in ((await penny.say(BOB, "/invite")).text or "")


async def test_export_json_holds_everything_of_the_user_and_nothing_of_others(
    penny: Penny,
) -> None:
    import json

    from models.account_data import SKIPPED

    await penny.say(ALICE, "coffee 4.50")
    await penny.say(ALICE, "/budget food 300")
    await penny.say(ALICE, "/goal laptop 1200 by june")
    await penny.say(ALICE, "saved 100 for laptop")
    await penny.say(ALICE, "/feedback more charts please")
    await penny.say(BOB, "taxi 99")
    reply = await penny.say(ALICE, "/export json")
    assert reply.document is not None and reply.document.filename.endswith(".json")
    assert "Everything Penny stores about you" in (reply.text or "")
    tables = json.loads(reply.document.content)["tables"]
    # Every table that holds users' rows is there (found from the schema), but the skipped.
    keyed = {t.name for t in Base.metadata.sorted_tables if "user_id" in t.c or t.name == "users"}
    assert set(tables) == keyed - SKIPPED
    assert [u["id"] for u in tables["users"]] == [ALICE]
    assert [(t["amount_minor"], t["note"]) for t in tables["transactions"]] == [(450, "coffee")]
    assert [g["name"] for g in tables["goals"]] == ["laptop"]
    assert [c["amount_minor"] for c in tables["goal_contributions"]] == [10000]
    assert [f["text"] for f in tables["feedback"]] == ["more charts please"]
    assert [b["amount_minor"] for b in tables["budgets"]] == [30000]
    assert all(row.get("user_id", ALICE) == ALICE for rows in tables.values() for row in rows)
    assert "taxi" not in reply.document.content.decode()  # Bob's taxi is his alone
    assert "takes no period" in (await penny.say(ALICE, "/export json last month")).text
