"""``penny backup PATH``: a consistent copy of the SQLite database, safe while the bot runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

# Pages copied per step; between steps the bot can keep writing (WAL mode).
PAGES_PER_STEP = 1024


class BackupError(Exception):
    """The backup could not be written."""


def sqlite_path(database_url: str) -> Path:
    """The database file behind a ``sqlite+aiosqlite:///`` URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "penny backup copies SQLite databases; for PostgreSQL use pg_dump (see docs/deploy.md)"
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("DATABASE_URL names no SQLite file to back up")
    return Path(url.database).expanduser()


def backup_sqlite(database_url: str, destination: Path) -> int:
    """Copy the live database to ``destination`` with SQLite's online backup API.

    The copy is a consistent snapshot even while Penny writes. It is written next to the
    destination and renamed into place, so a half-written backup never looks finished.
    Returns the size in bytes.
    """
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}")
    destination = destination.expanduser()
    if destination.is_dir():
        destination = destination / source_path.name
    if destination.resolve() == source_path.resolve():
        raise BackupError("the backup must go to another file than the database itself")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    # Read-only on the source: a backup never changes the live database.
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(partial)
    try:
        source.backup(target, pages=PAGES_PER_STEP)
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    except sqlite3.Error as exc:
        raise BackupError(f"backup failed: {exc}") from exc
    finally:
        target.close()
        source.close()
    partial.replace(destination)
    return destination.stat().st_size
