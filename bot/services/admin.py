"""Admin work: feeds, figures, and the defaults of a new database."""

from __future__ import annotations

import asyncio
import logging
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.digest.chart import ChartData, render_stats_chart
from bot.errors import (
    DeliveryError,
    DuplicateFeed,
    FeedParseError,
    FetchError,
    UsageError,
    failure_reason,
)
from bot.feeds import googlenews
from bot.feeds.opml import OpmlFeed, parse_opml, write_opml
from bot.feeds.outlets import outlet_for
from bot.feeds.urls import canonical_url
from bot.models import Feed, FeedAlert, Topic, TopicKind
from bot.runtime.core import Core
from bot.services.ingest import CONCURRENCY, IngestService, PollSummary
from bot.services.outbox.engine import MessageSender
from bot.tagging.defaults import default_topics
from bot.text.shaping import masked_url
from bot.text.texts import Html, describe_failure, t
from storage import backup as backup_store
from storage import deliveries as delivery_store
from storage import feeds as feed_store
from storage import items as item_store
from storage import meta
from storage import subscribers as subscriber_store
from storage import topics as topic_store
from storage.db import database_file, open_read_only

logger = logging.getLogger(__name__)
CHART_DAYS = 30
CHART_TIMEOUT = 30.0  # seconds; drawing takes well under one
DEFAULT_FEEDS = Path(__file__).resolve().parents[1] / "data" / "default_feeds.toml"
TOPIC_NAMES = Path(__file__).resolve().parents[1] / "data" / "topic_names.toml"


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
    uptime: timedelta
    database_bytes: int
    oldest_item_at: datetime | None
    retain_days: int


def load_default_feeds(path: Path = DEFAULT_FEEDS) -> list[tuple[str, str]]:
    """The bundled (url, title) list of the outlets with a known feed: Kaltim outlets first,
    national ones after."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [(feed["url"], feed.get("title", "")) for feed in data["feeds"] if "url" in feed]


def load_bundled(path: Path = DEFAULT_FEEDS) -> list[tuple[str, str, str, str]]:
    """The whole bundled list as (url, title, site, outlet), in order; url is "" for an
    outlet named only by its site, whose own source Warta looks for after its first start."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [
        (feed.get("url", ""), feed.get("title", ""), feed.get("site", ""), feed.get("outlet", ""))
        for feed in data["feeds"]
    ]


def load_topic_names(path: Path = TOPIC_NAMES) -> dict[str, dict[str, str]]:
    """The default topics' kinds and English names, by slug."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


class AdminService:
    """Everything the admin commands change or show about feeds, and the figures."""

    def __init__(self, core: Core, ingest: IngestService, sender: MessageSender) -> None:
        self.core = core
        self.ingest = ingest
        self.sender = sender  # admins' alerts go straight out, not through the outbox
        self._chart_slot: asyncio.Semaphore | None = None

    @staticmethod
    def site_domain(text: str) -> str | None:
        """The site an admin typed ("https://www.Niaga.Asia/" -> "niaga.asia"), or None."""
        return googlenews.normalise_domain(text)

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
                    for slug, extra in load_topic_names().items():
                        topic_store.set_kind(db, slug, extra.get("kind", TopicKind.SUBJECT))
                        topic_store.set_english_name(db, slug, extra.get("name_en", ""))
                meta.set_meta(db, "seeded_topics", "1")
            self.core.topics_changed()
        if self.core.settings.seed_default_feeds and meta.get_meta(db, "seeded_feeds") is None:
            with db.atomic():  # in the list's order: Kaltim outlets first
                for url, title, site, outlet in load_bundled():
                    if url:
                        feed_store.add_feeds_if_missing(db, [(url, title)], now)
                    else:  # a Google News search stands in until the site's own source is
                        # found after start (SourceService.check_sites)
                        feed_store.add_site_feeds_if_missing(
                            db, [(site, googlenews.site_search_url(site), outlet, outlet)], now
                        )
                meta.set_meta(db, "seeded_feeds", "1")
        # Feeds from before the registry (or added on a host it has learnt since) get their
        # outlet's name; one an admin named is left alone.
        for feed_id, url in feed_store.unnamed_feeds(db):
            if outlet_for(url):
                feed_store.set_outlet(db, feed_id, outlet_for(url))

    def name_feed(self, feed_id: int, outlet: str) -> Feed | None:
        """/feedname: the outlet name a feed's items are shown under; None if no such feed.
        Raises UsageError for an empty or overlong name."""
        outlet = " ".join(outlet.split())
        if not outlet or len(outlet) > 64:
            raise UsageError("feedname: bad name")
        if not feed_store.set_outlet(self.core.db, feed_id, outlet):
            return None
        return feed_store.get_feed(self.core.db, feed_id)

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
        """Subscribers, feeds, items, items per topic over the last 7 days, and the upkeep
        figures: uptime, database size, the oldest item kept."""
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
            uptime=self.core.now() - (self.core.started_at or self.core.now()),
            database_bytes=backup_store.database_size(db),
            oldest_item_at=item_store.oldest_item_at(db),
            retain_days=self.core.settings.retain_days,
        )

    def chart_data(
        self,
        db: Database,
        topics: Sequence[Topic],
        now: datetime,
        timezone: str,
        days: int = CHART_DAYS,
    ) -> ChartData:
        """Items per topic and digest messages delivered, per local day, over the last days
        (today included)."""
        tz = ZoneInfo(timezone)
        today = now.astimezone(tz).date()
        first = today - timedelta(days=days - 1)
        since = datetime.combine(first, time(), tz)
        index = {first + timedelta(days=n): n for n in range(days)}
        counts = {topic.slug: [0] * days for topic in topics}
        for quarter, slug, count in item_store.topic_tags_by_quarter(db, since):
            slot = index.get(quarter.astimezone(tz).date())
            if slot is not None and slug in counts:
                counts[slug][slot] += count
        messages = [0] * days
        for quarter, count in delivery_store.messages_by_quarter(db, since):
            slot = index.get(quarter.astimezone(tz).date())
            if slot is not None:
                messages[slot] += count
        return ChartData(
            days=tuple(index),
            messages=tuple(messages),
            per_topic=tuple((t.name, tuple(counts[t.slug])) for t in topics),
        )

    async def stats_chart(self, timezone: str, lang: str) -> tuple[bytes, ChartData]:
        """/stats' chart as PNG, with its figures: drawn in a thread (the loop keeps answering),
        one at a time, within CHART_TIMEOUT.

        Raises:
            TimeoutError, ValueError, RuntimeError, MemoryError: it could not be drawn.
        """
        if self._chart_slot is None:  # made on first use, inside the running loop
            self._chart_slot = asyncio.Semaphore(1)
        topics, now = tuple(self.core.topics()), self.core.now()
        path = database_file(self.core.db)
        async with self._chart_slot:
            return await asyncio.wait_for(
                asyncio.to_thread(self._chart_in_thread, path, topics, now, timezone, lang),
                CHART_TIMEOUT,
            )

    def _chart_in_thread(
        self, path: str, topics: Sequence[Topic], now: datetime, timezone: str, lang: str
    ) -> tuple[bytes, ChartData]:
        """Read a month of figures through a connection of the thread's own (a month's items
        take a while to count), and draw them."""
        db = open_read_only(path)
        try:
            data = self.chart_data(db, topics, now, timezone)
        finally:
            db.close()
        return render_stats_chart(data, lang), data

    async def import_feeds(self, feeds: Sequence[OpmlFeed]) -> ImportResult:
        """Add every feed of a list as /addfeed would, a few at a time."""
        result = ImportResult()
        limit = asyncio.Semaphore(CONCURRENCY)
        known = {canonical_url(feed.url) for feed in feed_store.list_feeds(self.core.db)}

        async def one(entry: OpmlFeed) -> None:
            async with limit:
                try:
                    await self.ingest.add_feed(entry.url, known)
                except DuplicateFeed:
                    result.duplicate.append(entry.url)
                except (FetchError, FeedParseError) as exc:
                    result.failed.append((entry.url, failure_reason(exc)))
                else:
                    result.added.append(entry.url)

        # One at a time per URL list order would be slow; two URLs of one feed in the list
        # cannot race, since the first to start claims the canonical URL in `known`.
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

    async def alert_admins(self, summary: PollSummary) -> int:
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
            text = t(
                settings.default_language,
                f"feed_alert_{result.alert}",
                id=feed.id,
                title=feed.title or masked_url(feed.url),
                url=masked_url(feed.url),
                error=Html(
                    describe_failure(
                        settings.default_language, feed.last_error_kind, feed.last_error
                    )
                )
                or "-",
            )
            for admin_id in sorted(settings.admin_ids):
                try:
                    await self.sender.send(admin_id, text)
                    sent += 1
                except DeliveryError as exc:
                    logger.warning("Could not alert admin chat_id=%d: %s", admin_id, exc)
            recovered = result.alert == FeedAlert.RECOVERED
            feed_store.mark_alerted(db, feed.id, None if recovered else now)
        return sent
