"""Logging set-up: readable lines, quiet libraries, and the bot token never written out."""

from __future__ import annotations

import logging
import re

# Any Telegram bot token shape, so a token from any source is masked, not just the configured one.
TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
# A dashboard login link's secret (in /dashboard's reply, which DEBUG logs show whole).
LOGIN_PATTERN = re.compile(r"#t=[A-Za-z0-9_-]{16,}")


class RedactingFormatter(logging.Formatter):
    """Masks bot tokens and login links in the finished line, including tracebacks and URLs."""

    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[token]")
        return LOGIN_PATTERN.sub("#t=[login]", TOKEN_PATTERN.sub("[token]", text))


def configure_logging(level: str, *, secrets: tuple[str, ...] = ()) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
