"""Admin work: feeds and topics, testing a text against the rules, figures, first-run defaults."""

from __future__ import annotations

import sqlite3
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bot.errors import UnknownTopic, UsageError
from bot.feeds.clean import clean_text
from bot.models import Feed, Topic, TopicMatch, TopicRule
from bot.services.core import Core
from bot.tagging.defaults import default_topics
from bot.tagging.rules import parse_terms, validate_slug
from storage import feeds as feed_store
from storage import items as item_store
from storage import meta
from storage import subscribers as subscriber_store
from storage import topics as topic_store

DEFAULT_FEEDS = Path(__file__).resolve().parents[1] / "data" / "default_feeds.toml"
RULE_KINDS = ("include", "require", "exclude")


@dataclass(frozen=True)
class Stats:
    """Figures for /stats."""

    subscribers: int
    active: int
    paused: int
    feeds: int
    items: int
    per_topic: list[tuple[Topic, int]]


def load_default_feeds(path: Path = DEFAULT_FEEDS) -> list[tuple[str, str]]:
    """The bundled (url, title) list: Kaltim outlets first, national ones after."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [(feed["url"], feed.get("title", "")) for feed in data["feeds"]]


class AdminService:
    """Everything the admin commands change or show."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def bootstrap(self) -> None:
        """Give a new database its default topics and (if configured) default feeds, once.

        Remembered in `meta`, so an admin who deletes a default topic does not see it return.
        """
        db, now = self.core.db, self.core.now()
        if meta.get_meta(db, "seeded_topics") is None:
            with db.atomic():
                if not topic_store.list_topics(db):
                    for topic in default_topics():
                        topic_store.add_topic(db, topic, now)
                meta.set_meta(db, "seeded_topics", "1")
            self.core.topics_changed()
        if self.core.settings.seed_default_feeds and meta.get_meta(db, "seeded_feeds") is None:
            feed_store.add_feeds_if_missing(db, load_default_feeds(), now)
            meta.set_meta(db, "seeded_feeds", "1")

    def feeds(self) -> list[Feed]:
        """Every feed with its health."""
        return feed_store.list_feeds(self.core.db)

    def remove_feed(self, feed_id: int) -> Feed | None:
        """Remove a feed and its items; the removed feed, or None if there was none."""
        feed = feed_store.get_feed(self.core.db, feed_id)
        if feed:
            feed_store.remove_feed(self.core.db, feed_id)
        return feed

    def topic(self, slug: str) -> Topic:
        """One topic by slug. Raises UnknownTopic."""
        topic = topic_store.get_topic(self.core.db, slug.lower())
        if topic is None:
            raise UnknownTopic([slug])
        return topic

    def add_topic(self, slug: str, name: str) -> Topic:
        """Create an empty topic. Raises UsageError (bad slug, name, or slug taken)."""
        slug = validate_slug(slug)
        name = " ".join(name.split())
        if not name or len(name) > 64:
            raise UsageError("topics: the display name must be 1 to 64 characters")
        topic = Topic(slug, name)
        try:
            topic_store.add_topic(self.core.db, topic, self.core.now())
        except sqlite3.IntegrityError:
            raise UsageError("topics: slug taken") from None
        self.core.topics_changed()
        return topic

    def delete_topic(self, slug: str) -> None:
        """Delete a topic with its tags and subscriptions. Raises UnknownTopic."""
        if not topic_store.delete_topic(self.core.db, slug.lower()):
            raise UnknownTopic([slug])
        self.core.topics_changed()

    def edit_topic(self, slug: str, action: str, text: str) -> tuple[Topic, tuple[str, ...]]:
        """Add terms to include/require/exclude, or remove them from wherever they are.

        Returns:
            The updated topic and the terms that were not found (for remove).
        Raises:
            UnknownTopic, UsageError.
        """
        topic = self.topic(slug)
        action = action.lower()
        if action not in (*RULE_KINDS, "remove"):
            raise UsageError("topics: unknown action")
        terms = parse_terms(text)
        rule = {kind: list(getattr(topic.rule, kind)) for kind in RULE_KINDS}
        missing: list[str] = []
        for term in terms:
            key = term.casefold()
            if action == "remove":
                hits = [k for k in RULE_KINDS if any(x.casefold() == key for x in rule[k])]
                for kind in hits:
                    rule[kind] = [x for x in rule[kind] if x.casefold() != key]
                if not hits:
                    missing.append(term)
            elif all(x.casefold() != key for x in rule[action]):
                rule[action].append(term)
        new_rule = TopicRule(*(tuple(rule[k]) for k in RULE_KINDS))
        topic_store.set_rule(self.core.db, topic.slug, new_rule)
        self.core.topics_changed()
        return Topic(topic.slug, topic.name, new_rule), tuple(missing)

    def test_text(self, text: str) -> list[tuple[Topic, TopicMatch]]:
        """How every topic judges a text, cleaned as ingestion cleans a summary."""
        matches = self.core.tagger().explain("", clean_text(text))
        by_slug = {m.slug: m for m in matches}
        return [(topic, by_slug[topic.slug]) for topic in self.core.topics()]

    def stats(self) -> Stats:
        """Subscribers, feeds, items, and items per topic over the last 7 days."""
        db = self.core.db
        counts = subscriber_store.count_subscribers(db)
        per_topic = item_store.topic_counts_since(db, self.core.now() - timedelta(days=7))
        return Stats(
            subscribers=counts["total"],
            active=counts["active"],
            paused=counts["paused"],
            feeds=feed_store.count_feeds(db),
            items=item_store.count_items(db),
            per_topic=[(t, per_topic.get(t.slug, 0)) for t in self.core.topics()],
        )
