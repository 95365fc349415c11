"""Reading the article pages of items that came without a body: their lead and their outlet's
own link (issue 24).

Between a feed's prepare (parse, clean, tag) and its store, for the items its feed gave no body
(a Google News item, a title-only feed, a description shorter than a sentence) that are not
stored yet, newest first and at most LEAD_PAGES_PER_FEED a poll:

1. the link is made the outlet's: a Google News article link is decoded (the older form holds
   the URL; the current one is asked of Google, one page and one POST), and any link's HTTP
   redirects are followed to the end, each hop's address checked by the fetch module;
2. the page is read if the site's robots.txt allows it, at most two pages of one site at once,
   with the feeds' address checks, deadline and a size cap of its own;
3. the worker processes extract the lead and tag the item again (bot/feeds/prepare.py
   add_leads), under the feed's CPU budget.

An item whose page cannot be read keeps its title and the topics of its title; nothing here
fails a feed or holds its items back longer than the deadline. Imports no Telegram.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from bot.errors import FeedTooCostly, FetchError
from bot.feeds import googlelinks, googlenews
from bot.feeds.fetch import check_url, fetch_feed
from bot.feeds.prepare import Page, Prepared
from bot.feeds.robots import Robots
from bot.feeds.urls import item_key
from bot.models import Item
from bot.runtime.core import Core
from bot.runtime.workers import PreparePool
from bot.text.shaping import masked_url
from storage import items as item_store

logger = logging.getLogger(__name__)

# At most this many pages of one site are read at once, whatever the feeds (issue 24).
PER_SITE = 2
# One page (its redirects and Google's two requests included) may take this long.
PAGE_DEADLINE = 15.0
# A feed's pages may take this long together; what is not read by then keeps its title. The
# feed's items are stored after it, so this is the longest a new item is held back.
FEED_DEADLINE = 30.0
# Google's article page and its batchexecute answer are small; more is not theirs.
GOOGLE_MAX_BYTES = 512 * 1024
# A summary with fewer words than this is no body: a title repeated, an outlet's name, a
# teaser cut before its first sentence ends.
SENTENCE_WORDS = 12


def needs_lead(item: Item) -> bool:
    """True when the feed gave the item no body worth tagging: no summary, or one shorter than
    a sentence."""
    return len(item.summary.split()) < SENTENCE_WORDS


class SiteSlots:
    """At most PER_SITE requests at once to one site (host and port), across every feed and
    poll; a site's entry is dropped when nobody holds or waits for it, so it stays small."""

    def __init__(self, per_site: int = PER_SITE) -> None:
        self.per_site = per_site
        self._slots: dict[str, tuple[asyncio.Semaphore, list[int]]] = {}

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """Hold one of the url's site's slots for the block."""
        site = urlsplit(url).netloc.lower()
        semaphore, users = self._slots.setdefault(site, (asyncio.Semaphore(self.per_site), [0]))
        users[0] += 1
        try:
            async with semaphore:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._slots[site]


@dataclass
class _Reading:
    """One item's page as it is read: where its link ended and what came."""

    item: Item
    link: str
    body: bytes = b""
    content_type: str = ""
    known: bool = False  # the outlet's link is stored already: nothing more to read
    notes: list[str] = field(default_factory=list)


class LeadReader:
    """Reads the leads of a feed's items that came without a body (see the module docstring)."""

    def __init__(self, core: Core, pool: PreparePool) -> None:
        self.core = core
        self.pool = pool
        self.sites = SiteSlots()
        self.robots = Robots(allow_private=core.settings.allow_private_feed_urls)
        self.page_deadline = PAGE_DEADLINE
        self.feed_deadline = FEED_DEADLINE

    async def enrich(self, feed_url: str, prepared: Prepared) -> Prepared:
        """The prepared items with the leads and outlet links that could be read; the keys the
        changed items were known by are in `aliases`. Never raises for a page."""
        settings = self.core.settings
        if not settings.read_leads or not settings.lead_pages_per_feed:
            return prepared
        wanted = [item for item in prepared.items if needs_lead(item)]
        if not wanted:
            return prepared
        unknown = item_store.unknown_keys(self.core.db, [item.key for item in wanted])
        wanted = sorted(
            (item for item in wanted if item.key in unknown),
            key=lambda item: item.published_at,
            reverse=True,
        )
        wanted = wanted[: settings.lead_pages_per_feed]
        if not wanted:
            return prepared
        hosts = frozenset(
            {googlelinks.GOOGLE_NEWS_HOST}
            | (
                {(urlsplit(feed_url).hostname or "").lower()}
                if googlenews.site_of(feed_url)
                else set()
            )
        )
        readings = [_Reading(item, item.link) for item in wanted]
        tasks = [asyncio.ensure_future(self._read(reading, hosts)) for reading in readings]
        _, late = await asyncio.wait(tasks, timeout=self.feed_deadline)
        for task in late:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return await self._apply(feed_url, prepared, readings)

    async def _apply(
        self, feed_url: str, prepared: Prepared, readings: list[_Reading]
    ) -> Prepared:
        pages = [
            (r.item, Page(r.link, r.body, r.content_type))
            for r in readings
            if r.link != r.item.link or r.body
        ]
        if not pages:
            return prepared
        try:
            done = await self.pool.add_leads(
                pages, tuple(self.core.topics()), self.core.settings.feed_cpu_seconds
            )
        except FeedTooCostly as exc:
            logger.warning("Leads of feed_url=%s not read: %s", masked_url(feed_url), exc)
            # The links are still the outlets': only the extraction was too costly.
            done = [
                replace(item, link=page.link, key=item_key(item.guid, page.link))
                for item, page in pages
            ]
        changed = {item.key: new for (item, _), new in zip(pages, done, strict=True)}
        aliases = tuple(old for old, new in changed.items() if new.key != old)
        items = [changed.get(item.key, item) for item in prepared.items]
        read = sum(1 for r in readings if r.body)
        logger.info(
            "Leads of feed_url=%s: %d pages read of %d, %d links the outlet's",
            masked_url(feed_url),
            read,
            len(readings),
            len(aliases),
        )
        return replace(prepared, items=items, aliases=prepared.aliases + aliases)

    async def _read(self, reading: _Reading, hosts: frozenset[str]) -> None:
        """Find the outlet's link, then read the page, within the page deadline; a failure
        leaves the reading as far as it got."""
        try:
            async with asyncio.timeout(self.page_deadline):
                article = googlelinks.article_id(reading.link, hosts)
                if article is not None:
                    outlet = await self._outlet_of_google(reading.link, article)
                    if outlet is None:
                        return
                    reading.link = outlet
                await self._read_page(reading)
        except (FetchError, TimeoutError) as exc:
            logger.debug("Page of %s not read: %s", masked_url(reading.link), exc)
        except Exception:  # whatever a page made happen: only this item goes without its lead
            logger.exception("Reading the page of %s failed", masked_url(reading.link))

    async def _read_page(self, reading: _Reading) -> None:
        settings = self.core.settings
        if item_store.unknown_keys(self.core.db, [item_key(None, reading.link)]) == set():
            reading.known = True  # the outlet's own feed brought it already: one item
            return
        client = self._client()
        if not await self.robots.allows(client, reading.link):
            logger.debug("robots.txt disallows %s", masked_url(reading.link))
            return
        async with self.sites.slot(reading.link):
            fetched = await fetch_feed(
                client,
                reading.link,
                allow_private=settings.allow_private_feed_urls,
                max_bytes=settings.lead_page_max_kb * 1024,
                deadline=self.page_deadline,
                # A redirect may lead to another site: its robots.txt is asked too.
                may_fetch=lambda url: self.robots.allows(client, url),
            )
        # Redirects followed to the end: the address the article really lives at.
        reading.link = fetched.final_url
        reading.body = fetched.body
        reading.content_type = fetched.headers.get("content-type", "")

    async def _outlet_of_google(self, link: str, article: str) -> str | None:
        """The outlet's URL behind a Google News article link; None when Google would not
        say (the item then keeps Google's link)."""
        decoded = googlelinks.decode_article_id(article)
        if decoded is not None:
            return self._acceptable(decoded)
        settings, client = self.core.settings, self._client()
        private = settings.allow_private_feed_urls
        async with self.sites.slot(link):
            page = await fetch_feed(
                client,
                googlelinks.page_url(link),
                allow_private=private,
                max_bytes=GOOGLE_MAX_BYTES,
                deadline=self.page_deadline,
            )
        if urlsplit(page.final_url).hostname not in (urlsplit(link).hostname,):
            return page.final_url  # Google redirected to the outlet itself
        signed = googlelinks.signature_of(page.body.decode("utf-8", "replace"))
        if signed is None:
            return None
        async with self.sites.slot(link):
            answer = await fetch_feed(
                client,
                googlelinks.batch_url(link),
                allow_private=private,
                max_bytes=GOOGLE_MAX_BYTES,
                deadline=self.page_deadline,
                form=googlelinks.batch_form(article, signed[1], signed[0]),
            )
        return self._acceptable(googlelinks.url_from_batch(answer.body.decode("utf-8", "replace")))

    def _acceptable(self, url: str | None) -> str | None:
        """The URL Google named, unless it is no http(s) address or a private one (which
        would be stored and shown as the outlet's)."""
        if url is None:
            return None
        try:
            check_url(url, allow_private=self.core.settings.allow_private_feed_urls)
        except FetchError:
            return None
        return url

    def _client(self):
        if self.core.http is None:
            raise RuntimeError("the feed HTTP client is not open: call Services.start() first")
        return self.core.http
