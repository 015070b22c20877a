"""Issue 14: real bank and finance-app statements imported through the running bot.

Each file in ``../shared/bank_statements`` (never copied here) is sent by a fresh user with the
file's currency and time zone; when Penny asks for a column, the user taps the one the manifest
names; then Import. What the database holds must match the manifest: the number of
transactions, money out and in, and the date range (``tests/support/bank_statements.py``).
"""

from __future__ import annotations

from typing import Any

from bot.core.money import from_minor
from bot.offline.server import BotMessage
from tests.support.bank_statements import Outcome, manifest, statements_dir
from tests.support.harness import Penny

FIRST_USER = 810_000
QUESTIONS = {
    "Which column holds the date?": ("date",),
    "Which column holds the amount?": ("amount", "debit"),
    "Which column holds money out?": ("debit",),
    "Which column holds money in?": ("credit",),
    "Which column describes the transaction?": ("note",),
}


def _pick(message: BotMessage, entry: dict[str, Any]) -> str | None:
    """The button the user taps for Penny's question: the manifest's column, by its header."""
    text = message.text or ""
    for question, roles in QUESTIONS.items():
        if not text.startswith(question):
            continue
        for role in roles:
            if role in entry["columns"]:
                # The manifest's column by its index (a file without a header has no names).
                wanted = int(entry["columns"][role][0])
                for button in message.all_buttons():
                    data = button.callback_data or ""
                    if data.startswith("imc:") and int(data.rsplit(":", 1)[1]) == wanted:
                        return data
                if role == "debit":  # the amount is two columns: say so first
                    for button in message.all_buttons():
                        if button.text.startswith("Two columns"):
                            return button.callback_data
        return None
    return None


async def _import(penny: Penny, user: int, entry: dict[str, Any], content: bytes) -> str:
    """Import the file as the user would; "" when it was imported, else what went wrong."""
    locale = entry["locale"]
    await penny.say(user, f"/currency {locale['currency']}")
    await penny.say(user, f"/timezone {locale['timezone']}")
    await penny.fake.send_document(user, entry["file"], content)
    message = await penny.fake.next_reply(user, timeout=60)
    for _ in range(8):  # a question per column at most
        if "✅ Import" in " ".join(b.text for b in message.all_buttons()):
            await penny.press(user, message, "✅ Import")
            done = await penny.fake.next_reply(user, timeout=60)
            return "" if "Imported" in (done.text or "") else f"confirming said {done.text!r}"
        data = _pick(message, entry)
        if data is None:
            return f"stopped at {(message.text or '')[:300]!r}"
        await penny.press_data(user, message.message_id, data)
        message = await penny.fake.next_reply(user, timeout=60)
    return "too many questions"


async def test_every_real_statement_imports_as_its_manifest_says(penny: Penny) -> None:
    folder = statements_dir()
    misses: list[str] = []
    entries = manifest(folder)
    for offset, entry in enumerate(entries):
        user = FIRST_USER + offset
        why = await _import(penny, user, entry, (folder / entry["file"]).read_bytes())
        rows = [
            (row.kind, from_minor(row.amount_minor, row.currency), row.occurred_on)
            for row in await penny.rows(user)
        ]
        got, want = Outcome.of(rows), Outcome.expected(entry)
        if why or got != want:
            misses.append(f"{entry['file']}: {why or f'got {got}, want {want}'}")
    report = f"{len(entries) - len(misses)} of {len(entries)} statements imported exactly"
    print("\n".join([report, *misses]))
    assert not misses, "\n".join([report, *misses])


GERMAN = (
    '"Kontonummer:";"DE99 / Girokonto";\n\n"Von:";"01.10.2026";\n"Bis:";"31.10.2026";\n\n'
    '"Buchungstag";"Wertstellung";"Auftraggeber / Begünstigter";"Verwendungszweck";'
    '"Betrag (EUR)";\n'
    '"01.10.2026";"01.10.2026";"REWE Markt";"REWE SAGT DANKE";"-23,45";\n'
    '"02.10.2026";"02.10.2026";"Arbeitgeber GmbH";"Gehalt Oktober";"2.500,00";\n'
    '"30.09.2026";"30.09.2026";"Sparkasse";"Abschluss";"0,00";\n'
    '"";"";"";"Kontostand";"5.000,01";\n'
).encode("cp1252")


async def test_a_german_statement_with_a_preamble_says_what_it_left_out(penny: Penny) -> None:
    user = FIRST_USER - 1
    await penny.say(user, "/currency EUR")
    await penny.fake.send_document(user, "umsaetze.csv", GERMAN)
    preview = await penny.fake.next_reply(user, timeout=60)
    text = preview.text or ""
    print(text)
    assert "2 transactions" in text and "1 Oct 2026 – 2 Oct 2026" in text, text
    assert "1 row with a zero amount" in text and "1 row without a date" in text, text
    assert "Skipped 3 lines about the account before the header" in text, text
    assert "Expenses: 23.45 EUR" in text and "Income: 2,500.00 EUR" in text, text
    await penny.press(user, preview, "✅ Import 2")
    assert "Imported 2" in ((await penny.reply(user)).text or "")
    assert sorted(row.note for row in await penny.rows(user)) == ["Arbeitgeber GmbH", "REWE Markt"]


async def test_money_out_and_in_can_be_picked_as_two_columns(penny: Penny) -> None:
    user = FIRST_USER - 2
    await penny.say(user, "/currency EUR")
    content = b"Datum;Text;Ausgabe;Einnahme\n01.10.2026;REWE;23,45;\n02.10.2026;Gehalt;;2.500,00\n"
    await penny.fake.send_document(user, "haushalt.csv", content)
    ask = await penny.fake.next_reply(user, timeout=60)
    assert (ask.text or "").startswith("Which column holds the amount?"), ask.text
    await penny.press(user, ask, "Two columns")
    ask = await penny.reply(user)
    assert (ask.text or "").startswith("Which column holds money out?"), ask.text
    await penny.press(user, ask, "Ausgabe")
    ask = await penny.reply(user)
    assert (ask.text or "").startswith("Which column holds money in?"), ask.text
    assert "Ausgabe" not in [b.text for b in ask.all_buttons()]
    await penny.press(user, ask, "Einnahme")
    preview = await penny.reply(user)
    text = preview.text or ""
    assert "Expenses: 23.45 EUR" in text and "Income: 2,500.00 EUR" in text, text
    await penny.press(user, preview, "✅ Import 2")
    assert "Imported 2" in ((await penny.reply(user)).text or "")
    assert sorted((r.kind, r.amount_minor) for r in await penny.rows(user)) == [
        ("expense", 2345),
        ("income", 250000),
    ]


AMEX = (
    b"Date,Description,Amount\n"
    b"11/03/2026,WHOLE FOODS MARKET,142.37\n"
    b"11/05/2026,AUTOPAY PAYMENT RECEIVED - THANK YOU,-1500.00\n"
    b"11/06/2026,SHELL OIL 5744,45.10\n"
    b"11/08/2026,AMAZON MARKETPLACE,-25.99\n"
)


async def test_a_card_statement_leaves_its_payment_out_and_files_the_return(
    penny: Penny,
) -> None:
    user = FIRST_USER - 3
    await penny.say(user, "/timezone America/New_York")  # 11/03 is 3 November
    await penny.fake.send_document(user, "amex.csv", AMEX)
    preview = await penny.fake.next_reply(user, timeout=60)
    text = preview.text or ""
    print(text)
    assert "3 transactions" in text and "1 payment to the card" in text, text
    assert "Read as a card statement: charges are +" in text, text
    assert "Expenses: 161.48 USD" in text, text  # 142.37 + 45.10 − 25.99 given back
    await penny.press(user, preview, "✅ Import 3")
    assert "Imported 3" in ((await penny.reply(user)).text or "")
    stored = {(row.note, row.kind, row.amount_minor) for row in await penny.rows(user)}
    assert ("AMAZON MARKETPLACE", "expense", -2599) in stored
    assert not any("PAYMENT" in note for note, _, _ in stored)
