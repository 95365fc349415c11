"""What a fetched document is (a feed, a news sitemap, a sitemap index, an HTML page), and
reading any source document into the one parsed shape the pipeline takes.

`kind_of` looks only at the start of a document (the root element and the namespaces declared
there), so discovery can tell a feed from a page cheaply in the bot's process; `parse_document`
reads a whole source and runs in the feed workers. Pure; imports defusedxml and bot.feeds.
"""

from __future__ import annotations

import io
from enum import StrEnum
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from bot.feeds.jsonfeed import is_json_feed, parse_json_feed
from bot.feeds.parse import ParsedFeed, parse_feed
from bot.feeds.sitemap import SITEMAP_NS, is_news_namespace, parse_sitemap

# How much of a document kind_of reads: the root element and its namespace declarations are
# at the very start; a news sitemap's first entry is well within it.
SNIFF_BYTES = 64 * 1024
_FEED_ROOTS = {"rss", "RDF", "feed"}
# Byte shapes of a feed's root, for a feed whose start an XML parser refuses (a DOCTYPE with
# entities, a stray byte): feedparser's loose parser still reads most of those.
_FEED_MARKS = (b"<rss", b"<rdf:rdf", b"<feed")
_HTML_MARKS = (b"<!doctype html", b"<html")
_WHITE = b" \t\r\n"


class Kind(StrEnum):
    """What a document is, as far as following a site goes."""

    FEED = "feed"  # RSS, RDF or Atom
    JSON_FEED = "jsonfeed"
    NEWS_SITEMAP = "news_sitemap"
    SITEMAP_INDEX = "sitemap_index"
    SITEMAP = "sitemap"  # a plain list of a site's pages: no titles, not a source
    HTML = "html"
    OTHER = "other"

    @property
    def is_source(self) -> bool:
        """True for what can be followed as it is (a sitemap index only if it leads to a news
        sitemap, which reading it tells)."""
        return self in (Kind.FEED, Kind.JSON_FEED, Kind.NEWS_SITEMAP, Kind.SITEMAP_INDEX)


def kind_of(body: bytes, content_type: str = "") -> Kind:
    """What the document is, from its first SNIFF_BYTES (a blank line before `<?xml` allowed)."""
    start = body.lstrip(_WHITE)
    if is_json_feed(start):
        return Kind.JSON_FEED
    head = start[:SNIFF_BYTES]
    root, declared = _root_and_namespaces(head)
    if root in _FEED_ROOTS:
        return Kind.FEED
    if root == f"{{{SITEMAP_NS}}}sitemapindex" or root == "sitemapindex":
        return Kind.SITEMAP_INDEX
    if root in (f"{{{SITEMAP_NS}}}urlset", "urlset"):
        return Kind.NEWS_SITEMAP if any(map(is_news_namespace, declared)) else Kind.SITEMAP
    lowered = head[:4096].lower()
    if "html" in content_type.lower() or any(mark in lowered for mark in _HTML_MARKS):
        return Kind.HTML
    if root is None and any(mark in lowered for mark in _FEED_MARKS):
        return Kind.FEED
    return Kind.OTHER


def parse_document(body: bytes, *, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Read a feed (RSS, RDF, Atom, JSON Feed), a news sitemap or a sitemap index.

    Raises:
        FeedParseError: the document is none of them.
    """
    start = body.lstrip(_WHITE) if body.lstrip(_WHITE)[:1] == b"<" else body
    kind = kind_of(start)
    if kind == Kind.JSON_FEED:
        return parse_json_feed(start, url=url)
    if kind in (Kind.NEWS_SITEMAP, Kind.SITEMAP_INDEX, Kind.SITEMAP):
        return parse_sitemap(start, url=url)
    return parse_feed(start, url=url, headers=headers)


def _root_and_namespaces(head: bytes) -> tuple[str | None, set[str]]:
    """The root element's tag ("{namespace}name", or the name with its prefix stripped for
    RSS and RDF) and the namespaces declared up to the root's first child; (None, …) when the
    start is not XML an entity-free parser reads."""
    root: str | None = None
    declared: set[str] = set()
    try:
        for event, value in safe_xml.iterparse(_Trickle(head), events=("start-ns", "start")):
            if event == "start-ns":
                declared.add(value[1])
                continue
            if root is not None:
                break  # the root's first child: its declarations are all in
            tag = value.tag
            local = tag.rsplit("}", 1)[-1]
            root = local if local in ("rss", "RDF") else tag
            if local == "feed" and "atom" in tag.lower():  # Atom 1.0 and 0.3
                root = "feed"
    except (ParseError, DefusedXmlException, ValueError, LookupError):
        pass  # a cut-off or malformed start: what was read before it stands
    return root, declared


class _Trickle(io.BytesIO):
    """Hands the parser 2 KB at a time (iterparse asks for 16 KB), so reading stops soon
    after the root's first child instead of parsing a whole 16 KB of entries for nothing."""

    def read(self, size: int | None = -1) -> bytes:
        """At most 2 KB."""
        return super().read(2048 if size is None or size < 0 else min(size, 2048))
