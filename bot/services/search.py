"""/cari: searching every stored item by words, phrases, prefixes, topic and outlet.

What the reader types never reaches FTS5 as it is: it is parsed into words (letters and digits
only, as the tagger splits text), and the MATCH expression is built from them with every word
quoted, so no FTS5 operator or stray quote can be smuggled in.

What one search may cost is bounded (issue 27): a word typed twice is searched once, at most
MAX_PREFIXES starred words (each of MIN_PREFIX letters or more, found through the index's
prefix entries of migration m014), and the query runs in a thread on a read-only connection
of its own, off the event loop, stopped by SQLite at DEADLINE seconds: the reader is then told,
politely, to narrow the search.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.digest.render import render_item
from bot.errors import InputError
from bot.runtime.core import Core
from bot.services.subscribers import SubscriberService, resolve_topics
from bot.tagging.normalize import folded_words
from bot.text.locales import english, indonesian
from bot.text.texts import plural, t
from storage import search as store
from storage.db import database_file

PAGE_SIZE = 5
# Long enough for any real search, short enough that a pasted article is refused, not run.
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
# A prefix this short matches most of the index: "ba*" is no search.
MIN_PREFIX = 3
# Each starred word is a union of every word it begins: two are a search, eight of three common
# letters were 0.6 s of CPU per search and per page tap on 100,000 items.
MAX_PREFIXES = 2
# Seconds a search may run before SQLite stops it (the worst search found on 100,000 items
# costs a tenth of this: bench/bench_search.py), and searches run at once.
DEADLINE = 1.0
AT_ONCE = 2
# Saved searches (behind the page buttons) are forgotten after this long.
KEEP_SEARCHES = timedelta(days=7)
# A quoted phrase, or a run of anything else; curly quotes count as quotes (phone keyboards).
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
# The filter words a reader may type, in either language ("topik:kaltim", "media:antara").
_TOPIC_WORDS = {indonesian.TEXTS["search_word_topic"], english.TEXTS["search_word_topic"]}
_OUTLET_WORDS = {indonesian.TEXTS["search_word_outlet"], english.TEXTS["search_word_outlet"]}


@dataclass(frozen=True)
class Query:
    """A parsed search: the FTS5 MATCH expression and the filters."""

    match: str
    topics: tuple[str, ...] = ()  # names as typed, resolved by the service
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchPage:
    """One page of results, ready to send: its HTML and whether there are pages around it."""

    html: str
    search_id: int
    page: int
    has_previous: bool
    has_next: bool


def parse_query(text: str) -> Query:
    """Parse what the reader typed into a safe MATCH expression and filters.

    Raises:
        InputError: empty, too long, too many words, or a starred word too short (its key
            names the text that says so).
    """
    text = text.translate(_CURLY).strip()
    if len(text) > MAX_QUERY_CHARS:
        raise InputError("search_too_long", limit=MAX_QUERY_CHARS)
    parts: list[str] = []
    topics: list[str] = []
    outlets: list[str] = []
    for phrase, bare in _TOKEN.findall(text):
        name, colon, value = bare.partition(":")
        if colon and name.casefold() in _TOPIC_WORDS | _OUTLET_WORDS:
            if value:
                (topics if name.casefold() in _TOPIC_WORDS else outlets).append(value)
            continue
        prefix = bare.endswith("*")
        words = folded_words(phrase if not bare else bare)
        if not words:
            continue
        if prefix and len(words[-1]) < MIN_PREFIX:
            raise InputError("search_short_prefix", limit=MIN_PREFIX)
        # Words joined by punctuation ("Samarinda–Bontang", "kerja-sama") stay a phrase.
        part = '"' + " ".join(words) + '"' + ("*" if prefix else "")
        if part not in parts:  # a word typed twice is searched once
            parts.append(part)
    if len(parts) > MAX_TERMS:
        raise InputError("search_too_many", limit=MAX_TERMS)
    if sum(part.endswith("*") for part in parts) > MAX_PREFIXES:
        raise InputError("search_too_many_prefixes", limit=MAX_PREFIXES)
    if not parts:
        raise InputError("search_usage")
    return Query(" ".join(parts), tuple(topics), tuple(outlets))


class SearchService:
    """Searches stored items and renders the pages."""

    def __init__(self, core: Core, subscribers: SubscriberService) -> None:
        self.core = core
        self.subscribers = subscribers
        self.deadline = DEADLINE
        self._at_once = asyncio.Semaphore(AT_ONCE)

    async def search(self, chat_id: int, text: str) -> SearchPage:
        """A new search: saved for its page buttons, first page rendered.

        Raises:
            InputError: the words cannot be searched (see parse_query).
            UnknownTopic: a topik: filter names no topic.
        """
        parse_query(text)  # refuse bad words before saving anything
        self.subscribers.get_or_create(chat_id)
        now = self.core.now()
        store.prune_searches(self.core.db, now - KEEP_SEARCHES)
        search_id = store.save_search(self.core.db, chat_id, text.strip(), now)
        return await self.page(chat_id, search_id, 0)

    async def page(self, chat_id: int, search_id: int, page: int) -> SearchPage:
        """One page of a saved search.

        Raises:
            InputError: search_expired, the search was forgotten; search_too_costly, it ran
                out of time.
        """
        text = store.get_search(self.core.db, search_id, chat_id)
        if text is None:
            raise InputError("search_expired")
        query = parse_query(text)
        topics = resolve_topics(query.topics, self.core.topics()) if query.topics else []
        page = max(page, 0)
        async with self._at_once:
            found = await asyncio.to_thread(
                store.search_within,
                database_file(self.core.db),
                query.match,
                seconds=self.deadline,
                topics=[topic.slug for topic in topics],
                outlets=query.outlets,
                limit=PAGE_SIZE,
                offset=page * PAGE_SIZE,
            )
        if found is None:
            raise InputError("search_too_costly")
        total, items = found
        subscriber = self.subscribers.lookup(chat_id)
        lang, tz, now = subscriber.language, ZoneInfo(subscriber.timezone), self.core.now()
        if not total:
            html = t(lang, "search_none", query=text)
        else:
            pages = -(-total // PAGE_SIZE)
            if total > store.COUNT_UP_TO:  # counted no further: the newest 2,000 are paged
                header = t(
                    lang,
                    "search_header_many",
                    query=text,
                    page=page + 1,
                    total=plural(lang, "n_items", store.COUNT_UP_TO),
                )
            else:
                header = t(
                    lang,
                    "search_header",
                    query=text,
                    page=page + 1,
                    pages=pages,
                    total=plural(lang, "n_items", total),
                )
            html = "\n\n".join(
                [header, *(render_item(item, lang=lang, tz=tz, now=now) for item in items)]
            )
        return SearchPage(
            html, search_id, page, page > 0, (page + 1) * PAGE_SIZE < min(total, store.COUNT_UP_TO)
        )
