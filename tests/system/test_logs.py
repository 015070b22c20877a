"""What Penny writes to its log: no token ever, and at INFO no message text and no amounts.

The logging is set up exactly as ``python -m bot`` does it (bot.logs.configure_logging), with the
stream swapped for a buffer, and real traffic goes through the bot over HTTP.
"""

from __future__ import annotations

import io
import logging
import re
import sys
from collections.abc import Iterator

import pytest

from bot.app import build_application
from bot.logs import RedactingFormatter, configure_logging
from bot.offline.server import FakeTelegram, running_application
from tests.conftest import Clock
from tests.support.harness import Penny, settings_for

# A token of the real shape, so the pattern-based redaction is exercised too.
TOKEN = "7712345678:AAHkq3Zx_9vLrT2mP8sWc4yN1bD6fGj0eQo"
ALICE = 1001
# Words and amounts that appear nowhere in Penny's own texts.
SECRET_WORDS = ["zanzibar", "quokka", "marzipan"]
# Numbers no port, id or time stamp of a short test run can hold (ports stop at 65535).
SECRET_AMOUNTS = ["987.65", "987,65", "98765", "94321", "94,321"]
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", re.MULTILINE)


class Raw(logging.Handler):
    """Keeps each record's unformatted message: proof the token reached the logging system."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def penny_log() -> Iterator[io.StringIO]:
    """configure_logging as in production, writing to a buffer; restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    noisy = {
        name: logging.getLogger(name).level
        for name in ("httpx", "httpcore", "apscheduler", "telegram")
    }
    configure_logging("INFO", secrets=(TOKEN,))
    buffer = io.StringIO()
    [handler] = root.handlers
    assert isinstance(handler.formatter, RedactingFormatter)
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    try:
        yield buffer
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in noisy.items():
            logging.getLogger(name).setLevel(level)


async def traffic(penny: Penny) -> None:
    """Logging, a category change, an edit, an error reply, a failed send and a bad command."""
    reply = await penny.say(ALICE, "coffee zanzibar 987.65")
    await penny.press(ALICE, reply, "Change category")
    await penny.reply(ALICE)
    sent = await penny.send(ALICE, "lunch quokka 94321")
    await penny.reply(ALICE)
    await penny.fake.edit_text(ALICE, sent["message_id"], "lunch marzipan 94,321")
    await penny.reply(ALICE)
    penny.fake.fail_next("sendMessage", error_code=502, description="Bad Gateway")
    await penny.send(ALICE, "taxi zanzibar 98765")
    await penny.say(ALICE, "/budget zanzibar 987.65")
    await penny.say(ALICE, "/timezone zanzibar/quokka")
    await penny.wait_idle(quiet=0.3)


async def test_logs_hold_no_token_text_or_amounts(
    penny_log: io.StringIO, database_url: str, clock: Clock
) -> None:
    raw = Raw()
    root = logging.getLogger()
    root.addHandler(raw)
    async with FakeTelegram(token=TOKEN) as fake:
        app = build_application(settings_for(fake, database_url), clock=clock)
        async with running_application(app, fake):
            penny = Penny(fake, app, clock)
            await traffic(penny)

            info = penny_log.getvalue()
            assert "Penny is ready" in info  # the log is really being written
            # Each line's time stamp is the formatter's, not the user's: "00:42:54,321" is no
            # amount of 4,321 (a clash the millisecond picked at random).
            info = STAMP.sub("", info)
            for secret in [TOKEN, *SECRET_WORDS, *SECRET_AMOUNTS]:
                assert secret not in info, f"{secret!r} in the INFO log:\n{info}"

            # At DEBUG, with httpx logging every request URL (which holds the token), the
            # formatter still masks it everywhere.
            root.setLevel(logging.DEBUG)
            for name in ("httpx", "httpcore", "telegram"):
                logging.getLogger(name).setLevel(logging.DEBUG)
            await traffic(penny)
    debug = penny_log.getvalue()
    root.removeHandler(raw)
    assert any(TOKEN in message for message in raw.messages), "the test never saw the token"
    assert "[token]" in debug
    assert TOKEN not in debug and TOKEN.split(":")[1] not in debug


def test_redaction_covers_tracebacks_and_tokens_not_configured() -> None:
    formatter = RedactingFormatter("%(message)s", (TOKEN,))
    other = "1234567890:BBHkq3Zx_9vLrT2mP8sWc4yN1bD6fGj0eQo"
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord(
            "t", logging.ERROR, __file__, 1, "call to %s", (other,), exc_info=sys.exc_info()
        )
    text = formatter.format(record)
    assert TOKEN not in text and other not in text
    assert text.count("[token]") == 2


def test_redaction_covers_dashboard_login_links() -> None:
    formatter = RedactingFormatter("%(message)s")
    link = "http://127.0.0.1:8090/login#t=qGKaRgLNdPQCRIhEB2VZw7WGa86zbgbkvfkJ1CK40YY"
    record = logging.LogRecord("t", logging.DEBUG, __file__, 1, "sent %s", (link,), None)
    assert formatter.format(record) == "sent http://127.0.0.1:8090/login#t=[login]"
