"""Small key/value facts about the database itself (e.g. which defaults were seeded)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError


def get_meta(db: Database, key: str) -> str | None:
    """The stored value for key, or None."""
    try:
        return db.table("meta").get(key)["value"]
    except NotFoundError:
        return None


def set_meta(db: Database, key: str, value: str) -> None:
    """Store value under key, replacing any earlier one."""
    db.table("meta").upsert({"key": key, "value": value}, pk="key")
