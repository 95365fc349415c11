"""Readers' watch words: parsing them, and matching every reader's at once.

A watch is one or more terms, all of which must occur in an item (title or summary):
`banjir samarinda` is "banjir" and "Samarinda" anywhere in it, `"jalan poros" samarinda` the
phrase and the word. Each term matches as a topic rule's term does (whole words, Indonesian
affixes, `stem*`, abbreviations, `@lists`): the terms of all readers are compiled into one
Tagger, so matching an item costs one pass over its words, however many readers there are;
only the readers whose terms occurred are then looked at. Pure, like the rest of tagging.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.errors import RuleError
from bot.models import Topic, TopicRule
from bot.tagging.gazetteer import Gazetteer, load_gazetteer
from bot.tagging.normalize import fold
from bot.tagging.rules import display_form, parse_term
from bot.tagging.tagger import Tagger

MAX_TERMS = 5  # terms in one watch
MAX_WATCH_LENGTH = 120
# A quoted phrase (straight or curly quotes), or a word.
_TOKEN = re.compile(r'["“”]([^"“”]*)["“”]?|([^\s"“”]+)')


def parse_watches(text: str, known_lists: Iterable[str] | None = None) -> list[str]:
    """Split a reader's input on commas into watches, each in its stored form.

    The stored form is the terms in order, phrases in quotes: `banjir samarinda`,
    `"jalan poros" longsor`. Raises RuleError (texts "rule_<code>") for a term that cannot
    match, like a topic term.
    """
    lists = load_gazetteer().lists.keys() if known_lists is None else list(known_lists)
    watches: list[str] = []
    for piece in text.split(","):
        terms = watch_terms(piece, lists)
        if not terms:
            continue
        stored = " ".join(f'"{term}"' if " " in term else term for term in terms)
        if len(stored) > MAX_WATCH_LENGTH:
            raise RuleError("too_long", f"watch {stored[:30]!r}… is too long",
                            term=stored[:30], limit=MAX_WATCH_LENGTH)
        if same_watch(stored) not in {same_watch(w) for w in watches}:
            watches.append(stored)
    return watches


def watch_terms(text: str, known_lists: Iterable[str]) -> tuple[str, ...]:
    """The terms of one watch, each validated as a rule term; quoted phrases stay one term."""
    terms: list[str] = []
    for phrase, word in _TOKEN.findall(text):
        term = display_form(phrase or word)
        if not term or not any(ch.isalnum() for ch in term):
            continue
        parse_term(term, known_lists)
        if term not in terms:
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise RuleError("too_many_terms", f"a watch has at most {MAX_TERMS} terms",
                        limit=MAX_TERMS, term=text.strip()[:30])
    return tuple(terms)


def same_watch(words: str) -> str:
    """The form two watches are compared on (/lepas BANJIR removes "banjir")."""
    return " ".join(fold(words).split())


@dataclass(frozen=True)
class _Watch:
    chat_id: int
    words: str
    terms: frozenset[int]  # numbers of its terms in the shared tagger


class WatchMatcher:
    """Every reader's watches compiled into one tagger; match() says who wants an item."""

    def __init__(self, watches: Sequence[tuple[int, str]], *,
                 gazetteer: Gazetteer | None = None) -> None:
        gazetteer = gazetteer or load_gazetteer()
        numbers: dict[str, int] = {}  # one tagger "topic" per distinct term
        # By term: the one-term watches it satisfies, and the longer ones it may (indexed by
        # their first term only; the others are checked when that one occurred).
        self._single: dict[int, list[tuple[int, str]]] = {}
        self._multi: dict[int, list[_Watch]] = {}
        self._count = 0
        for chat_id, words in watches:
            try:
                terms = watch_terms(words, gazetteer.lists.keys())
            except RuleError:
                continue  # a stored watch whose list was renamed: skipped, like a topic term
            ids = [numbers.setdefault(term, len(numbers)) for term in terms]
            if not ids:
                continue
            self._count += 1
            if len(ids) == 1:
                self._single.setdefault(ids[0], []).append((chat_id, words))
            else:
                self._multi.setdefault(ids[0], []).append(_Watch(chat_id, words,
                                                                 frozenset(ids)))
        topics = [Topic(f"w{n}", term, TopicRule(include=(term,))) for term, n in numbers.items()]
        self._tagger = Tagger(topics, gazetteer=gazetteer, shared=False)

    def __len__(self) -> int:
        return self._count

    def match(self, title: str, text: str) -> dict[int, str]:
        """Chat id -> the first of its watches the title and text satisfy."""
        found = self._tagger.included(title, text)
        hits: dict[int, str] = {}
        single, multi = self._single, self._multi
        for term in found:
            for chat_id, words in single.get(term, ()):
                if chat_id not in hits:
                    hits[chat_id] = words
            for watch in multi.get(term, ()):
                if watch.chat_id not in hits and watch.terms <= found:
                    hits[watch.chat_id] = watch.words
        return hits
