"""Admin work: feeds, figures, and the defaults of a new database."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bot.models import Feed, Topic
from bot.services.core import Core
from bot.tagging.defaults import default_topics
from storage import feeds as feed_store
from storage import items as item_store
from storage import meta
from storage import subscribers as subscriber_store
from storage import topics as topic_store

DEFAULT_FEEDS = Path(__file__).resolve().parents[1] / "data" / "default_feeds.toml"


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
        return feed_store.list_feeds(
            self.core.db, recent_since=self.core.now() - timedelta(days=7)
        )

    def remove_feed(self, feed_id: int) -> Feed | None:
        """Remove a feed and its items; the removed feed, or None if there was none."""
        feed = feed_store.get_feed(self.core.db, feed_id)
        if feed:
            feed_store.remove_feed(self.core.db, feed_id)
        return feed

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
