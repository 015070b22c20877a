"""Issue 14: the ways real statements broke the import, each on a small file written here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.csv_import import detect_mapping, parse_money, read_table
from bot.core.csv_import.rows import Skipped, read_rows


def _read(content: bytes, currency: str = "EUR", month_first: bool = False):  # type: ignore[no-untyped-def]
    table = read_table(content)
    mapping = detect_mapping(table, month_first=month_first, currency=currency)
    return table, mapping, read_rows(table, mapping, default_currency=currency)


def _kinds(items):  # type: ignore[no-untyped-def]
    return [(i.kind, i.amount) for i in items]


def test_lines_before_a_german_header_are_skipped_and_its_words_known() -> None:
    content = (
        '"Kontonummer:";"DE12 / Girokonto";\n\n"Von:";"01.01.2026";\n'
        '"Kontostand vom 31.12.2025:";"5.000,01 EUR";\n\n'
        '"Buchungstag";"Wertstellung";"Auftraggeber / Begünstigter";"Betrag (EUR)";\n'
        '"16.01.2026";"16.01.2026";"REWE";"-15,37";\n'
        '"17.01.2026";"17.01.2026";"Arbeitgeber GmbH";"2.500,00";\n'
    ).encode("latin-1")
    table, mapping, parsed = _read(content)
    assert table.preamble == 3 and table.header is not None
    assert (mapping.date, mapping.amount, mapping.note) == (0, 3, 2)
    assert parsed.errors == []
    assert _kinds(parsed.items) == [("expense", Decimal("15.37")), ("income", Decimal("2500.00"))]
    assert parsed.items[0].note == "REWE"


def test_a_trailer_and_a_blank_first_line_before_a_tab_header() -> None:
    content = (
        b"\nState Bank - Account Statement\nA/c No: XX4567\n\n"
        b"Txn Date\tDescription\tDebit\tCredit\tBalance\n"
        b"03-Jan-26\tSWIGGY\t450.00\t0.00\t48550.00\n"
        b"07-Jan-26\tSALARY\t0.00\t78000.00\t126550.00\n"
        b"\nTotal Debits: 450.00  Total Credits: 78000.00\n"
    )
    _, mapping, parsed = _read(content, "INR")
    assert (mapping.debit, mapping.credit) == (2, 3)
    assert parsed.errors == [] and parsed.skipped == Skipped(0, 1)
    assert _kinds(parsed.items) == [("expense", Decimal("450.00")), ("income", Decimal("78000.00"))]


def test_zero_amount_rows_are_skipped_and_counted() -> None:
    content = (
        b"Date,Description,Amount\n2026-01-06,Google *temporary Hold,0.00\n2026-01-07,Rimi,-21.58\n"
    )
    _, _, parsed = _read(content)
    assert parsed.errors == [] and parsed.skipped == Skipped(1, 0)
    assert _kinds(parsed.items) == [("expense", Decimal("21.58"))]


def test_rows_without_a_date_and_balance_lines_are_not_transactions() -> None:
    content = (
        b"Date;Text;Amount\n"
        b"01.10.2026;Anfangssaldo;\n"  # a dated balance line without an amount
        b";pending card payment;-4,00\n"
        b"offen;Kartenzahlung REWE;-9,99\n"  # Comdirect's pending rows
        b"Saldo;;1.234,00\n"
        b"02.10.2026;Kaffee;-3,20\n"
        b"03.10.2026;Tee;\n"  # a transaction without its amount is still an error
    )
    _, _, parsed = _read(content)
    assert parsed.skipped == Skipped(0, 4)
    assert [e.line for e in parsed.errors] == [7]
    assert _kinds(parsed.items) == [("expense", Decimal("3.20"))]


@pytest.mark.parametrize(
    ("header", "out", "into"),
    [
        ("Af Bij", "Af", "Bij"),
        ("D/K", "D", "K"),
        ("Details", "DEBIT", "CREDIT"),
        ("Dr/Cr", "DR", "CR"),
    ],
)
def test_direction_columns_say_which_way_unsigned_amounts_went(
    header: str, out: str, into: str
) -> None:
    content = (
        f"Datum,Naam / Omschrijving,{header},Bedrag (EUR)\n"
        f'20200213,Kosten,{out},"1,25"\n20200214,Terugbetaling vriend,{into},"20,00"\n'
    ).encode()
    _, mapping, parsed = _read(content)
    assert mapping.type == 2 and mapping.amount == 3
    assert _kinds(parsed.items) == [("expense", Decimal("1.25")), ("income", Decimal("20.00"))]


def test_a_type_column_word_beats_the_sign_but_payment_does_not() -> None:
    content = (
        b"Datetime,Type,Note,Amount (total),Amount (fee)\n"
        b'2017-09-06T05:10:45,Payment,Rent,"+ $1,150.00",\n'
        b"2017-09-07T05:10:45,Payment,Bagels,- $3.00,\n"
        b"2017-09-08T05:10:45,debit,Fee,4.00,\n"
    )
    _, mapping, parsed = _read(content, "USD")
    assert mapping.amount == 3
    assert _kinds(parsed.items) == [
        ("income", Decimal("1150.00")),
        ("expense", Decimal("3.00")),
        ("expense", Decimal("4.00")),
    ]


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        (
            "Kontonummer;Text;Datum;Währung;Soll;Haben",
            "1;Zinsen;31.12.2013;EUR;0,00;12,23\n1;Auszahlung;27.08.2013;EUR;1.500,00;0,00\n",
        ),
        (
            "Transaction date;Description;Withdrawals (SGD);Deposits (SGD)",
            "31.12.2013;Zinsen;;12,23\n27.08.2013;Auszahlung;1.500,00;\n",
        ),
    ],
)
def test_debit_and_credit_columns_under_other_names(header: str, rows: str) -> None:
    _, mapping, parsed = _read(f"{header}\n{rows}".encode("latin-1"))
    assert mapping.debit is not None and mapping.credit is not None and mapping.amount is None
    assert parsed.errors == []
    assert _kinds(parsed.items) == [("income", Decimal("12.23")), ("expense", Decimal("1500.00"))]


def test_a_header_cell_ending_in_digits_is_still_a_header() -> None:
    content = b'"Datum","Bedrag","Omschrijving-1"\n"2018-03-01","-337,49","RENTE LENING"\n'
    table, mapping, parsed = _read(content)
    assert table.header == ["Datum", "Bedrag", "Omschrijving-1"]
    assert (mapping.date, mapping.amount, mapping.note) == (0, 1, 2)
    assert _kinds(parsed.items) == [("expense", Decimal("337.49"))]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("- $220.00", Decimal("-220.00")),
        ("+ £1,100.00", Decimal("1100.00")),
        ("$-5.00", Decimal("-5.00")),
        ("د.ا.\u200f4.750", Decimal("4.750")),
        ("1,234.50 CR", Decimal("1234.50")),
        ("500.00 Dr", Decimal("-500.00")),
        ("Omschrijving-1", None),
        ("Betrag", None),
    ],
)
def test_amount_forms(text: str, amount: Decimal | None) -> None:
    assert parse_money(text, ".") == amount


def test_three_decimal_currencies_read_their_decimals() -> None:
    content = (
        "Date,Description,Amount\n2026-01-02,Carrefour,د.ا.\u200f4.750\n2026-01-03,Taxi,-12.500\n"
    )
    _, mapping, parsed = _read(content.encode(), "JOD")
    assert mapping.decimal == "."
    assert [i.amount for i in parsed.items] == [Decimal("4.750"), Decimal("12.500")]
    _, mapping, _ = _read(b"Date,Description,Amount\n2026-01-03,Taxi,-12.500\n", "EUR")
    assert mapping.decimal == ","  # elsewhere three digits after a mark are thousands


def test_a_refund_by_its_note_is_money_back_not_income() -> None:
    content = (
        b'Date,Amount,Description\n2018-12-06,"-8,78",CLOUDFLARE\n'
        b'2018-12-07,"8,78",Refund: CLOUDFLARE\n'
    )
    _, _, parsed = _read(content)
    assert [(i.occurred_on, i.kind, i.amount) for i in parsed.items] == [
        (date(2018, 12, 6), "expense", Decimal("8.78")),
        (date(2018, 12, 7), "expense", Decimal("-8.78")),
    ]


AMEX = (
    b"Date,Description,Amount\n"
    b"11/03/2026,WHOLE FOODS MARKET,142.37\n"
    b"11/05/2026,AUTOPAY PAYMENT RECEIVED - THANK YOU,-1500.00\n"
    b"11/06/2026,SHELL OIL 5744,45.10\n"
    b"11/08/2026,AMAZON MARKETPLACE,-25.99\n"
)


def test_a_card_statement_with_charges_positive_leaves_the_payment_out() -> None:
    _, _, parsed = _read(AMEX, "USD", month_first=True)
    assert parsed.card is not None and parsed.card.charges_positive
    assert parsed.skipped.payments == 1 and parsed.errors == []
    assert [(i.note, i.kind, i.amount) for i in parsed.items] == [
        ("WHOLE FOODS MARKET", "expense", Decimal("142.37")),
        ("SHELL OIL 5744", "expense", Decimal("45.10")),
        ("AMAZON MARKETPLACE", "expense", Decimal("-25.99")),  # a return: a refund
    ]


def test_a_card_statement_with_charges_negative_and_type_words() -> None:
    content = (
        b"Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n"
        b"11/03/2026,11/04/2026,STARBUCKS,Food & Drink,Sale,-4.50,\n"
        b"11/05/2026,11/05/2026,Payment Thank You-Mobile,,Payment,1500.00,\n"
        b"11/07/2026,11/08/2026,TARGET,Shopping,Return,12.00,\n"
    )
    _, _, parsed = _read(content, "USD", month_first=True)
    assert parsed.card is not None and not parsed.card.charges_positive
    assert parsed.skipped.payments == 1
    assert [(i.kind, i.amount) for i in parsed.items] == [
        ("expense", Decimal("4.50")),
        ("expense", Decimal("-12.00")),
    ]


def test_a_bank_account_paying_its_card_is_money_out() -> None:
    content = b"Date,Description,Amount\n2016-03-18,Payment to Chase card ending in 1234,-2680.89\n"
    _, _, parsed = _read(content, "USD")
    assert parsed.card is None
    assert _kinds(parsed.items) == [("expense", Decimal("2680.89"))]


def test_likely_duplicates_need_the_amount_a_near_date_and_a_word_of_the_note() -> None:
    from collections import Counter

    from bot.core.csv_import.duplicates import split_duplicates

    _, _, parsed = _read(
        b"Date,Description,Amount\n"
        b"2026-11-04,WHOLE FOODS MARKET,-142.37\n"
        b"2026-11-04,SHELL,-142.37\n"  # another payee
        b"2026-11-09,WHOLE FOODS MARKET,-142.37\n"  # six days later
        b"2026-11-05,UBER,-12.00\n",
        "USD",
    )
    stored = Counter(
        {
            (date(2026, 11, 3), "expense", 14237, "USD", "Whole Foods"): 1,
            (date(2026, 11, 5), "expense", 1200, "USD", ""): 1,  # typed without a note
        }
    )
    split = split_duplicates(parsed.items, stored)
    assert split.exact == 0
    assert [(x.row.note, x.typed_on) for x in split.likely] == [
        ("WHOLE FOODS MARKET", date(2026, 11, 3)),
        ("UBER", date(2026, 11, 5)),
    ]
    assert [i.note for i in split.fresh] == ["SHELL", "WHOLE FOODS MARKET"]


def test_an_amex_file_without_a_payment_is_still_a_card_statement() -> None:
    content = (
        b"Date,Description,Card Member,Account #,Amount\n"
        b"11/03/2026,WHOLE FOODS MARKET,JANE DOE,-41004,142.37\n"
        b"11/08/2026,AMAZON MARKETPLACE,JANE DOE,-41004,-25.99\n"
    )
    _, _, parsed = _read(content, "USD", month_first=True)
    assert parsed.card is not None and parsed.card.charges_positive
    assert _kinds(parsed.items) == [("expense", Decimal("142.37")), ("expense", Decimal("-25.99"))]


def test_arabic_headers_digits_and_a_three_decimal_currency() -> None:
    content = (
        "التاريخ,الوصف,المبلغ,الرصيد\n"
        "٢٠٢٤/٠١/٠٥,كارفور,\u200fد.ك.\u200f -٤٫٧٥٠,١٠٠٫٠٠٠\n"
        "٢٠٢٤/٠١/٠٦,راتب,\u200fد.ك.\u200f ٥٠٠٫٠٠٠,٦٠٠٫٠٠٠\n"
    ).encode()
    _, mapping, parsed = _read(content, "KWD")
    assert (mapping.date, mapping.note, mapping.amount) == (0, 1, 2)
    assert [(i.occurred_on, i.kind, i.amount) for i in parsed.items] == [
        (date(2024, 1, 5), "expense", Decimal("4.750")),
        (date(2024, 1, 6), "income", Decimal("500.000")),
    ]


def test_the_day_of_the_purchase_beats_the_value_date() -> None:
    content = (
        b"S No.,Value Date,Transaction Date,Transaction Remarks,Withdrawal Amount (INR ),"
        b"Deposit Amount (INR ),Balance (INR )\n"
        b"1,02/01/2026,31/12/2025,UPI/SWIGGY,450.00,0.00,1000.00\n"
    )
    _, mapping, parsed = _read(content, "INR")
    assert (mapping.date, mapping.note, mapping.debit, mapping.credit) == (2, 3, 4, 5)
    assert [i.occurred_on for i in parsed.items] == [date(2025, 12, 31)]


def test_screaming_bank_categories_are_written_as_people_do() -> None:
    content = (
        b"Date,Counter Party,Amount (GBP),Spending Category\n"
        b"02/11/2026,PRET,-4.10,EATING_OUT\n"
        b"02/11/2026,QWERTY,-30.00,ZORBLAX_QUUX\n"
    )
    _, _, parsed = _read(content, "GBP")
    assert [i.category for i in parsed.items] == ["Food", "Zorblax Quux"]


def test_a_description_running_on_to_the_next_line_is_joined_to_its_row() -> None:
    content = (
        b"Account details for:,Statement Account 123-456789-001\n"
        b'Available Balance,"1,234.56"\n\n'
        b"Transaction date,Value date,Description,Withdrawals (SGD),Deposits (SGD)\n"
        b"01/03/2019,01/03/2019,DEBIT PURCHASE,5.00,\n"
        b",,xx-1234 KOPITIAM SINGAPORE SG,,\n"
        b'02/03/2019,02/03/2019,SALARY,,"3,000.00"\n'
    )
    _, _, parsed = _read(content, "SGD")
    assert parsed.skipped.continued == 1 and parsed.errors == []
    assert [(i.note, i.kind, i.amount) for i in parsed.items] == [
        ("DEBIT PURCHASE xx-1234 KOPITIAM SINGAPORE SG", "expense", Decimal("5.00")),
        ("SALARY", "income", Decimal("3000.00")),
    ]


def test_declined_and_reverted_rows_are_not_transactions() -> None:
    content = (
        b"Type,Started Date,Description,Amount,Currency,State\n"
        b"CARD_PAYMENT,2022-01-06 15:08:08,Rimi,-21.58,EUR,COMPLETED\n"
        b"CARD_PAYMENT,2022-01-07 15:08:08,Shop,-9.99,EUR,DECLINED\n"
        b"CARD_PAYMENT,2022-01-08 15:08:08,Shop,-9.99,EUR,REVERTED\n"
        b"CARD_PAYMENT,2022-01-09 15:08:08,store,-44.57,EUR,PENDING\n"
    )
    _, _, parsed = _read(content)
    assert parsed.skipped.failed == 2
    assert [i.note for i in parsed.items] == ["Rimi", "store"]


@pytest.mark.parametrize(
    ("text", "amount"), [("$ (12.00)", Decimal("-12.00")), ("EUR(5)", Decimal("-5"))]
)
def test_parentheses_after_a_currency_are_negative(text: str, amount: Decimal) -> None:
    assert parse_money(text, ".") == amount


def test_times_with_a_spaced_offset_or_utc_are_cut_off() -> None:
    from bot.core.csv_import.values import parse_date

    assert parse_date("2024-01-05 10:00:00 +0100", "%Y-%m-%d") == date(2024, 1, 5)
    assert parse_date("05/01/2024 23:59 UTC", "%d/%m/%Y") == date(2024, 1, 5)
