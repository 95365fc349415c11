"""The items table and its topic tags: storing new items once, and reading them for digests."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime

from sqlite_utils import Database

from bot.models import Item, StoredItem
from storage.db import OUTLET_NAME, QUARTER, from_iso, quarter_start, to_iso

_SELECT = f"""
    SELECT i.id, i.feed_id, i.title, i.link, i.summary, i.published_at,
           {OUTLET_NAME} AS source,
           group_concat(it.topic_slug) AS tags
    FROM items i
    JOIN feeds f ON f.id = i.feed_id
    JOIN item_topics it ON it.item_id = i.id
"""


def stored_item(row: dict) -> StoredItem:
    """An item row (with its outlet's name as `source`, and where read its comma-joined
    `tags` and `is_local`) as the StoredItem the digest side works with."""
    return StoredItem(
        id=row["id"],
        feed_id=row["feed_id"],
        source=row["source"],
        title=row["title"],
        link=row["link"],
        summary=row["summary"],
        published_at=from_iso(row["published_at"]),
        tags=tuple(sorted(set((row.get("tags") or "").split(",")) - {""})),
        is_local=bool(row.get("is_local")),
    )


def _placeholders(values: Sequence) -> str:
    return ", ".join("?" for _ in values)


# New items are stored this many to a statement (8 values each, under SQLite's oldest limit of
# 999 bound parameters): one statement per feed instead of one per item.
_ROWS_PER_INSERT = 100
_ROW = "(?, ?, ?, ?, ?, ?, ?, ?)"
# Keys are looked up this many at a time: a feed lists a few dozen items, a hostile one may list
# thousands, and one statement stays well under SQLite's limit on bound parameters.
_KEYS_PER_QUERY = 500


def insert_new(db: Database, feed_id: int, items: Iterable[Item], now: datetime) -> list[int]:
    """Store the items not stored yet (by item key, in any feed) with their tags.

    Returns the ids of the new rows; an item seen before is left untouched, so re-polling a
    feed adds nothing, and a story that two feeds carry is stored once, under the first. A key
    listed twice in the same batch is stored once, as its first listing.
    """
    stored_at = to_iso(now)
    with db.atomic():
        # One query per step for the whole feed, not three per item: the poll's cost in the
        # bot's process is these round trips (issue 13). Inside atomic(), the connection's own
        # executemany is part of the same transaction.
        conn = db.conn
        known = {slug for (slug,) in conn.execute("SELECT slug FROM topics")}
        unseen = {item.key: item for item in _unseen(conn, items, stored_at)}
        rows = [
            (
                feed_id,
                item.key,
                item.guid,
                item.title,
                item.link,
                item.summary,
                to_iso(item.published_at),
                stored_at,
            )
            for item in unseen.values()
        ]
        new_ids: list[int] = []
        tags: list[tuple[int, str]] = []
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            conn.execute(
                f"""INSERT OR IGNORE INTO items
                      (feed_id, item_key, guid, title, link, summary, published_at, fetched_at)
                    VALUES {", ".join([_ROW] * len(chunk))}""",
                [value for row in chunk for value in row],
            )
        # No key of `unseen` was stored in any feed before this transaction, so this feed's
        # rows with those keys are the ones just stored. (Read back rather than with
        # RETURNING, which needs SQLite 3.35.)
        for item_id, key in sorted(_ids(conn, feed_id, list(unseen))):
            new_ids.append(item_id)
            # A topic deleted while the poll ran is simply skipped.
            tags += [(item_id, slug) for slug in unseen[key].tags if slug in known]
        conn.executemany(
            "INSERT OR IGNORE INTO item_topics (item_id, topic_slug) VALUES (?, ?)", tags
        )
        if new_ids:
            # The feed's new items enter the search index together (migration m013): one
            # statement costs less than half of a trigger per row.
            conn.execute(
                """INSERT INTO items_fts (rowid, title, summary)
                   SELECT id, title, summary FROM items
                   WHERE id IN (SELECT value FROM json_each(?))""",
                [json.dumps(new_ids)],
            )
    return new_ids


def _unseen(conn: sqlite3.Connection, items: Iterable[Item], stored_at: str) -> list[Item]:
    """The items whose key is neither stored nor a tombstone, each key once (its first
    listing); the tombstones of the others are marked seen at `stored_at`."""
    fresh: dict[str, Item] = {}
    for item in items:
        fresh.setdefault(item.key, item)
    # The key is the canonical link: the same story in another feed is already here.
    for key in _present(conn, "items", list(fresh)):
        del fresh[key]
    # A pruned item's key stays as a tombstone: an old story still listed is not new, and its
    # tombstone lives on while a feed lists it.
    buried = _present(conn, "item_tombstones", list(fresh))
    conn.executemany(
        "UPDATE item_tombstones SET last_seen_at = ? WHERE item_key = ?",
        [(stored_at, key) for key in buried],
    )
    return [item for key, item in fresh.items() if key not in buried]


def unknown_keys(db: Database, keys: Sequence[str]) -> set[str]:
    """The keys that are neither a stored item's nor a tombstone (nor an alias, which is kept
    as one): the items a poll would store as new."""
    conn, wanted = db.conn, list(dict.fromkeys(keys))
    known = _present(conn, "items", wanted) | _present(conn, "item_tombstones", wanted)
    return set(wanted) - known


def remember_keys(db: Database, keys: Iterable[str], now: datetime) -> None:
    """Keep keys an item was first known by (a Google News link replaced by the outlet's) as
    tombstones: while a feed lists them they are not new, and RETAIN_DAYS after it stops they
    are forgotten like any tombstone."""
    db.conn.executemany(
        """INSERT INTO item_tombstones (item_key, last_seen_at) VALUES (?, ?)
           ON CONFLICT (item_key) DO UPDATE SET last_seen_at = excluded.last_seen_at""",
        [(key, to_iso(now)) for key in keys],
    )


def _ids(conn: sqlite3.Connection, feed_id: int, keys: list[str]) -> list[tuple[int, str]]:
    """The (id, key) of the feed's items with these keys."""
    return list(
        _by_keys(
            conn,
            "SELECT id, item_key FROM items WHERE feed_id = ? AND item_key IN ({keys})",
            keys,
            feed_id,
        )
    )


def _present(conn: sqlite3.Connection, table: str, keys: list[str]) -> set[str]:
    """Which of the keys are in the item_key column of `table` (items or item_tombstones)."""
    query = f"SELECT item_key FROM {table} WHERE item_key IN ({{keys}})"
    return {key for (key,) in _by_keys(conn, query, keys)}


def _by_keys(
    conn: sqlite3.Connection, query: str, keys: list[str], *params: object
) -> Iterator[tuple]:
    """The rows of `query` for all the keys, asked _KEYS_PER_QUERY at a time: its "{keys}"
    becomes the placeholders of one chunk, bound after `params`."""
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        yield from conn.execute(query.format(keys=_placeholders(chunk)), [*params, *chunk])


# An item's own columns and its outlet's name, read by the queries that walk the time index.
_ITEM_COLUMNS = f"""i.id, i.feed_id, i.title, i.link, i.summary, i.published_at,
    (SELECT {OUTLET_NAME} FROM feeds f WHERE f.id = i.feed_id) AS source"""

# A digest's candidates for one topic: not offered in an earlier digest (id above the chat's
# offered_through), present when the digest was begun (id at most `through`, so items stored
# while it is composed wait for the next one), and not among the chat's `excluded` ones (sent
# already, or waiting in the outbox). The read walks the publication-time index from `since`:
# its cost follows the days a digest may reach back, never the whole backlog, and the id range
# is checked inside the index before any tag is looked up.
_CANDIDATE_WHERE = """
    FROM items i INDEXED BY items_published_at
    WHERE i.published_at >= :since AND i.id > :after AND i.id <= :through
      AND EXISTS (SELECT 1 FROM item_topics it WHERE it.item_id = i.id AND it.topic_slug = :slug)
      {narrow}
      AND i.id NOT IN (SELECT value FROM json_each(:excluded))
"""
_NARROW = """AND EXISTS (SELECT 1 FROM item_topics r WHERE r.item_id = i.id
                             AND r.topic_slug IN ({regions}))"""


def excluded_items(db: Database, chats: Mapping[int, int]) -> dict[int, list[int]]:
    """For each chat (chat id -> `after`), the items above `after` it must not be offered
    again: delivered to it already (by /digest or an alert), or named by a message waiting for
    it in the outbox. Chats with none are left out. One query for many chats: the composing
    thread reads this for a batch of chats at once. (CROSS JOIN keeps SQLite going from each
    chat to its own outbox rows, not through every pending row.)"""
    rows = db.query(
        """WITH chats(chat_id, after) AS (
             SELECT CAST(key AS INTEGER), value FROM json_each(:chats))
           SELECT c.chat_id, d.item_id AS id FROM chats c
             JOIN deliveries d ON d.chat_id = c.chat_id AND d.item_id > c.after
           UNION SELECT c.chat_id, j.value FROM chats c
             CROSS JOIN outbox o ON o.chat_id = c.chat_id AND o.state = 'pending'
             CROSS JOIN json_each(o.item_ids) j""",
        {"chats": json.dumps({str(chat_id): after for chat_id, after in chats.items()})},
    )
    found: dict[int, list[int]] = {}
    for row in rows:
        found.setdefault(row["chat_id"], []).append(row["id"])
    return found


def digest_candidates(
    db: Database,
    slug: str,
    *,
    since: datetime,
    after: int,
    through: int,
    excluded: Sequence[int] = (),
    regions: Sequence[str] = (),
    limit: int,
) -> tuple[list[StoredItem], int]:
    """The newest `limit` items of one topic a chat's next digest may show, and how many
    there are in all (counted inside the index, without loading them).

    With `regions`, only items also on one of those topics (a subject narrowed to the reader's
    regions). Each item carries all its tags and whether one of them is a region.
    """
    params: dict[str, object] = {
        "slug": slug,
        "since": to_iso(since),
        "after": after,
        "through": through,
        "excluded": json.dumps(list(excluded)),
        "limit": limit,
    }
    narrow = ""
    if regions:
        names = [f"r{n}" for n in range(len(regions))]
        params.update(zip(names, regions, strict=True))
        narrow = _NARROW.format(regions=", ".join(f":{name}" for name in names))
    where = _CANDIDATE_WHERE.format(narrow=narrow)
    total = next(db.query(f"SELECT count(*) AS n {where}", params))["n"]
    rows = db.query(
        f"""SELECT {_ITEM_COLUMNS},
               (SELECT group_concat(a.topic_slug) FROM item_topics a
                WHERE a.item_id = i.id) AS tags,
               EXISTS (SELECT 1 FROM item_topics x JOIN topics t ON t.slug = x.topic_slug
                       WHERE x.item_id = i.id AND t.kind = 'region') AS is_local
            {where}
            ORDER BY i.published_at DESC, i.id DESC
            LIMIT :limit""",
        params,
    )
    return [stored_item(row) for row in rows], total


def newest_id(db: Database) -> int:
    """The id of the newest stored item (0 when there is none)."""
    return next(db.query("SELECT coalesce(max(id), 0) AS n FROM items"))["n"]


def latest(
    db: Database, topics: Sequence[str], limit: int = 10, offset: int = 0
) -> list[StoredItem]:
    """The newest items on any of the topics, delivered or not, skipping the `offset` newest.

    Walks the publication-time index from the newest down and stops at the page's end, so a
    page costs the items before it, not the backlog.
    """
    if not topics:
        return []
    rows = db.query(
        f"""SELECT {_ITEM_COLUMNS},
               (SELECT group_concat(it.topic_slug) FROM item_topics it
                WHERE it.item_id = i.id AND it.topic_slug IN ({_placeholders(topics)})) AS tags
            FROM items i INDEXED BY items_published_at
            WHERE EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = i.id
                          AND t.topic_slug IN ({_placeholders(topics)}))
            ORDER BY i.published_at DESC, i.id DESC
            LIMIT ? OFFSET ?""",
        [*topics, *topics, limit, offset],
    )
    return [stored_item(row) for row in rows]


def count_items(db: Database) -> int:
    """How many items are stored."""
    return db.table("items").count


def topic_counts_since(db: Database, since: datetime) -> dict[str, int]:
    """Items per topic published since `since`, for every topic (zero included)."""
    counts = {row["slug"]: 0 for row in db.query("SELECT slug FROM topics")}
    rows = db.query(
        """SELECT it.topic_slug AS slug, count(*) AS n
           FROM items i INDEXED BY items_published_at
           JOIN item_topics it ON it.item_id = i.id
           WHERE i.published_at >= ? GROUP BY it.topic_slug""",
        [to_iso(since)],
    )
    counts.update({row["slug"]: row["n"] for row in rows if row["slug"] in counts})
    return counts


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


def prune_items(
    db: Database,
    before: datetime,
    now: datetime,
    *,
    forget_tombstones_before: datetime,
    limit: int | None = None,
) -> int:
    """Delete the items published and fetched before `before`, with their tags and deliveries
    (ON DELETE CASCADE), keeping each key as a tombstone; returns how many were deleted.

    An item still named by a message waiting in the outbox stays until that message is sent or
    given up (marking it sent records its items as delivered). Tombstones older than
    no feed has listed since `forget_tombstones_before` are dropped, so the table stays bounded
    too. With `limit`, at most that many items go in this call, the oldest first, and the
    tidying after them (finished outbox messages, tombstones, the search index) is left to
    prune_leftovers: the caller deletes in short transactions, letting readers in between.
    """
    with db.atomic():
        old = """FROM items i WHERE i.published_at < :before AND i.fetched_at < :before
                 AND NOT EXISTS (SELECT 1 FROM outbox o, json_each(o.item_ids) j
                                 WHERE o.state = 'pending' AND j.value = i.id)"""
        if limit is not None:
            old += " ORDER BY i.published_at LIMIT :limit"
        params = {"before": to_iso(before), "now": to_iso(now), "limit": limit}
        batch = [row["id"] for row in db.query(f"SELECT i.id {old}", params)]
        for part in range(0, len(batch), 500):
            chunk = batch[part : part + 500]
            db.execute(
                "INSERT OR IGNORE INTO item_tombstones (item_key, last_seen_at) "
                f"SELECT item_key, ? FROM items WHERE id IN ({_placeholders(chunk)})",
                [to_iso(now), *chunk],
            )
            db.execute(f"DELETE FROM items WHERE id IN ({_placeholders(chunk)})", chunk)
    if limit is None:
        prune_leftovers(db, forget_tombstones_before, merge_pages=None if batch else 0)
    return len(batch)


def prune_leftovers(
    db: Database, forget_tombstones_before: datetime, *, merge_pages: int | None
) -> bool:
    """After items were pruned: drop finished outbox messages naming them and tombstones no
    feed listed since `forget_tombstones_before`; then merge the search index's segments, all
    at once (merge_pages None), or at most `merge_pages` pages of work (0: none). Returns
    whether the index may have more merging to do."""
    with db.atomic():
        # Finished outbox messages naming deleted items go too (pending ones were kept).
        db.execute("""DELETE FROM outbox WHERE state <> 'pending' AND EXISTS (
                          SELECT 1 FROM json_each(outbox.item_ids) j
                          WHERE j.value NOT IN (SELECT id FROM items))""")
        db.execute(
            "DELETE FROM item_tombstones WHERE last_seen_at < ?",
            [to_iso(forget_tombstones_before)],
        )
    return merge_pages != 0 and merge_search_index(db, merge_pages)


def merge_search_index(db: Database, pages: int | None) -> bool:
    """Merge the search index's segments: FTS5 records a deletion as a marker in a new
    segment, and merging drops the pruned items' entries for good, so the index stays as
    bounded as the items are. `pages` None: all at once ('optimize', one long write); else at
    most about that many pages ('merge'), returning whether it did any work, so the caller can
    go on in short steps until it does none."""
    if not db["items_fts"].exists():
        return False
    if pages is None:
        db["items_fts"].optimize()
        return False
    before = db.conn.total_changes
    with db.atomic():
        # Negative: merge towards one segment, as 'optimize' does, but stop after the pages.
        db.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('merge', ?)", [-pages])
    return db.conn.total_changes - before > 1


def oldest_item_at(db: Database) -> datetime | None:
    """When the oldest stored item was published; None when there are none."""
    return from_iso(next(db.query("SELECT min(published_at) AS at FROM items"))["at"])


def topic_tags_by_quarter(db: Database, since: datetime) -> list[tuple[datetime, str, int]]:
    """(start of a UTC quarter hour, topic slug, items) for items published since `since`:
    for the chart of items per topic per day."""
    rows = db.query(
        f"""SELECT {QUARTER.format(col="i.published_at")} AS quarter, it.topic_slug AS slug,
                   count(*) AS n
            FROM items i INDEXED BY items_published_at
            JOIN item_topics it ON it.item_id = i.id
            WHERE i.published_at >= ? GROUP BY quarter, slug""",
        [to_iso(since)],
    )
    return [(quarter_start(row["quarter"]), row["slug"], row["n"]) for row in rows]


def published_since(db: Database, since: datetime, limit: int) -> list[StoredItem]:
    """Every item published since `since`, tagged or not, newest first (at most `limit`)."""
    rows = db.query(
        f"""SELECT i.id, i.feed_id, i.title, i.link, i.summary, i.published_at,
                  {OUTLET_NAME} AS source,
                  (SELECT group_concat(topic_slug) FROM item_topics it
                   WHERE it.item_id = i.id) AS tags
           FROM items i JOIN feeds f ON f.id = i.feed_id
           WHERE i.published_at >= ?
           ORDER BY i.published_at DESC, i.id DESC LIMIT ?""",
        [to_iso(since), limit],
    )
    return [stored_item(row) for row in rows]


def on_topics_since(
    db: Database, topics: Sequence[str], since: datetime, limit: int
) -> list[StoredItem]:
    """Items on any of the topics published since `since`, sent before or not, newest first;
    tags limited to those topics."""
    if not topics:
        return []
    sql = (
        _SELECT
        + f"""
        WHERE it.topic_slug IN ({_placeholders(topics)}) AND i.published_at >= ?
        GROUP BY i.id
        ORDER BY i.published_at DESC, i.id DESC
        LIMIT ?
        """
    )
    return [stored_item(row) for row in db.query(sql, [*topics, to_iso(since), limit])]
