"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1) read into the same shape as RSS/Atom.

feedparser 6.0 reads only XML, and a site's `<link rel="alternate" type="application/feed+json">`
may name a JSON Feed. Pure and blocking, run in the feed workers like parse_feed; every field is
type-checked, since a JSON document can hold anything anywhere.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from bot.errors import FeedParseError
from bot.feeds.dates import parse_date
from bot.feeds.parse import (
    MAX_FEED_TITLE,
    MAX_GUID,
    MAX_LINK,
    MAX_RAW_SUMMARY,
    MAX_RAW_TITLE,
    ParsedFeed,
)
from bot.models import RawEntry
from bot.text.shaping import shorten

VERSION_PREFIX = "https://jsonfeed.org/version/"
# More items than any real feed lists; a document of a million tiny items stops here.
MAX_ITEMS = 1_000


def is_json_feed(body: bytes) -> bool:
    """True when the document starts like a JSON Feed: an object naming the JSON Feed version
    near its start (the spec puts `version` first, and every generator does)."""
    start = body.lstrip(b" \t\r\n\xef\xbb\xbf")[:2048]
    return start.startswith(b"{") and b"jsonfeed.org/version" in start.replace(b"\\/", b"/")


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """The feed's title and items; relative item URLs resolved against `url`.

    Raises:
        FeedParseError: not JSON, or not a JSON Feed.
    """
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FeedParseError("parser: not a JSON Feed (malformed JSON)") from None
    if not isinstance(document, dict) or not _text(document, "version").startswith(VERSION_PREFIX):
        raise FeedParseError("parser: not a JSON Feed")
    items = document.get("items")
    entries = [
        _entry(item, url)
        for item in (items if isinstance(items, list) else [])[:MAX_ITEMS]
        if isinstance(item, dict)
    ]
    return ParsedFeed(title=shorten(_text(document, "title"), MAX_FEED_TITLE), entries=entries)


def _text(mapping: dict, key: str) -> str:
    value = mapping.get(key)
    return value if isinstance(value, str) else ""


def _entry(item: dict, base: str) -> RawEntry:
    link = _text(item, "url") or _text(item, "external_url")
    try:
        link = urljoin(base, link) if link else ""
    except ValueError:
        link = ""
    summary = _text(item, "content_html") or _text(item, "content_text") or _text(item, "summary")
    when = _text(item, "date_published") or _text(item, "date_modified")
    guid = item.get("id")
    guid = str(guid)[:MAX_GUID] if isinstance(guid, str | int) and str(guid) else None
    return RawEntry(
        title=_text(item, "title")[:MAX_RAW_TITLE],
        link=link if len(link) <= MAX_LINK else "",
        summary=summary[:MAX_RAW_SUMMARY],
        guid=guid,
        published_at=parse_date(when) if when else None,
    )
