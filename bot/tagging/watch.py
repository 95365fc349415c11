"""Readers' watch words: parsing them, and matching every reader's at once.

A watch is one or more terms, all of which must occur in an item (title or summary):
`banjir samarinda` is "banjir" and "Samarinda" anywhere in it, `"jalan poros" samarinda` the
phrase and the word. Each term matches as a topic rule's term does (whole words, Indonesian
affixes, `stem*`, abbreviations, `@lists`): the terms of all readers are compiled into one
Tagger, so matching an item costs one pass over its words, however many readers there are;
only the readers whose terms occurred are then looked at. Pure, like the rest of tagging.

What a watch may cost is bounded (issue 27). A list is a term on its own (`@negara_asing
"kerja sama"`), never inside a phrase: `"banjir @negara_asing"` would spell one key per entry
(some 450), a reader's twenty such watches 9,000, and every chat's its own; a list alone is the
same term for every reader and is compiled once. A watch of several terms is looked at only
when its rarest term occurred (by how many recent items hold its words), so a watch on a very
common word beside a rare one costs nothing on the many items that hold only the common one.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.errors import RuleError
from bot.models import Topic, TopicRule
from bot.tagging.gazetteer import Gazetteer, load_gazetteer
from bot.tagging.normalize import fold, folded_words
from bot.tagging.rules import TermPattern, display_form, expand, parse_term
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
            raise RuleError(
                "too_long",
                f"watch {stored[:30]!r}… is too long",
                term=stored[:30],
                limit=MAX_WATCH_LENGTH,
            )
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
        pattern = parse_term(term, known_lists)
        if pattern.ref is not None and len(pattern.words) > 1:
            # One key per list entry, per reader: a list stands alone (see the module's note).
            raise RuleError(
                "list_in_phrase",
                f"in {term!r}, a list must be a term of its own",
                term=term,
                list=f"@{pattern.ref}",
            )
        if term not in terms:
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise RuleError(
            "too_many_terms",
            f"a watch has at most {MAX_TERMS} terms",
            limit=MAX_TERMS,
            term=text.strip()[:30],
        )
    return tuple(terms)


def same_watch(words: str) -> str:
    """The form two watches are compared on (/lepas BANJIR removes "banjir")."""
    return " ".join(fold(words).split())


def term_keys(term: str, gazetteer: Gazetteer) -> int:
    """How many keys the matcher holds for one term (its spellings and affixed forms, or a
    list's entries): what a watch costs in memory and in building the matcher."""
    pattern = parse_term(term, gazetteer.lists.keys())
    return len(expand(pattern, gazetteer.lists)) + int(pattern.inflects)


def is_shared(term: str) -> bool:
    """True for a list on its own: the same term, compiled once, for every reader."""
    return term.startswith("@") and " " not in term


def word_frequencies(texts: Iterable[tuple[str, str]]) -> Counter[str]:
    """In how many of these (title, summary) texts each folded word occurs: what says which
    term of a watch is the rarest."""
    counts: Counter[str] = Counter()
    for title, summary in texts:
        counts.update(set(folded_words(f"{title}\n{summary}")))
    return counts


class _Rarity:
    """How common a term is, from the word frequencies of recent items: a phrase is at most
    as common as its rarest word, a stem as all the words it begins; a list, as common as
    anything (it names hundreds of places)."""

    def __init__(self, frequencies: Mapping[str, int]) -> None:
        self._counts = frequencies
        self._sorted = sorted(frequencies)

    def of(self, pattern: TermPattern) -> int:
        """The estimated number of recent items that hold the term."""
        if pattern.ref is not None:
            return 1 << 62
        words = list(pattern.words)
        counts = [self._counts.get(word, 0) for word in words[:-1]]
        last = words[-1]
        if pattern.stem:
            start = bisect.bisect_left(self._sorted, last)
            end = bisect.bisect_left(self._sorted, last + "\U0010ffff")
            counts.append(sum(self._counts[word] for word in self._sorted[start:end]))
        else:
            counts.append(self._counts.get(last, 0))
        return min(counts)


@dataclass(frozen=True)
class _Watch:
    chat_id: int
    words: str
    terms: frozenset[int]  # numbers of its terms in the shared tagger


class WatchMatcher:
    """Every reader's watches compiled into one tagger; match() says who wants an item."""

    def __init__(
        self,
        watches: Sequence[tuple[int, str]],
        *,
        gazetteer: Gazetteer | None = None,
        frequencies: Mapping[str, int] | None = None,
    ) -> None:
        gazetteer = gazetteer or load_gazetteer()
        lists = gazetteer.lists.keys()
        numbers: dict[str, int] = {}  # one tagger "topic" per distinct term
        rarity: list[tuple[int, int]] = []  # by term number: (items holding it, -length)
        rate = _Rarity(frequencies or {})
        # By term: the one-term watches it satisfies, and the longer ones it may (indexed by
        # their rarest term only; the others are checked when that one occurred).
        self._single: dict[int, list[tuple[int, str]]] = {}
        self._multi: dict[int, list[_Watch]] = {}
        self._count = 0
        for chat_id, words in watches:
            try:
                terms = watch_terms(words, lists)
            except RuleError:
                continue  # a stored watch whose list was renamed, or sits in a phrase: skipped
            ids = []
            for term in terms:
                if term not in numbers:
                    numbers[term] = len(numbers)
                    # Equally rare (no frequencies yet): the longer term is the likelier rare.
                    rarity.append((rate.of(parse_term(term, lists)), -len(term)))
                ids.append(numbers[term])
            if not ids:
                continue
            self._count += 1
            if len(ids) == 1:
                self._single.setdefault(ids[0], []).append((chat_id, words))
            else:
                rarest = min(ids, key=rarity.__getitem__)
                self._multi.setdefault(rarest, []).append(_Watch(chat_id, words, frozenset(ids)))
        topics = [Topic(f"w{n}", term, TopicRule(include=(term,))) for term, n in numbers.items()]
        self._tagger = Tagger(topics, gazetteer=gazetteer, shared=False)
        self.terms = frozenset(numbers)
        self.keys = sum(term_keys(term, gazetteer) for term in numbers)

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

    def match_all(self, texts: Sequence[tuple[str, str]]) -> list[dict[int, str]]:
        """match() for each (title, text) of a batch, in order."""
        return [self.match(title, text) for title, text in texts]
