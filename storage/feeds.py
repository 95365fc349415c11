"""The feeds table: the list of feeds and each one's health (last success, last error)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from sqlite_utils import Database

from bot.models import Feed
from storage.db import from_iso, to_iso

_SELECT = """
    SELECT f.*,
           (SELECT count(*) FROM items i WHERE i.feed_id = f.id) AS item_count,
           (SELECT count(*) FROM items i
             WHERE i.feed_id = f.id AND i.published_at >= :since) AS recent_count
    FROM feeds f
"""
# Feeds listed without a `since` count every item as recent.
_EPOCH = "0000"


def _feed(row: dict) -> Feed:
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_success_at=from_iso(row["last_success_at"]),
        last_error=row["last_error"],
        last_error_at=from_iso(row["last_error_at"]),
        error_count=row["error_count"],
        is_enabled=bool(row["is_enabled"]),
        item_count=row.get("item_count", 0) or 0,
        recent_count=row.get("recent_count", 0) or 0,
        failing_since=from_iso(row["failing_since"]),
        next_poll_at=from_iso(row["next_poll_at"]),
        disabled_reason=row["disabled_reason"],
        alerted_at=from_iso(row["alerted_at"]),
        last_error_kind=row.get("last_error_kind"),
        outlet=row.get("outlet"),
        kind=row.get("kind") or "feed",
        site=row.get("site"),
        site_checked_at=from_iso(row.get("site_checked_at")),
    )


def add_feed(
    db: Database,
    url: str,
    now: datetime,
    title: str = "",
    *,
    kind: str = "feed",
    site: str | None = None,
) -> Feed:
    """Insert a feed (of a kind, for a site); raises sqlite3.IntegrityError if the URL is
    already there. A feed added for a site counts as its source checked now."""
    cursor = db.execute(
        "INSERT INTO feeds (url, title, added_at) VALUES (?, ?, ?)", [url, title, to_iso(now)]
    )
    if kind != "feed" or site:  # (a plain feed needs no m016 column: old schemas take it)
        db.execute(
            "UPDATE feeds SET kind = ?, site = ?, site_checked_at = ? WHERE id = ?",
            [kind, site, to_iso(now) if site else None, cursor.lastrowid],
        )
    feed = get_feed(db, cursor.lastrowid)
    assert feed is not None
    return feed


def add_feeds_if_missing(db: Database, urls: list[tuple[str, str]], now: datetime) -> int:
    """Insert (url, title) pairs whose URL is not stored yet; return how many were added."""
    with db.atomic():
        before = db.table("feeds").count
        for url, title in urls:
            db.execute(
                "INSERT OR IGNORE INTO feeds (url, title, added_at) VALUES (?, ?, ?)",
                [url, title, to_iso(now)],
            )
        return db.table("feeds").count - before


def get_feed(db: Database, feed_id: int) -> Feed | None:
    """One feed by id, or None."""
    rows = list(db.query(_SELECT + " WHERE f.id = :id", {"id": feed_id, "since": _EPOCH}))
    return _feed(rows[0]) if rows else None


def get_feed_by_url(db: Database, url: str) -> Feed | None:
    """One feed by its exact stored URL, or None."""
    rows = list(db.query(_SELECT + " WHERE f.url = :url", {"url": url, "since": _EPOCH}))
    return _feed(rows[0]) if rows else None


def list_feeds(
    db: Database, *, enabled_only: bool = False, recent_since: datetime | None = None
) -> list[Feed]:
    """All feeds in the order they were added, with their item counts (and recent ones)."""
    where = " WHERE f.is_enabled = 1" if enabled_only else ""
    since = to_iso(recent_since) if recent_since else _EPOCH
    return [_feed(row) for row in db.query(_SELECT + where + " ORDER BY f.id", {"since": since})]


def list_due(db: Database, now: datetime) -> list[Feed]:
    """Enabled feeds whose backoff, if any, has run out."""
    sql = (
        _SELECT
        + """
        WHERE f.is_enabled = 1 AND (f.next_poll_at IS NULL OR f.next_poll_at <= :now)
        ORDER BY f.id"""
    )
    return [_feed(row) for row in db.query(sql, {"since": _EPOCH, "now": to_iso(now)})]


def remove_feed(db: Database, feed_id: int) -> bool:
    """Delete a feed and its items; False if there was no such feed."""
    return db.execute("DELETE FROM feeds WHERE id = ?", [feed_id]).rowcount > 0


def record_success(
    db: Database,
    feed_id: int,
    now: datetime,
    *,
    title: str | None,
    etag: str | None,
    last_modified: str | None,
) -> None:
    """Remember a good fetch: validators for the next conditional GET, and clear the error."""
    db.execute(
        """UPDATE feeds SET
             title = CASE WHEN ? <> '' THEN ? ELSE title END,
             etag = ?, last_modified = ?, last_polled_at = ?, last_success_at = ?,
             last_error = NULL, error_count = 0, failing_since = NULL, next_poll_at = NULL
           WHERE id = ?""",
        [title or "", title or "", etag, last_modified, to_iso(now), to_iso(now), feed_id],
    )


def record_failure(
    db: Database,
    feed_id: int,
    error: str,
    now: datetime,
    retry_at: datetime | None = None,
    kind: str | None = None,
) -> None:
    """Remember a failed fetch (its detail and kind) and when to try again; stored items and
    validators stay."""
    db.execute(
        """UPDATE feeds SET last_error = ?, last_error_kind = ?, last_error_at = ?,
             last_polled_at = ?, error_count = error_count + 1,
             failing_since = coalesce(failing_since, ?), next_poll_at = ?
           WHERE id = ?""",
        [
            error[:300],
            kind,
            to_iso(now),
            to_iso(now),
            to_iso(now),
            to_iso(retry_at) if retry_at else None,
            feed_id,
        ],
    )


def disable_feed(
    db: Database, feed_id: int, reason: str, now: datetime, kind: str | None = None
) -> None:
    """Stop polling a feed (e.g. 410 Gone); it stays listed, with the reason."""
    db.execute(
        """UPDATE feeds SET is_enabled = 0, disabled_reason = ?, last_error = ?,
             last_error_kind = ?, last_error_at = ?, failing_since = coalesce(failing_since, ?)
           WHERE id = ?""",
        [reason, reason, kind, to_iso(now), to_iso(now), feed_id],
    )


def move_feed(db: Database, feed_id: int, url: str) -> bool:
    """Store a feed's new URL after a permanent redirect; False if another feed has it."""
    try:
        db.execute("UPDATE feeds SET url = ? WHERE id = ?", [url, feed_id])
    except sqlite3.IntegrityError:
        return False
    return True


def mark_alerted(db: Database, feed_id: int, when: datetime | None) -> None:
    """Remember that admins were told the feed is failing (None: told it recovered)."""
    db.execute(
        "UPDATE feeds SET alerted_at = ? WHERE id = ?",
        [to_iso(when) if when else None, feed_id],
    )


def count_feeds(db: Database) -> int:
    """How many feeds are stored."""
    return db.table("feeds").count


def set_outlet(db: Database, feed_id: int, outlet: str | None) -> bool:
    """Name the outlet a feed's items are shown under; False if there is no such feed."""
    return db.execute("UPDATE feeds SET outlet = ? WHERE id = ?", [outlet, feed_id]).rowcount > 0


def unnamed_feeds(db: Database) -> list[tuple[int, str]]:
    """(id, url) of the feeds without an outlet name."""
    return [
        (row["id"], row["url"])
        for row in db.query("SELECT id, url FROM feeds WHERE outlet IS NULL OR outlet = ''")
    ]


def add_site_feeds_if_missing(
    db: Database, sites: list[tuple[str, str, str, str]], now: datetime
) -> int:
    """Insert (site, url, title, outlet) rows for sites none of whose feeds is stored yet: the
    stand-in source (a Google News search) of a site whose own is looked for after start
    (site_checked_at stays empty until then). Returns how many were added."""
    added = 0
    with db.atomic():
        for site, url, title, outlet in sites:
            known = db.execute("SELECT 1 FROM feeds WHERE site = ? OR url = ?", [site, url])
            if known.fetchone():
                continue
            db.execute(
                "INSERT INTO feeds (url, title, added_at, kind, site, outlet)"
                " VALUES (?, ?, ?, 'googlenews', ?, ?)",
                [url, title, to_iso(now), site, outlet],
            )
            added += 1
    return added


def sites_to_check(db: Database) -> list[Feed]:
    """Enabled feeds standing for a site whose own source was never looked for."""
    sql = (
        _SELECT
        + """
        WHERE f.site IS NOT NULL AND f.site_checked_at IS NULL AND f.is_enabled = 1
        ORDER BY f.id"""
    )
    return [_feed(row) for row in db.query(sql, {"since": _EPOCH})]


def feed_for_site(db: Database, site: str) -> Feed | None:
    """The feed that stands for a site (the first, if several), or None."""
    rows = list(
        db.query(
            _SELECT + " WHERE f.site = :site ORDER BY f.id LIMIT 1",
            {"since": _EPOCH, "site": site},
        )
    )
    return _feed(rows[0]) if rows else None


def mark_site_checked(db: Database, feed_id: int, now: datetime) -> None:
    """Remember that the feed's site was looked at for a source of its own."""
    db.execute("UPDATE feeds SET site_checked_at = ? WHERE id = ?", [to_iso(now), feed_id])


def switch_source(db: Database, feed_id: int, url: str, kind: str, now: datetime) -> None:
    """Follow a feed through another address of its site: the validators of the old one are
    dropped. Raises sqlite3.IntegrityError if another feed has that URL."""
    db.execute(
        """UPDATE feeds SET url = ?, kind = ?, etag = NULL, last_modified = NULL,
             site_checked_at = ? WHERE id = ?""",
        [url, kind, to_iso(now), feed_id],
    )
