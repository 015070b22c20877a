"""The process's runtime as the composition root sees it: the handlers' one, with full settings."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import ContextTypes

from bot.config import Settings
from handlers.runtime import BOT_DATA_KEY, Runtime, utc_now

__all__ = ["BOT_DATA_KEY", "BotRuntime", "bot_runtime", "utc_now"]


@dataclass
class BotRuntime(Runtime):
    # Narrowed: flood control and webhooks read keys handlers never see.
    settings: Settings


def bot_runtime(context: ContextTypes.DEFAULT_TYPE) -> BotRuntime:
    value = context.bot_data[BOT_DATA_KEY]
    assert isinstance(value, BotRuntime)
    return value
