"""The dashboard: a Telegram Mini App and the same pages in any browser, served by the bot.

Routes are thin like handlers: they find out who is asking (``auth``), run one use case from
``models.services`` for that user (``common.call``) and render JSON (``api``) or HTML
(``pages``). ``create_app`` is the public face the composition root starts.
"""

from __future__ import annotations

from web.app import create_app, set_base_url
from web.context import SendDocument, Web, WebConfig

__all__ = ["SendDocument", "Web", "WebConfig", "create_app", "set_base_url"]
