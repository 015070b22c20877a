"""``python -m bot`` / ``penny``: run on Telegram, or the offline local chat without a token.

``penny backup PATH`` writes a consistent copy of the SQLite database, even while Penny runs.
"""

from __future__ import annotations

import argparse
import faulthandler
import sys
from pathlib import Path

from telegram import Update

from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging


def main(argv: list[str] | None = None) -> None:
    # A fatal signal (SIGBUS from a damaged SQLite file, SIGSEGV in a C library) prints the
    # Python traceback to stderr instead of leaving no word at all.
    faulthandler.enable()
    parser = argparse.ArgumentParser(prog="penny", description="Penny, the expense-tracker bot.")
    commands = parser.add_subparsers(dest="command")
    backup = commands.add_parser("backup", help="copy the SQLite database to PATH, safely live")
    backup.add_argument("path", type=Path, help="file (or directory) to write the backup to")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None
    if args.command == "backup":
        run_backup(settings, args.path)
        return
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    configure_logging(settings.log_level, secrets=(token, secret))
    if not token:
        from bot.offline.local_chat import main_local

        # The chat owns the terminal; only warnings go to the log there.
        configure_logging("WARNING", secrets=(token, secret))
        main_local(settings)
        return

    from bot.app import build_application
    from models.db import DatabaseFileError

    app = build_application(settings)
    try:
        if settings.webhook_url:
            from bot.webhook import run_webhook

            run_webhook(app, settings)
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except DatabaseFileError as exc:
        print(f"penny: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def run_backup(settings: Settings, path: Path) -> None:
    from bot.backup import BackupError, backup_sqlite

    try:
        size = backup_sqlite(settings.database_url, path)
    except BackupError as exc:
        print(f"penny backup: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"Backed up {size:,} bytes to {path}")


if __name__ == "__main__":
    main()
