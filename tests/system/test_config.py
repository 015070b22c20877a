"""Settings are validated at start with a message that names the bad key."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings, load_settings
from bot.logs import RedactingFormatter


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("DATABASE_URL", "DEFAULT_TIMEZONE", "DEFAULT_CURRENCY", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite+aiosqlite:///./penny.db"
    assert (settings.default_timezone, settings.default_currency) == ("UTC", "USD")
    assert settings.telegram_bot_token is None


def test_empty_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.telegram_bot_token is None and settings.telegram_api_base_url is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_CURRENCY", "XYZQ"),
        ("DATABASE_URL", "sqlite:///sync.db"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_bad_values_fail_with_the_key_named(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str
) -> None:
    monkeypatch.setenv(key, value)
    monkeypatch.chdir("/")  # no stray .env
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert key in str(info.value)


def test_token_is_redacted_from_logs() -> None:
    import logging

    token = "123456789:AAE-abcdefghijklmnopqrstuvwxyz012345"
    formatter = RedactingFormatter("%(message)s", (token,))
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "POST https://api/bot%s/getMe", (token,), None
    )
    assert token not in formatter.format(record)
    assert "[token]" in formatter.format(record)
