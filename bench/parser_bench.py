"""Parser throughput on one core: messages per second with and without a date phrase.

Run as ``python bench/parser_bench.py`` (``make bench``). Prints one line per message mix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.parsing import dates, parse_message, warm_up

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


def rate(messages: list[str], seconds: float = 1.0, *, cached: bool = True) -> float:
    """Messages parsed per CPU second (process time, so other load on the machine matters less).

    dateparser's answers are cached per fragment; ``cached=False`` clears that cache before
    each message, so every fragment is asked afresh (a new user's first "3rd of last month").
    """
    count = 0
    start = time.process_time()
    deadline = start + seconds
    while time.process_time() < deadline:
        for text in messages:
            if not cached:
                dates.clear_cache()
            parse_message(text, now=NOW)
        count += len(messages)
    return count / (time.process_time() - start)


def first_parse_ms() -> tuple[float, float]:
    """(warm-up time, first parse after warm-up) in ms, each in a fresh interpreter."""
    code = (
        "import time\n"
        "from datetime import datetime\n"
        "from zoneinfo import ZoneInfo\n"
        "from bot.core.parsing import parse_message, warm_up\n"
        "now = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo('UTC'))\n"
        "t = time.perf_counter(); warm_up(); w = time.perf_counter() - t\n"
        "t = time.perf_counter(); parse_message('dinner 30 3rd of last month', now=now)\n"
        "print(w * 1000, (time.perf_counter() - t) * 1000)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    print(f"parser benchmark (one process, {os.cpu_count()} cores on this machine)")
    warm, first = first_parse_ms()
    print(f"{'warm-up at start':26} {warm:>10,.0f} ms (off the event loop, in initialize)")
    print(f"{'first parse after warm-up':26} {first:>10,.1f} ms (goal < 50 ms)")
    warm_up()
    for name, messages in (
        ("no date phrase", PLAIN),
        ("with a date phrase", DATED),
        ("date left to dateparser", DATEPARSER),
    ):
        print(f"{name:26} {rate(messages):>10,.0f} msgs/s")
    print(f"{'  … each asked afresh':26} {rate(DATEPARSER, cached=False):>10,.0f} msgs/s")


if __name__ == "__main__":
    main()
