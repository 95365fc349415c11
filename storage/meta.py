"""Small key/value facts about the database itself (e.g. which defaults were seeded)."""

from __future__ import annotations

from sqlite_utils import Database


def get_meta(db: Database, key: str) -> str | None:
    """The stored value for key, or None."""
    rows = list(db.query("SELECT value FROM meta WHERE key = ?", [key]))
    return rows[0]["value"] if rows else None


def set_meta(db: Database, key: str, value: str) -> None:
    """Store value under key, replacing any earlier one."""
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
