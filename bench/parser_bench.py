"""Parser throughput on one core: messages per second with and without a date phrase.

Run as ``python bench/parser_bench.py`` (``make bench``). Prints one line per message mix.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.parsing import parse_message, warm_up

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))

PLAIN = [
    "coffee 4.50",
    "spent 250 on food",
    "$12.50 lunch",
    "+5000 salary",
    "electricity bill 1,250",
    "rent 15k",
    "taxi 12, lunch 18",
    "hello",
    "how does this work?",
    "Rs.500/- medicines",
    "groceries 2000 JPY",
    "1,23,456 car loan",
]
DATED = [
    "uber 320 yesterday",
    "dinner 40 last friday",
    "books 30 3 nov",
    "movie 15 15/11",
    "gym 50 on the 5th",
    "lunch 15 2 days ago",
    "hotel 200 2026-11-01",
    "taxi 12 a fortnight ago",
]
DATEPARSER = ["dinner 30 3rd of last month", "coffee 3 in june", "taxi 5 next friday"]


def rate(messages: list[str], seconds: float = 1.0) -> float:
    """Messages parsed per CPU second (process time, so other load on the machine matters less)."""
    count = 0
    start = time.process_time()
    deadline = start + seconds
    while time.process_time() < deadline:
        for text in messages:
            parse_message(text, now=NOW)
        count += len(messages)
    return count / (time.process_time() - start)


def main() -> None:
    warm_up()
    for name, messages in (
        ("no date phrase", PLAIN),
        ("with a date phrase", DATED),
        ("date left to dateparser", DATEPARSER),
    ):
        print(f"{name:26} {rate(messages):>10,.0f} msgs/s")


if __name__ == "__main__":
    main()
