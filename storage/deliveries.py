"""The deliveries table: which items have reached which chat."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from storage.db import QUARTER, quarter_start, to_iso


def mark_sent(db: Database, chat_id: int, item_ids: Iterable[int], now: datetime) -> None:
    """Record items as delivered to a chat; called by outbox.mark_sent once Telegram accepted
    the message that carries them, inside its transaction (one statement: alone, it commits
    by itself)."""
    db.execute(
        """INSERT OR IGNORE INTO deliveries (chat_id, item_id, sent_at)
           SELECT ?, value, ? FROM json_each(?)""",
        [chat_id, to_iso(now), json.dumps(list(item_ids))],
    )


def count_sent(db: Database, chat_id: int) -> int:
    """How many items a chat has been sent."""
    rows = db.query("SELECT count(*) AS n FROM deliveries WHERE chat_id = ?", [chat_id])
    return next(rows)["n"]


def messages_by_quarter(db: Database, since: datetime) -> list[tuple[datetime, int]]:
    """(start of a UTC quarter hour, digest messages that carried news and reached their chat
    in it), since `since`.

    Read from the deliveries, not the outbox (which forgets sent messages after 7 days): a
    message's items are recorded with one chat and one moment, so each distinct pair is one
    message.
    """
    rows = db.query(
        f"""SELECT {QUARTER.format(col="sent_at")} AS quarter, count(*) AS n
            FROM (SELECT DISTINCT chat_id, sent_at FROM deliveries WHERE sent_at >= ?)
            GROUP BY quarter""",
        [to_iso(since)],
    )
    return [(quarter_start(row["quarter"]), row["n"]) for row in rows]
