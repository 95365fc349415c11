"""Full-text search of stored items (the items_fts index of migration m011), and the saved
searches that /cari's page buttons point to."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from bot.models import StoredItem
from storage.db import OUTLET_NAME, open_read_only, to_iso
from storage.items import stored_item

# SQLite steps between two looks at a search's deadline: often enough to stop within a
# millisecond or so, rarely enough to cost nothing measurable.
DEADLINE_STEPS = 200
# Matches a search counts up to; past it, the reader reads "more than 2,000".
COUNT_UP_TO = 2_000
# Matches past which a search's page is found by walking the items newest first (see
# search_items): past it, at least one item in a hundred matches on 100,000, so a page of five
# is found within a few hundred items.
WALK_FROM = 1_000


def search_items(
    db: Database,
    match: str,
    *,
    topics: Sequence[str] = (),
    outlets: Sequence[str] = (),
    limit: int,
    offset: int = 0,
    most: int = COUNT_UP_TO,
) -> tuple[int, list[StoredItem]]:
    """Items whose title or summary satisfy an FTS5 MATCH expression, newest first.

    `match` must be built by the caller from parsed words (never raw user input). `topics`
    limits to items tagged with any of those slugs; `outlets` to feeds whose outlet name
    (storage.outlets.outlet_name) contains any of those words. Returns the number of matches (up to
    `most` + 1: more than `most`) and one page of them.
    """
    matched = "SELECT rowid FROM items_fts WHERE items_fts MATCH ?"
    tagged = f"""SELECT item_id FROM item_topics
                 WHERE topic_slug IN ({", ".join("?" for _ in topics)})"""
    # Only the name readers see is matched, never the URL, which may hold a password that a
    # LIKE could otherwise be made to reveal a character at a time (issue 27).
    named = "SELECT f.id FROM feeds f WHERE " + " OR ".join(
        f"{OUTLET_NAME} LIKE ? ESCAPE '\\'" for _ in outlets
    )
    # The reader's % and _ are letters, not wildcards.
    likes = [
        "%" + outlet.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for outlet in outlets
    ]
    where, params = [f"i.id IN ({matched})"], [match]
    if topics:
        where.append(f"i.id IN ({tagged})")
        params.extend(topics)
    if outlets:
        where.append(f"i.feed_id IN ({named})")
        params.extend(likes)
    total = _count(db, match, matched, topics, named, likes, most)
    if not total:
        return 0, []
    # Many matches (a common word): walking the items from the newest and keeping the
    # matches stops after a page, where sorting them all by date read every one of them
    # (42,000 for a word in 42% of 100,000 items). Few matches: they are sorted.
    walk = "INDEXED BY items_published_at" if total >= WALK_FROM else ""
    rows = db.query(
        f"""SELECT i.id, i.feed_id, i.title, i.link, i.summary, i.published_at,
                   (SELECT {OUTLET_NAME} FROM feeds f WHERE f.id = i.feed_id) AS source,
                   (SELECT group_concat(topic_slug) FROM item_topics it
                    WHERE it.item_id = i.id) AS tags
            FROM items i {walk} WHERE {" AND ".join(where)}
            ORDER BY i.published_at DESC, i.id DESC LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )
    return total, [stored_item(row) for row in rows]


def _count(
    db: Database,
    match: str,
    matched: str,
    topics: Sequence[str],
    named: str,
    likes: list[str],
    most: int,
) -> int:
    """How many items match, up to `most` + 1 (a reader is told "more than 2,000", and the
    rest of 40,000 is not worth reading), counted from the smallest side: the index alone, or
    a topic's tags; never by reading each match's item (the unary + keeps SQLite from
    driving the count by the matches' ids)."""
    if topics:
        outlet = f"JOIN items i ON i.id = it.item_id AND +i.feed_id IN ({named})" if likes else ""
        rows = f"""SELECT DISTINCT it.item_id FROM item_topics it {outlet}
                   WHERE it.topic_slug IN ({", ".join("?" for _ in topics)})
                   AND +it.item_id IN ({matched})"""
        params = [*likes, *topics, match]
    elif likes:
        rows = f"SELECT 1 FROM items i WHERE i.feed_id IN ({named}) AND +i.id IN ({matched})"
        params = [*likes, match]
    else:
        rows, params = matched, [match]
    sql = f"SELECT count(*) AS n FROM ({rows} LIMIT ?)"
    return next(db.query(sql, [*params, most + 1]))["n"]


def search_within(
    path: Path | str,
    match: str,
    *,
    seconds: float,
    topics: Sequence[str] = (),
    outlets: Sequence[str] = (),
    limit: int,
    offset: int = 0,
) -> tuple[int, list[StoredItem]] | None:
    """search_items on a read-only connection of its own (so it may run in a thread, off the
    bot's event loop), given `seconds`: None when SQLite had to stop it at the deadline."""
    db = open_read_only(path)
    deadline = time.monotonic() + seconds
    db.conn.set_progress_handler(lambda: time.monotonic() > deadline, DEADLINE_STEPS)
    try:
        return search_items(db, match, topics=topics, outlets=outlets, limit=limit, offset=offset)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            return None
        raise
    finally:
        db.close()


def save_search(db: Database, chat_id: int, query: str, now: datetime) -> int:
    """Remember a chat's search so its page buttons can carry a short id; returns the id."""
    cursor = db.execute(
        "INSERT INTO searches (chat_id, query, created_at) VALUES (?, ?, ?)",
        [chat_id, query, to_iso(now)],
    )
    return cursor.lastrowid


def get_search(db: Database, search_id: int, chat_id: int) -> str | None:
    """The words of a saved search of this chat, or None if unknown or pruned."""
    rows = list(
        db.query("SELECT query FROM searches WHERE id = ? AND chat_id = ?", [search_id, chat_id])
    )
    return rows[0]["query"] if rows else None


def prune_searches(db: Database, before: datetime) -> int:
    """Forget searches made before a moment; returns how many."""
    return db.execute("DELETE FROM searches WHERE created_at < ?", [to_iso(before)]).rowcount
