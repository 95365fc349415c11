"""Finding a site's own source from any of its pages, as feed readers do.

In this order: a feed the page names with `<link rel="alternate">` (RSS, Atom, JSON Feed); the
usual feed addresses (WordPress `/feed/`, `/rss`, `/rss.xml` …), each checked to be a feed; a
Google News sitemap, or a sitemap index, named in robots.txt (`Sitemap:` lines) or at the usual
addresses. (Google News is the caller's last resort.) Every request goes through
bot.feeds.fetch, with its private-address refusal, pinned connections, size caps and
deadlines, one at a time, and at most MAX_REQUESTS of them. The pure parts (link tags, robots
lines) take plain values; pages are decoded as leads' pages are (bot.feeds.lead). Imports
bot.feeds, bot.text.shaping (masked_url, for the log), httpx and stdlib.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from bot.errors import FetchError, FetchRefused
from bot.feeds.document import Kind, kind_of
from bot.feeds.fetch import MAX_BYTES, fetch_feed
from bot.feeds.fetched import FetchResult
from bot.feeds.lead import decode_page
from bot.feeds.parse import MAX_LINK
from bot.text.shaping import masked_url

logger = logging.getLogger(__name__)

# The media types of `<link rel="alternate">` that name a feed. (application/json is not one:
# WordPress names its REST API with it on every page.)
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/x.atom+xml",
        "application/x-atom+xml",
    }
)
# The usual feed addresses, relative to the site's root, most common first: WordPress (the
# CMS of most Indonesian regional outlets), then the common static and CMS names, and Blogger.
FEED_PATHS = (
    "feed/",
    "rss",
    "rss.xml",
    "feed.xml",
    "atom.xml",
    "index.xml",
    "index.php/feed/",
    "feeds/posts/default",
)
# The usual sitemap addresses: news sitemaps first, then the ones that are often an index.
SITEMAP_PATHS = (
    "sitemap-news.xml",
    "news-sitemap.xml",
    "sitemap_news.xml",
    "sitemap.xml",
    "sitemap_index.xml",
)
# Bounds: requests in all (besides the page given), feeds named by one page, sitemaps taken
# from robots.txt, the part of a page searched for link tags, and robots.txt's size.
MAX_REQUESTS = 24
MAX_LINKS = 3
MAX_ROBOTS_SITEMAPS = 5
MAX_PAGE_CHARS = 512 * 1024
MAX_ROBOTS_BYTES = 512 * 1024
# A probe of a usual address waits at most this long: a site that is slow to say 404 must
# not hold the admin's command for minutes.
PROBE_DEADLINE = 10.0


@dataclass(frozen=True)
class Found:
    """A candidate source: where it is, what it looked like, and the document fetched."""

    url: str
    kind: Kind
    fetched: FetchResult
    how: str  # "page" (the address given), "link", "usual" or "sitemap": for logs and tests


def site_root(url: str) -> str:
    """ "https://kaltimtoday.co/daerah/samarinda?x=1" -> "https://kaltimtoday.co/"."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


class _LinkFinder(HTMLParser):
    """Collects the feed links and the `<base href>` of a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[str, str]] = []  # (href, title)
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note `<base>` and feed `<link>` tags; stop at the body."""
        values = {name.lower(): (value or "").strip() for name, value in attrs}
        if tag == "body":
            self.in_body = True
        elif tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        elif tag == "link" and not self.in_body:
            rels = values.get("rel", "").lower().split()
            media = values.get("type", "").split(";")[0].strip().lower()
            if "alternate" in rels and media in FEED_TYPES and values.get("href"):
                self.links.append((values["href"], values.get("title", "")))


def feed_links(page: str, url: str, limit: int = MAX_LINKS) -> list[str]:
    """The feeds a page names with `<link rel="alternate" type="application/rss+xml" …>` (and
    Atom, RDF, JSON Feed), absolute, in page order, comment feeds left out; at most `limit`.
    Only the head is read (up to `<body>`, and MAX_PAGE_CHARS at most)."""
    finder = _LinkFinder()
    for start in range(0, min(len(page), MAX_PAGE_CHARS), 16 * 1024):
        finder.feed(page[start : min(start + 16 * 1024, MAX_PAGE_CHARS)])
        if finder.in_body:
            break
    base = url
    if finder.base:
        base = _joined(url, finder.base) or url
    found: list[str] = []
    for href, title in finder.links:
        link = _joined(base, href)
        if link is None or link in found or _is_comment_feed(link, title):
            continue
        found.append(link)
        if len(found) == limit:
            break
    return found


def robots_sitemaps(text: str, url: str, limit: int = MAX_ROBOTS_SITEMAPS) -> list[str]:
    """The sitemaps a robots.txt names (`Sitemap: https://…`, any case, comments dropped),
    absolute, in order, at most `limit`."""
    # The standard library's robots.txt reader, as bot/feeds/robots.py uses for its rules.
    rules = RobotFileParser()
    rules.parse(text.splitlines())
    found: list[str] = []
    for named in rules.site_maps() or ():
        named = named.split("#", 1)[0].strip()
        link = _joined(url, named) if named else None
        if link is not None and link not in found:
            found.append(link)
            if len(found) == limit:
                break
    return found


def _joined(base: str, href: str) -> str | None:
    """href resolved against base; None unless it is an http(s) URL of a usable length."""
    try:
        link = urljoin(base, href)
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or len(link) > MAX_LINK:
        return None
    return link.split("#", 1)[0]


def _is_comment_feed(link: str, title: str) -> bool:
    """WordPress names the comments feed beside the posts one ("… » Umpan Komentar")."""
    lowered = title.lower()
    return "/comments/" in urlsplit(link).path or "comment" in lowered or "komentar" in lowered


class Prober:
    """Discovery's requests: through fetch_feed, one at a time, at most `requests` of them.

    A request that fails (404, timeout, too large, refused because it leads to a private
    address) is one candidate fewer, never the end of the search; each is logged."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        allow_private: bool,
        requests: int = MAX_REQUESTS,
        deadline: float = PROBE_DEADLINE,
    ) -> None:
        self.client, self.allow_private = client, allow_private
        self.left, self.deadline = requests, deadline
        self.tried: set[str] = set()

    async def get(self, url: str, *, max_bytes: int = MAX_BYTES) -> FetchResult | None:
        """The document at url, or None (failed, tried already, or the budget is spent)."""
        if url in self.tried or self.left <= 0:
            return None
        self.tried.add(url)
        self.left -= 1
        try:
            return await fetch_feed(
                self.client,
                url,
                allow_private=self.allow_private,
                max_bytes=max_bytes,
                deadline=self.deadline,
            )
        except FetchRefused as exc:
            logger.warning("Discovery refused %s: %s", masked_url(url), exc.reason)
        except FetchError as exc:
            logger.info("Discovery: %s: %s", masked_url(url), exc.reason)
        return None


async def find_sources(
    prober: Prober, site: str, page: FetchResult | None
) -> AsyncIterator[Found]:
    """Candidate sources of a site, best first: the feeds `page` names, the usual feed
    addresses under the page's section and the site's root, then the news sitemaps and
    sitemap indexes robots.txt names, then the usual sitemap addresses.

    `site` is the site's address (the page's, once it was fetched); `page` the page already
    fetched, or None when it could not be. Each candidate was fetched and looks like a source
    by its start (kind_of); the caller reads it whole and takes the first that reads.
    """
    base = page.final_url if page is not None else site
    root = site_root(base)
    if page is not None:
        text = decode_page(page.body[: MAX_PAGE_CHARS * 4], page.headers.get("content-type", ""))
        for link in feed_links(text, base):
            if (found := await _check(prober, link, "link")) is not None:
                yield found
    section = urlsplit(base).path
    paths = (
        [urljoin(base, "feed/")] if section not in ("", "/") and section.endswith("/") else []
    ) + [urljoin(root, path) for path in FEED_PATHS]
    for url in paths:
        if (found := await _check(prober, url, "usual")) is not None:
            yield found
    robots = await prober.get(urljoin(root, "robots.txt"), max_bytes=MAX_ROBOTS_BYTES)
    listed = []
    if robots is not None and robots.status == 200:
        listed = robots_sitemaps(decode_page(robots.body), root)
    for url in listed + [urljoin(root, path) for path in SITEMAP_PATHS]:
        if (found := await _check(prober, url, "sitemap")) is not None:
            yield found


async def _check(prober: Prober, url: str, how: str) -> Found | None:
    """Fetch url; a Found if it looks like a source."""
    fetched = await prober.get(url)
    if fetched is None or fetched.status != 200:
        return None
    kind = kind_of(fetched.body, fetched.headers.get("content-type", ""))
    if not kind.is_source:
        logger.debug("Discovery: %s is %s, not a source", masked_url(url), kind)
        return None
    return Found(url, kind, fetched, how)
