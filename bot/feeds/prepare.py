"""The ingestion pipeline as one visible sequence: parse -> clean -> tag, each step's why beside
it (as Miniflux's processor does). Pure and blocking: the worker processes of
bot/runtime/workers.py run it, each feed under a CPU budget. Imports bot.feeds and bot.tagging;
never storage, the services or Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.errors import FeedParseError
from bot.feeds import googlenews
from bot.feeds.clean import clean_item
from bot.feeds.fetched import FetchResult
from bot.feeds.parse import parse_feed
from bot.models import Item
from bot.tagging.tagger import Tagger


@dataclass(frozen=True)
class Prepared:
    """A fetched document turned into taggable items."""

    title: str
    items: list[Item]
    skipped: int


def prepare_items(fetched: FetchResult, tagger: Tagger, now: datetime) -> Prepared:
    """Parse, clean and tag a fetched document. Pure and blocking: runs in a worker process.

    Raises:
        FeedParseError: the document is not a usable feed.
    """
    # Parse: every dialect of RSS and Atom into plain entries, bounded at parse time.
    parsed = parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers)
    # Google News searches end each title with " - Outlet" and repeat it as the summary.
    if googlenews.site_of(fetched.final_url):
        parsed = googlenews.tidy(parsed)
    items, skipped = [], 0
    for raw in parsed.entries:
        # Clean: plain text without the templates' boilerplate, since the tagger weighs where
        # a word stands (headline, first sentence) and a caption or "BACA JUGA" would lie.
        item = clean_item(raw, now=now)
        if item is None:
            skipped += 1
            continue
        # Tag: the topics of the cleaned text. A feed's clock can run ahead; a story dated
        # tomorrow would stick to the top forever.
        items.append(replace(
            item, published_at=min(item.published_at, now),
            tags=tagger.tag(item.title, item.summary),
        ))
    if parsed.entries and not items:
        raise FeedParseError(
            f"parser: none of the {len(parsed.entries)} entries has a title and an http(s) link"
        )
    return Prepared(parsed.title.strip(), items, skipped)
