"""OPML, the feed-list format of feed readers: reading a list in, writing ours out. Pure.

An uploaded file is read with defusedxml, which refuses a DTD anywhere in the document (an
OPML file has no use for one, and a DTD is how entity bombs and external entities get in), and
at most MAX_OUTLINES feeds are taken from it. Writing uses the standard library.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bot.errors import FeedParseError, TooManyFeeds

# More feeds than any reader's list holds; each one is fetched when imported.
MAX_OUTLINES = 1000


@dataclass(frozen=True)
class OpmlFeed:
    """One feed of an OPML list."""

    url: str
    title: str = ""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an xmlUrl, in document order, duplicates removed.

    Raises:
        FeedParseError: not an OPML document, or one with a DTD.
        TooManyFeeds: more than MAX_OUTLINES feeds.
    """
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise FeedParseError("opml: documents with a DOCTYPE are not accepted") from None
    except ElementTree.ParseError as exc:
        raise FeedParseError(f"opml: not well-formed XML ({exc})") from None
    if root.tag.lower() != "opml":
        raise FeedParseError("opml: the document is not OPML")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in seen:
            if len(feeds) == MAX_OUTLINES:
                raise TooManyFeeds(MAX_OUTLINES)
            seen.add(url)
            title = outline.get("title") or outline.get("text") or ""
            feeds.append(OpmlFeed(url, title.strip()))
    return feeds


def write_opml(feeds: Sequence[OpmlFeed], *, title: str = "Warta feeds") -> bytes:
    """An OPML 2.0 document listing the feeds."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        name = feed.title or feed.url
        ElementTree.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=feed.url)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
