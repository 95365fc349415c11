"""Copies of the database file: SQLite's online backup API (safe while the bot writes), and
the checks a copy passes before it may replace the database."""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from storage.files import create_private_file, make_private
from storage.migrations import MIGRATIONS


@dataclass(frozen=True)
class FileCheck:
    """What a database file holds: its integrity and its schema version."""

    integrity: str  # "ok", or SQLite's first complaint
    applied: tuple[str, ...]  # the migrations applied to it
    unknown: tuple[str, ...]  # applied migrations this Warta does not know (a newer version's)
    pending: tuple[str, ...]  # migrations this Warta would still apply
    # How its tables, views and triggers differ from those Warta's own migrations make
    # ("extra trigger x", "changed table y", "missing view z"); empty when they are the same.
    schema: tuple[str, ...] = ()

    @property
    def is_warta(self) -> bool:
        """The file has Warta's schema (at least its first migration)."""
        return bool(self.applied)


def backup_database(source: Path, target: Path) -> int:
    """Copy the database at `source` to `target` with the backup API; returns its size.

    Written to a temporary file beside the target and renamed, so a crash never leaves a
    half-written backup under the real name.
    """
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # A copy holds every subscriber's chat id and the feeds' credentials: 0600 from the start
    # (its folders 0700), before SQLite writes a byte into it.
    create_private_file(partial)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            # One step: the copy is a single consistent snapshot (WAL lets the bot go on
            # writing meanwhile).
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)
    return target.stat().st_size


def daily_backup_name(moment: datetime) -> str:
    """The name of the daily backup taken at `moment`: warta-20261125-100000.db."""
    return f"warta-{moment:%Y%m%d-%H%M%S}.db"


# Only files with exactly that name are Warta's own: retention never touches anything else
# an operator keeps in the folder (warta-before-upgrade.db, warta-prod.db).
_DAILY_NAME = re.compile(r"warta-[0-9]{8}-[0-9]{6}\.db")


def list_daily_backups(folder: Path) -> list[Path]:
    """The daily backups in `folder`, oldest first: regular files with the exact daily name.
    Symbolic links are neither followed nor listed, whatever they point at (or if nothing).
    Empty when the folder is missing or is itself a symbolic link."""
    if folder.is_symlink() or not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        return sorted(
            Path(entry.path)
            for entry in entries
            if _DAILY_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
        )


def check_file(path: Path, *, quick: bool = False) -> FileCheck:
    """Integrity and schema version of a database file (opened read-only); quick_check
    instead of the full integrity_check when `quick` (a health check run every minute)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        pragma = "quick_check" if quick else "integrity_check"
        integrity = conn.execute(f"PRAGMA {pragma}").fetchone()[0]
        db = Database(conn)
        applied = tuple(m.name for m in MIGRATIONS.applied(db))
        pending = tuple(m.name for m in MIGRATIONS.pending(db))
        known = {m.name for m in MIGRATIONS.pending(Database(memory=True))}
        unknown = tuple(n for n in applied if n not in known)
        schema = () if unknown or not applied else schema_differences(db, pending)
    except sqlite3.DatabaseError as exc:  # "file is not a database", a torn header...
        return FileCheck(str(exc), (), (), ())
    finally:
        conn.close()
    return FileCheck(integrity, applied, unknown, pending, schema)


def _schema(db: Database) -> dict[tuple[str, str], object]:
    """A database's tables, views and triggers, each with what defines it: an ordinary table
    its columns, anything else (a view, a trigger, an FTS table) its SQL, spaces folded.
    SQLite's own objects (sqlite_*) are left out: only SQLite can make them."""
    found: dict[tuple[str, str], object] = {}
    for row in db.query(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite!_%' "
        "ESCAPE '!'"
    ):
        sql = " ".join((row["sql"] or "").split())
        if row["type"] == "table" and not sql.upper().startswith("CREATE VIRTUAL"):
            columns = db.query(
                'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?)',
                [row["name"]],
            )
            found[("table", row["name"])] = [tuple(c.values()) for c in columns]
        else:
            found[(row["type"], row["name"])] = sql
    return found


def schema_differences(db: Database, pending: tuple[str, ...]) -> tuple[str, ...]:
    """How the file's schema differs from the one Warta's migrations make, up to the same
    migration (a backup of an older Warta is compared with that Warta's schema): extra,
    missing or changed tables, views and triggers. A restored file is trusted as Warta's own
    (an extra trigger would run on every write; a view can stand where a table should)."""
    own_db = Database(memory=True)
    try:
        MIGRATIONS.apply(own_db, stop_before=pending[0] if pending else None)
        own = _schema(own_db)
    finally:
        own_db.close()
    theirs = _schema(db)
    differences = [f"extra {kind} {name}" for kind, name in sorted(theirs.keys() - own.keys())]
    differences += [f"missing {kind} {name}" for kind, name in sorted(own.keys() - theirs.keys())]
    differences += [
        f"changed {kind} {name}"
        for kind, name in sorted(own.keys() & theirs.keys())
        if own[(kind, name)] != theirs[(kind, name)]
    ]
    return tuple(differences)


def restore_database(source: Path, target: Path) -> None:
    """Replace the database at `target` with the copy at `source` (the bot must be stopped);
    the restored file is 0600, its folders 0700."""
    if target.exists():
        make_private(target)
    else:
        create_private_file(target)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # Fold the WAL into the file so the restored state is all in warta.db.
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()


def database_size(db: Database) -> int:
    """Bytes the database takes (pages in use and free), without the WAL."""
    pages = next(db.query("PRAGMA page_count"))["page_count"]
    size = next(db.query("PRAGMA page_size"))["page_size"]
    return pages * size


def integrity(db: Database) -> str:
    """PRAGMA quick_check: "ok", or the first problem found."""
    return next(db.query("PRAGMA quick_check"))["quick_check"]
