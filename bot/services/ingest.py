"""Polling feeds: fetch → parse → clean → tag → store, and the book-keeping around it.

This is the orchestrator of the ingestion pipeline. One broken feed never stops the others:
fetch and parse errors become data on the feed's row (shown by /feeds).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.errors import DuplicateFeed, FeedParseError, FetchError, FetchRefused
from bot.feeds.clean import clean_item
from bot.feeds.fetch import TOTAL_DEADLINE, FetchResult, fetch_feed, new_client
from bot.feeds.parse import parse_feed
from bot.feeds.urls import canonical_url
from bot.models import Feed, Item
from bot.services.core import Core
from bot.tagging.tagger import Tagger
from storage import feeds as feed_store
from storage import items as item_store

logger = logging.getLogger(__name__)

# How many feeds are fetched at once; enough to hide network latency, few enough to be polite.
CONCURRENCY = 8


@dataclass(frozen=True)
class PollResult:
    """The outcome of polling one feed."""

    feed_id: int
    url: str
    title: str = ""
    found: int = 0
    new: int = 0
    skipped: int = 0
    not_modified: bool = False
    error: str | None = None


@dataclass(frozen=True)
class PollSummary:
    """The outcome of polling every feed."""

    results: list[PollResult] = field(default_factory=list)

    @property
    def feeds(self) -> int:
        """Feeds polled."""
        return len(self.results)

    @property
    def new(self) -> int:
        """New items stored."""
        return sum(r.new for r in self.results)

    @property
    def errors(self) -> list[PollResult]:
        """The feeds that failed."""
        return [r for r in self.results if r.error]


@dataclass(frozen=True)
class Prepared:
    """A fetched document turned into taggable items."""

    title: str
    items: list[Item]
    skipped: int


def prepare_items(fetched: FetchResult, tagger: Tagger, now: datetime) -> Prepared:
    """Parse, clean and tag a fetched document. Pure and blocking: runs in a worker thread.

    Raises:
        FeedParseError: the document is not a usable feed.
    """
    parsed = parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers)
    items, skipped = [], 0
    for raw in parsed.entries:
        item = clean_item(raw, now=now)
        if item is None:
            skipped += 1
            continue
        # A feed's clock can run ahead; a story dated tomorrow would stick to the top forever.
        published = min(item.published_at, now)
        tags = tagger.tag(item.title, item.summary)
        items.append(
            Item(item.key, item.title, item.link, item.summary, published, item.guid, tags)
        )
    return Prepared(parsed.title.strip(), items, skipped)


class IngestService:
    """Polls feeds and adds new ones."""

    def __init__(self, core: Core, *, fetch_deadline: float = TOTAL_DEADLINE) -> None:
        self.core = core
        self.fetch_deadline = fetch_deadline
        self._lock = asyncio.Lock()

    async def poll_all(self) -> PollSummary:
        """Poll every enabled feed, a few at a time; never raises for a feed's failure."""
        async with self._lock:  # a /pollnow during the scheduled poll waits instead of doubling
            feeds = feed_store.list_feeds(self.core.db, enabled_only=True)
            limit = asyncio.Semaphore(CONCURRENCY)

            async def bounded(feed: Feed) -> PollResult:
                async with limit:
                    return await self.poll_feed(feed)

            results = await asyncio.gather(*(bounded(feed) for feed in feeds))
        summary = PollSummary(list(results))
        logger.info(
            "Polled %d feeds: %d new items, %d failed",
            summary.feeds, summary.new, len(summary.errors),
        )
        return summary

    async def poll_feed(self, feed: Feed) -> PollResult:
        """Fetch one feed and store its new items; a failure is recorded on the feed's row."""
        db, now = self.core.db, self.core.now()
        try:
            fetched = await fetch_feed(
                self._client(), feed.url, etag=feed.etag, last_modified=feed.last_modified,
                allow_private=self.core.settings.allow_private_feed_urls,
                deadline=self.fetch_deadline,
            )
            if fetched.not_modified:
                feed_store.record_success(
                    db, feed.id, now, title=None, etag=feed.etag, last_modified=feed.last_modified
                )
                return PollResult(feed.id, feed.url, feed.title, not_modified=True)
            prepared = await asyncio.to_thread(prepare_items, fetched, self.core.tagger(), now)
        except (FetchError, FeedParseError) as exc:
            reason = exc.reason if isinstance(exc, FetchError) else str(exc)
            feed_store.record_failure(db, feed.id, reason, now)
            logger.warning("Feed failed feed_id=%d feed_url=%s: %s", feed.id, feed.url, exc)
            return PollResult(feed.id, feed.url, feed.title, error=reason)
        new_ids = item_store.insert_new(db, feed.id, prepared.items, now)
        feed_store.record_success(
            db, feed.id, now, title=prepared.title,
            etag=fetched.etag, last_modified=fetched.last_modified,
        )
        return PollResult(
            feed.id, feed.url, prepared.title or feed.title, found=len(prepared.items),
            new=len(new_ids), skipped=prepared.skipped,
        )

    async def add_feed(self, url: str) -> tuple[Feed, int]:
        """Fetch a new feed now and store it with its items.

        Returns:
            The stored feed and how many items it had.
        Raises:
            DuplicateFeed: the URL is already listed.
            FetchError, FeedParseError: nothing was stored.
        """
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise FetchRefused(url, "only http and https URLs can be fetched")
        wanted = canonical_url(url)
        for feed in feed_store.list_feeds(self.core.db):
            if canonical_url(feed.url) == wanted:
                raise DuplicateFeed(feed.id, feed.title or feed.url)
        now = self.core.now()
        fetched = await fetch_feed(
            self._client(), url, allow_private=self.core.settings.allow_private_feed_urls,
            deadline=self.fetch_deadline,
        )
        prepared = await asyncio.to_thread(prepare_items, fetched, self.core.tagger(), now)
        feed = feed_store.add_feed(self.core.db, url, now, title=prepared.title)
        item_store.insert_new(self.core.db, feed.id, prepared.items, now)
        feed_store.record_success(
            self.core.db, feed.id, now, title=prepared.title,
            etag=fetched.etag, last_modified=fetched.last_modified,
        )
        return feed_store.get_feed(self.core.db, feed.id) or feed, len(prepared.items)

    def _client(self):
        if self.core.http is None:
            self.core.http = new_client()
        return self.core.http
