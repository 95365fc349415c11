"""Following a site by its own source: /addfeed of any page, /addsite of a domain, and the
bundled outlets' sites looked at after start.

The order is the issue's (24): a feed the page names, the usual feed addresses, a news sitemap
(bot/feeds/discover.py finds the candidates), each read in a worker to make sure it is one;
only then a Google News search restricted to the site. Whatever is found is stored through the
ingest service; a site with nothing gets NoSource and nothing is stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.errors import (
    DuplicateFeed,
    FeedParseError,
    FetchError,
    FetchRefused,
    NoSource,
    failure_reason,
)
from bot.feeds import googlenews
from bot.feeds.discover import PROBE_DEADLINE, Found, Prober, find_sources
from bot.feeds.document import Kind, kind_of
from bot.feeds.fetched import FetchResult
from bot.models import Feed, FeedKind, SourceAdded
from bot.runtime.core import Core
from bot.services.ingest import IngestService
from bot.text.shaping import masked_url
from storage import feeds as feed_store

logger = logging.getLogger(__name__)

# The whole search for a site's own source (every request and reading each candidate) stops
# after this long; Google News is then asked, with its own fetch deadline.
DISCOVERY_DEADLINE = 60.0


class SourceService:
    """Discovery of a site's own source, and adding or switching to it."""

    def __init__(self, core: Core, ingest: IngestService) -> None:
        self.core = core
        self.ingest = ingest
        # Where Google News searches go, and how a domain becomes its home page's address;
        # tests point both at their loopback host.
        self.google_news_search = googlenews.SEARCH_URL
        self.site_address = "https://{domain}/"
        self.deadline = DISCOVERY_DEADLINE

    async def add_url(self, url: str) -> SourceAdded:
        """/addfeed: a feed or news sitemap is added as it is; a web page is searched for its
        site's own source, with Google News last.

        Raises:
            DuplicateFeed: the URL, or the source found, is listed already.
            FetchError, FeedParseError: the address itself could not be read as a source.
            NoSource: a page of a site with nothing to follow.
        """
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise FetchRefused(url, "only http and https URLs can be fetched")
        if (listed := self.ingest.listed(url)) is not None:
            raise DuplicateFeed(listed.id, listed.title or listed.url)
        fetched = await self.ingest.fetch(url)
        kind = kind_of(fetched.body, fetched.headers.get("content-type", ""))
        if kind != Kind.HTML:  # a source as it is, or the parser says why it is none
            site = googlenews.site_of(url)
            feed_kind = FeedKind.GOOGLE_NEWS if site else _feed_kind(kind)
            feed, count = await self.ingest.store_new(url, fetched, kind=feed_kind, site=site)
            return SourceAdded(feed, count, feed_kind)
        domain = googlenews.normalise_domain(fetched.final_url)
        added = await self._search(url, fetched, domain, self._stand_in(domain))
        if added is not None:
            return added
        if domain is None:  # an address without a site name (an IP): no Google search
            raise NoSource(masked_url(url))
        return await self._google(domain)

    async def add_site(self, domain: str) -> SourceAdded:
        """/addsite: the site's own source, else a Google News search restricted to it. A site
        already followed through Google News (a bundled outlet) moves to its own source when
        one is found now; one followed by its own source already is a duplicate.

        Raises:
            DuplicateFeed: what was found is listed already, or the site is followed by its
                own source already.
            FetchRefused: the site's address is private or local.
            NoSource: nothing to follow, not even on Google News.
        """
        existing = feed_store.feed_for_site(self.core.db, domain)
        if existing is not None and existing.kind != FeedKind.GOOGLE_NEWS:
            raise DuplicateFeed(existing.id, existing.outlet or existing.title or existing.url)
        page = await self._home_page(domain)
        added = await self._search(self.site_address.format(domain=domain), page, domain, existing)
        if added is not None:
            return added
        if existing is not None:  # still nothing of its own: Google News goes on
            feed_store.mark_site_checked(self.core.db, existing.id, self.core.now())
            return SourceAdded(existing, 0, FeedKind.GOOGLE_NEWS, unchanged=True)
        return await self._google(domain)

    async def check_sites(self) -> int:
        """Look once for the own source of each site followed through a stand-in (the bundled
        outlets at first start); returns how many moved to one. A site that cannot be reached
        now is looked at again at the next start; its stand-in goes on meanwhile."""
        moved = 0
        for feed in feed_store.sites_to_check(self.core.db):
            try:
                page = await self._home_page(feed.site or "")
                added = await self._search(
                    self.site_address.format(domain=feed.site), page, feed.site, feed
                )
            except DuplicateFeed as exc:  # its own source is followed by another feed already
                logger.info("Site %s: its source is feed %d already", feed.site, exc.feed_id)
                feed_store.mark_site_checked(self.core.db, feed.id, self.core.now())
                continue
            except FetchError as exc:
                logger.info("Site %s not looked at: %s", feed.site, exc.reason)
                continue
            except Exception:  # a bug, or the database: still only this site's look
                logger.exception("Looking at site %s failed", feed.site)
                continue
            if added is not None:
                moved += 1
                logger.info(
                    "Feed feed_id=%d (%s) now follows %s (%s)",
                    feed.id,
                    feed.site,
                    masked_url(added.feed.url),
                    added.kind,
                )
            elif page is not None:  # reached, and nothing of its own: Google stays
                feed_store.mark_site_checked(self.core.db, feed.id, self.core.now())
        return moved

    def _stand_in(self, domain: str | None) -> Feed | None:
        """The site's feed if it follows it through Google News (to move to its own source);
        a site followed by a feed of its own keeps it when another page of it is added."""
        feed = feed_store.feed_for_site(self.core.db, domain) if domain else None
        return feed if feed is not None and feed.kind == FeedKind.GOOGLE_NEWS else None

    async def _home_page(self, domain: str) -> FetchResult | None:
        """The site's home page, or None when it cannot be read (the usual addresses may
        still be). Raises FetchRefused: the site's address is private or local."""
        try:
            return await self.ingest.fetch(self.site_address.format(domain=domain))
        except FetchRefused:
            raise
        except FetchError as exc:
            logger.info("Home page of %s not read: %s", domain, exc.reason)
            return None

    async def _search(
        self, start: str, page: FetchResult | None, domain: str | None, existing: Feed | None
    ) -> SourceAdded | None:
        """The first candidate that reads as a source, stored (or `existing` moved to it);
        None when there is none within the bounds."""
        prober = Prober(
            self.ingest.client,
            allow_private=self.core.settings.allow_private_feed_urls,
            deadline=min(PROBE_DEADLINE, self.ingest.fetch_deadline),
        )
        try:
            async with (
                asyncio.timeout(self.deadline),
                contextlib.aclosing(find_sources(prober, start, page)) as candidates,
            ):
                async for found in candidates:
                    try:
                        return await self._take(found, domain, existing)
                    except (FetchError, FeedParseError) as exc:
                        logger.info(
                            "Candidate %s is no source: %s",
                            masked_url(found.url),
                            failure_reason(exc),
                        )
        except TimeoutError:
            logger.info("Discovery on %s stopped after %g s", masked_url(start), self.deadline)
        return None

    async def _take(self, found: Found, domain: str | None, existing: Feed | None) -> SourceAdded:
        """Store the found source (read in a worker first), or move `existing` to it."""
        kind = _feed_kind(found.kind)
        if (listed := self.ingest.listed(found.url)) is not None:
            raise DuplicateFeed(listed.id, listed.outlet or listed.title or listed.url)
        if existing is not None:
            count = await self.ingest.switch_source(existing, found.url, found.fetched, kind)
            feed = feed_store.get_feed(self.core.db, existing.id) or existing
            return SourceAdded(feed, count, kind, found=True, switched=True)
        feed, count = await self.ingest.store_new(found.url, found.fetched, kind=kind, site=domain)
        return SourceAdded(feed, count, kind, found=True)

    async def _google(self, domain: str) -> SourceAdded:
        """Follow the site through a Google News search restricted to it, if Google has
        stories from it. Raises NoSource otherwise, DuplicateFeed if it is listed."""
        url = googlenews.site_search_url(domain, self.google_news_search)
        if (listed := self.ingest.listed(url)) is not None:
            raise DuplicateFeed(listed.id, listed.outlet or listed.title or listed.url)
        try:
            fetched, prepared = await self.ingest.load(url)
        except (FetchError, FeedParseError) as exc:
            logger.info("Google News search for %s failed: %s", domain, failure_reason(exc))
            raise NoSource(domain, google=exc) from None
        if prepared is None or not prepared.items:
            raise NoSource(domain)
        feed, count = self.ingest.store_prepared(
            url, fetched, prepared, kind=FeedKind.GOOGLE_NEWS, site=domain
        )
        return SourceAdded(feed, count, FeedKind.GOOGLE_NEWS, found=True)


def _feed_kind(kind: Kind) -> FeedKind:
    """How a document of this kind follows its outlet."""
    if kind in (Kind.NEWS_SITEMAP, Kind.SITEMAP_INDEX, Kind.SITEMAP):
        return FeedKind.SITEMAP
    return FeedKind.FEED
