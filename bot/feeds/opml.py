"""OPML, the feed-list format of feed readers: reading a list in, writing ours out. Pure.

ElementTree runs on expat (2.4+), which refuses entity-expansion bombs ("billion laughs");
DOCTYPEs are refused outright, since an OPML file has no use for one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass

from bot.errors import FeedParseError


@dataclass(frozen=True)
class OpmlFeed:
    """One feed of an OPML list."""

    url: str
    title: str = ""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an xmlUrl, in document order, duplicates removed.

    Raises:
        FeedParseError: not an OPML document.
    """
    if b"<!DOCTYPE" in data[:2048].upper():
        raise FeedParseError("opml: documents with a DOCTYPE are not accepted")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise FeedParseError(f"opml: not well-formed XML ({exc})") from None
    if root.tag.lower() != "opml":
        raise FeedParseError("opml: the document is not OPML")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in seen:
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
        ElementTree.SubElement(
            body, "outline", type="rss", text=name, title=name, xmlUrl=feed.url
        )
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
