"""Parsing feed bytes with feedparser into RawEntry values (no cleaning yet).

Pure and blocking: the ingest service runs it in a worker process so a large feed never holds
up the bot's event loop. Imports feedparser, bot.models, bot.errors and bot.feeds.dates.
"""

from __future__ import annotations

import calendar
import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser

from bot.errors import FeedParseError
from bot.feeds.dates import parse_date
from bot.models import RawEntry
from bot.text.shaping import masked_url, shorten

logger = logging.getLogger(__name__)

# Fixed limits on what a feed can hand the rest of the pipeline. The feed's own title is cut to
# MAX_FEED_TITLE (it heads every story of the outlet); an entry's title and summary are cut
# before cleaning to a generous multiple of what clean.py keeps (markup shrinks when cleaned),
# so no later step ever sees more; a link longer than MAX_LINK is no usable link.
MAX_FEED_TITLE = 120
MAX_LINK = 2048
MAX_RAW_TITLE = 3_000
MAX_RAW_SUMMARY = 40_000
MAX_GUID = 2048
# "<!ENTITY" and "base" as UTF-8/ASCII and UTF-16/32 write them (lower-cased: the search
# is on bytes.lower()).
_CODECS = ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_ENTITY_FORMS = tuple("<!entity".encode(codec) for codec in _CODECS)
# "base", for xml:base and the plain base attribute feedparser also follows; a word such as
# "database" only costs the slower parse.
_BASE_FORMS = tuple("base".encode(codec) for codec in _CODECS)

# "http:///host": the slashes after the scheme's two, which feedparser drops from a link.
_EXTRA_SLASHES = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)/+")

# The raw date texts of an entry, most telling first, with feedparser's reading of each.
_DATE_FIELDS = (
    ("published", "published_parsed"),
    ("updated", "updated_parsed"),
    ("created", "created_parsed"),
)


@dataclass(frozen=True)
class ParsedFeed:
    """The feed's title and its entries, in document order; a sitemap index has no entries
    but names the news sitemaps to read instead (`follow`, see bot.feeds.sitemap)."""

    title: str
    entries: list[RawEntry]
    follow: tuple[str, ...] = ()


def parse_feed(body: bytes, *, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse a feed document; relative links are resolved against `url`.

    Raises:
        FeedParseError: the bytes are not an RSS/Atom feed (an HTML page, an empty body).
    """
    body = without_internal_subset(body)
    base = _base_url(url, headers or {})
    # Given a base URL, feedparser joins it with itself at every element to follow xml:base
    # (or a plain base attribute): a third of the parsing time (issue 13). A document that
    # has neither word (nearly every feed) is parsed without one, and each entry's link is
    # resolved here instead, once.
    response_headers = {
        k: v for k, v in (headers or {}).items() if k.lower() != "content-location"
    }
    lowered = body.lower()
    declares_base = any(form in lowered for form in _BASE_FORMS)
    if declares_base:  # feedparser resolves every link itself, exactly as it always has
        response_headers["content-location"] = base
    # Bytes in a BytesIO: feedparser given a str may treat it as a URL or a file name.
    # feedparser's HTML sanitiser and relative-URI rewriting work on the markup of summaries,
    # which bot.feeds.clean turns into plain text anyway (scripts, styles and every tag
    # dropped); skipping them saves about a third of the parsing time.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=response_headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if parsed.get("bozo"):
        logger.debug(
            "Feed %s is not well-formed: %s", masked_url(url), parsed.get("bozo_exception")
        )
    entries = [_entry(e, None if declares_base else base) for e in parsed.entries]
    if not entries and not parsed.get("version"):
        if not body.strip():
            raise FeedParseError("parser: the server sent an empty document")
        raise FeedParseError("parser: not an RSS or Atom feed")
    title = shorten(str(parsed.feed.get("title", "") or ""), MAX_FEED_TITLE)
    return ParsedFeed(title=title, entries=entries)


def without_internal_subset(body: bytes) -> bytes:
    """The document with the internal subset of its DOCTYPE (`<!DOCTYPE rss [ ... ]>`) removed.

    That is where entities are declared, and a declared entity of 10 KB used thousands of times
    passes both feedparser's entity filter and expat's amplification limit. No real feed needs
    one: HTML entities such as &nbsp; are still read by feedparser's loose parser. Linear: a few
    bytes.find calls, each moving forward. A declaration left after that (outside a DOCTYPE, or
    in a UTF-16 document) makes the document refused.

    Raises:
        FeedParseError: the document still declares an entity.
    """
    lowered = body.lower()
    if not any(form in lowered for form in _ENTITY_FORMS):
        return body  # nearly every feed: nothing to look for
    # XML allows one DOCTYPE, before the root element: only the first is looked at.
    cleaned, start = body, lowered.find(b"<!doctype")
    if start != -1:
        closing_tag = lowered.find(b">", start)
        opening = lowered.find(b"[", start, closing_tag if closing_tag != -1 else len(lowered))
        end = _subset_end(lowered, opening) if opening != -1 else -1
        if end != -1:  # "<!DOCTYPE rss [ ... ]>" becomes "<!DOCTYPE rss >"
            cleaned = body[:opening] + body[end:]
    if any(form in cleaned.lower() for form in _ENTITY_FORMS):
        raise FeedParseError("parser: the document declares its own entities (refused)")
    return cleaned


def _subset_end(lowered: bytes, opening: int) -> int:
    """The index just past the "]" that closes an internal subset opened at `opening` (a "]"
    followed by optional white space and ">"), or -1."""
    position = opening
    while True:
        close = lowered.find(b"]", position + 1)
        if close == -1:
            return -1
        after = close + 1
        while after < len(lowered) and lowered[after] in b" \t\r\n":
            after += 1
        if after < len(lowered) and lowered[after : after + 1] == b">":
            return close + 1
        position = close


def _base_url(url: str, headers: dict[str, str]) -> str:
    """The document's URL for relative links: a Content-Location header resolved against the
    request URL (RFC 9110 section 8.7), unless that is not http(s) ("javascript:…")."""
    location = next((v for k, v in headers.items() if k.lower() == "content-location"), "")
    if not location.strip():
        return url
    try:
        resolved = urljoin(url, location.strip())
        parts = urlsplit(resolved)
    except ValueError:
        return url
    return resolved if parts.scheme in ("http", "https") and parts.hostname else url


def _absolute(base: str, link: str) -> str:
    """The link resolved against the document's URL, as feedparser resolves one: extra slashes
    after the scheme dropped ("http:///host/a" is "http://host/a"), then joined. An absolute
    link goes through urljoin too, so a link reads the same as when feedparser joined it."""
    if not link:
        return ""
    try:
        return urljoin(base, _EXTRA_SLASHES.sub(r"\1", link))
    except ValueError:
        return ""


def _entry(entry: feedparser.FeedParserDict, base: str | None) -> RawEntry:
    """The entry's fields; its link resolved against `base` (None: feedparser resolved it)."""
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value", "") or ""
    link = str(entry.get("link", "") or "")
    if base is not None:
        link = _absolute(base, link)
    return RawEntry(
        title=str(entry.get("title", "") or "")[:MAX_RAW_TITLE],
        link=link if len(link) <= MAX_LINK else "",
        summary=str(summary)[:MAX_RAW_SUMMARY],
        # The guid names the story and is not resolved (only a feed with a base has it
        # joined, by feedparser): the item's key comes from its link (bot.feeds.urls).
        guid=str(entry["id"])[:MAX_GUID] if entry.get("id") else None,
        published_at=_timestamp(entry),
    )


def _timestamp(entry: feedparser.FeedParserDict) -> datetime | None:
    """The entry's date: its raw text read by parse_date, else feedparser's reading.

    The raw text goes first because feedparser reads an unknown zone such as WIB as UTC and
    drops the time of "2024-02-12 10:00:00 WITA"; its `*_parsed` value only serves when an
    entry has no raw text. This is a post-processing step rather than a
    `feedparser.registerDateHandler` hook, which would change feedparser's global state for
    the whole process at import time.
    """
    for text_key, parsed_key in _DATE_FIELDS:
        # dict.get: FeedParserDict.get maps "updated" to "published" with a DeprecationWarning.
        text = dict.get(entry, text_key)
        if isinstance(text, str) and text.strip():
            moment = parse_date(text)
        else:
            moment = _from_struct(dict.get(entry, parsed_key))
        if moment is not None:
            return moment
    return None


def _from_struct(value: object) -> datetime | None:
    """A UTC datetime from feedparser's 9-tuple, or None."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None
