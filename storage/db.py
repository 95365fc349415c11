"""Opening the SQLite database: folder, pragmas, migrations; and the UTC timestamp format.

Storage modules import only stdlib, sqlite_utils, `bot.models` and `bot.errors`.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from storage.files import create_private_file
from storage.migrations import MIGRATIONS
from storage.outlets import outlet_name

# What an outlet is called, in SQL: outlet_name(f.outlet, f.title, f.url), the one function
# that decides it (storage.outlets.outlet_name), registered on every connection Warta opens.
OUTLET_NAME = "outlet_name(f.outlet, f.title, f.url)"


def register_functions(db: Database) -> Database:
    """Give a connection the SQL functions Warta's queries use; returns it."""
    db.register_function(outlet_name, deterministic=True, replace=True)
    return db


# How long a write waits for another connection's write lock, by default (the command-line
# tools); the bot's event loop waits far less and tries again later (bot/runtime/patience.py).
BUSY_TIMEOUT = 5.0


def open_database(path: Path | str, *, busy_timeout: float = BUSY_TIMEOUT) -> Database:
    """Open (creating folder and file if needed) the database and bring its schema up to date;
    from then on a write waits at most `busy_timeout` seconds for another writer's lock."""
    path = Path(path)
    # Subscribers' chat ids and settings are nobody else's business on a shared machine: the
    # folders Warta creates are its owner's only, and so is the database (SQLite gives its -wal
    # and -shm files the database file's mode).
    if not path.exists():
        create_private_file(path)
    db = Database(path)
    db.execute("PRAGMA foreign_keys=ON")
    # WAL lets the command-line tools read while the bot writes; it must be set outside a
    # transaction, and query() runs PRAGMAs that way.
    list(db.query("PRAGMA journal_mode=WAL"))
    # In WAL mode, NORMAL syncs the log at checkpoints instead of at every commit: a killed
    # process loses nothing (the OS holds the log), a power cut may lose the last commits but
    # never corrupts the file. The bot commits once per message sent; a disk flush each time
    # was most of a morning run's cost.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=5000")
    MIGRATIONS.apply(db)  # with the default patience: opening happens once, before serving
    db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    return register_functions(db)


def is_busy(error: BaseException) -> bool:
    """Whether an error is SQLite's lock held by another connection ("database is locked",
    "database table is locked"): it passes once the other writer commits, so the write may
    simply be tried again."""
    return isinstance(error, sqlite3.OperationalError) and "is locked" in str(error)


def open_read_only(path: Path | str) -> Database:
    """Open an existing database for reading only: no folder, no migrations, no writes."""
    return register_functions(
        Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30))
    )


def database_file(db: Database) -> str:
    """The file a connection has open (for a second, read-only connection to it)."""
    return next(db.query("PRAGMA database_list"))["file"]


def to_iso(moment: datetime) -> str:
    """A timezone-aware datetime as ISO-8601 UTC text, sortable as a string."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def from_iso(text: str | None) -> datetime | None:
    """The inverse of to_iso; None stays None."""
    return datetime.fromisoformat(text) if text else None


# Stored times are ISO-8601 UTC text; counting by quarter hour in SQL keeps a month's chart to
# a few thousand rows, and every time zone's offset is a whole number of quarter hours, so the
# quarters fall into local days exactly.
QUARTER = """substr({col}, 1, 14)
             || printf('%02d', cast(substr({col}, 15, 2) AS integer) / 15 * 15)"""


def quarter_start(text: str) -> datetime:
    """The UTC datetime of a QUARTER value ("2026-11-27T07:45")."""
    return datetime.fromisoformat(text + ":00+00:00")
