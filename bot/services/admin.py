"""Admin work: feeds, figures, and the defaults of a new database."""

from __future__ import annotations

import asyncio
import logging
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bot.errors import (
    DeliveryError,
    DuplicateFeed,
    FeedParseError,
    FetchError,
    failure_reason,
)
from bot.feeds.opml import OpmlFeed, parse_opml, write_opml
from bot.models import Feed, Topic
from bot.services.core import Core
from bot.services.ingest import CONCURRENCY, IngestService, PollSummary
from bot.services.outbox import MessageSender
from bot.tagging.defaults import default_topics
from bot.texts import Html, describe_failure, masked_url, t
from storage import feeds as feed_store
from storage import items as item_store
from storage import meta
from storage import subscribers as subscriber_store
from storage import topics as topic_store

logger = logging.getLogger(__name__)
DEFAULT_FEEDS = Path(__file__).resolve().parents[1] / "data" / "default_feeds.toml"


@dataclass(frozen=True)
class ImportResult:
    """What importing a feed list did, feed by feed."""

    added: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


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
    """Everything the admin commands change or show about feeds, and the figures."""

    def __init__(self, core: Core, ingest: IngestService) -> None:
        self.core = core
        self.ingest = ingest

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

    async def import_feeds(self, feeds: Sequence[OpmlFeed]) -> ImportResult:
        """Add every feed of a list as /addfeed would, a few at a time."""
        result = ImportResult()
        limit = asyncio.Semaphore(CONCURRENCY)

        async def one(entry: OpmlFeed) -> None:
            async with limit:
                try:
                    await self.ingest.add_feed(entry.url)
                except DuplicateFeed:
                    result.duplicate.append(entry.url)
                except (FetchError, FeedParseError) as exc:
                    result.failed.append((entry.url, failure_reason(exc)))
                else:
                    result.added.append(entry.url)

        # One at a time per URL list order would be slow; duplicates inside the list are
        # already removed by parse_opml, so concurrent adds cannot race on the same URL.
        await asyncio.gather(*(one(entry) for entry in feeds))
        return result

    @staticmethod
    def read_opml(data: bytes) -> list[OpmlFeed]:
        """The feeds of an OPML document. Raises FeedParseError."""
        return parse_opml(data)

    def export_opml(self) -> tuple[bytes, int]:
        """Every feed as an OPML document, and how many there are."""
        feeds = [OpmlFeed(f.url, f.title) for f in feed_store.list_feeds(self.core.db)]
        return write_opml(feeds), len(feeds)

    async def alert_admins(self, summary: PollSummary, sender: MessageSender) -> int:
        """Tell every admin, once, about feeds that started failing for a day, recovered, or
        were disabled; returns how many alerts went out."""
        settings, db, now = self.core.settings, self.core.db, self.core.now()
        sent = 0
        for result in summary.results:
            if result.alert is None:
                continue
            feed = feed_store.get_feed(db, result.feed_id)
            if feed is None:
                continue
            text = t(settings.default_language, f"feed_alert_{result.alert}",
                     id=feed.id, title=feed.title or masked_url(feed.url),
                     url=masked_url(feed.url),
                     error=Html(describe_failure(settings.default_language,
                                                 feed.last_error_kind, feed.last_error)) or "-")
            for admin_id in sorted(settings.admin_ids):
                try:
                    await sender.send(admin_id, text)
                    sent += 1
                except DeliveryError as exc:
                    logger.warning("Could not alert admin chat_id=%d: %s", admin_id, exc)
            feed_store.mark_alerted(db, feed.id, now if result.alert != "recovered" else None)
        return sent
