"""Issue 13: messages other expense trackers wrote, sent through the running bot.

Each case is a fresh user's first message; what the database then holds is compared with what
the case expects (``tests/support/peer_corpus.py``). The corpus lives in ``../shared`` (real data
from outside, never copied here); ``PENNY_PEER_CORPUS`` points at another file of its format.
"""

from __future__ import annotations

from decimal import Decimal

from bot.core.money import from_minor
from tests.support.harness import Penny
from tests.support.peer_corpus import Score, Stored, corpus_path, load, mismatch

FIRST_USER = 700_000
DEFAULT_CURRENCY = "USD"  # what the harness gives new users
THRESHOLD = Decimal("0.95")


async def test_peer_corpus_through_the_bot(penny: Penny) -> None:
    cases = load(corpus_path())
    today = penny.clock.now.date()  # the harness users live in UTC
    score = Score()
    for offset, case in enumerate(cases):
        user = FIRST_USER + offset
        await penny.say(user, case["text"])
        stored = [
            Stored(
                row.kind,
                from_minor(row.amount_minor, row.currency),
                row.currency,
                category,
                row.occurred_on,
                row.note,
            )
            for row, category in await penny.stored(user)
        ]
        why = mismatch(case, stored, today=today, default_currency=DEFAULT_CURRENCY)
        score.add(case, stored, why)
    report = "\n".join([score.summary(), *score.misses])
    print(report)
    assert score.full >= THRESHOLD * score.cases, report
    assert score.category >= THRESHOLD * score.with_category, report
