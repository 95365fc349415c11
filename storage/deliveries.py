"""The deliveries table: which items have reached which chat."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from storage.db import from_iso, to_iso


def mark_sent(db: Database, chat_id: int, item_ids: Iterable[int], now: datetime) -> None:
    """Record items as delivered to a chat; called by outbox.mark_sent once Telegram accepted
    the message that carries them."""
    with db.atomic():
        for item_id in item_ids:
            db.execute(
                "INSERT OR IGNORE INTO deliveries (chat_id, item_id, sent_at) VALUES (?, ?, ?)",
                [chat_id, item_id, to_iso(now)],
            )


def count_sent(db: Database, chat_id: int) -> int:
    """How many items a chat has been sent."""
    rows = db.query("SELECT count(*) AS n FROM deliveries WHERE chat_id = ?", [chat_id])
    return next(rows)["n"]


def message_times_since(db: Database, since: datetime) -> list[datetime]:
    """When each digest message that carried news reached its chat, since `since`.

    Read from the deliveries, not the outbox (which forgets sent messages after 7 days): a
    message's items are recorded with one chat and one moment, so each distinct pair is one
    message.
    """
    rows = db.query(
        """SELECT DISTINCT chat_id, sent_at FROM deliveries WHERE sent_at >= ?
           ORDER BY sent_at""",
        [to_iso(since)],
    )
    return [from_iso(row["sent_at"]) for row in rows]
