"""The outbox: digest messages composed for a chat and due time, waiting for Telegram.

A row is 'pending' until Telegram accepts it ('sent') or it can never go out ('failed': the chat
is gone, or the text was refused for good; 'expired': it waited longer than news stays news).
Composing a digest and recording that the chat's due time was handled happen in one
transaction, and so do marking a message sent and recording its items as delivered: a process
killed at any moment leaves either both or neither.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.models import DigestChunk
from storage import deliveries, subscribers
from storage.db import from_iso, to_iso


@dataclass(frozen=True)
class OutboxMessage:
    """One message waiting in the outbox."""

    id: int
    chat_id: int
    thread_id: int | None
    text: str
    item_ids: tuple[int, ...]
    attempts: int
    created_at: datetime
    silent: bool = False  # a later part of a digest: delivered without a notification
    offered_through: int | None = None  # sent: items up to this id count as offered
    offered_topics: tuple[str, ...] | None = None  # ... under these topics (None: all)


def _message(row: dict) -> OutboxMessage:
    created = from_iso(row["created_at"])
    assert created is not None
    return OutboxMessage(
        id=row["id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        text=row["text"],
        item_ids=tuple(json.loads(row["item_ids"])),
        attempts=row["attempts"],
        created_at=created,
        silent=bool(row.get("silent")),
        offered_through=row.get("offered_through"),
        offered_topics=(
            tuple(json.loads(row["offered_topics"]))
            if row.get("offered_topics") is not None
            else None
        ),
    )


def queue_digest(
    db: Database,
    chat_id: int,
    due_at: datetime,
    chunks: Sequence[DigestChunk],
    *,
    thread_id: int | None,
    now: datetime,
    scheduled: bool = True,
    offered_through: int | None = None,
    offered_topics: Sequence[str] = (),
) -> int:
    """Store a chat's digest for a due time and, for a scheduled one, mark that time as
    handled, in one transaction. Only the first message makes a sound: the later parts are
    marked silent. `offered_through` (the newest item the digest considered) is kept on the
    last message and becomes the mark of each of `offered_topics` (the topics the digest was
    composed from) once that message is sent: a digest that never arrives offers nothing.

    Returns how many messages were queued: 0 if this chat and due time were already queued
    (composing again after a restart must not send the digest twice).
    """
    queued = 0
    with db.atomic():
        for seq, chunk in enumerate(chunks):
            last = seq == len(chunks) - 1 and offered_through is not None
            queued += enqueue(
                db,
                chat_id,
                due_at,
                seq,
                chunk,
                thread_id=thread_id,
                now=now,
                silent=seq > 0,
                offered_through=offered_through if last else None,
                offered_topics=offered_topics if last else None,
            )
        if scheduled:
            subscribers.mark_slot_handled(db, chat_id, now)
    return queued


def enqueue(
    db: Database,
    chat_id: int,
    due_at: datetime,
    seq: int,
    chunk: DigestChunk,
    *,
    thread_id: int | None,
    now: datetime,
    kind: str = "digest",
    silent: bool = False,
    offered_through: int | None = None,
    offered_topics: Sequence[str] | None = None,
) -> int:
    """Put one message in a chat's outbox, due now; 0 if the chat already has the message of
    this due time and seq (composing again after a restart must not send it twice)."""
    return db.execute(
        """INSERT OR IGNORE INTO outbox
             (chat_id, due_at, seq, thread_id, text, item_ids, created_at, next_try_at,
              silent, offered_through, offered_topics, kind)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            chat_id,
            to_iso(due_at),
            seq,
            thread_id,
            chunk.html,
            json.dumps(list(chunk.item_ids)),
            to_iso(now),
            to_iso(now),
            int(silent),
            offered_through,
            None if offered_topics is None else json.dumps(list(offered_topics)),
            kind,
        ],
    ).rowcount


def alert_messages_since(db: Database, chat_id: int, since: datetime) -> int:
    """Alert messages queued for a chat since a moment (the hourly cap counts these)."""
    return next(
        db.query(
            "SELECT count(*) AS n FROM outbox WHERE chat_id = ? AND kind = 'alert' "
            "AND created_at >= ?",
            [chat_id, to_iso(since)],
        )
    )["n"]


def chats_due(db: Database, now: datetime) -> list[int]:
    """Chats with a pending message that may be tried now, the longest waiting first."""
    rows = db.query(
        """SELECT chat_id, min(id) AS first FROM outbox
           WHERE state = 'pending' AND next_try_at <= ?
           GROUP BY chat_id ORDER BY first""",
        [to_iso(now)],
    )
    return [row["chat_id"] for row in rows]


def pending_for(db: Database, chat_id: int) -> list[OutboxMessage]:
    """A chat's pending messages, in the order they must arrive."""
    rows = db.query(
        "SELECT * FROM outbox WHERE chat_id = ? AND state = 'pending' ORDER BY id", [chat_id]
    )
    return [_message(row) for row in rows]


def mark_sent(db: Database, sent: Sequence[tuple[OutboxMessage, int]], now: datetime) -> None:
    """Telegram accepted these messages (each with the chat id it reached): record them, and
    their items as delivered to their chats, in one transaction."""
    at = to_iso(now)
    with db.atomic():
        for message, chat_id in sent:
            db.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ? WHERE id = ?", [at, message.id]
            )
            deliveries.mark_sent(db, chat_id, message.item_ids, now)
            if message.offered_through is not None:
                subscribers.mark_offered(
                    db, chat_id, message.offered_through, message.offered_topics
                )


def postpone(db: Database, message_id: int, error: str, next_try_at: datetime) -> None:
    """A try failed for a reason that may pass (network, 5xx): keep it for a later run."""
    db.execute(
        """UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_try_at = ?
           WHERE id = ?""",
        [error, to_iso(next_try_at), message_id],
    )


def give_up(db: Database, message_id: int, state: str, error: str) -> None:
    """Stop trying a message that can never go out ('failed') or is too old ('expired')."""
    db.execute(
        "UPDATE outbox SET state = ?, last_error = ? WHERE id = ?", [state, error, message_id]
    )


def give_up_chat(db: Database, chat_id: int, error: str) -> None:
    """Stop trying every message waiting for a chat that is gone."""
    db.execute(
        """UPDATE outbox SET state = 'failed', last_error = ?
           WHERE chat_id = ? AND state = 'pending'""",
        [error, chat_id],
    )


def count_pending(db: Database) -> int:
    """Messages still waiting to be sent."""
    return next(db.query("SELECT count(*) AS n FROM outbox WHERE state = 'pending'"))["n"]


def prune(db: Database, before: datetime) -> int:
    """Forget finished messages created before a moment; returns how many."""
    return db.execute(
        "DELETE FROM outbox WHERE state <> 'pending' AND created_at < ?", [to_iso(before)]
    ).rowcount
