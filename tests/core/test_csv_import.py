"""The pure CSV reader: encodings, delimiters, headers, dates and decimal styles as tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.csv_import import (
    EmptyFile,
    Mapping,
    NotText,
    decode,
    detect_date_format,
    detect_decimal,
    detect_mapping,
    parse_money,
    parse_rows,
    read_table,
    sniff_delimiter,
)
from bot.core.exporting import ExportArgsError, parse_export_args
from bot.core.periods import Period

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (b"date,note\n", "utf-8", "date,note\n"),
        ("\ufeffdate,café\n".encode(), "utf-8", "date,café\n"),
        ("date;Café\n".encode("cp1252"), "cp1252", "date;Café\n"),
        ("date,note €\n".encode("utf-16"), "utf-16", "date,note €\n"),
        (b"date,\x81\x8d\n", "latin-1", "date,\x81\x8d\n"),
    ],
)
def test_decode(data: bytes, encoding: str, text: str) -> None:
    assert decode(data) == (text, encoding)


def test_binary_is_not_text() -> None:
    with pytest.raises(NotText):
        decode(b"PK\x03\x04\x00\x00binary")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1,5;2;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('date,note\n2026-01-01,"a; b; c"\n', ","),
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize(
    ("values", "month_first", "expected"),
    [
        (["2026-11-01", "2026-11-30"], False, "%Y-%m-%d"),
        (["01.11.2026", "30.11.2026"], False, "%d.%m.%Y"),
        (["11/30/2026", "12/01/2026"], False, "%m/%d/%Y"),
        (["30/11/2026", "01/12/2026"], False, "%d/%m/%Y"),
        (["01/02/2026", "03/04/2026"], False, "%d/%m/%Y"),
        (["01/02/2026", "03/04/2026"], True, "%m/%d/%Y"),
        (["2026-11-01T10:30:00", "2026-11-02 08:00"], False, "%Y-%m-%d"),
        (["5 Nov 2026", "12 Dec 2026"], False, "%d %b %Y"),
        (["20261101"], False, "%Y%m%d"),
    ],
)
def test_detect_date_format(values: list[str], month_first: bool, expected: str) -> None:
    assert detect_date_format(values, month_first=month_first) == expected


@pytest.mark.parametrize(
    ("values", "delimiter", "decimal"),
    [
        (["4.50", "1,234.56"], ",", "."),
        (["4,50", "1.234,56"], ";", ","),
        (["-23,45", "2.500,00"], ";", ","),
        (["1,234", "2,500"], ",", "."),
        (["12", "40"], ";", ","),
        (["12", "40"], ",", "."),
    ],
)
def test_detect_decimal(values: list[str], delimiter: str, decimal: str) -> None:
    assert detect_decimal(values, delimiter) == decimal


@pytest.mark.parametrize(
    ("text", "decimal", "amount"),
    [
        ("4.50", ".", Decimal("4.50")),
        ("-1,234.56", ".", Decimal("-1234.56")),
        ("1.234,56", ",", Decimal("1234.56")),
        ("(12.00)", ".", Decimal("-12.00")),
        ("12.00-", ".", Decimal("-12.00")),
        ("€ 12,5", ",", Decimal("12.5")),
        ("12.50 USD", ".", Decimal("12.50")),
        ("1 234,56", ",", Decimal("1234.56")),
        ("−7", ".", Decimal("-7")),
        ("+5000", ".", Decimal("5000")),
        ("abc", ".", None),
        ("", ".", None),
        ("1.2.3", ".", None),
    ],
)
def test_parse_money(text: str, decimal: str, amount: Decimal | None) -> None:
    assert parse_money(text, decimal) == amount


@pytest.mark.parametrize(
    ("content", "roles"),
    [
        (
            b"date,type,amount,currency,category,note\n2026-11-01,expense,4.50,USD,Food,coffee\n",
            {"date": 0, "type": 1, "amount": 2, "currency": 3, "category": 4, "note": 5},
        ),
        (
            b"Posting Date,Description,Debit,Credit,Balance\n01/15/2026,COFFEE,4.50,,100\n",
            {"date": 0, "note": 1, "debit": 2, "credit": 3, "amount": None},
        ),
        (
            b"Transaction Date;Amount (EUR);Memo\n01.10.2026;-4,50;Kaffee\n",
            {"date": 0, "amount": 1, "note": 2},
        ),
        (b"2026-11-01,-4.50,Coffee shop\n", {"date": 0, "amount": 1, "note": 2}),
        (b"2026-11-01,4.50,2,Coffee\n", {"date": 0, "amount": None, "note": 3}),
    ],
)
def test_detect_mapping(content: bytes, roles: dict[str, int | None]) -> None:
    mapping = detect_mapping(read_table(content))
    assert {role: getattr(mapping, role) for role in roles} == roles


def test_rows_become_transactions_with_signs_types_and_guessed_categories() -> None:
    table = read_table(
        b"Posting Date,Description,Debit,Credit\n"
        b"01/15/2026,STARBUCKS,4.50,\n"
        b"01/16/2026,PAYROLL,,1500.00\n"
    )
    mapping = detect_mapping(table, month_first=True)
    items, errors = parse_rows(table, mapping, default_currency="USD")
    assert errors == []
    assert [(i.occurred_on, i.kind, i.amount, i.currency, i.note) for i in items] == [
        (date(2026, 1, 15), "expense", Decimal("4.50"), "USD", "STARBUCKS"),
        (date(2026, 1, 16), "income", Decimal("1500.00"), "USD", "PAYROLL"),
    ]
    assert items[0].category == "Food"


def test_bad_rows_are_all_reported_by_line() -> None:
    table = read_table(
        b"date,amount,currency\n"
        b"2026-11-01,4.50,USD\n"
        b"\n"
        b"2026-11-99,1,USD\n"
        b"2026-11-02,0,USD\n"
        b"2026-11-03,1.234,USD\n"
        b"2026-11-04,5,ZZZ\n"
    )
    items, errors = parse_rows(table, detect_mapping(table), default_currency="USD")
    assert len(items) == 1
    # The zero on line 5 is not a transaction (a card hold): left out, not an error.
    assert [e.line for e in errors] == [4, 6, 7]
    assert "date" in errors[0].message
    assert "decimal" in errors[1].message and "currency" in errors[2].message


def test_mapping_survives_json() -> None:
    mapping = Mapping(date=0, amount=2, note=1, date_format="%d.%m.%Y", decimal=",")
    assert Mapping.from_json(mapping.to_json()) == mapping


def test_header_only_file_is_empty() -> None:
    with pytest.raises(EmptyFile):
        read_table(b"date,amount\n\n")


@pytest.mark.parametrize(
    ("args", "fmt", "period"),
    [
        ([], "csv", None),
        (["xlsx"], "xlsx", None),
        (["last", "month"], "csv", Period(date(2026, 10, 1), date(2026, 11, 1))),
        (["xlsx", "2026-10"], "xlsx", Period(date(2026, 10, 1), date(2026, 11, 1))),
        (["2025"], "csv", Period(date(2025, 1, 1), date(2026, 1, 1))),
    ],
)
def test_export_args(args: list[str], fmt: str, period: Period | None) -> None:
    request = parse_export_args(args, TODAY)
    assert (request.format, request.period) == (fmt, period)


def test_export_args_reject_nonsense() -> None:
    with pytest.raises(ExportArgsError):
        parse_export_args(["someday"], TODAY)
