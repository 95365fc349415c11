"""The items table and its topic tags: storing new items once, and reading them for digests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlite_utils import Database

from bot.models import Item, StoredItem
from storage.db import from_iso, to_iso

_SELECT = """
    SELECT i.id, i.feed_id, i.title, i.link, i.summary, i.published_at,
           coalesce(nullif(f.outlet, ''), nullif(f.title, ''), f.url) AS source,
           group_concat(it.topic_slug) AS tags
    FROM items i
    JOIN feeds f ON f.id = i.feed_id
    JOIN item_topics it ON it.item_id = i.id
"""


def _stored(row: dict) -> StoredItem:
    return StoredItem(
        id=row["id"],
        feed_id=row["feed_id"],
        source=row["source"],
        title=row["title"],
        link=row["link"],
        summary=row["summary"],
        published_at=from_iso(row["published_at"]),
        tags=tuple(sorted(set((row["tags"] or "").split(",")) - {""})),
        is_local=bool(row.get("is_local")),
    )


def _placeholders(values: Sequence) -> str:
    return ", ".join("?" for _ in values)


def insert_new(db: Database, feed_id: int, items: Iterable[Item], now: datetime) -> list[int]:
    """Store the items not stored yet (by item key, in any feed) with their tags.

    Returns the ids of the new rows; an item seen before is left untouched, so re-polling a
    feed adds nothing, and a story that two feeds carry is stored once, under the first.
    """
    new_ids: list[int] = []
    with db.atomic():
        known = {row["slug"] for row in db.query("SELECT slug FROM topics")}
        for item in items:
            # The key is the canonical link: the same story in another feed is already here.
            if next(db.query("SELECT count(*) AS n FROM items WHERE item_key = ?",
                             [item.key]))["n"]:
                continue
            cursor = db.execute(
                """INSERT OR IGNORE INTO items
                     (feed_id, item_key, guid, title, link, summary, published_at, fetched_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    feed_id, item.key, item.guid, item.title, item.link, item.summary,
                    to_iso(item.published_at), to_iso(now),
                ],
            )
            if cursor.rowcount != 1:
                continue
            new_ids.append(cursor.lastrowid)
            for slug in item.tags:
                if slug in known:  # a topic deleted while the poll ran is simply skipped
                    db.execute(
                        "INSERT OR IGNORE INTO item_topics (item_id, topic_slug) VALUES (?, ?)",
                        [cursor.lastrowid, slug],
                    )
    return new_ids


# A digest's candidates for one topic: not sent, not waiting in the outbox, not offered in an
# earlier digest (id above the chat's offered_through), and present when the digest was begun
# (id at most `through`), so items stored while it is composed wait for the next one.
_CANDIDATE_WHERE = """
    FROM item_topics it
    JOIN items i ON i.id = it.item_id
    JOIN feeds f ON f.id = i.feed_id
    WHERE it.topic_slug = :slug
      AND i.published_at >= :since AND i.id > :after AND i.id <= :through
      {narrow}
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.chat_id = :chat AND d.item_id = i.id)
      AND NOT EXISTS (SELECT 1 FROM outbox o, json_each(o.item_ids) j
                      WHERE o.chat_id = :chat AND o.state = 'pending' AND j.value = i.id)
"""
_NARROW = """AND EXISTS (SELECT 1 FROM item_topics r WHERE r.item_id = i.id
                             AND r.topic_slug IN ({regions}))"""


def digest_candidates(
    db: Database,
    chat_id: int,
    slug: str,
    *,
    since: datetime,
    after: int,
    through: int,
    regions: Sequence[str] = (),
    limit: int,
) -> tuple[list[StoredItem], int]:
    """The newest `limit` items of one topic a chat's next digest may show, and how many
    there are in all (read without loading them: a busy backlog costs one count).

    With `regions`, only items also on one of those topics (a subject narrowed to the reader's
    regions). Each item carries all its tags and whether one of them is a region.
    """
    params: dict[str, object] = {
        "slug": slug, "since": to_iso(since), "after": after, "through": through,
        "chat": chat_id, "limit": limit,
    }
    narrow = ""
    if regions:
        names = [f"r{n}" for n in range(len(regions))]
        params.update(zip(names, regions, strict=True))
        narrow = _NARROW.format(regions=", ".join(f":{name}" for name in names))
    where = _CANDIDATE_WHERE.format(narrow=narrow)
    total = next(db.query(f"SELECT count(*) AS n {where}", params))["n"]
    rows = db.query(
        f"""SELECT i.id, i.feed_id, i.title, i.link, i.summary, i.published_at,
               coalesce(nullif(f.outlet, ''), nullif(f.title, ''), f.url) AS source,
               (SELECT group_concat(a.topic_slug) FROM item_topics a
                WHERE a.item_id = i.id) AS tags,
               EXISTS (SELECT 1 FROM item_topics x JOIN topics t ON t.slug = x.topic_slug
                       WHERE x.item_id = i.id AND t.kind = 'region') AS is_local
            {where}
            ORDER BY i.published_at DESC, i.id DESC
            LIMIT :limit""",
        params,
    )
    return [_stored(row) for row in rows], total


def newest_id(db: Database) -> int:
    """The id of the newest stored item (0 when there is none)."""
    return next(db.query("SELECT coalesce(max(id), 0) AS n FROM items"))["n"]


def latest(db: Database, topics: Sequence[str], limit: int = 10,
           offset: int = 0) -> list[StoredItem]:
    """The newest items on any of the topics, delivered or not, skipping the `offset` newest."""
    if not topics:
        return []
    sql = (
        _SELECT
        + f"""
        WHERE it.topic_slug IN ({_placeholders(topics)})
        GROUP BY i.id
        ORDER BY i.published_at DESC, i.id DESC
        LIMIT ? OFFSET ?
        """
    )
    return [_stored(row) for row in db.query(sql, [*topics, limit, offset])]


def count_items(db: Database) -> int:
    """How many items are stored."""
    return db.table("items").count


def topic_counts_since(db: Database, since: datetime) -> dict[str, int]:
    """Items per topic published since `since`, for every topic (zero included)."""
    sql = """
        SELECT t.slug, count(i.id) AS n
        FROM topics t
        LEFT JOIN item_topics it ON it.topic_slug = t.slug
        LEFT JOIN items i ON i.id = it.item_id AND i.published_at >= ?
        GROUP BY t.slug ORDER BY t.position, t.slug
    """
    return {row["slug"]: row["n"] for row in db.query(sql, [to_iso(since)])}


def tagged_since(db: Database, since: datetime) -> list[tuple[int, str, str, frozenset[str]]]:
    """(id, title, summary, topic slugs) of every item published since `since`, newest first."""
    rows = db.query(
        """SELECT i.id, i.title, i.summary, group_concat(it.topic_slug) AS tags
           FROM items i LEFT JOIN item_topics it ON it.item_id = i.id
           WHERE i.published_at >= ?
           GROUP BY i.id ORDER BY i.published_at DESC, i.id DESC""",
        [to_iso(since)],
    )
    return [
        (row["id"], row["title"], row["summary"], frozenset((row["tags"] or "").split(",")) - {""})
        for row in rows
    ]


def change_tags(
    db: Database, added: Iterable[tuple[int, str]], removed: Iterable[tuple[int, str]]
) -> None:
    """Add and remove (item id, topic slug) tags in one transaction."""
    with db.atomic():
        for item_id, slug in added:
            db.execute(
                "INSERT OR IGNORE INTO item_topics (item_id, topic_slug) VALUES (?, ?)",
                [item_id, slug],
            )
        for item_id, slug in removed:
            db.execute(
                "DELETE FROM item_topics WHERE item_id = ? AND topic_slug = ?", [item_id, slug]
            )
