"""Topic rules: creating, editing (with a preview of the edit's effect), testing a text,
re-tagging stored items, and the rules as one TOML file for version control."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.errors import TopicExists, UnknownTopic, UsageError
from bot.feeds.clean import clean_text
from bot.models import TermKind, Topic, TopicKind, TopicMatch, TopicRule
from bot.runtime.core import Core
from bot.runtime.patience import patiently
from bot.tagging.normalize import folded_words
from bot.tagging.rules import CLITICS, parse_terms, parse_threshold, validate_slug
from bot.tagging.tagger import Tagger
from storage import items as item_store
from storage import topics as topic_store
from storage.db import database_file, open_read_only

RULE_KINDS = tuple(TermKind)
Row = tuple[int, str, str, frozenset[str]]  # an item's id, title, summary and topic slugs
PREVIEW_DAYS = 7
# Items tagged between two moments the tagging thread lets the event loop have the GIL.
CEDE_EVERY = 200
MAX_RETAG_DAYS = 90
RETAG_BATCH = 500  # tags added and removed per transaction by /retag
EXAMPLES = 3


@dataclass(frozen=True)
class Effect:
    """Which stored items a rule change (or a re-tag) adds to or removes from a topic."""

    gained: tuple[str, ...] = ()  # titles, newest first
    lost: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermWords:
    """The words one term matched in recent items, most frequent first, and whether most of
    them are not the word typed (a root form or a stem reaching other words): `other` is
    then the most frequent of those, and `typed` the word itself."""

    term: str
    words: tuple[tuple[str, int], ...]
    typed: str = ""
    other: str = ""

    @property
    def flagged(self) -> bool:
        """True when most matches are other words than the one typed."""
        return bool(self.other)


@dataclass(frozen=True)
class ImportReport:
    """What `topics import` did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)


class TopicService:
    """Everything the topic commands change or show."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def all(self) -> list[Topic]:
        """Every topic, in the order readers see them."""
        return self.core.topics()

    def topic(self, slug: str) -> Topic:
        """One topic by slug. Raises UnknownTopic."""
        topic = topic_store.get_topic(self.core.db, slug.lower())
        if topic is None:
            raise UnknownTopic([slug])
        return topic

    def set_kind(self, slug: str, kind: TopicKind) -> Topic:
        """Make a topic a region or a subject. Raises UnknownTopic."""
        topic = self.topic(slug)
        topic_store.set_kind(self.core.db, topic.slug, kind)
        self.core.topics_changed()
        return self.topic(slug)

    def set_english_name(self, slug: str, name: str) -> Topic:
        """Give a topic its name for English readers. Raises UnknownTopic, UsageError."""
        topic = self.topic(slug)
        name = " ".join(name.split())
        if not name or len(name) > 64:
            raise UsageError("topicname: bad name")
        topic_store.set_english_name(self.core.db, topic.slug, name)
        self.core.topics_changed()
        return self.topic(slug)

    def add_topic(self, slug: str, name: str) -> Topic:
        """Create an empty topic. Raises TopicExists, or UsageError (bad slug or name)."""
        slug = validate_slug(slug)
        name = " ".join(name.split())
        if not name or len(name) > 64:
            raise UsageError("topics: the display name must be 1 to 64 characters")
        topic = Topic(slug, name)
        try:
            topic_store.add_topic(self.core.db, topic, self.core.now())
        except sqlite3.IntegrityError:
            raise TopicExists(slug) from None
        self.core.topics_changed()
        return topic

    def delete_topic(self, slug: str) -> None:
        """Delete a topic with its tags and subscriptions. Raises UnknownTopic."""
        if not topic_store.delete_topic(self.core.db, slug.lower()):
            raise UnknownTopic([slug])
        self.core.topics_changed()

    async def edit_topic(
        self, slug: str, action: str, text: str
    ) -> tuple[Topic, tuple[str, ...], Effect]:
        """Add terms to include/require/exclude, remove them from wherever they are, or set the
        threshold (action "threshold", text a number).

        Returns:
            The updated topic, the terms `remove` did not find, and what the new rule would
            change on the items of the last 7 days (stored tags are left as they are).
        Raises:
            UnknownTopic, UsageError.
        """
        topic = self.topic(slug)
        action = action.lower()
        if action in ("threshold", "ambang"):
            new = replace(topic, rule=replace(topic.rule, threshold=parse_threshold(text)))
            return new, (), await self._save(topic, new)
        if action not in (*RULE_KINDS, "remove"):
            raise UsageError("topics: unknown action")
        rule = {kind: list(getattr(topic.rule, kind)) for kind in RULE_KINDS}
        missing: list[str] = []
        for term in parse_terms(text):
            key = term.casefold()
            if action == "remove":
                hits = [k for k in RULE_KINDS if any(x.casefold() == key for x in rule[k])]
                for kind in hits:
                    rule[kind] = [x for x in rule[kind] if x.casefold() != key]
                if not hits:
                    missing.append(term)
            elif all(x.casefold() != key for x in rule[action]):
                rule[action].append(term)
        # replace() keeps what the rule does not hold (kind, English name).
        new = replace(
            topic,
            rule=TopicRule(
                *(tuple(rule[k]) for k in RULE_KINDS),
                threshold=topic.rule.threshold,
                frames=topic.rule.frames,
            ),
        )
        return new, tuple(missing), await self._save(topic, new)

    async def term_words(self, terms: Sequence[str]) -> list[TermWords]:
        """For each term, the distinct words it matched in the items of the last 7 days, with
        their counts, most frequent first (what an admin sees under a rule edit, so "pelaku"
        matching "dilakukan" shows)."""
        if not terms:
            return []
        source = self._source(PREVIEW_DAYS)
        return await asyncio.to_thread(lambda: _term_words(terms, source.rows()))

    async def _save(self, old: Topic, new: Topic) -> Effect:
        """Store a topic's new rule; return what it changes on the last 7 days of items."""
        effect = await self._compare(old, new)
        topic_store.set_rule(self.core.db, new.slug, new.rule)
        self.core.topics_changed()
        return effect

    def test_text(self, text: str) -> list[tuple[Topic, TopicMatch]]:
        """How every topic judges a text, cleaned as ingestion cleans a summary. The first
        line is the headline; the lines after it, if any, are the body (a pasted news item)."""
        title, _, body = text.strip().partition("\n")
        matches = self.core.tagger().explain(clean_text(title), clean_text(body))
        by_slug = {m.slug: m for m in matches}
        return [(topic, by_slug[topic.slug]) for topic in self.core.topics()]

    async def retag(self, days: int = PREVIEW_DAYS) -> dict[str, Effect]:
        """Re-tag the items of the last `days` days with the current rules.

        Returns:
            Per topic slug, the items that gained or lost it (topics without change omitted).
        Raises:
            UsageError: days outside 1..90.
        """
        if not 1 <= days <= MAX_RETAG_DAYS:
            raise UsageError(f"retag: days must be 1 to {MAX_RETAG_DAYS}")
        topics = tuple(self.core.topics())
        # Tens of thousands of items take seconds to read and tag: off the event loop, in a
        # thread with a read-only connection of its own, so every other chat is answered
        # meanwhile. Only the changes are written, on the loop.
        added, removed, gained, lost = await asyncio.to_thread(
            _retag_recent, self._source(days), topics
        )
        # Written a few hundred tags a transaction, the loop let go between them, so that a
        # retag of thousands of items never holds readers' commands (or waits on the loop for
        # another process's lock).
        for start in range(0, max(len(added), len(removed)), RETAG_BATCH):
            batch = slice(start, start + RETAG_BATCH)
            await patiently(
                functools.partial(
                    item_store.change_tags, self.core.db, added[batch], removed[batch]
                )
            )
            await asyncio.sleep(0)
        return {
            slug: Effect(tuple(gained.get(slug, ())), tuple(lost.get(slug, ())))
            for slug in sorted(set(gained) | set(lost))
        }

    def import_topics(self, topics: Sequence[Topic]) -> ImportReport:
        """Create or update the given topics; topics not in the list are kept, and reported.

        Raises:
            UsageError: a slug or a term is invalid (nothing is changed then).
        """
        for topic in topics:
            validate_slug(topic.slug)
            for kind in RULE_KINDS:
                terms = getattr(topic.rule, kind)
                if terms:
                    parse_terms(", ".join(terms))
            for frame in topic.rule.frames:
                for terms in (*frame.cues, frame.terms, frame.unless):
                    if terms:
                        parse_terms(", ".join(terms))
        report = ImportReport()
        current = {t.slug: t for t in self.core.topics()}
        with self.core.db.atomic():
            for topic in topics:
                old = current.get(topic.slug)
                if old is None:
                    topic_store.add_topic(self.core.db, topic, self.core.now())
                    report.added.append(topic.slug)
                elif (old.name, old.rule) == (topic.name, topic.rule):  # the file's fields
                    report.unchanged.append(topic.slug)
                else:
                    topic_store.set_rule(self.core.db, topic.slug, topic.rule)
                    topic_store.rename_topic(self.core.db, topic.slug, topic.name)
                    report.updated.append(topic.slug)
        report.not_in_file.extend(s for s in current if s not in {t.slug for t in topics})
        self.core.topics_changed()
        return report

    def _source(self, days: int) -> Source:
        return Source(database_file(self.core.db), self.core.now() - timedelta(days=days))

    async def _compare(self, old: Topic, new: Topic) -> Effect:
        source = self._source(PREVIEW_DAYS)
        return await asyncio.to_thread(lambda: _compare_rows(old, new, source.rows()))


@dataclass(frozen=True)
class Source:
    """The items published since a moment, read in the thread that tags them."""

    path: str
    since: datetime

    def rows(self) -> list[Row]:
        """Read them through a read-only connection of this thread's own."""
        db = open_read_only(self.path)
        try:
            return item_store.tagged_since(db, self.since)
        finally:
            db.close()


def _retag_recent(source: Source, topics: Sequence[Topic]):
    """_retag_rows over the source's items, with a tagger of the topics compiled here."""
    return _retag_rows(Tagger(topics), {t.slug for t in topics}, source.rows())


def _ceding(rows: Sequence[Row]) -> Iterator[Row]:
    """The rows, with a millisecond's sleep every CEDE_EVERY: the thread tagging them lets go
    of the GIL, so the event loop runs at once instead of waiting for the interpreter's switch,
    which on a busy machine can keep it waiting for seconds behind a thread the OS preempted."""
    for index, row in enumerate(rows):
        if index % CEDE_EVERY == CEDE_EVERY - 1:
            time.sleep(0.001)
        yield row


def _retag_rows(tagger: Tagger, slugs: set[str], rows: Sequence[Row]):
    """(tags to add, tags to remove, titles gained per slug, titles lost per slug). Pure."""
    added, removed = [], []
    gained: dict[str, list[str]] = {}
    lost: dict[str, list[str]] = {}
    for item_id, title, summary, stored in _ceding(rows):
        fresh = set(tagger.tag(title, summary))
        for slug in fresh - stored:
            added.append((item_id, slug))
            gained.setdefault(slug, []).append(title)
        for slug in (stored & slugs) - fresh:
            removed.append((item_id, slug))
            lost.setdefault(slug, []).append(title)
    return added, removed, gained, lost


def _compare_rows(old: Topic, new: Topic, rows: Sequence[Row]) -> Effect:
    """What changing a topic's rule from old to new does to these items. Pure."""
    before, after = Tagger([old]), Tagger([new])
    gained, lost = [], []
    for _, title, summary, _ in _ceding(rows):
        was, now = bool(before.tag(title, summary)), bool(after.tag(title, summary))
        if now and not was:
            gained.append(title)
        elif was and not now:
            lost.append(title)
    return Effect(tuple(gained), tuple(lost))


def _term_words(terms: Sequence[str], rows: Sequence[Row]) -> list[TermWords]:
    """TermWords for each term over these items (every occurrence counted). Pure."""
    topics = [Topic(f"t{n}", term, TopicRule(include=(term,))) for n, term in enumerate(terms)]
    tagger = Tagger(topics, shared=False)
    counts: list[Counter[str]] = [Counter() for _ in terms]
    for _, title, summary, _ in _ceding(rows):
        for number, word in tagger.matched_words(title, summary):
            counts[number][word] += 1
    out = []
    for term, counter in zip(terms, counts, strict=True):
        words = tuple(sorted(counter.items(), key=lambda pair: (-pair[1], pair[0])))
        typed = " ".join(folded_words(term.lstrip("~").rstrip("*")))
        own = sum(n for word, n in words if _is_typed(word, typed))
        others = [word for word, _ in words if not _is_typed(word, typed)]
        flagged = bool(others) and own * 2 < sum(n for _, n in words)
        out.append(TermWords(term, words, typed, others[0] if flagged else ""))
    return out


def _is_typed(word: str, typed: str) -> bool:
    """True when a matched word is the typed word itself or one of its inflections."""
    return (
        word == typed
        or any(word == typed + clitic for clitic in CLITICS)
        or (word.replace(" ", "") == typed.replace(" ", ""))
    )
