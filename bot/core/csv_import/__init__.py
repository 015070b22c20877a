"""Reading a CSV someone else wrote: encoding, delimiter, columns, dates and decimals. Pure.

The file is Penny's own export or a bank statement. Nothing here touches Telegram or the
database: ``read_table`` turns bytes into rows (:mod:`.table`), ``detect_mapping`` guesses which
column is what (:mod:`.columns`), and ``parse_rows`` turns rows into transactions (:mod:`.rows`),
returning ``(items, errors)`` so a bad file can be reported line by line and imported not at all.
"""

from bot.core.csv_import import jobs
from bot.core.csv_import.columns import Mapping, detect_mapping, with_formats
from bot.core.csv_import.rows import ImportRow, RowError, dedupe_key, parse_rows
from bot.core.csv_import.table import (
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_NOTE,
    MAX_ROWS,
    CutOff,
    EmptyFile,
    ImportFileError,
    NotText,
    Table,
    TooLarge,
    TooWide,
    decode,
    read_table,
    sniff_delimiter,
    split_text,
)
from bot.core.csv_import.values import detect_date_format, detect_decimal, parse_date, parse_money

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_NOTE",
    "MAX_ROWS",
    "CutOff",
    "EmptyFile",
    "ImportFileError",
    "ImportRow",
    "Mapping",
    "NotText",
    "RowError",
    "Table",
    "TooLarge",
    "TooWide",
    "decode",
    "dedupe_key",
    "detect_date_format",
    "detect_decimal",
    "detect_mapping",
    "jobs",
    "parse_date",
    "parse_money",
    "parse_rows",
    "read_table",
    "sniff_delimiter",
    "split_text",
    "with_formats",
]
