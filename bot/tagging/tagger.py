"""The topic tagger: compiles topic rules once into hash tables, then tags a text in one pass
over its words. Pure; imports only stdlib, bot.models, bot.errors and bot.tagging.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.errors import UsageError
from bot.models import Topic, TopicMatch
from bot.tagging.gazetteer import Gazetteer, load_gazetteer
from bot.tagging.normalize import sentences, split_words
from bot.tagging.rules import TermPattern, expand, parse_term

logger = logging.getLogger(__name__)

KINDS = ("include", "require", "exclude")
IGNORED = -1  # the slot of ignored phrases; sorts before every topic slot

Ref = tuple[int, str]  # (slot, label); slot = 3 * topic index + kind index
Hit = tuple[int, int, tuple[Ref, ...]]  # (first word, end word, refs) within one sentence


@dataclass
class _Index:
    """Lookup tables: exact keys, stem prefixes, and every proper prefix of either."""

    exact: dict[str, tuple[Ref, ...]] = field(default_factory=dict)
    stems: dict[str, tuple[Ref, ...]] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)
    stem_prefixes: set[str] = field(default_factory=set)
    # How many text words a stem may span: as many as the term has ("kerja sama*" two,
    # "teh*" one, so "teh tiket" is not "tehtiket").
    stem_words: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, ref: Ref, stem_words: int = 0) -> None:
        """Register one key for one (slot, label); stem_words > 0 makes it a stem."""
        table = self.stems if stem_words else self.exact
        refs = table.get(key, ())
        if ref not in refs:
            table[key] = tuple(sorted(refs + (ref,)))
        self.prefixes.update(key[:n] for n in range(1, len(key)))
        if stem_words:
            self.stem_prefixes.update(key[:n] for n in range(1, len(key)))
            self.stem_words[key] = max(stem_words, self.stem_words.get(key, 0))

    def copy(self) -> _Index:
        """A copy that can be extended without touching this one."""
        return _Index(dict(self.exact), dict(self.stems), set(self.prefixes),
                      set(self.stem_prefixes), dict(self.stem_words))


def _stem_words(pattern: TermPattern) -> int:
    """For a stem, the number of words it has (so the text words it may span); else 0."""
    return len(pattern.words) if pattern.stem else 0


@functools.cache
def _base_index(gazetteer: Gazetteer) -> _Index:
    """The ignored phrases of a gazetteer, compiled once and shared by every Tagger."""
    index = _Index()
    for phrase in gazetteer.ignored:
        pattern = parse_term(phrase, gazetteer.lists.keys())
        for key, label in expand(pattern, gazetteer.lists):
            index.add(key, (IGNORED, label), _stem_words(pattern))
    return index


class Tagger:
    """Tags texts with the topics whose rules they satisfy; see bot.tagging for the rules."""

    def __init__(self, topics: Sequence[Topic], *, gazetteer: Gazetteer | None = None) -> None:
        self.topics = tuple(topics)
        self._gazetteer = gazetteer or load_gazetteer()
        index = _base_index(self._gazetteer).copy()
        for number, topic in enumerate(self.topics):
            for kind_number, kind in enumerate(KINDS):
                for term in getattr(topic.rule, kind):
                    self._add_term(index, term, 3 * number + kind_number, topic.slug)
        self._index = index
        self._has_require = tuple(bool(topic.rule.require) for topic in self.topics)
        # No stems: the shortest stem is "longer than any word", so the stem loop never runs.
        self._shortest_stem = min(map(len, index.stems), default=10**9)

    def _add_term(self, index: _Index, term: str, slot: int, slug: str) -> None:
        """Compile one rule term; a term that no longer parses is logged and skipped."""
        try:
            pattern = parse_term(term, self._gazetteer.lists.keys())
        except UsageError as error:
            # A stored rule can outlive a renamed list; one bad term must not stop ingestion.
            logger.warning("Skipping term %r of topic %s: %s", term, slug, error)
            return
        for key, label in expand(pattern, self._gazetteer.lists):
            index.add(key, (slot, label), _stem_words(pattern))

    def tag(self, title: str, text: str) -> tuple[str, ...]:
        """The slugs of the topics the title and text match, in the order of the topics."""
        found = {slot for slot, _ in self._found(title, text)}
        return tuple(
            topic.slug
            for number, topic in enumerate(self.topics)
            if self._accepts(found, number, self._has_require[number])
        )

    def included(self, title: str, text: str) -> set[int]:
        """The numbers of the topics with an include term in the title or text (their require
        and exclude terms not considered): what the watch-word matcher needs."""
        return {slot // 3 for slot, _ in self._found(title, text) if slot % 3 == 0}

    def explain(self, title: str, text: str) -> list[TopicMatch]:
        """One TopicMatch per topic, listing the terms found of each kind."""
        labels: dict[int, list[str]] = {}
        for slot, label in self._found(title, text):
            seen = labels.setdefault(slot, [])
            if label not in seen:
                seen.append(label)
        return [
            TopicMatch(
                topic.slug,
                *(tuple(labels.get(3 * number + k, ())) for k in range(3)),
                has_require=bool(topic.rule.require),
            )
            for number, topic in enumerate(self.topics)
        ]

    @staticmethod
    def _accepts(found: set[int], number: int, has_require: bool) -> bool:
        """The rule: an include term, a require term if there are any, and no exclude term."""
        base = 3 * number
        return (
            base in found
            and (not has_require or base + 1 in found)
            and base + 2 not in found
        )

    def _found(self, title: str, text: str) -> list[Ref]:
        """Every (slot, label) with an occurrence that counts, in text order."""
        refs: list[Ref] = []
        for chunk in (title, text):
            if not chunk:
                continue
            for sentence in sentences(chunk):
                for _, _, hit_refs in self._sentence_hits(sentence):
                    refs.extend(hit_refs)
        return refs

    def _sentence_hits(self, sentence: str) -> list[Hit]:
        """The occurrences in one sentence that count: street names and masked ones dropped."""
        folded = split_words(sentence.casefold())
        hits = self._scan(folded)
        if not hits:
            return hits
        streets, original = self._gazetteer.street_words, None
        masks = [(start, end) for start, end, refs in hits if refs[0][0] == IGNORED]
        kept = []
        for start, end, refs in hits:
            if start and folded[start - 1] in streets:
                if original is None:
                    original = split_words(sentence)
                # (Folding never splits a word; if it ever did, err on the side of a street.)
                if len(original) != len(folded) or original[start - 1][:1].isupper():
                    continue  # "Jalan Balikpapan" in Jakarta is a street, not the city
            if any(a <= start and end <= b and b - a > end - start for a, b in masks):
                continue  # "Bahasa Inggris" does not name England
            refs = tuple(ref for ref in refs if ref[0] != IGNORED)
            if refs:
                kept.append((start, end, refs))
        return kept

    def _scan(self, folded: list[str]) -> list[Hit]:
        """Find every key starting at every word: joined runs of words, and stem prefixes."""
        exact, stems, prefixes = self._index.exact, self._index.stems, self._index.prefixes
        stem_prefixes, stem_words = self._index.stem_prefixes, self._index.stem_words
        shortest = self._shortest_stem
        hits: list[Hit] = []
        count = len(folded)
        for start in range(count):
            key = ""
            for end in range(start, count):
                before = len(key)
                key += folded[end]
                refs = exact.get(key)
                if refs is not None:
                    hits.append((start, end + 1, refs))
                # A stem must end inside this word; shorter ones were tried a word earlier.
                size = before + 1 if before >= shortest else shortest
                while size <= len(key):
                    head = key[:size]
                    refs = stems.get(head)
                    if refs is not None and end - start < stem_words[head]:
                        hits.append((start, end + 1, refs))
                    if head not in stem_prefixes:
                        break
                    size += 1
                if key not in prefixes:
                    break
        return hits
