"""Typed settings read from the environment and `.env`; a bad value stops the bot at start."""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.money import is_currency


class Settings(BaseSettings):
    """Everything Penny reads from its environment."""

    # An empty value in the environment or .env means "not set", like a missing one.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///./penny.db"
    telegram_api_base_url: str | None = None
    telegram_api_base_file_url: str | None = None
    default_timezone: str = "UTC"
    default_currency: str = "USD"
    log_level: str = "INFO"
    # Connections kept open per process on PostgreSQL; SQLite ignores it.
    database_pool_size: int = Field(default=5, ge=1, le=100)
    # How often the scheduler looks for due messages and recurring entries; 0 switches it off.
    scheduler_interval_seconds: int = Field(default=20, ge=0, le=3600)
    # Pace outgoing messages to Telegram's limits (AIORateLimiter).
    rate_limit: bool = True
    # Updates handled at once (different users in parallel, one user's in order); 1 = one by one.
    concurrent_updates: int = Field(default=16, ge=1, le=256)
    # The operator's chat (a private chat or a group): /feedback is forwarded there, and /reply
    # and /stats work only there. Unset: feedback is only stored.
    admin_chat_id: int | None = None

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name like Europe/Berlin"
            ) from exc
        return value

    @field_validator("default_currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if not is_currency(value):
            raise ValueError(f"unknown currency {value!r}; use an ISO 4217 code like USD or EUR")
        return value.upper()

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "use sqlite+aiosqlite:///path.db or postgresql+asyncpg://user:pass@host/db"
            )
        return value

    # --- webhook mode: set WEBHOOK_URL (and WEBHOOK_SECRET) to receive updates over HTTP ---
    # The public HTTPS address Telegram posts to; its path is where Penny listens.
    webhook_url: str | None = None
    # Telegram sends it in X-Telegram-Bot-Api-Secret-Token; other requests get 403.
    webhook_secret: SecretStr | None = None
    # The port the webhook server listens on (behind the reverse proxy).
    port: int = Field(default=8080, ge=1, le=65535)

    @field_validator("webhook_url")
    @classmethod
    def _webhook_address(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not value.startswith(("https://", "http://")):
            raise ValueError("use the public address, e.g. https://penny.example.com/telegram")
        # Telegram refuses anything else in setWebhook, so Penny would fail at start.
        parts = urlsplit(value)
        if parts.scheme != "https":
            raise ValueError("Telegram posts updates only to an https:// address")
        try:
            port = parts.port
        except ValueError:
            port = -1
        if port not in (None, 80, 88, 443, 8443):
            raise ValueError("Telegram posts updates only to port 443, 80, 88 or 8443")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{16,256}", value.get_secret_value()
        ):
            raise ValueError("use 16-256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET is required with WEBHOOK_URL, so only Telegram can post updates"
            )
        return self

    # --- the dashboard (web/): served by this process, opened from /dashboard ---
    # The port the dashboard listens on; 0 picks a free one (tests, several local bots).
    web_port: int = Field(default=8090, ge=0, le=65535)
    # The address it binds: loopback by default, so only a reverse proxy on this host (or you,
    # offline) reaches it; 0.0.0.0 in a container.
    web_host: str = "127.0.0.1"
    # Where users open it; a public https:// address also gives a Telegram Mini App button.
    # Unset: http://127.0.0.1:<WEB_PORT>, which works in a browser on this machine.
    web_base_url: str | None = None

    @field_validator("web_base_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("use the address users open, e.g. https://penny.example.com")
        if parts.query or parts.fragment:
            raise ValueError("use an address without a query or fragment")
        return value.rstrip("/")

    # --- per-user flood control (bot/flood.py): a token bucket per user ---
    # Updates one user may send at once before the rest are paced (bot/flood.py); 0 = off.
    flood_burst: int = Field(default=30, ge=0, le=10_000)
    # Updates a second that refill a user's allowance after a burst.
    flood_rate: float = Field(default=1.0, gt=0, le=1_000)


class ConfigError(SystemExit):
    """The configuration is invalid; the message says which setting and why."""


def load_settings() -> Settings:
    """Read settings, turning validation errors into one readable message."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = [
            f"  {'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        ]
        raise ConfigError(
            "Penny can't start, the configuration is invalid:\n" + "\n".join(lines)
        ) from None
