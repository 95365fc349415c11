"""The topics table: slugs, display names and tagging rules (terms and frames stored as JSON
lists)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from bot.models import Frame, Topic, TopicKind, TopicRule
from storage.db import to_iso


def _topic(row: dict) -> Topic:
    return Topic(
        slug=row["slug"],
        name=row["name"],
        rule=TopicRule(
            include=tuple(json.loads(row["include_terms"])),
            require=tuple(json.loads(row["require_terms"])),
            exclude=tuple(json.loads(row["exclude_terms"])),
            threshold=row["threshold"],
            frames=tuple(Frame.from_dict(f) for f in json.loads(row.get("frames") or "[]")),
        ),
        kind=row.get("kind") or TopicKind.SUBJECT,
        name_en=row.get("name_en") or "",
    )


def list_topics(db: Database) -> list[Topic]:
    """Every topic, in the order they were created."""
    return [_topic(row) for row in db.query("SELECT * FROM topics ORDER BY position, slug")]


def get_topic(db: Database, slug: str) -> Topic | None:
    """One topic by slug, or None."""
    rows = list(db.query("SELECT * FROM topics WHERE slug = ?", [slug]))
    return _topic(rows[0]) if rows else None


def add_topic(db: Database, topic: Topic, now: datetime) -> None:
    """Insert a topic at the end of the list; raises sqlite3.IntegrityError if the slug exists."""
    with db.atomic():
        position = next(db.query("SELECT coalesce(max(position), 0) + 1 AS p FROM topics"))["p"]
        db.table("topics").insert(
            {
                "slug": topic.slug,
                "name": topic.name,
                **_rule_columns(topic.rule),
                "position": position,
                "created_at": to_iso(now),
                "kind": topic.kind,
                "name_en": topic.name_en,
                "frames": _frames(topic.rule),
            }
        )


def _rule_columns(rule: TopicRule) -> dict[str, object]:
    """A rule as the topics table stores it: each term list as JSON text."""
    return {
        "include_terms": json.dumps(list(rule.include), ensure_ascii=False),
        "require_terms": json.dumps(list(rule.require), ensure_ascii=False),
        "exclude_terms": json.dumps(list(rule.exclude), ensure_ascii=False),
        "threshold": rule.threshold,
        "frames": _frames(rule),
    }


def _set(db: Database, slug: str, columns: dict[str, object]) -> None:
    """Change a topic's columns; nothing when the topic is gone (a concurrent /deltopic)."""
    db.execute(
        f"UPDATE topics SET {', '.join(f'{name} = ?' for name in columns)} WHERE slug = ?",
        [*columns.values(), slug],
    )


def set_rule(db: Database, slug: str, rule: TopicRule) -> None:
    """Replace a topic's rule (its terms, its threshold and its frames)."""
    _set(db, slug, _rule_columns(rule))


def _frames(rule: TopicRule) -> str:
    """A rule's frames as stored: a JSON list of Frame.to_dict."""
    return json.dumps([frame.to_dict() for frame in rule.frames], ensure_ascii=False)


def delete_topic(db: Database, slug: str) -> bool:
    """Delete a topic, its tags on items and its subscriptions; False if it did not exist."""
    return db.execute("DELETE FROM topics WHERE slug = ?", [slug]).rowcount > 0


def rename_topic(db: Database, slug: str, name: str) -> None:
    """Change a topic's display name."""
    _set(db, slug, {"name": name})


def set_kind(db: Database, slug: str, kind: str) -> None:
    """Make a topic a region or a subject."""
    _set(db, slug, {"kind": kind})


def set_english_name(db: Database, slug: str, name_en: str) -> None:
    """Set a topic's English name."""
    _set(db, slug, {"name_en": name_en})
