"""Google News sitemaps read as feeds: each `<url>` with a `news:news` block is an entry.

Indonesian outlets that publish no RSS almost all publish a news sitemap, since being in Google
News matters to them. Its `<loc>` is the link, `news:title` the title, `news:publication_date`
the time and `news:keywords` the keywords; there is no body (the article's lead is read from
its page later). A sitemap index is not read for entries: the news sitemaps it lists are
named in `follow`, and the ingest service fetches and reads those. Pure and blocking, run in
the feed workers like parse_feed; parsed with defusedxml (no DTD, no entities).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from bot.errors import FeedParseError
from bot.feeds.dates import parse_date
from bot.feeds.parse import MAX_FEED_TITLE, MAX_LINK, MAX_RAW_TITLE, ParsedFeed
from bot.models import RawEntry
from bot.text.shaping import shorten

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Google's namespace is http://www.google.com/schemas/sitemap-news/0.9; real sitemaps also
# write it on google.co.uk and without "www.", so any namespace ending so is read as it.
NEWS_NS_ENDING = "/schemas/sitemap-news/0.9"
# A news sitemap lists the last two days of a site, up to a thousand addresses: the newest
# MAX_ENTRIES are taken, as many as a generous feed gives.
MAX_ENTRIES = 100
# How many sitemaps of an index are followed at each poll, and how many keywords kept.
MAX_CHILDREN = 3
MAX_KEYWORDS = 20


def is_news_namespace(uri: str) -> bool:
    """True for the Google News sitemap namespace, however its host is written."""
    return uri.rstrip("/").endswith(NEWS_NS_ENDING.rstrip("/")) and "google" in uri


def parse_sitemap(body: bytes, *, url: str) -> ParsedFeed:
    """Read a news sitemap's entries (newest MAX_ENTRIES), or a sitemap index's news
    sitemaps (in `follow`).

    Raises:
        FeedParseError: not a sitemap, malformed, a sitemap without news entries' namespace
            (a plain list of a site's pages has no titles), or one that declares a DTD.
    """
    root, declared = _read(body)
    name = _local(root.tag)
    if name == "sitemapindex":
        children = [(_text(s, "loc"), _text(s, "lastmod")) for s in _children(root, "sitemap")]
        follow = pick_children([(urljoin(url, loc), lastmod) for loc, lastmod in children if loc])
        return ParsedFeed(title="", entries=[], follow=tuple(follow))
    if name != "urlset":
        raise FeedParseError("sitemap: not a sitemap")
    entries, outlet, news_seen = [], "", False
    for node in _children(root, "url"):
        news = next((c for c in node if _is_news(c, "news")), None)
        if news is None:
            continue
        news_seen = True
        entry = _entry(node, news, url)
        if entry is not None:
            entries.append(entry)
        if not outlet:
            publication = next((c for c in news if _is_news(c, "publication")), None)
            if publication is not None:
                outlet = _news_text(publication, "name")
    if not news_seen and not any(is_news_namespace(uri) for uri in declared):
        raise FeedParseError("sitemap: a plain sitemap, not a news sitemap")
    return ParsedFeed(title=shorten(outlet, MAX_FEED_TITLE), entries=newest(entries))


def newest(entries: list[RawEntry], limit: int = MAX_ENTRIES) -> list[RawEntry]:
    """The `limit` newest entries, newest first; undated ones after the dated, in order."""
    floor = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(
        enumerate(entries),
        key=lambda pair: (pair[1].published_at or floor, -pair[0]),
        reverse=True,
    )
    return [entry for _, entry in ordered[:limit]]


def pick_children(children: list[tuple[str, str]], limit: int = MAX_CHILDREN) -> list[str]:
    """The sitemaps of an index worth following: those named as news ("news-sitemap.xml",
    "sitemap-news-id.xml"), in order; if none is, the most recently changed. At most `limit`,
    http(s) only."""
    usable = [
        (loc, lastmod)
        for loc, lastmod in children
        if urlsplit(loc).scheme in ("http", "https") and len(loc) <= MAX_LINK
    ]
    named = [loc for loc, _ in usable if "news" in urlsplit(loc).path.lower()]
    if named:
        return named[:limit]
    floor = datetime.min.replace(tzinfo=UTC)
    by_change = sorted(usable, key=lambda pair: parse_date(pair[1]) or floor, reverse=True)
    return [loc for loc, _ in by_change[:limit]]


def _entry(node: Element, news: Element, base: str) -> RawEntry | None:
    loc = _text(node, "loc")
    title = _news_text(news, "title")
    if not loc or not title:
        return None
    link = urljoin(base, loc)
    when = _news_text(news, "publication_date") or _text(node, "lastmod")
    keywords = [k.strip() for k in _news_text(news, "keywords").split(",") if k.strip()]
    return RawEntry(
        title=title[:MAX_RAW_TITLE],
        link=link if len(link) <= MAX_LINK else "",
        summary="",  # a sitemap has no body: the article's lead is read from its page
        guid=None,
        published_at=parse_date(when) if when else None,
        keywords=tuple(k[:100] for k in keywords[:MAX_KEYWORDS]),
    )


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _read(body: bytes) -> tuple[Element, set[str]]:
    """The document's root and every namespace it declares (a news sitemap with no entries
    today still declares the news namespace; ElementTree keeps no declarations on elements).
    A blank line before `<?xml` is dropped, as feed readers do."""
    declared: set[str] = set()
    root = None
    try:
        for event, value in safe_xml.iterparse(
            io.BytesIO(body.lstrip(b" \t\r\n")), events=("start-ns", "start"), forbid_dtd=True
        ):
            if event == "start-ns":
                declared.add(value[1])
            elif root is None:
                root = value
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise FeedParseError(f"sitemap: cannot be read ({type(exc).__name__})") from None
    if root is None:
        raise FeedParseError("parser: the server sent an empty document")
    return root, declared


def _children(parent: Element, name: str) -> list[Element]:
    """Direct children called `name` in the sitemap namespace (or in none: some sites forget
    to declare it)."""
    return [c for c in parent if _local(c.tag) == name and _namespace(c.tag) in (SITEMAP_NS, "")]


def _text(parent: Element, name: str) -> str:
    node = next((c for c in _children(parent, name)), None)
    return (node.text or "").strip() if node is not None else ""


def _is_news(node: Element, name: str) -> bool:
    return _local(node.tag) == name and is_news_namespace(_namespace(node.tag))


def _news_text(parent: Element, name: str) -> str:
    node = next((c for c in parent if _is_news(c, name)), None)
    return " ".join((node.text or "").split()) if node is not None else ""
