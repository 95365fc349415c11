"""The subscribers table and their topics: everything stored about a chat."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlite_utils import Database

from bot.models import Subscriber, TopicMark
from storage.db import from_iso, to_iso


def _subscriber(row: dict, marks: tuple[TopicMark, ...]) -> Subscriber:
    return Subscriber(
        chat_id=row["chat_id"],
        language=row["language"],
        timezone=row["timezone"],
        digest_times=tuple(t for t in row["digest_times"].split(",") if t),
        is_paused=bool(row["is_paused"]),
        created_at=from_iso(row["created_at"]),
        last_slot_at=from_iso(row["last_slot_at"]),
        topics=tuple(mark.slug for mark in marks),
        thread_id=row["thread_id"],
        paused_reason=row["paused_reason"],
        digest_cap=row.get("digest_cap"),
        region_only=bool(row.get("region_only")),
        offered_through=row.get("offered_through"),
        marks=marks,
    )


def _mark(slug: str, followed_at: str | None, offered_through: int | None) -> TopicMark:
    return TopicMark(slug, from_iso(followed_at), offered_through)


def _marks_of(db: Database, chat_id: int) -> tuple[TopicMark, ...]:
    rows = db.query(
        """SELECT st.topic_slug, st.followed_at, st.offered_through
           FROM subscriber_topics st JOIN topics t ON t.slug = st.topic_slug
           WHERE st.chat_id = ? ORDER BY t.position, t.slug""",
        [chat_id],
    )
    return tuple(
        _mark(row["topic_slug"], row["followed_at"], row["offered_through"]) for row in rows
    )


def get_subscriber(db: Database, chat_id: int) -> Subscriber | None:
    """One subscriber with its topics, or None."""
    rows = list(db.query("SELECT * FROM subscribers WHERE chat_id = ?", [chat_id]))
    return _subscriber(rows[0], _marks_of(db, chat_id)) if rows else None


def create_subscriber(
    db: Database,
    chat_id: int,
    *,
    language: str,
    timezone: str,
    digest_times: Iterable[str],
    now: datetime,
) -> None:
    """Register a chat if it is new; an existing one keeps its settings."""
    db.execute(
        """INSERT OR IGNORE INTO subscribers
             (chat_id, language, timezone, digest_times, created_at, last_slot_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [chat_id, language, timezone, ",".join(digest_times), to_iso(now), to_iso(now)],
    )


def delete_subscriber(db: Database, chat_id: int) -> bool:
    """Forget a chat: its settings, topics and delivery history."""
    return db.execute("DELETE FROM subscribers WHERE chat_id = ?", [chat_id]).rowcount > 0


def add_topics(
    db: Database, chat_id: int, slugs: Iterable[str], now: datetime | None = None
) -> None:
    """Subscribe a chat to topics (already subscribed ones are left alone, and keep their
    marks). A topic followed `now` reaches back from then in its first digest; without `now`,
    from the chat's start."""
    followed_at = to_iso(now) if now is not None else None
    with db.atomic():
        for slug in slugs:
            db.execute(
                """INSERT OR IGNORE INTO subscriber_topics (chat_id, topic_slug, followed_at)
                   VALUES (?, ?, ?)""",
                [chat_id, slug, followed_at],
            )


def remove_topics(db: Database, chat_id: int, slugs: Iterable[str]) -> None:
    """Unsubscribe a chat from topics."""
    with db.atomic():
        for slug in slugs:
            db.execute(
                "DELETE FROM subscriber_topics WHERE chat_id = ? AND topic_slug = ?",
                [chat_id, slug],
            )


def update_subscriber(db: Database, chat_id: int, **fields: object) -> None:
    """Set some of: language, timezone, digest_times (tuple), is_paused, paused_reason,
    last_slot_at (datetime), thread_id (the forum topic digests go to, or None), digest_cap,
    region_only, offered_through."""
    allowed = {
        "language",
        "timezone",
        "digest_times",
        "is_paused",
        "paused_reason",
        "last_slot_at",
        "thread_id",
        "digest_cap",
        "region_only",
        "offered_through",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"storage: unknown subscriber fields {sorted(unknown)}")
    values = {}
    for name, value in fields.items():
        if name == "digest_times":
            value = ",".join(value)  # type: ignore[arg-type]
        elif name == "last_slot_at" and value is not None:
            value = to_iso(value)  # type: ignore[arg-type]
        elif name in ("is_paused", "region_only"):
            value = int(bool(value))
        values[name] = value
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    db.execute(
        f"UPDATE subscribers SET {assignments} WHERE chat_id = :chat_id",
        {**values, "chat_id": chat_id},
    )


def list_scheduled(db: Database) -> list[Subscriber]:
    """Subscribers who get scheduled digests: not paused, with times and at least one topic."""
    rows = list(
        db.query(
            """SELECT s.*, json_group_array(json_array(st.topic_slug, st.followed_at,
                                                       st.offered_through)) AS topic_marks
               FROM subscribers s JOIN subscriber_topics st ON st.chat_id = s.chat_id
               WHERE s.is_paused = 0 AND s.digest_times <> ''
               GROUP BY s.chat_id ORDER BY s.chat_id"""
        )
    )
    return [
        _subscriber(row, tuple(_mark(*mark) for mark in json.loads(row["topic_marks"])))
        for row in rows
    ]


def count_subscribers(db: Database) -> dict[str, int]:
    """Subscribers in all, active (not paused) and paused."""
    row = next(
        db.query(
            "SELECT count(*) AS total, coalesce(sum(is_paused), 0) AS paused FROM subscribers"
        )
    )
    return {"total": row["total"], "paused": row["paused"], "active": row["total"] - row["paused"]}


def move_chat(db: Database, old_chat_id: int, new_chat_id: int) -> None:
    """Carry a chat's settings, topics and history over to its new id (a group upgraded to a
    supergroup gets one); if the new id already has a row, it is kept and the old one goes."""
    with db.atomic():
        db.execute(
            """INSERT OR IGNORE INTO subscribers
                 (chat_id, language, timezone, digest_times, is_paused, paused_reason,
                  created_at, last_slot_at, thread_id, quiet_hours, digest_cap, region_only,
                  offered_through)
               SELECT ?, language, timezone, digest_times, is_paused, paused_reason,
                      created_at, last_slot_at, thread_id, quiet_hours, digest_cap, region_only,
                      offered_through
               FROM subscribers WHERE chat_id = ?""",
            [new_chat_id, old_chat_id],
        )
        for table in (
            "subscriber_topics",
            "deliveries",
            "outbox",
            "watch_words",
            "alerts",
            "searches",
        ):
            db.execute(
                f"UPDATE OR IGNORE {table} SET chat_id = ? WHERE chat_id = ?",
                [new_chat_id, old_chat_id],
            )
        db.execute("DELETE FROM subscribers WHERE chat_id = ?", [old_chat_id])


def mark_slot_handled(db: Database, chat_id: int, now: datetime) -> None:
    """The chat's scheduled digest for its latest slot is taken care of (queued) at `now`."""
    db.execute("UPDATE subscribers SET last_slot_at = ? WHERE chat_id = ?", [to_iso(now), chat_id])


def mark_offered(db: Database, chat_id: int, through: int, topics: Sequence[str] | None) -> None:
    """A digest offered the chat's `topics` (all of them: None) up to item `through`: their
    next digests start after it (issue 22: one mark per topic, so a topic followed later keeps
    its own reach)."""
    db.execute(
        """UPDATE subscriber_topics
           SET offered_through = max(coalesce(offered_through, 0), :through)
           WHERE chat_id = :chat_id
             AND (:topics IS NULL OR topic_slug IN (SELECT value FROM json_each(:topics)))""",
        {
            "through": through,
            "chat_id": chat_id,
            "topics": None if topics is None else json.dumps(list(topics)),
        },
    )


def set_urgent(db: Database, chat_id: int, slug: str, urgent: bool) -> bool:
    """Switch a followed topic to instant or back; False if the chat does not follow it."""
    return (
        db.execute(
            "UPDATE subscriber_topics SET is_urgent = ? WHERE chat_id = ? AND topic_slug = ?",
            [int(urgent), chat_id, slug],
        ).rowcount
        > 0
    )


def urgent_topics(db: Database, chat_id: int) -> list[str]:
    """The slugs of the chat's topics switched to instant."""
    rows = db.query(
        "SELECT topic_slug FROM subscriber_topics WHERE chat_id = ? AND is_urgent", [chat_id]
    )
    return [row["topic_slug"] for row in rows]


def get_quiet_hours(db: Database, chat_id: int) -> str | None:
    """The chat's quiet hours as "22:00-05:00", or None."""
    rows = list(db.query("SELECT quiet_hours FROM subscribers WHERE chat_id = ?", [chat_id]))
    return rows[0]["quiet_hours"] if rows else None


def set_quiet_hours(db: Database, chat_id: int, value: str | None) -> None:
    """Set ("22:00-05:00") or clear (None) the chat's quiet hours."""
    db.execute("UPDATE subscribers SET quiet_hours = ? WHERE chat_id = ?", [value, chat_id])
