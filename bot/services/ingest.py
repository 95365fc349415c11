"""Polling feeds: fetch → parse → clean → (lead) → tag → store, and the book-keeping around it.

This is the orchestrator of the ingestion pipeline. One broken feed never stops the others:
fetch and parse errors become data on the feed's row (shown by /feeds).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlite_utils import Database

from bot.errors import (
    DuplicateFeed,
    FeedParseError,
    FetchBadResponse,
    FetchError,
    FetchGone,
    FetchRefused,
    failure_kind,
    failure_reason,
)
from bot.feeds import sitemap
from bot.feeds.fetch import TOTAL_DEADLINE, FetchResult, fetch_feed
from bot.feeds.outlets import outlet_for
from bot.feeds.prepare import Prepared
from bot.feeds.urls import canonical_url
from bot.models import Feed, FeedAlert, FeedKind, Item
from bot.runtime.core import Core
from bot.runtime.patience import patiently
from bot.runtime.workers import PreparePool
from bot.services.leads import LeadReader
from bot.text.shaping import masked_url
from storage import feeds as feed_store
from storage import items as item_store

logger = logging.getLogger(__name__)

# How many feeds are fetched at once; enough to hide network latency, few enough to be polite.
CONCURRENCY = 8
# At most this many requests at once to one site, however many of its feeds we follow.
PER_HOST = 2
# A failing feed is retried at most this far apart.
BACKOFF_CEILING = timedelta(hours=6)
# Admins hear about a feed once it has failed for this long (and once when it recovers).
ALERT_AFTER = timedelta(days=1)
# The news sitemaps whose validators are remembered (the most recently read): an index may name
# a new address at every poll, and an unbounded memory of them would grow for ever.
SITEMAPS_REMEMBERED = 1024


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
    alert: FeedAlert | None = None  # worth telling the admins
    error_kind: str | None = None  # see bot.errors.failure_kind
    error_detail: str | None = None


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


class IngestService:
    """Polls feeds and adds new ones."""

    def __init__(
        self, core: Core, pool: PreparePool, *, fetch_deadline: float = TOTAL_DEADLINE
    ) -> None:
        self.core = core
        self.pool = pool  # Services.start() starts it and aclose() stops it, not this service
        self.fetch_deadline = fetch_deadline
        self.leads = LeadReader(core, pool)  # the article pages of items without a body
        self._lock = asyncio.Lock()
        # The validators of the news sitemaps that sitemap indexes lead to (feeds' own are on
        # their rows); a restart only costs one unconditional fetch of each.
        self._validators: dict[str, tuple[str | None, str | None]] = {}
        self.sitemaps_remembered = SITEMAPS_REMEMBERED
        self._poll_now: asyncio.Task[PollSummary] | None = None

    def start_poll_now(self) -> asyncio.Task[PollSummary] | None:
        """/pollnow: start polling every enabled feed (after the scheduled poll, if one is
        running) in a task of its own, so the admin's next commands are answered meanwhile.
        None while an earlier /pollnow's poll still runs: admins have no cool-down, and a
        second poll straight after the first would only poll everything twice (issue 22)."""
        if self._poll_now is not None and not self._poll_now.done():
            return None
        self._poll_now = asyncio.get_running_loop().create_task(
            self.poll_all(force=True), name="warta-pollnow"
        )
        return self._poll_now

    async def poll_all(self, *, force: bool = False) -> PollSummary:
        """Poll every enabled feed that is due (all of them with force), a few at a time and
        at most PER_HOST at once per site; never raises for a feed's failure."""
        async with self._lock:  # a /pollnow during the scheduled poll waits instead of doubling
            db, now = self.core.db, self.core.now()
            feeds = (
                feed_store.list_feeds(db, enabled_only=True)
                if force
                else feed_store.list_due(db, now)
            )
            limit = asyncio.Semaphore(CONCURRENCY)
            hosts: dict[str, asyncio.Semaphore] = {}

            async def bounded(feed: Feed) -> PollResult:
                host = hosts.setdefault(
                    urlsplit(feed.url).netloc.lower(), asyncio.Semaphore(PER_HOST)
                )
                async with limit, host:
                    try:
                        return await self.poll_feed(feed)
                    except Exception:  # a bug, or the database: still only this feed's poll
                        logger.exception("Polling feed_id=%d failed", feed.id)
                        return PollResult(
                            feed.id,
                            masked_url(feed.url),
                            feed.title,
                            error="internal error",
                            error_kind="network",
                            error_detail="internal error",
                        )

            results = await asyncio.gather(*(bounded(feed) for feed in feeds))
        summary = PollSummary(list(results))
        logger.info(
            "Polled %d feeds: %d new items, %d failed",
            summary.feeds,
            summary.new,
            len(summary.errors),
        )
        return summary

    async def poll_feed(self, feed: Feed) -> PollResult:
        """Fetch one feed and store its new items; a failure is recorded on the feed's row."""
        db, now = self.core.db, self.core.now()
        try:
            fetched, prepared = await self.load(
                feed.url, etag=feed.etag, last_modified=feed.last_modified
            )
        except (FetchError, FeedParseError) as exc:
            return self._failed(feed, exc, now)
        except Exception as exc:  # whatever a server or a document made happen: this feed's
            logger.exception("Unexpected failure of feed_id=%d", feed.id)
            unexpected = FetchBadResponse(feed.url, f"unexpected {type(exc).__name__}")
            return self._failed(feed, unexpected, now)

        def store() -> list[int]:
            # Items and the feed's new state are written together, so a crash leaves neither
            # half; while another process holds the write lock, tried again (patiently).
            with db.atomic():
                new_ids = _store_document(db, feed.id, prepared, fetched, now, stored=feed)
                if fetched.moved_to and fetched.moved_to != feed.url:
                    if feed_store.move_feed(db, feed.id, fetched.moved_to):
                        logger.info(
                            "Feed moved feed_id=%d to %s", feed.id, masked_url(fetched.moved_to)
                        )
            return new_ids

        new_ids = await patiently(store)
        return PollResult(
            feed.id,
            feed.url,
            (prepared.title if prepared else "") or feed.title,
            found=len(prepared.items) if prepared else 0,
            new=len(new_ids),
            skipped=prepared.skipped if prepared else 0,
            not_modified=prepared is None,
            alert=FeedAlert.RECOVERED if feed.alerted_at else None,
        )

    def _failed(self, feed: Feed, exc: Exception, now: datetime) -> PollResult:
        reason = failure_reason(exc)
        kind, detail = failure_kind(exc)
        logger.warning(
            "Feed failed feed_id=%d feed_url=%s: %s", feed.id, masked_url(feed.url), reason
        )
        if isinstance(exc, FetchGone):
            feed_store.disable_feed(self.core.db, feed.id, detail or reason, now, kind)
            return PollResult(
                feed.id,
                feed.url,
                feed.title,
                error=reason,
                alert=FeedAlert.DISABLED,
                error_kind=kind,
                error_detail=detail,
            )
        # Exponential backoff: a dead feed is tried less and less often, up to a ceiling,
        # and never sooner than the server's own Retry-After.
        delay = self.core.settings.feed_poll_interval * 2 ** min(feed.error_count, 10)
        delay = min(delay, BACKOFF_CEILING.total_seconds())
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            delay = max(delay, retry_after)
        feed_store.record_failure(
            self.core.db, feed.id, detail, now, now + timedelta(seconds=delay), kind
        )
        since = feed.failing_since or now
        due = now - since >= ALERT_AFTER and feed.alerted_at is None
        alert = FeedAlert.FAILING if due else None
        return PollResult(
            feed.id,
            feed.url,
            feed.title,
            error=reason,
            alert=alert,
            error_kind=kind,
            error_detail=detail,
        )

    async def add_feed(self, url: str, known: set[str] | None = None) -> tuple[Feed, int]:
        """Fetch a new feed now and store it with its items.

        `known` is the canonical URLs of the stored feeds, for an import of many feeds: the
        caller builds it once and each add checks it in O(1) and adds its own URL to it.

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
        if known is None:
            if (feed := self.listed(url)) is not None:
                raise DuplicateFeed(feed.id, feed.title or feed.url)
        elif wanted in known:
            raise DuplicateFeed(0, url)
        else:
            known.add(wanted)  # claimed now, so a twin later in the same list is a duplicate
        fetched = await self._fetch(url)
        return await self.store_new(url, fetched)

    async def store_new(
        self,
        url: str,
        fetched: FetchResult,
        *,
        kind: str = FeedKind.FEED,
        site: str | None = None,
        outlet: str | None = None,
    ) -> tuple[Feed, int]:
        """Read a document fetched from url (following a sitemap index) and store it as a new
        feed of this kind, with its items; the caller checked it is not listed yet.

        Raises:
            DuplicateFeed: the URL was stored meanwhile.
            FetchError, FeedParseError: nothing was stored.
        """
        fetched, prepared = await self.load(url, fetched=fetched)
        return self.store_prepared(url, fetched, prepared, kind=kind, site=site, outlet=outlet)

    def store_prepared(
        self,
        url: str,
        fetched: FetchResult,
        prepared: Prepared | None,
        *,
        kind: str = FeedKind.FEED,
        site: str | None = None,
        outlet: str | None = None,
    ) -> tuple[Feed, int]:
        """Store a new feed with the items prepared from its document (see store_new)."""
        if prepared is None:
            raise FeedParseError("parser: the server sent no document")
        now, db = self.core.now(), self.core.db
        try:
            with db.atomic():
                feed = feed_store.add_feed(
                    db, url, now, title=prepared.title, kind=kind, site=site
                )
                feed_store.set_outlet(db, feed.id, outlet or outlet_for(url))
                _store_document(db, feed.id, prepared, fetched, now)
        except sqlite3.IntegrityError:  # the same URL added meanwhile, by another command
            existing = feed_store.get_feed_by_url(db, url)
            raise DuplicateFeed(existing.id if existing else 0, url) from None
        return feed_store.get_feed(self.core.db, feed.id) or feed, len(prepared.items)

    async def switch_source(self, feed: Feed, url: str, fetched: FetchResult, kind: str) -> int:
        """Follow a stored feed through another source of the same site from now on (its id,
        outlet name and items stay): read the document fetched from url, store its new items,
        and move the feed there. Returns how many items the source had.

        Raises:
            DuplicateFeed: another feed already follows url.
            FetchError, FeedParseError: nothing changed.
        """
        fetched, prepared = await self.load(url, fetched=fetched)
        if prepared is None:
            raise FeedParseError("parser: the server sent no document")
        db, now = self.core.db, self.core.now()
        async with self._lock:  # not in the middle of a poll of the old address
            try:
                with db.atomic():
                    feed_store.switch_source(db, feed.id, url, kind, now)
                    _store_document(db, feed.id, prepared, fetched, now)
            except sqlite3.IntegrityError:
                existing = feed_store.get_feed_by_url(db, url)
                raise DuplicateFeed(existing.id if existing else 0, url) from None
        return len(prepared.items)

    async def load(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        fetched: FetchResult | None = None,
    ) -> tuple[FetchResult, Prepared | None]:
        """Fetch url (unless `fetched` is given) and prepare it in a worker; a sitemap index
        is followed to the news sitemaps it lists. (fetched, None) when it was not modified.

        Raises:
            FetchError, FeedParseError: the source could not be read.
        """
        if fetched is None:
            fetched = await self._fetch(url, etag=etag, last_modified=last_modified)
        if fetched.not_modified:
            return fetched, None
        now = self.core.now()
        prepared = await self._prepare(fetched, now)
        if prepared.follow:
            prepared = await self._follow(prepared, now)
            # An index changes less often than its news sitemap (and a cache may keep it):
            # it is fetched whole every time, and its news sitemaps conditionally.
            fetched = replace(
                fetched,
                headers={
                    k: v for k, v in fetched.headers.items() if k not in ("etag", "last-modified")
                },
            )
        # Before storing, so the stored link and the duplicate check are the outlet's.
        return fetched, await self.leads.enrich(url, prepared)

    async def _follow(self, index: Prepared, now: datetime) -> Prepared:
        """The items of the news sitemaps a sitemap index lists (at most
        sitemap.MAX_CHILDREN of them, each read whole; an index inside is not followed),
        newest first, at most sitemap.MAX_ENTRIES.

        Raises:
            FetchError, FeedParseError: none of them could be read (the first one's error),
                or they are all indexes.
        """
        items: dict[str, Item] = {}
        title, skipped, first_error, reached = index.title, 0, None, False
        for child in index.follow[: sitemap.MAX_CHILDREN]:
            etag, last_modified = self._validators.get(child, (None, None))
            try:
                fetched = await self._fetch(child, etag=etag, last_modified=last_modified)
                if fetched.not_modified:
                    reached = True
                    continue  # its items are stored already
                part = await self._prepare(fetched, now)
                self._remember(child, fetched)
            except (FetchError, FeedParseError) as exc:
                logger.info("Sitemap %s not read: %s", masked_url(child), failure_reason(exc))
                first_error = first_error or exc
                continue
            if part.follow:
                continue
            reached = True
            title, skipped = title or part.title, skipped + part.skipped
            for item in part.items:
                items.setdefault(item.key, item)
        if not reached:
            raise first_error or FeedParseError("sitemap: the index leads to no news sitemap")
        newest = sorted(items.values(), key=lambda item: item.published_at, reverse=True)
        return Prepared(title, newest[: sitemap.MAX_ENTRIES], skipped)

    def _remember(self, sitemap_url: str, fetched: FetchResult) -> None:
        """Keep a news sitemap's validators, forgetting the least recently read past the bound
        (a forgotten one is fetched whole once: nothing is lost)."""
        self._validators.pop(sitemap_url, None)
        self._validators[sitemap_url] = (fetched.etag, fetched.last_modified)
        while len(self._validators) > self.sitemaps_remembered:
            del self._validators[next(iter(self._validators))]

    def listed(self, url: str) -> Feed | None:
        """The stored feed with this URL, written any way (canonical form), or None."""
        wanted = canonical_url(url)
        return next(
            (
                feed
                for feed in feed_store.list_feeds(self.core.db)
                if canonical_url(feed.url) == wanted
            ),
            None,
        )

    async def fetch(self, url: str) -> FetchResult:
        """One GET through the feed client, as polls make it (for discovery's first page).

        Raises:
            FetchError: as fetch_feed.
        """
        return await self._fetch(url)

    @property
    def client(self):
        """The feed HTTP client (open between Services.start() and aclose())."""
        return self._client()

    async def _fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        return await fetch_feed(
            self._client(),
            url,
            etag=etag,
            last_modified=last_modified,
            allow_private=self.core.settings.allow_private_feed_urls,
            deadline=self.fetch_deadline,
        )

    async def _prepare(self, fetched: FetchResult, now: datetime) -> Prepared:
        return await self.pool.prepare(
            fetched, tuple(self.core.topics()), now, self.core.settings.feed_cpu_seconds
        )

    def _client(self):
        # Opened by Services.start() and closed by Services.aclose(): one owner, so a client
        # opened here on the side would be one nobody closes.
        if self.core.http is None:
            raise RuntimeError("the feed HTTP client is not open: call Services.start() first")
        return self.core.http


def _store_document(
    db: Database,
    feed_id: int,
    prepared: Prepared | None,
    fetched: FetchResult,
    now: datetime,
    *,
    stored: Feed | None = None,
) -> list[int]:
    """A fetched document's new items, the keys its items were known by before their outlet's
    own link was found, and the feed's new state (validators, title), inside the caller's
    transaction; returns the new items' ids. Polling the same address (`stored`: the feed as
    it was), a validator the answer did not send keeps the stored one; a new address starts
    with the answer's own."""
    new_ids = item_store.insert_new(db, feed_id, prepared.items, now) if prepared else []
    if prepared and prepared.aliases:
        item_store.remember_keys(db, prepared.aliases, now)
    feed_store.record_success(
        db,
        feed_id,
        now,
        title=prepared.title if prepared else None,
        etag=fetched.etag or (stored.etag if stored else None),
        last_modified=fetched.last_modified or (stored.last_modified if stored else None),
    )
    return new_ids
