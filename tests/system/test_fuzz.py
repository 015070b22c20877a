"""Hostile input through the running bot: thousands of generated updates over real HTTP.

Valid messages come from a list whose transaction counts are known; everything else is junk that
must store nothing. Afterwards the bot still answers, no handler raised, the fake Bot API rejected
no reply (length, parse mode, buttons), and the database holds exactly the expected transactions.

The run is seeded: the seed is printed and in every failure message. It runs with the fixed
seeds in ``SEEDS`` (every seed that ever failed joins them), so CI is repeatable;
``PENNY_FUZZ_SEED=<n>`` replays one seed instead and ``PENNY_FUZZ_UPDATES=<n>`` changes the size.
``make soak`` runs it with fresh random seeds, much longer.
"""

from __future__ import annotations

import logging
import os
import random
import time
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram.ext import CommandHandler

from bot.core.parsing import AmountRejected, parse_message
from handlers.errors import is_stale_message
from models.tables import Transaction
from tests.support.harness import Penny, running_penny

# (text, transactions it stores) for a user with no state.
VALID: list[tuple[str, int]] = [
    ("coffee 4.50", 1),
    ("lunch 12", 1),
    ("uber 320 yesterday", 1),
    ("+5000 salary", 1),
    ("rent 15k", 1),
    ("electricity bill 1,250", 1),
    ("coffee 3, lunch 12", 2),
    ("taxi 7\nlunch 9", 2),
    ("<b>coffee</b> 5", 1),
    ("*lunch* _12_ `x` [y](http://example.com)", 1),
    ("coffee 5'); DELETE FROM transactions; --", 1),
    ("lunch 8 <script>alert(1)</script> &amp; &lt;", 1),
    ("☕️ coffee 4.50 🥐🥐", 1),
    ("coffee ٥", 1),
    ("coffee ５", 1),
    ("coffee five dollars", 1),
    ("coffee 4.50 " + "x" * 4084, 1),  # exactly 4096 characters
    ("coffee 2.50 " + "🥐" * 2000, 1),
    ("250", 1),  # saved to sort, with category buttons other users will try to press
    ("99.99", 1),
]
# Single-entry valid texts a user may edit a single-entry message into: the count stays.
EDITS = ["coffee 7", "lunch 15", "uber 20", "groceries 33.30"]

HOSTILE = [
    "",
    " ",
    "\n\t \u00a0\u3000",
    "1e400",
    "NaN",
    "-0",
    "inf",
    "0",
    "0.000001",
    "coffee NaN",
    "coffee -0",
    "coffee 1e400",
    "123456789012345678901234567890",
    "coffee 123456789012345678901234567890",
    "-123456789012345678901234567890.123456789",
    "'; DROP TABLE transactions; --",
    "Robert'); DROP TABLE users;--",
    "<script>alert('x')</script>",
    "<b>bold</b> <i>it</i> <a href='javascript:x'>link</a> </b> <unclosed",
    "*bold* _it_ `code` ```pre``` [link](http://x) ||spoiler|| ~strike~ \\",
    "&amp; &lt; &gt; &#0; &#x110000; &bogus;",
    "%s %d %(name)s {0} {name} ${HOME} `rm -rf /`",
    "😀" * 300,
    "🍕🍕🍕",
    "👨‍👩‍👧‍👦🏳️‍🌈🇺🇦",
    "\u202eevil\u202c \u200b\u200c\u200d\ufeff",
    "\x00\x01\x02\x07\x1b[31mred\x1b[0m\x7f",
    "Z̸̡̢̛̛̘̗͈̲̯̞͖͖̥̮͑̅͐̓̈̍a̷̡̡̛̠̫̮̪͍̫̟̯̹̭l̶g̴o̴",
    "a" * 4096,
    "€" * 4096,
    "\n" * 4096,
]

SPECIALS = [  # kinds of non-text private messages: field name -> object
    ("sticker", {"file_id": "CAAC", "file_unique_id": "u1", "type": "regular", "width": 512,
                 "height": 512, "is_animated": False, "is_video": False, "emoji": "😀"}),
    ("photo", [{"file_id": "AgAD", "file_unique_id": "u2", "width": 90, "height": 90}]),
    ("voice", {"file_id": "AwAD", "file_unique_id": "u3", "duration": 3}),
    ("video_note", {"file_id": "DQAD", "file_unique_id": "u4", "length": 240, "duration": 2}),
    ("location", {"latitude": 52.52, "longitude": 13.405}),
    ("contact", {"phone_number": "+10000000000", "first_name": "Eve", "user_id": 666}),
    ("dice", {"emoji": "🎲", "value": 6}),
    ("venue", {"location": {"latitude": 0.0, "longitude": 0.0}, "title": "<b>x</b>",
               "address": "*y*"}),
]  # fmt: skip

# Unicode blocks junk is drawn from: controls, Latin, Cyrillic, Arabic (RTL), CJK, combining
# marks, zero-width and direction marks, symbols, emoji, private use.
BLOCKS = [
    (0x00, 0x1F),
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x300, 0x36F),
    (0x400, 0x4FF),
    (0x600, 0x6FF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2190, 0x23FF),
    (0x3000, 0x30FF),
    (0x4E00, 0x4FFF),
    (0xE000, 0xE0FF),
    (0xFE00, 0xFE0F),
    (0x1F300, 0x1F6FF),
    (0x1F900, 0x1F9FF),
]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def stores_nothing(text: str) -> bool:
    """What the (separately tested) parser says: no entry in ``text``, or a rejected amount."""
    try:
        return not parse_message(text, now=NOW, default_currency="USD")
    except AmountRejected:
        return True


def junk_text(rng: random.Random) -> str:
    """Random characters from many scripts; no digits, so no amount (checked by the caller)."""
    length = rng.choice([1, 2, 5, 20, 80, 400, 4096])
    chars = []
    while len(chars) < length:
        low, high = rng.choice(BLOCKS)
        char = chr(rng.randint(low, high))
        if unicodedata.numeric(char, None) is None:
            chars.append(char)
    return "".join(chars)


@dataclass
class Fuzz:
    """Generates updates, sends them, and knows what the database should hold afterwards."""

    penny: Penny
    rng: random.Random
    valid_users: list[int]
    junk_users: list[int]
    commands: list[str]
    expected: dict[int, int] = field(default_factory=dict)
    sent: int = 0
    _ids: int = 10_000_000
    # Valid users' single-entry messages that may be edited: (user, message_id).
    editable: list[tuple[int, int]] = field(default_factory=list)
    junk_messages: list[tuple[int, int]] = field(default_factory=list)

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def junk(self) -> str:
        for _ in range(20):
            text = junk_text(self.rng) if self.rng.random() < 0.6 else self.rng.choice(HOSTILE)
            if stores_nothing(text):
                return text
        return ""

    def garbage_args(self) -> str:
        pool = [
            self.junk(),
            self.rng.choice(HOSTILE),
            self.rng.choice(VALID)[0],
            str(self.rng.randint(-(10**30), 10**30)),
            "add rent 1e400 monthly on 99",
            "food -0",
            "weekly NaN",
            "on 25:61",
            "2026-02-30 9999-99-99",
            "x" * 4000,
        ]
        return " ".join(self.rng.sample(pool, self.rng.randint(1, 3)))

    def user(self) -> dict[str, Any]:
        return {"id": self.rng.choice(self.junk_users), "is_bot": False, "first_name": "Junk"}

    # ---- one update of each kind ---------------------------------------------------------

    async def valid_message(self) -> None:
        user = self.rng.choice(self.valid_users)
        text, count = self.rng.choice(VALID)
        if self.rng.random() < 0.15:
            text = f"/add {text}"  # the command records the same entries as the text
        message = await self.penny.send(user, text)
        self.expected[user] = self.expected.get(user, 0) + count
        if count == 1 and len(text) < 100:
            self.editable.append((user, message["message_id"]))

    async def valid_edit(self) -> None:
        if self.editable:
            user, message_id = self.rng.choice(self.editable)
            await self.penny.fake.edit_text(user, message_id, self.rng.choice(EDITS))
        else:
            await self.valid_message()

    async def junk_message(self) -> None:
        user = self.rng.choice(self.junk_users)
        message = await self.penny.send(user, self.junk())
        self.junk_messages.append((user, message["message_id"]))

    async def command(self) -> None:
        user = self.rng.choice(self.junk_users)
        name = self.rng.choice([*self.commands, "nosuchcommand", "START", "x" * 40])
        suffix = self.rng.choice(["", "", "@penny_local_bot", "@other_bot"])
        args = "" if self.rng.random() < 0.25 else " " + self.garbage_args()
        if name == "add":
            args = " " + self.junk()  # /add records money like a message: junk users send none
        await self.penny.send(user, f"/{name}{suffix}{args}"[:4096])

    async def special(self) -> None:
        user = self.user()
        kind, content = self.rng.choice(SPECIALS)
        message = {
            "message_id": self._next_id(),
            "from": user,
            "chat": {"id": user["id"], "type": "private", "first_name": "Junk"},
            "date": int(time.time()),
            kind: content,
        }
        if self.rng.random() < 0.3:
            message["caption"] = self.junk()[:1024]
        self.penny.fake.inject_update({"message": message})

    async def document(self) -> None:
        user = self.rng.choice(self.junk_users)
        content = self.junk().encode("utf-8", "surrogatepass")[:2000]
        name = self.rng.choice(["x.csv", "x.xlsx", "../../etc/passwd", "<b>.csv", "x" * 200])
        await self.penny.fake.send_document(user, name, content, caption=self.junk()[:100])

    async def group(self) -> None:
        user = self.rng.choice(self.junk_users)
        text = self.rng.choice(
            [self.rng.choice(VALID)[0], f"/{self.rng.choice(self.commands)}", self.junk()]
        )
        chat_type = self.rng.choice(["group", "supergroup"])
        chat_id = self.rng.choice([-5001, -5002, -1001234567890])
        await self.penny.fake.send_text(user, text, chat_id=chat_id, chat_type=chat_type)

    async def channel(self) -> None:
        chat = {"id": -1009876543210, "type": "channel", "title": "<b>News</b>"}
        post = {
            "message_id": self._next_id(),
            "sender_chat": chat,
            "chat": chat,
            "date": int(time.time()),
            "text": self.rng.choice([self.rng.choice(VALID)[0], "/start", self.junk()]) or "x",
        }
        kind = self.rng.choice(["channel_post", "edited_channel_post"])
        if kind == "edited_channel_post":
            post["edit_date"] = int(time.time())
        self.penny.fake.inject_update({kind: post})

    async def junk_edit(self) -> None:
        """Edits of messages that never were transactions, or never existed at all."""
        if self.junk_messages and self.rng.random() < 0.7:
            user, message_id = self.rng.choice(self.junk_messages)
            await self.penny.fake.edit_text(user, message_id, self.junk() or " ")
            return
        user = self.user()
        self.penny.fake.inject_update(
            {
                "edited_message": {
                    "message_id": self._next_id(),
                    "from": user,
                    "chat": {"id": user["id"], "type": "private", "first_name": "Junk"},
                    "date": int(time.time()) - 60,
                    "edit_date": int(time.time()),
                    "text": self.junk() or ".",
                }
            }
        )

    def _bot_buttons(self, chat_id: int) -> list[tuple[int, str]]:
        return [
            (message.message_id, button.callback_data)
            for message in self.penny.fake.chat_messages(chat_id)
            for button in message.all_buttons()
            if button.callback_data
        ]

    async def callback(self) -> None:
        """Presses with real, stale, forged, truncated and other users' button data."""
        user = self.rng.choice(self.junk_users)
        roll = self.rng.random()
        own = self._bot_buttons(user)
        if roll < 0.3 and own:
            message_id, data = self.rng.choice(own)  # a real button (maybe already stale)
            await self.penny.fake.press(user, message_id, data)
            return
        if roll < 0.6:
            victim = self.rng.choice(self.valid_users)
            theirs = self._bot_buttons(victim)
            if theirs:
                message_id, data = self.rng.choice(theirs)
                chat = self.rng.choice([user, victim])
                if chat == user:
                    message_id = self.rng.randint(1, 50)
                await self.penny.fake.press(user, message_id, data, chat_id=chat)
                return
        prefix = self.rng.choice(
            ["undo", "pk", "px", "cc", "sc", "bk", "del", "erase", "imc", "imok", "imx", "lr",
             "bl", "bt", "bq", "rm", "qc", "rd", "ch", "ms", "sq", "cur", "tz", "ln", "tzmenu"]
        )  # fmt: skip
        forged = self.rng.choice(
            [
                f"{prefix}:{self.rng.randint(0, 400)}",
                f"{prefix}:{self.rng.randint(0, 400)}:{self.rng.randint(0, 400)}",
                f"{prefix}:",
                prefix,
                f"{prefix}:-1",
                f"{prefix}:99999999999999999999",
                f"{prefix}:1:2:3:4",
                f"{prefix}:{self.junk()}",
                self.junk(),
            ]
        )
        data = forged.encode()[:64].decode("utf-8", "ignore")
        if self.rng.random() < 0.1:
            # A button on an inline message: no message, no chat.
            self.penny.fake.inject_update(
                {
                    "callback_query": {
                        "id": f"inline{self._next_id()}",
                        "from": self.user(),
                        "chat_instance": "1",
                        "inline_message_id": "AAAA",
                        "data": data,
                    }
                }
            )
            return
        await self.penny.fake.press(user, self.rng.randint(1, 60), data)

    async def run(self, count: int, *, phase_two: bool) -> None:
        kinds = [
            (self.valid_message, 20),
            (self.junk_message, 22),
            (self.command, 18),
            (self.special, 6),
            (self.document, 2),
            (self.group, 6),
            (self.channel, 3),
            (self.junk_edit, 5),
        ]
        if phase_two:
            kinds += [(self.callback, 22), (self.valid_edit, 4)]
        actions, weights = zip(*kinds, strict=True)
        for _ in range(count):
            await self.rng.choices(actions, weights)[0]()
            self.sent += 1


async def fuzz_run(penny: Penny, seed: int, updates: int, *, first_user: int = 3001) -> Fuzz:
    """Send ``updates`` generated updates in two phases, waiting for the bot after each."""
    commands = sorted(
        {
            command
            for handlers in penny.app.handlers.values()
            for handler in handlers
            if isinstance(handler, CommandHandler)
            for command in handler.commands
        }
    )
    fuzz = Fuzz(
        penny,
        random.Random(seed),
        valid_users=list(range(first_user, first_user + 10)),
        junk_users=list(range(first_user + 1000, first_user + 1040)),
        commands=commands,
    )
    # Phase one makes confirmations and entries to sort; phase two presses their buttons.
    await fuzz.run(updates * 2 // 5, phase_two=False)
    await penny.wait_idle(quiet=0.5, timeout=90)
    await fuzz.run(updates - fuzz.sent, phase_two=True)
    await penny.wait_idle(quiet=0.5, timeout=90)
    return fuzz


def stale_edit(error: dict[str, Any]) -> bool:
    """The fake refused to edit a message that a forged press pointed at: not a bad reply."""
    description = str(error.get("description", "")).lower()
    return any(
        phrase in description
        for phrase in ("message to edit not found", "not modified", "message can't be edited")
    )


# Seeds that once failed: 867648735 and 1784185819 lost entries to "database is locked" on SQLite
# (a writer starved in the busy handler under load; issue 11); so did 2854119928, 107302857,
# 3397114483 and 579005313 on SQLite and 1756869092 on PostgreSQL while other suites loaded the
# machine (before the harness waited for every update to be handled).
SEEDS = (867648735, 1784185819, 2854119928, 107302857, 3397114483, 579005313, 1756869092)


def fuzz_seeds() -> list[int]:
    value = os.environ.get("PENNY_FUZZ_SEED")
    return [int(value)] if value else list(SEEDS)


async def verify(
    penny: Penny,
    fuzz: Fuzz,
    raised: list[BaseException | None],
    records: list[logging.LogRecord],
    where: str,
) -> None:
    """No handler raised, no reply was refused, and the database holds exactly what it should."""
    assert not raised, f"{where} handlers raised: {raised[:5]!r}"
    errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert not errors, f"{where} errors logged: {errors[:5]}"
    rejected = [
        (c.method, c.error, str(c.params)[:200])
        for c in penny.fake.calls
        if c.error and not (c.method.startswith("edit") and stale_edit(c.error))
    ]
    assert not rejected, f"{where} the Bot API rejected replies: {rejected[:5]}"

    for user in fuzz.valid_users:
        assert await penny.count(user) == fuzz.expected.get(user, 0), f"{where} user {user}"
    for user in fuzz.junk_users:
        assert await penny.count(user) == 0, f"{where} junk stored money for {user}"
    async with penny._runtime().sessions() as session:
        total = await session.scalar(
            select(func.count())
            .select_from(Transaction)
            .where(Transaction.user_id.between(min(fuzz.valid_users), max(fuzz.junk_users)))
        )
    assert total == sum(fuzz.expected.values()), where


@pytest.fixture
async def fuzzed_penny(database_url: str, clock: Any) -> AsyncIterator[Penny]:
    # Pacing replies (AIORateLimiter) and flood control are tested on their own; here they
    # would only make thousands of updates slow.
    async with running_penny(database_url, clock, rate_limit=False, flood_burst=0) as penny:
        yield penny


@pytest.mark.parametrize("seed", fuzz_seeds())
async def test_fuzz_hostile_updates_store_exactly_the_valid_transactions(
    fuzzed_penny: Penny, caplog: pytest.LogCaptureFixture, seed: int
) -> None:
    penny = fuzzed_penny
    updates = int(os.environ.get("PENNY_FUZZ_UPDATES", "1500"))
    print(f"fuzz seed {seed} ({updates} updates); replay with PENNY_FUZZ_SEED={seed}")
    where = f"[PENNY_FUZZ_SEED={seed}]"
    raised: list[BaseException | None] = []

    async def record(update: object, context: Any) -> None:
        if not is_stale_message(context.error):  # a forged press on a gone message is benign
            raised.append(context.error)

    penny.app.add_error_handler(record)
    caplog.set_level(logging.WARNING)
    assert all(stores_nothing(text) for text in HOSTILE), "a hostile text would store money"
    started = time.monotonic()
    fuzz = await fuzz_run(penny, seed, updates)
    print(f"{fuzz.sent} updates handled in {time.monotonic() - started:.1f}s")

    await verify(penny, fuzz, raised, caplog.records, where)
    async with penny._runtime().sessions() as session:  # nothing stored for anyone else either
        total = await session.scalar(select(func.count()).select_from(Transaction))
    assert total == sum(fuzz.expected.values()), where

    # Still answering everyone, promptly.
    for user in [*fuzz.valid_users, *fuzz.junk_users]:
        for _ in penny.fake.pending_replies(user):
            await penny.reply(user)  # consume what the fuzz left unread
    for user in fuzz.valid_users[:3]:
        reply = await penny.say(user, "coffee 1")
        assert "1.00 USD" in (reply.text or ""), f"{where} {reply.text!r}"
    for user in fuzz.junk_users[:3]:  # whatever state junk left them in, they get an answer
        await penny.say(user, "/help")
