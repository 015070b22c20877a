"""Builds the Application and registers every handler in one place."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import flood, webhook
from bot.concurrency import PerUserUpdateProcessor
from bot.config import Settings
from bot.core import parsing
from bot.polling import ReadableUpdatesRequest
from bot.runtime import BOT_DATA_KEY, BotRuntime, utc_now
from bot.web_server import DashboardServer
from charts import worker as chart_worker
from handlers import (
    admin,
    balance,
    budgets,
    buttons,
    categories,
    compare,
    dashboard,
    entries,
    errors,
    export,
    feedback,
    goals,
    history,
    households,
    importing,
    invites,
    privacy,
    recurring,
    reminders,
    sorting,
    start,
)
from handlers import charts as chart_handlers
from handlers import reports as report_handlers
from handlers import (
    settings as settings_handlers,
)
from handlers import ticker as scheduler
from handlers.common import HandlerCallback, answer_stale, message_of
from models.db import create_engine, make_sessionmaker, migrate
from models.services import import_worker

logger = logging.getLogger(__name__)


class PennyApplication(Application):  # type: ignore[type-arg]
    """An Application that opens the database on initialize and closes it on shutdown.

    Done here rather than in post_init so ``async with app`` (tests, local chat) and
    ``run_polling`` set up the same way.
    """

    penny_settings: Settings
    _dashboard: DashboardServer | None = None
    penny_clock: Callable[[], datetime] = staticmethod(utc_now)

    async def initialize(self) -> None:
        if self._initialized:
            return
        await super().initialize()
        settings = self.penny_settings
        engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
        await migrate(engine)
        self.bot_data[BOT_DATA_KEY] = BotRuntime(
            settings, engine, make_sessionmaker(engine), self.penny_clock
        )
        await self.bot.set_my_commands([BotCommand(name, text) for name, text in start.COMMANDS])
        # dateparser loads its language data lazily; pay that once here, off the event loop.
        await asyncio.to_thread(parsing.warm_up)
        # Start the chart and import workers now so the first /chart or file doesn't wait.
        await chart_worker.warm_up()
        await import_worker.warm_up()
        logger.info("Penny is ready as @%s", self.bot.username)

    async def start(self) -> None:
        await super().start()
        # The dashboard shares this process, its database and its clock.
        self._dashboard = DashboardServer(self, self.bot_data[BOT_DATA_KEY])
        await self._dashboard.start()

    async def stop(self) -> None:
        if self._dashboard is not None:
            await self._dashboard.stop()
            self._dashboard = None
        if isinstance(self.update_processor, PerUserUpdateProcessor):
            self.update_processor.drain()  # the fetched backlog is saved now, not paced
        await super().stop()

    async def shutdown(self) -> None:
        runtime: BotRuntime | None = self.bot_data.get(BOT_DATA_KEY)
        await super().shutdown()
        # The chart worker is per process and outlives one Application (tests build many);
        # concurrent.futures stops it when the interpreter exits.
        if runtime is not None:
            await runtime.engine.dispose()


def build_application(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now
) -> PennyApplication:
    """The bot, configured from settings, with every handler registered."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the bot")
    builder: Any = (
        ApplicationBuilder()
        .application_class(PennyApplication)
        .token(settings.telegram_bot_token.get_secret_value())
        # One connection for the long poll, as PTB's default; unreadable updates are skipped.
        .get_updates_request(ReadableUpdatesRequest(connection_pool_size=1))
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if settings.telegram_api_base_file_url:
        builder = builder.base_file_url(settings.telegram_api_base_file_url)
    if settings.rate_limit:
        # Telegram allows about 30 messages a second overall; the limiter spreads bursts.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    gate = (
        flood.FloodGate(settings.flood_burst, settings.flood_rate)
        if settings.flood_burst > 0
        else None
    )
    # Always this processor, even for one update at a time: a flooding user waits for their
    # turn on their own lock, not in the one slot everyone shares.
    processor = PerUserUpdateProcessor(max(1, settings.concurrent_updates), gate)
    builder = builder.concurrent_updates(processor)
    app: PennyApplication = builder.build()
    if gate is not None:
        app.bot_data[flood.GATE_KEY] = gate
    app.penny_settings = settings
    app.penny_clock = clock
    register_handlers(app, admin_chat_id=settings.admin_chat_id)
    if settings.scheduler_interval_seconds > 0 and app.job_queue is not None:
        app.job_queue.run_repeating(
            scheduler.tick_job, interval=settings.scheduler_interval_seconds, first=5
        )
    return app


def register_handlers(app: Application, *, admin_chat_id: int | None = None) -> None:  # type: ignore[type-arg]
    """Every handler, in the order PTB tries them."""
    private = filters.ChatType.PRIVATE
    group = filters.ChatType.GROUPS
    # Channels never: a household is a group of people, and a channel has no members to log.
    in_chat = private | group
    new_message = filters.UpdateType.MESSAGE
    # Group -3 runs before everything: a flooding user hears once that their updates are paced
    # (bot.concurrency waits for their turns); a refused backlog stops here, before the database.
    app.add_handler(TypeHandler(Update, flood.throttle), group=-3)
    # Group -2: in webhook mode an update another process already took stops here.
    app.add_handler(TypeHandler(Update, webhook.handle_once), group=-2)
    # Group -1: a group's button pressed by anyone who is not a member stops here.
    app.add_handler(TypeHandler(Update, households.members_only), group=-1)
    # The operator's commands come first and only from ADMIN_CHAT_ID (a private chat or a
    # group); anywhere else /reply and /stats are unknown commands.
    if admin_chat_id is not None:
        operator_chat = filters.Chat(admin_chat_id) & new_message
        app.add_handler(CommandHandler("reply", admin.reply, filters=operator_chat))
        app.add_handler(CommandHandler("stats", admin.stats, filters=operator_chat))
    # What a group does differently, tried before the commands every chat has.
    group_commands: dict[str, HandlerCallback] = {
        "start": households.group_start,
        "import": errors.private_only,  # one person's file and choices, not a group's
        # A login link posted in a group would open the household to whoever taps it first;
        # the dashboard signs in one person (its member filter comes later, issue 18).
        "dashboard": errors.private_only,
        # A person's own voice and link: feedback, an invite, the opt-in comparison.
        "feedback": errors.private_only,
        "invite": errors.private_only,
        "compare": errors.private_only,
    }
    for name, callback in group_commands.items():
        app.add_handler(CommandHandler(name, callback, filters=group & new_message))
    commands: dict[str, HandlerCallback] = {
        "start": start.start,
        "help": start.help_command,
        "add": entries.add_command,
        "split": households.split_command,
        "debts": households.debts_command,
        "settle": households.settle_command,
        "currency": start.currency_command,
        "timezone": start.timezone_command,
        "balance": balance.balance,
        "history": history.history,
        "undo": history.undo,
        "export": export.export,
        "privacy": privacy.privacy,
        "deleteme": privacy.deleteme,
        "import": importing.import_command,
        "categories": categories.categories,
        "budget": budgets.budget,
        "remind": reminders.remind,
        "recurring": recurring.recurring,
        "settings": settings_handlers.settings,
        "report": report_handlers.report,
        "rate": report_handlers.rate,
        "chart": chart_handlers.chart,
        "dashboard": dashboard.dashboard,
        "goal": goals.goal,
        "goals": goals.goal,
        "feedback": feedback.feedback,
        "invite": invites.invite,
        "compare": compare.compare,
        "sort": sorting.sort_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=in_chat & new_message))

    # Each handler module declares its buttons (prefix, data format, handler) in one place.
    for pattern, callback in buttons.registered():
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    # Forged or outdated callback data still gets an answer, so the client stops spinning.
    app.add_handler(CallbackQueryHandler(lambda u, c: answer_stale(u)))

    # Members coming and going, and a group that became a supergroup.
    app.add_handler(ChatMemberHandler(households.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(ChatMemberHandler(households.member_changed, ChatMemberHandler.CHAT_MEMBER))
    app.add_handler(
        MessageHandler(group & filters.StatusUpdate.LEFT_CHAT_MEMBER, households.member_left)
    )
    app.add_handler(MessageHandler(group & filters.StatusUpdate.MIGRATE, households.group_moved))

    text = in_chat & filters.TEXT & ~filters.COMMAND
    edited = filters.UpdateType.EDITED_MESSAGE
    # An edited "/add groceries 80" is re-read like an edited "groceries 80".
    edited_add = in_chat & filters.TEXT & filters.Regex(r"(?i)^/add(@\w+)?(\s|$)")
    app.add_handler(MessageHandler(text & new_message, entries.log_text))
    app.add_handler(MessageHandler((text | edited_add) & edited, entries.edit_text))
    app.add_handler(MessageHandler(private & new_message & filters.COMMAND, unknown_command))
    app.add_handler(
        MessageHandler(private & new_message & filters.Document.ALL, importing.import_file)
    )
    app.add_handler(MessageHandler(private & new_message, errors.not_text))

    app.add_error_handler(errors.on_error)


async def unknown_command(update: Update, context: Any) -> None:
    """Point to /help for a command Penny doesn't have."""
    await message_of(update).reply_text("I don't know that command. /help lists them all.")
