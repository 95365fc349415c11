"""Parsing feed bytes with feedparser into RawEntry values (no cleaning yet).

Pure and blocking: the ingest service runs it in a worker thread so a large feed never holds
up the bot's event loop.
"""

from __future__ import annotations

import calendar
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser

from bot.errors import FeedParseError
from bot.models import RawEntry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParsedFeed:
    """The feed's title and its entries, in document order."""

    title: str
    entries: list[RawEntry]


def parse_feed(body: bytes, *, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse a feed document.

    Raises:
        FeedParseError: the bytes are not an RSS/Atom feed (an HTML page, an empty body).
    """
    response_headers = {"content-location": url, **(headers or {})}
    # Bytes in a BytesIO: feedparser given a str may treat it as a URL or a file name.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    if parsed.get("bozo"):
        logger.debug("Feed %s is not well-formed: %s", url, parsed.get("bozo_exception"))
    entries = [_entry(e) for e in parsed.entries]
    if not entries and not parsed.get("version"):
        if not body.strip():
            raise FeedParseError("parser: the server sent an empty document")
        raise FeedParseError("parser: not an RSS or Atom feed")
    return ParsedFeed(title=str(parsed.feed.get("title", "") or ""), entries=entries)


def _entry(entry: feedparser.FeedParserDict) -> RawEntry:
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value", "") or ""
    return RawEntry(
        title=str(entry.get("title", "") or ""),
        link=str(entry.get("link", "") or ""),
        summary=str(summary),
        guid=str(entry["id"]) if entry.get("id") else None,
        published_at=_timestamp(entry),
    )


def _timestamp(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None
