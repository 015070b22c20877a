"""Every test is a conformance test: the calls every server answered, over one whole run.

``FakeTelegram`` checks each call against the Bot API specification and Telegram's own rules
and refuses what Telegram would refuse. This module watches every server in the process
(``FakeTelegram.observers``), so a refusal Penny caused fails the test that caused it (see
``refusals_by_penny``) and the run ends with a tally: how many calls, how many methods, how
many refused.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.offline.messages import ApiCall

# Tests of the server itself send bad calls on purpose; their refusals are the point.
SERVER_TESTS = "tests/offline/"
# Refusals a well-behaved bot still meets: Telegram decides them from the chat's state (the
# fuzz's forged presses also point at messages that are gone or that the user sent).
STATE_REFUSALS = (
    "Conflict: terminated by other getUpdates request",
    "Bad Request: query is too old",
    "Bad Request: message to edit not found",
    "Bad Request: message can't be edited",
    "Bad Request: message to delete not found",
    "Forbidden:",
)


def is_violation(call: ApiCall) -> bool:
    """A call Telegram would refuse because the bot got it wrong (not injected, not stale)."""
    if call.error is None or call.injected:
        return False
    description = str(call.error.get("description", ""))
    return not description.startswith(STATE_REFUSALS)


@dataclass
class Tally:
    calls: int = 0
    methods: Counter[str] = field(default_factory=Counter)
    # (test, method, description) of each refused call
    refused: list[tuple[str, str, str]] = field(default_factory=list)
    spec_version: str | None = None
    # Calls of Penny's tests that a server without the specification checked (a wrong path).
    unchecked: int = 0

    def add(self, test: str, calls: list[ApiCall]) -> None:
        for call in calls:
            self.calls += 1
            if not call.spec_checked and not test.startswith(SERVER_TESTS):
                self.unchecked += 1
            self.methods[call.method] += 1
            if is_violation(call):
                description = str(call.error["description"]) if call.error else ""
                self.refused.append((test, call.method, description))

    def by_penny(self) -> list[tuple[str, str, str]]:
        return [r for r in self.refused if not r[0].startswith(SERVER_TESTS)]

    def summary(self) -> list[str]:
        polls = self.methods.get("getUpdates", 0)
        against = (
            f"the {self.spec_version} specification"
            if self.spec_version
            else "the built-in rules only (no specification found)"
        )
        lines = [
            f"{self.calls} calls ({self.calls - polls} besides getUpdates), "
            f"{len(self.methods)} methods, checked against {against}",
            "by method: " + ", ".join(f"{m} {n}" for m, n in self.methods.most_common()),
            f"refused: {len(self.by_penny())} caused by Penny, "
            f"{len(self.refused) - len(self.by_penny())} sent on purpose by tests of the server",
        ]
        if self.unchecked and self.spec_version:
            lines.append(f"{self.unchecked} calls checked by the built-in rules only")
        lines += [f"  {test}: {method} -> {text}" for test, method, text in self.by_penny()]
        return lines


TALLY = Tally()


def refusals_by_penny(calls: list[ApiCall]) -> list[str]:
    """What Telegram would have refused among ``calls``, readable in a failed assertion."""
    return [
        f"{c.method} {str(c.params)[:160]} -> {c.error['description']}"
        for c in calls
        if is_violation(c) and c.error is not None
    ]
