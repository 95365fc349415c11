"""The ingestion pipeline as one visible sequence: parse -> clean -> lead -> tag, each step's why
beside it (as Miniflux's processor does).

    prepare_items   parse -> clean -> tag          every item of a fetched feed
    (the bot's process reads the article pages of the items that came without a body:
     bot/services/leads.py, async, with the fetch module's checks and per-site politeness)
    add_leads       lead -> tag                    those items, with their pages

Pure and blocking: the worker processes of bot/runtime/workers.py run both, each feed's call
under the same CPU budget. Imports bot.feeds and bot.tagging; never storage, the services or
Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.errors import FeedParseError
from bot.feeds import googlenews
from bot.feeds.clean import clean_item
from bot.feeds.document import parse_document
from bot.feeds.fetched import FetchResult
from bot.feeds.lead import decode_page, lead_of
from bot.feeds.urls import item_key, without_credentials
from bot.models import Item
from bot.tagging.tagger import Tagger


@dataclass(frozen=True)
class Prepared:
    """A fetched document turned into taggable items."""

    title: str
    items: list[Item]
    skipped: int
    # Keys the items were first known by and are no longer (a Google link replaced by the
    # outlet's): remembered, so the next poll does not take the same story for a new one.
    aliases: tuple[str, ...] = ()
    # A sitemap index has no items of its own: the news sitemaps to read instead (the ingest
    # service fetches them and prepares each).
    follow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """An item's article page as the bot's process read it: where it ended (the outlet's own
    address, after redirects and Google's link), and its bytes (empty when it could not be
    read: the item keeps its title and is tagged from it)."""

    link: str
    body: bytes = b""
    content_type: str = ""


def prepare_items(fetched: FetchResult, tagger: Tagger, now: datetime) -> Prepared:
    """Parse, clean and tag a fetched document. Pure and blocking: runs in a worker process.

    Raises:
        FeedParseError: the document is not a usable feed.
    """
    # Parse: every dialect of RSS and Atom, JSON Feed, or a Google News sitemap (whose entries
    # have no body), into plain entries, bounded at parse time.
    parsed = parse_document(fetched.body, url=fetched.final_url, headers=fetched.headers)
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
        items.append(
            replace(
                item,
                published_at=min(item.published_at, now),
                tags=tagger.tag(item.title, item.summary),
            )
        )
    if parsed.entries and not items:
        raise FeedParseError(
            f"parser: none of the {len(parsed.entries)} entries has a title and an http(s) link"
        )
    return Prepared(parsed.title.strip(), items, skipped, follow=parsed.follow)


def add_leads(pages: list[tuple[Item, Page]], tagger: Tagger) -> list[Item]:
    """Each item with its article's lead as its summary, the outlet's link and key, and its
    topics tagged again. Pure and blocking: runs in a worker process."""
    done = []
    for item, page in pages:
        summary = item.summary
        if page.body:
            # Lead: the article's first paragraphs, cleaned like a feed's summary; a page
            # that gives none leaves the item as its feed gave it.
            summary = (
                lead_of(decode_page(page.body, page.content_type), item.title, page.link)
                or summary
            )
        # The outlet's address is the item's link and its key, so the same article through
        # Google and through the outlet's own feed is one item.
        link = without_credentials(page.link or item.link)
        # Tag: again, since the lead is the evidence a title-only item lacked.
        done.append(
            replace(
                item,
                link=link,
                key=item_key(item.guid, link),
                summary=summary,
                tags=tagger.tag(item.title, summary) if summary != item.summary else item.tags,
            )
        )
    return done
