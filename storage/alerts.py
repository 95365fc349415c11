"""Urgent alerts: watch words, topics switched to instant, quiet hours, the alerts matched for
each chat, and queuing them into the outbox.

Matching new items and recording how far matching got happen in one transaction, and so do
queuing alert messages and marking their alerts queued: a process killed at any moment either
matches an item again on restart or has its alert waiting, never both, never neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from bot.models import DigestChunk, StoredItem
from storage import outbox
from storage.db import OUTLET_NAME, from_iso, open_read_only, to_iso
from storage.items import stored_item
from storage.meta import get_meta, set_meta

MATCHED_THROUGH = "alerts_matched_through"


@dataclass(frozen=True)
class Alert:
    """An item matched for a chat and not yet queued: why (watch words or a topic slug), when,
    and whether it already had to wait ('quiet', 'cap' or None)."""

    item: StoredItem
    reason: str  # "watch:<words>" or "topic:<slug>"
    created_at: datetime
    held: str | None


# --- watch words, urgent topics, quiet hours -----------------------------------------------


def list_watches(db: Database, chat_id: int) -> list[str]:
    """A chat's watch words, oldest first."""
    rows = db.query(
        "SELECT words FROM watch_words WHERE chat_id = ? ORDER BY created_at, words", [chat_id]
    )
    return [row["words"] for row in rows]


def all_watches(db: Database) -> list[tuple[int, str]]:
    """(chat id, words) of every watch of every chat."""
    return [
        (row["chat_id"], row["words"])
        for row in db.query("SELECT chat_id, words FROM watch_words ORDER BY chat_id")
    ]


def add_watches(db: Database, chat_id: int, words: Iterable[str], now: datetime) -> None:
    """Add watch words to a chat (ones it has are left alone)."""
    with db.atomic():
        for text in words:
            db.execute(
                "INSERT OR IGNORE INTO watch_words (chat_id, words, created_at) VALUES (?, ?, ?)",
                [chat_id, text, to_iso(now)],
            )


def remove_watch(db: Database, chat_id: int, words: str) -> bool:
    """Remove one watch of a chat; False if it had none such."""
    return (
        db.execute(
            "DELETE FROM watch_words WHERE chat_id = ? AND words = ?", [chat_id, words]
        ).rowcount
        > 0
    )


# --- matching -------------------------------------------------------------------------------


def items_to_match(db: Database, limit: int) -> list[tuple[int, str, str, datetime]]:
    """(id, title, summary, published at) of the items stored since matching last ran, oldest
    first."""
    through = int(get_meta(db, MATCHED_THROUGH) or 0)
    rows = db.query(
        "SELECT id, title, summary, published_at FROM items WHERE id > ? ORDER BY id LIMIT ?",
        [through, limit],
    )
    return [
        (row["id"], row["title"], row["summary"], from_iso(row["published_at"])) for row in rows
    ]


def recent_texts(db: Database, limit: int) -> list[tuple[str, str]]:
    """(title, summary) of the newest items, newest first."""
    rows = db.query("SELECT title, summary FROM items ORDER BY id DESC LIMIT ?", [limit])
    return [(row["title"], row["summary"] or "") for row in rows]


def matcher_inputs(
    path: Path | str, sample: int
) -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """Every watch, and the (title, summary) of the `sample` newest items, read on a read-only
    connection of its own: the matcher is built in a thread, and 40,000 watches take 75 ms to
    read, too long for the event loop."""
    db = open_read_only(path)
    try:
        return all_watches(db), recent_texts(db, sample)
    finally:
        db.close()


def record_matches(
    db: Database,
    matches: Iterable[tuple[int, int, str]],
    item_ids: Sequence[int],
    through: int,
    now: datetime,
) -> int:
    """Store the alerts of a batch of new items and move the matching mark past them, in one
    transaction; returns how many alerts were added.

    `matches` are the watch-word hits (chat id, item id, reason); `item_ids` the items that
    are news enough to alert about, whose topics switched to instant by a chat are added here
    too; `through` the last item id of the batch. Paused chats get none, and an item already sent
    to a chat (or waiting in its outbox) is not alerted again.
    """
    added = 0
    with db.atomic():
        for chat_id, item_id, reason in matches:
            added += db.execute(
                """INSERT OR IGNORE INTO alerts (chat_id, item_id, reason, created_at)
                   SELECT chat_id, ?, ?, ? FROM subscribers
                   WHERE chat_id = ? AND is_paused = 0""",
                [item_id, reason, to_iso(now), chat_id],
            ).rowcount
        if item_ids:
            added += db.execute(
                f"""INSERT OR IGNORE INTO alerts (chat_id, item_id, reason, created_at)
                    SELECT st.chat_id, it.item_id, 'topic:' || min(st.topic_slug), ?
                    FROM item_topics it
                    JOIN subscriber_topics st ON st.topic_slug = it.topic_slug AND st.is_urgent
                    JOIN subscribers s ON s.chat_id = st.chat_id AND s.is_paused = 0
                    WHERE it.item_id IN ({", ".join("?" for _ in item_ids)})
                    GROUP BY st.chat_id, it.item_id""",
                [to_iso(now), *item_ids],
            ).rowcount
        set_meta(db, MATCHED_THROUGH, str(through))
    return added


# --- dispatching ----------------------------------------------------------------------------


def chats_with_alerts(db: Database) -> list[int]:
    """Chats with alerts waiting to be queued."""
    rows = db.query("SELECT DISTINCT chat_id FROM alerts WHERE state = 'pending' ORDER BY 1")
    return [row["chat_id"] for row in rows]


def pending_alerts(db: Database, chat_id: int) -> list[Alert]:
    """A chat's alerts waiting to be queued, oldest item first; alerts whose item reached the
    chat meanwhile (a digest came first) are dropped."""
    with db.atomic():
        db.execute(
            """UPDATE alerts SET state = 'dropped'
               WHERE chat_id = ? AND state = 'pending' AND (
                 EXISTS (SELECT 1 FROM deliveries d
                         WHERE d.chat_id = alerts.chat_id AND d.item_id = alerts.item_id)
                 OR EXISTS (SELECT 1 FROM outbox o, json_each(o.item_ids) j
                            WHERE o.chat_id = alerts.chat_id AND o.state = 'pending'
                              AND j.value = alerts.item_id))""",
            [chat_id],
        )
    rows = db.query(
        f"""SELECT a.reason, a.created_at, a.held, i.id, i.feed_id, i.title, i.link, i.summary,
                  i.published_at, {OUTLET_NAME} AS source
           FROM alerts a JOIN items i ON i.id = a.item_id JOIN feeds f ON f.id = i.feed_id
           WHERE a.chat_id = ? AND a.state = 'pending' ORDER BY i.id""",
        [chat_id],
    )
    return [
        Alert(
            stored_item(row),
            row["reason"],
            from_iso(row["created_at"]),
            row["held"],
        )
        for row in rows
    ]


def hold_alerts(db: Database, chat_id: int, why: str) -> None:
    """Mark a chat's waiting alerts as held ('quiet' wins over 'cap')."""
    db.execute(
        """UPDATE alerts SET held = ? WHERE chat_id = ? AND state = 'pending'
           AND (held IS NULL OR ? = 'quiet')""",
        [why, chat_id, why],
    )


def queue_alerts(
    db: Database,
    chat_id: int,
    chunks: Sequence[DigestChunk],
    *,
    thread_id: int | None,
    now: datetime,
) -> int:
    """Put alert messages in the chat's outbox and mark their alerts queued, in one
    transaction; returns how many messages were queued."""
    queued = 0
    with db.atomic():
        for number, chunk in enumerate(chunks):
            # Negative seqs never meet a digest's (0, 1, ...) under the same due time.
            seq = -(chunk.item_ids[0] * 100 + number)
            queued += outbox.enqueue(
                db, chat_id, now, seq, chunk, thread_id=thread_id, now=now, kind="alert"
            )
            db.execute(
                f"""UPDATE alerts SET state = 'queued', queued_at = ?
                    WHERE chat_id = ? AND item_id IN ({", ".join("?" for _ in chunk.item_ids)})""",
                [to_iso(now), chat_id, *chunk.item_ids],
            )
    return queued


def prune_alerts(db: Database, before: datetime) -> int:
    """Forget alerts queued or dropped before a moment (their messages are in the outbox, or
    their items reached the chat otherwise); returns how many."""
    return db.execute(
        "DELETE FROM alerts WHERE state <> 'pending' AND created_at < ?", [to_iso(before)]
    ).rowcount


def count_alerts(db: Database, since: datetime) -> dict[str, int]:
    """Alerts by state created since a moment (for /stats and the tests)."""
    rows = db.query(
        "SELECT state, count(*) AS n FROM alerts WHERE created_at >= ? GROUP BY 1", [to_iso(since)]
    )
    return {row["state"]: row["n"] for row in rows}
