"""``python -m bot`` / ``penny``: run on Telegram, or the offline local chat without a token."""

from __future__ import annotations

import asyncio
import sys

from telegram import Update

from bot.config import ConfigError, load_settings
from bot.logs import configure_logging


def main() -> None:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    configure_logging(settings.log_level, secrets=(token,))
    if not token:
        from bot.local_chat import run_local_chat

        # The chat owns the terminal; only warnings go to the log there.
        configure_logging("WARNING", secrets=(token,))
        asyncio.run(run_local_chat(settings))
        return

    from bot.app import build_application

    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
