"""The topic tagger: compiles topic rules once into hash tables, then tags a text in one pass
over its words and their stems, weighing where each term occurs. Pure; imports only stdlib,
bot.models, bot.errors and bot.tagging (which uses Sastrawi for stems).
"""

from __future__ import annotations

import functools
import logging
import operator
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from bot.errors import UsageError
from bot.models import Evidence, Frame, FrameEffect, TermKind, Topic, TopicMatch
from bot.tagging.gazetteer import Gazetteer, load_gazetteer
from bot.tagging.morphology import Morphology, load_morphology
from bot.tagging.normalize import join_key, sentences, split_words
from bot.tagging.rules import CLITICS, TermPattern, display_form, expand, parse_term
from bot.tagging.structure import enumerated, split_dateline

logger = logging.getLogger(__name__)

KINDS = tuple(TermKind)


class Role(IntEnum):
    """What a topic's ref is: one of its rule's three term lists, or a cue of one of its frames
    (label "frame/group/term", group "u" for the words that cancel an out frame)."""

    INCLUDE = 0
    REQUIRE = 1
    EXCLUDE = 2
    CUE = 3


ROLES = len(Role)


class Special(IntEnum):
    """The slots of refs that belong to no topic: negative, so they sort before every topic's
    (a topic's slot is ROLES * its number + its Role; see slot_of)."""

    # Ignored phrases.
    IGNORED = -1
    # Place names (label: the list), read by the structure rules.
    PLACE = -2
    # The words before a list in a phrase around it ("bahasa" of "bahasa @negara_asing");
    # label: a key of _Index.list_phrases. Such a phrase is found where those words end and a
    # place of the list begins, instead of being spelled out once per entry (450 countries
    # times 60 phrases made 27,000 keys and 20 MB in every process that tags).
    LIST_PHRASE = -3


IGNORED, PLACE, LIST_PHRASE = Special.IGNORED, Special.PLACE, Special.LIST_PHRASE
INCLUDE, CUE = Role.INCLUDE, Role.CUE


def slot_of(topic: int, role: Role) -> int:
    """The slot of a topic's refs of one role."""
    return ROLES * topic + role


# What an include term weighs where it occurs. A headline word is what the story is about; a
# word of the first sentence usually is; a later word may be an aside ("pelajar" describing
# accident victims). The dateline, a place inside an enumeration, and a Kaltim venue of a story
# about another province are weak; a dateline place is nothing when the story names another
# province.
# A later sentence that gives a figure (an amount in rupiah, "Rp40 triliun") is about its
# terms, not an aside: it weighs as the first sentence does ("figure").
# What a generic sentence says after its copula ("pendidikan adalah investasi") describes its
# subject: an aside. A home place only in the body of a story set elsewhere (no home place in
# its headline, first sentence or dateline) is half an aside ("elsewhere").
# A later word whose stem a headline word shares ("kebakaran" under "Rumah Ludes Terbakar")
# names the story's subject in other words: it weighs as the first sentence does ("echo").
WEIGHTS = {
    "title": 3.0,
    "lead": 2.0,
    "figure": 2.0,
    "body": 1.0,
    "dateline": 1.0,
    "list": 1.0,
    "venue": 1.0,
    "aside": 1.0,
    "elsewhere": 0.5,
    "echo": 2.0,
}
# Shorter stems are too common to echo ("air", "ada").
MIN_ECHO = 4
AMOUNT_WORDS = frozenset({"triliun", "miliar", "rp"})
_RUPIAH = re.compile(r"(?<![^\W\d_])rp\d")  # "Rp40": an amount word of its own
# Where a home place makes the story the home region's own.
ANCHORS = frozenset({"title", "lead", "dateline"})
_SECOND = operator.itemgetter(1)
# A frame's cue in a headline sentence: the frame holds for the whole story.
EVERYWHERE = -1
# A text longer than this is tagged on its first MAX_CHARS characters: a feed summary is a few
# hundred, a whole article rarely 20,000, and a worker must not spend seconds on one item.
MAX_CHARS = 50_000
# How many distinct words a tagger remembers the lookups of (about 2 MB): a day of news uses
# fewer, and a flood of made-up words starts the memory afresh instead of growing it.
FIRST_WORDS = 20_000

Ref = tuple[int, str]  # (slot, label); a Special, or slot_of(topic number, Role)
Hit = tuple[int, int, tuple[Ref, ...]]  # (first word, end word, refs) within one sentence
Span = tuple[int, int, int]  # (sentence number, first word, end word)
# (slot, label, where, weight, span, frame): its weight where it was found (the structure
# rules may change it, see _weighed); frame is "+name" for an in frame's own evidence.
Occurrence = tuple[int, str, str, float, Span, str]
# (slot, label, where, weight, span, frame): frame "-name" when an out frame took it out.
Weighed = tuple[int, str, str, float, Span, str]
# What one word finds alone: the refs of the keys it spells (whole and stem prefixes), whether
# a longer run starting with it may still spell a key, its Sastrawi stem ("" when no term
# needs stems), the refs of the inflected key that stem is, and whether a longer run of stems
# may spell one.
_Split = tuple[str, tuple[Ref, ...], tuple[Ref, ...], bool]
_First = tuple[tuple[tuple[Ref, ...], ...], bool, str, tuple[Ref, ...] | None, bool]


@dataclass
class _Index:
    """Lookup tables: exact keys, stem prefixes, stemmed keys, and every proper prefix."""

    exact: dict[str, tuple[Ref, ...]] = field(default_factory=dict)
    stems: dict[str, tuple[Ref, ...]] = field(default_factory=dict)
    prefixes: set[int] = field(default_factory=set)  # hashes of every proper prefix
    stem_prefixes: set[str] = field(default_factory=set)
    # How many text words a stem may span: as many as the term has ("kerja sama*" two,
    # "teh*" one, so "teh tiket" is not "tehtiket").
    stem_words: dict[str, int] = field(default_factory=dict)
    # Keys of joined Sastrawi stems ("kerjasama"), looked up on the stems of the text's words.
    inflected: dict[str, tuple[Ref, ...]] = field(default_factory=dict)
    inflected_prefixes: set[str] = field(default_factory=set)
    # The length of the shortest stem (longer than any word when there is none, so the stem
    # loop never runs).
    shortest_stem: int = 10**9
    # What one word finds alone, filled as words are met (see _First).
    first: dict[str, _First] = field(default_factory=dict)
    # The refs of keys that are (also) an ignored phrase, each with its refs that are not:
    # filled once compiled, so tagging does not sort the refs of every hit out again.
    ignoring: dict[tuple[Ref, ...], tuple[Ref, ...]] = field(default_factory=dict)
    # Phrases around a place list (see LIST_PHRASE): key -> (list, the words after it, joined,
    # the refs the phrase stands for: an ignored phrase's, or a frame cue's); and, for ignored
    # phrases that start with the list, list -> the words after it.
    list_phrases: dict[str, tuple[str, str, tuple[Ref, ...]]] = field(default_factory=dict)
    leading_phrases: dict[str, list[str]] = field(default_factory=dict)
    # Per topic number: its frames, and, for its out frames, include label -> frame numbers.
    frames: dict[int, tuple[Frame, ...]] = field(default_factory=dict)
    framed_terms: dict[int, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    # What each refs tuple found is to the structure rules (see split_refs), filled as met.
    split: dict[tuple[Ref, ...], _Split] = field(default_factory=dict)
    # The keys topic terms added: only their refs can be new to `ignoring`.
    topic_keys: list[tuple[dict[str, tuple[Ref, ...]], str]] = field(default_factory=list)

    def add(self, key: str, ref: Ref, stem_words: int = 0) -> None:
        """Register one key for one (slot, label); stem_words > 0 makes it a stem."""
        table = self.stems if stem_words else self.exact
        _put(table, key, ref)
        if ref[0] >= 0:
            self.topic_keys.append((table, key))
        # Hashes, not the strings: a prefix only decides whether a run of words may grow
        # (a collision just tries one word more), and strings would cost three times more.
        # An enclitic form ("jalannya") adds none: written as one word, it is found whole,
        # and the word before it ("jalan") must not grow into the next word at every hit.
        if not (
            key.endswith(CLITICS)
            and ref
            in table.get(key[:-3] if key.endswith(("nya", "lah", "pun", "kah")) else key[:-2], ())
        ):
            self.prefixes.update(hash(key[:n]) for n in range(1, len(key)))
        if stem_words:
            self.stem_prefixes.update(key[:n] for n in range(1, len(key)))
            self.stem_words[key] = max(stem_words, self.stem_words.get(key, 0))

    def over_base(self) -> _Index:
        """A new index holding this (base) index's keys, ready for a tagger's topic terms: the
        tables are copied, sharing their keys and refs."""
        return _Index(
            exact=dict(self.exact),
            stems=dict(self.stems),
            prefixes=set(self.prefixes),
            stem_prefixes=set(self.stem_prefixes),
            stem_words=dict(self.stem_words),
            inflected=dict(self.inflected),
            inflected_prefixes=set(self.inflected_prefixes),
            ignoring=dict(self.ignoring),
            list_phrases=dict(self.list_phrases),
            leading_phrases=self.leading_phrases,
        )

    def note_ignored(self, keys: Iterable[tuple[dict[str, tuple[Ref, ...]], str]]) -> None:
        """Fill `ignoring` for these (table, key) pairs, once every key is added."""
        for table, key in keys:
            refs = table[key]
            if any(slot == IGNORED for slot, _ in refs):
                self.ignoring[refs] = tuple(ref for ref in refs if ref[0] != IGNORED)

    def first_word(self, word: str, morphology: Morphology) -> _First:
        """What a run of this one word finds, and its stem, remembered (at most FIRST_WORDS
        words, then afresh: a stream of made-up words must not grow a worker without end).
        The index belongs to one morphology (see _shared_rules), so the stem is the same for
        every tagger that uses it."""
        hits: list[Hit] = []
        refs = self.exact.get(word)
        if refs is not None:
            hits.append((0, 1, refs))
        _stem_hits(word, 0, 0, 0, self, hits)
        stem = morphology.stem(word) if self.inflected else ""
        found = (
            tuple(refs for _, _, refs in hits),
            hash(word) in self.prefixes,
            stem,
            self.inflected.get(stem),
            stem in self.inflected_prefixes,
        )
        if len(self.first) >= FIRST_WORDS:
            self.first.clear()
        self.first[word] = found
        return found

    def split_refs(self, refs: tuple[Ref, ...]) -> _Split:
        """A hit's refs as the structure rules read them, remembered: the place list it names
        ("" if none), its topic refs, its frame cues, and whether it is topic terms only."""
        place = next((label for slot, label in refs if slot == PLACE), "")
        topical = tuple(ref for ref in refs if ref[0] >= 0 and ref[0] % ROLES != CUE)
        cues = tuple(ref for ref in refs if ref[0] >= 0 and ref[0] % ROLES == CUE)
        plain = len(topical) == len(refs) and refs not in self.ignoring
        if len(self.split) >= FIRST_WORDS:
            self.split.clear()
        self.split[refs] = found = (place, topical, cues, plain)
        return found

    def add_inflected(self, key: str, ref: Ref) -> None:
        """Register the joined stems of a lower-case term."""
        _put(self.inflected, key, ref)
        self.topic_keys.append((self.inflected, key))
        self.inflected_prefixes.update(key[:n] for n in range(1, len(key)))


def _put(table: dict[str, tuple[Ref, ...]], key: str, ref: Ref) -> None:
    refs = table.get(key, ())
    if ref not in refs:
        table[key] = tuple(sorted(refs + (ref,)))


def _stem_words(pattern: TermPattern) -> int:
    """For a stem, the number of words it has (so the text words it may span); else 0."""
    return len(pattern.words) if pattern.stem else 0


def _compile(
    index: _Index,
    pattern: TermPattern,
    ref_slot: int,
    gazetteer: Gazetteer,
    morphology: Morphology,
    prefix: str = "",
) -> None:
    """Add every key of one parsed term: spelling variants, list entries, and its stems
    (labels start with `prefix`: a frame cue's "frame/group/")."""
    if prefix and pattern.ref and not pattern.stem and pattern.words[0] != f"@{pattern.ref}":
        # A cue around a list ("Dubes @negara_asing"): found where its words meet a place of
        # the list, not spelled out for each of its entries.
        _add_list_phrase(index, pattern, ((ref_slot, prefix + pattern.text),))
        return
    for key, label in expand(pattern, gazetteer.lists):
        index.add(key, (ref_slot, prefix + label), _stem_words(pattern))
    if pattern.inflects:
        index.add_inflected(
            join_key(morphology.stems(list(pattern.words))), (ref_slot, prefix + pattern.text)
        )


def _base_index(gazetteer: Gazetteer) -> _Index:
    """The ignored phrases and place names of a gazetteer, compiled once per gazetteer object
    (the bundled one: 1,700 keys, 20 ms): every tagger starts from a copy (_Index.over_base)."""
    index = _BASES.get(gazetteer)
    if index is not None:
        return index
    index = _Index()
    for phrase in gazetteer.ignored:
        pattern = parse_term(phrase, gazetteer.lists.keys())
        if pattern.ref and not pattern.stem:
            _add_list_phrase(index, pattern, ((IGNORED, pattern.text),))
            continue
        for key, label in expand(pattern, gazetteer.lists):
            index.add(key, (IGNORED, label), _stem_words(pattern))
    # Every list's entries are places (or parties) to the structure rules.
    for name in sorted(gazetteer.lists):
        for key, _ in expand(parse_term(f"@{name}", gazetteer.lists.keys()), gazetteer.lists):
            index.add(key, (PLACE, name))
    index.note_ignored((table, key) for table in (index.exact, index.stems) for key in table)
    _BASES[gazetteer] = index
    return index


def _add_list_phrase(index: _Index, pattern: TermPattern, refs: tuple[Ref, ...]) -> None:
    """Register a phrase around a place list (see LIST_PHRASE) standing for `refs`."""
    at = pattern.words.index(f"@{pattern.ref}")
    after = join_key(pattern.words[at + 1 :])
    if at:
        key = f"{refs[0][0]}|{refs[0][1]}"
        index.list_phrases[key] = (pattern.ref, after, refs)
        index.add(join_key(pattern.words[:at]), (LIST_PHRASE, key))
    else:
        index.leading_phrases.setdefault(pattern.ref, []).append(after)


# The compiled base of each gazetteer in use; it goes with its gazetteer (tests make their own).
_BASES: weakref.WeakKeyDictionary[Gazetteer, _Index] = weakref.WeakKeyDictionary()


def _compile_rules(
    topics: tuple[Topic, ...], gazetteer: Gazetteer, morphology: Morphology
) -> _Index:
    """The index of the topics' terms over the gazetteer's base index."""
    index = _base_index(gazetteer).over_base()
    for number, topic in enumerate(topics):
        for role, kind in zip(Role, KINDS, strict=False):
            for term in getattr(topic.rule, kind):
                _add_term(index, term, slot_of(number, role), topic.slug, gazetteer, morphology)
        if topic.rule.frames:
            _add_frames(index, number, topic, gazetteer, morphology)
    index.shortest_stem = min(map(len, index.stems), default=10**9)
    index.note_ignored(index.topic_keys)
    index.topic_keys.clear()
    return index


def _add_term(
    index: _Index,
    term: str,
    slot: int,
    slug: str,
    gazetteer: Gazetteer,
    morphology: Morphology,
    prefix: str = "",
) -> None:
    """Compile one rule term; a term that no longer parses is logged and skipped."""
    try:
        pattern = parse_term(term, gazetteer.lists.keys())
    except UsageError as error:
        # A stored rule can outlive a renamed list; one bad term must not stop ingestion.
        logger.warning("Skipping term %r of topic %s: %s", term, slug, error)
        return
    _compile(index, pattern, slot, gazetteer, morphology, prefix)


def _add_frames(
    index: _Index, number: int, topic: Topic, gazetteer: Gazetteer, morphology: Morphology
) -> None:
    """Compile a topic's frames: their cues as CUE refs labelled "frame/group/term", and the
    include labels each out frame takes out."""
    index.frames[number] = topic.rule.frames
    cue = slot_of(number, CUE)
    framed: dict[str, tuple[int, ...]] = {}
    for frame_number, frame in enumerate(topic.rule.frames):
        for group, terms in enumerate(frame.cues):
            for term in terms:
                _add_term(
                    index, term, cue, topic.slug, gazetteer, morphology, f"{frame_number}/{group}/"
                )
        for term in frame.unless:
            _add_term(index, term, cue, topic.slug, gazetteer, morphology, f"{frame_number}/u/")
        if frame.effect == FrameEffect.OUT:
            for term in frame.terms:
                label = display_form(term)
                framed[label] = (*framed.get(label, ()), frame_number)
    if framed:
        index.framed_terms[number] = framed


# The compiled index of the last few rule sets: taggers of the same topics share one (the
# `first` memo included, which means the same for both). Compiling the default topics takes
# ~35 ms and ~3 MB; a worker asked again for the topics it had, or the bot's /testtopic,
# /retag and evaluation on the live rules, then compile nothing. A few, not all: each rule
# preview of an admin's edit is a set of its own. (So a stored term that no longer parses is
# logged once per process and rule set, not at every compile.) lru_cache is safe to call
# from threads (taggers are built in threads too: /retag, rule previews).
COMPILED_KEPT = 4
_shared_rules = functools.lru_cache(maxsize=COMPILED_KEPT)(_compile_rules)


class _Texts(list):
    """The folded words of a text's sentences, by number; the first `titles` are the
    headline's."""

    titles = 0


@dataclass
class _Reading:
    """What tagging one text gathers besides the occurrences: the venues and home places (by
    position in `found`), the lists the story names, what anchors it at home, and
    where the out frames' cues were (topic, frame) -> sentence numbers (EVERYWHERE for the
    headline); with `texts`, each sentence's folded words (for explain)."""

    found: list[Occurrence] = field(default_factory=list)
    venues: set[int] = field(default_factory=set)
    homes: set[int] = field(default_factory=set)
    named: set[str] = field(default_factory=set)
    anchors: set[str] = field(default_factory=set)  # "place", "venue"
    outs: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    texts: _Texts | None = None
    foreign: bool = False  # a foreign party is among the required terms found


class Tagger:
    """Tags texts with the topics whose rules they satisfy; see bot.tagging for the rules."""

    def __init__(
        self,
        topics: Sequence[Topic],
        *,
        gazetteer: Gazetteer | None = None,
        morphology: Morphology | None = None,
        max_chars: int | None = MAX_CHARS,
        shared: bool = True,
    ) -> None:
        """shared: take the compiled index of the same rules from the last few compiled
        (_shared_rules); False compiles afresh and keeps nothing (the watch-word matcher,
        rebuilt at every /pantau change, would push the live topics out)."""
        self.topics = tuple(topics)
        self._gazetteer = gazetteer or load_gazetteer()
        self._morphology = morphology or load_morphology()
        self._structure = self._gazetteer.structure
        self._title_copulas = self._structure.copulas | self._structure.title_copulas
        self._foreign_label = f"(@{self._structure.foreign})"  # how its entries end
        # The words a street address or a facility's name starts with (see _address).
        self._addressing = self._gazetteer.street_words | self._structure.venue_words
        self._max_chars = max_chars
        compile_rules = _shared_rules if shared else _compile_rules
        self._index = compile_rules(self.topics, self._gazetteer, self._morphology)

    def tag(self, title: str, text: str) -> tuple[str, ...]:
        """The slugs of the topics the title and text match, in the order of the topics.

        The same decision as explain(), without building the evidence of topics that have
        none: ingestion tags every item with every topic.
        """
        texts = _Texts()
        weighed = self._weighed(title, text, texts)
        passing, near = self._decide(weighed)
        if near:
            # Only a topic short of its threshold can change when a body term echoes the
            # headline: the echo is looked for there alone (it only ever adds weight).
            passing, _ = self._decide(self._echo(weighed, texts, near))
        return tuple(self.topics[number].slug for number in passing)

    def _decide(self, weighed: list[Weighed]) -> tuple[list[int], set[int]]:
        """The numbers of the topics the weighed evidence passes, and of those only short of
        their threshold that have a body term (which a headline's echo could raise)."""
        best: dict[tuple[int, str], tuple[float, Span]] = {}
        for slot, label, _, weight, span, _ in weighed:
            key = (slot, label)
            old = best.get(key)
            if old is None or weight > old[0]:
                best[key] = (weight, span)
        scores: dict[int, float] = {}
        counted: dict[int, list[Span]] = {}
        required: dict[int, float] = {}
        excluded: set[int] = set()
        # Heaviest first (ties in any order: they weigh the same whichever counts).
        for (slot, _), (weight, span) in sorted(best.items(), key=_SECOND, reverse=True):
            if weight <= 0:
                break  # sorted: the rest weigh nothing too
            number, role = divmod(slot, ROLES)
            if role == Role.INCLUDE:
                spans = counted.get(number)
                if spans is None:
                    counted[number], scores[number] = [span], weight
                elif not _overlaps(span, spans):
                    spans.append(span)
                    scores[number] += weight
            elif role == Role.REQUIRE:
                required[number] = max(required.get(number, 0.0), weight)
            elif role == Role.EXCLUDE:
                excluded.add(number)
        passing, short = [], set()
        for number in sorted(scores):
            rule = self.topics[number].rule
            if number in excluded or (rule.require and number not in required):
                continue
            if scores[number] + required.get(number, 0.0) >= rule.threshold:
                passing.append(number)
            else:
                short.add(number)
        if short:  # only then: most items have no topic short of its threshold
            short &= {
                slot // ROLES
                for slot, _, where, _, _, _ in weighed
                if where == "body" and slot % ROLES == Role.INCLUDE
            }
        return passing, short

    def _echo(
        self, weighed: list[Weighed], texts: _Texts, numbers: set[int] | None
    ) -> list[Weighed]:
        """The evidence with every body term of these topics (all when None) that echoes the
        headline raised to "echo": a word of the headline has its stem ("Warung Ludes
        Terbakar" … "kebakaran diduga dipicu elpiji"). Such a term names what the story is
        about though the headline says it another way; the term itself still matched only
        its own word."""
        stem = self._morphology.stem
        titled = {word for sentence in texts[: texts.titles] for word in sentence}
        heads = {stem(word) for word in titled if len(word) >= MIN_ECHO}
        # The headline's own term again is no echo: it counted there already.
        said = {(slot, label) for slot, label, _, _, span, _ in weighed if span[0] < texts.titles}
        body = [
            position
            for position, (slot, _, where, _, _, _) in enumerate(weighed)
            if where == "body"
            and slot % ROLES == Role.INCLUDE
            and (numbers is None or slot // ROLES in numbers)
        ]
        # The sentences each body term is in: one the story keeps coming back to is its
        # subject ("pelaku" in two sentences of a theft story).
        sentences_of: dict[tuple[int, str], set[int]] = {}
        for position in body:
            slot, label, _, _, span, _ = weighed[position]
            sentences_of.setdefault((slot, label), set()).add(span[0])
        out = list(weighed)
        for position in body:
            slot, label, _, _, span, frame = weighed[position]
            words = texts[span[0]][span[1] : span[2]]
            root = stem(words[0])
            # The headline's own word is no echo: where it did not count there ("di Jalan
            # Sudirman"), that was decided.
            echoes = (
                len(root) >= MIN_ECHO
                and root in heads
                and (slot, label) not in said
                and "".join(words) not in titled
            )
            if echoes or len(sentences_of[(slot, label)]) > 1:
                out[position] = (slot, label, "echo", WEIGHTS["echo"], span, frame)
        return out

    def matched_words(self, title: str, text: str) -> list[tuple[int, str]]:
        """(topic number, the words matched) for every occurrence of an include term, its
        own words only (not a frame's): what the rule preview counts."""
        texts = _Texts()
        spans = {
            (slot // ROLES, span)
            for slot, _, _, _, span, frame in self._weighed(title, text, texts)
            if slot % ROLES == Role.INCLUDE and not frame.startswith("+")
        }
        # Once per stretch of text: a word found both whole and by its stem is one match.
        return [(number, " ".join(texts[span[0]][span[1] : span[2]])) for number, span in spans]

    def included(self, title: str, text: str) -> set[int]:
        """The numbers of the topics with an include term in the title or text (their require
        and exclude terms not considered): what the watch-word matcher needs."""
        return {
            slot // ROLES
            for slot, *_ in self._weighed(title, text)
            if slot % ROLES == Role.INCLUDE
        }

    def explain(self, title: str, text: str) -> list[TopicMatch]:
        """One TopicMatch per topic: the terms that count, their evidence and the score.

        The score adds up the include terms, each at the place where it weighs most, and a
        stretch of text matched by two terms ("pendidikan" for both `pendidik*` and
        `mendidik`) once; a rule with require terms adds its best require term. Each piece of
        evidence carries the words it matched, and the frame that took it in or out.
        """
        texts = _Texts()
        weighed = self._echo(self._weighed(title, text, texts), texts, None)
        best: dict[tuple[int, str], tuple[Evidence, Span]] = {}
        for slot, label, where, weight, span, frame in weighed:
            old = best.get((slot, label))
            if old is None or weight > old[0].weight:
                words = texts[span[0]][span[1] : span[2]]
                word = " ".join(words if len(words) <= 8 else [*words[:3], "…", *words[-3:]])
                best[(slot, label)] = (
                    Evidence(label, KINDS[slot % ROLES], where, weight, word, frame),
                    span,
                )
        by_topic: dict[int, list[tuple[Evidence, Span]]] = {}
        for (slot, _), pair in best.items():
            by_topic.setdefault(slot, []).append(pair)
        out = []
        for number, topic in enumerate(self.topics):
            found: list[list[Evidence]] = [[], [], []]
            counted: list[Span] = []
            score = 0.0
            for role in (Role.INCLUDE, Role.REQUIRE, Role.EXCLUDE):
                pairs = sorted(by_topic.get(slot_of(number, role), ()), key=lambda p: -p[0].weight)
                for evidence, span in pairs:
                    found[role].append(evidence)
                    if (
                        role == Role.INCLUDE
                        and evidence.weight > 0
                        and not _overlaps(span, counted)
                    ):
                        counted.append(span)
                        score += evidence.weight
            if topic.rule.require:
                score += max((e.weight for e in found[Role.REQUIRE]), default=0.0)
            out.append(
                TopicMatch(
                    topic.slug,
                    *(tuple(e.term for e in found[k] if e.weight > 0) for k in range(3)),
                    has_require=bool(topic.rule.require),
                    score=score,
                    threshold=topic.rule.threshold,
                    evidence=tuple(e for k in range(3) for e in found[k]),
                )
            )
        return out

    def _weighed(self, title: str, text: str, texts: _Texts | None = None) -> list[Weighed]:
        """Every (slot, label, where, weight, span, frame) of the topic terms found; a span is
        (sentence number, first word, end word). With `texts`, each sentence's folded words
        are added to it, by sentence number, and its `titles` says how many are the
        headline's."""
        if self._max_chars is not None:
            title, text = title[: self._max_chars], text[: self._max_chars]
        dateline, body = split_dateline(text or "")
        pieces = [("title", s) for s in sentences(title)] if title else []
        if texts is not None:
            texts.titles = len(pieces)
        if dateline:
            pieces.append(("dateline", dateline))
        lead = True
        for sentence in sentences(body) if body else ():
            pieces.append(("lead" if lead else "body", sentence))
            lead = lead and not split_words(sentence)
        reading = _Reading(texts=texts)
        for number, (where, sentence) in enumerate(pieces):
            self._sentence(sentence, where, number, reading)
        structure = self._structure
        named = reading.named
        other = not named.isdisjoint(structure.other_regions)
        ours = not named.isdisjoint(structure.indonesian)
        foreign = self._foreign_label
        venues, homes = reading.venues, reading.homes
        anchored = "place" in reading.anchors or ("venue" in reading.anchors and not other)
        if (ours or not reading.foreign) and not (other and venues) and (anchored or not homes):
            # No venue, no home place in passing, no foreign party alone: every occurrence
            # weighs what its place says, as it was found (the common case).
            out = reading.found
            if other:
                out = [
                    (slot, label, where, 0.0 if where == "dateline" else weight, span, frame)
                    for slot, label, where, weight, span, frame in out
                ]
            if reading.outs:
                self._frame_out(out, reading.outs)
            return out
        out = []
        for position, (slot, label, where, _, span, frame) in enumerate(reading.found):
            if other and position in venues:
                where = "venue"
            elif position in homes and not anchored and where in ("body", "figure"):
                where = "elsewhere"  # a home place in passing, in a story set elsewhere
            weight = 0.0 if where == "dateline" and other else WEIGHTS[where]
            if slot % ROLES == Role.REQUIRE and not ours and label.endswith(foreign):
                weight = 0.0  # two foreign parties among themselves
            out.append((slot, label, where, weight, span, frame))
        if reading.outs:
            self._frame_out(out, reading.outs)
        return out

    def _frame_out(self, weighed: list[Weighed], outs: dict[tuple[int, int], set[int]]) -> None:
        """Take out the terms of the out frames whose cues were seen: in the cue's sentence,
        or everywhere for a cue in the headline (weight 0, frame "-name")."""
        framed, frames = self._index.framed_terms, self._index.frames
        for position, (slot, label, where, _, span, _) in enumerate(weighed):
            number, role = divmod(slot, ROLES)
            if role != Role.INCLUDE or number not in framed:
                continue
            for frame_number in framed[number].get(label, ()):
                seen = outs.get((number, frame_number))
                if seen and (EVERYWHERE in seen or span[0] in seen):
                    name = frames[number][frame_number].name
                    weighed[position] = (slot, label, where, 0.0, span, f"-{name}")
                    break

    def _sentence(self, sentence: str, where: str, number: int, reading: _Reading) -> None:
        """Add the occurrences of one sentence to reading.found, with what the structure rules
        need: the home region's places named as a venue, or at all, by position; the lists of
        the places it names (outside enumerations); the frames its cues make."""
        low = sentence.casefold()
        folded = split_words(low)
        if reading.texts is not None:
            reading.texts.append(folded)
        hits = self._scan(folded) if folded else []
        if not hits:
            return
        split, plain = self._index.split, True
        for _, _, refs in hits:
            part = split.get(refs)
            if part is None:
                part = self._index.split_refs(refs)
            if not part[3]:
                plain = False
                break
        if plain and self._addressing.isdisjoint(folded):
            # Topic terms only, no place, cue or street: nothing for the structure rules.
            # With many topics most sentences are such, and this keeps their cost flat.
            if where == "body" and _has_amount(low, folded):
                where = "figure"
            aside = (
                None
                if self._structure.copulas.isdisjoint(folded) and where != "title"
                else self._generic(folded, where, {})
            )
            weight = WEIGHTS[where]
            if aside is None:
                reading.found += [
                    (slot, label, where, weight, (number, start, end), "")
                    for start, end, refs in hits
                    for slot, label in refs
                ]
            else:
                reading.found += [
                    (slot, label, "aside", WEIGHTS["aside"], (number, start, end), "")
                    if start > aside
                    else (slot, label, where, weight, (number, start, end), "")
                    for start, end, refs in hits
                    for slot, label in refs
                ]
            return
        hits = self._kept(sentence, folded, hits, where)
        if not hits:
            return
        structure = self._structure
        home = structure.home
        places: dict[tuple[int, int], str] = {}
        cues: list[tuple[int, str, int, int]] = []
        split = self._index.split
        parts = []
        for start, end, refs in hits:
            part = split.get(refs)
            if part is None:
                part = self._index.split_refs(refs)
            parts.append(part)
            if part[0]:
                places[(start, end)] = part[0]
            if part[2]:
                cues += [(slot // ROLES, label, start, end) for slot, label in part[2]]
        spots = [span for span, name in places.items() if name not in structure.own_parties]
        listed = enumerated(spots, folded) if len(spots) >= 3 else set()
        if where == "body" and _has_amount(low, folded):
            where = "figure"
        aside = self._generic(folded, where, places)
        found = reading.found
        for (start, end, _), (part_place, refs, _, _) in zip(hits, parts, strict=True):
            if not refs:
                continue
            span = (start, end)
            at = "list" if span in listed else where
            if aside is not None and start > aside and at != "list" and span not in places:
                at = "aside"
            is_home = bool(home) and places.get(span) == home
            if is_home:
                venue = at in ("title", "lead") and start > 0 and folded[start - 1] == "di"
                if venue:
                    reading.venues.update(range(len(found), len(found) + len(refs)))
                reading.homes.update(range(len(found), len(found) + len(refs)))
                if at in ANCHORS:
                    # A venue anchors the story only when it is set nowhere else (_weighed).
                    reading.anchors.add("venue" if venue else "place")
            where_span, weight = (number, start, end), WEIGHTS[at]
            found += [(slot, label, at, weight, where_span, "") for slot, label in refs]
            if part_place == structure.foreign and structure.foreign:
                reading.foreign = True
        reading.named.update(name for span, name in places.items() if span not in listed)
        if cues:
            self._frames(cues, where, number, reading)

    def _frames(
        self, cues: list[tuple[int, str, int, int]], where: str, number: int, reading: _Reading
    ) -> None:
        """The frames a sentence's cues make, where a cue of each of a frame's groups is
        there: an in frame counts as an include term; an out frame (with none of its
        `unless` words) is noted for _frame_out, for the whole story when the sentence is a
        headline's."""
        seen: dict[tuple[int, str, str], list[tuple[int, int]]] = {}
        for topic, label, start, end in cues:
            frame, group, _ = label.split("/", 2)
            seen.setdefault((topic, frame, group), []).append((start, end))
        for topic in sorted({topic for topic, _, _ in seen}):
            for frame_number, frame in enumerate(self._index.frames[topic]):
                key = str(frame_number)
                groups = [seen.get((topic, key, str(g))) for g in range(len(frame.cues))]
                if not all(groups):
                    continue
                if frame.effect == FrameEffect.IN:
                    # Its span is its first cue's (the visitor): the other cues may be terms
                    # of the topic too, and must still count on their own.
                    start, end = min(groups[0])
                    reading.found.append(
                        (
                            slot_of(topic, INCLUDE),
                            frame.name,
                            where,
                            WEIGHTS[where],
                            (number, start, end),
                            f"+{frame.name}",
                        )
                    )
                elif (topic, key, "u") not in seen:
                    reading.outs.setdefault((topic, frame_number), set()).add(
                        EVERYWHERE if where == "title" else number
                    )

    def _generic(self, folded: list[str], where: str, places: dict) -> int | None:
        """Where the copula of a generic sentence is ("pendidikan adalah investasi"), or None:
        a sentence with a copula, no place or party before it, and no figure. What follows
        the copula describes the subject; a place after it is still a place ("… Itu
        Investasi, Kata Psikolog di Samarinda")."""
        copulas = self._title_copulas if where == "title" else self._structure.copulas
        if copulas.isdisjoint(folded):
            return None
        at = next(i for i, word in enumerate(folded) if word in copulas)
        if (
            at == 0
            or any(start < at for start, _ in places)
            or any(char.isdigit() for word in folded for char in word[:1])
        ):
            return None
        return at

    def _kept(self, sentence: str, folded: list[str], hits: list[Hit], where: str) -> list[Hit]:
        """The occurrences that count: street names, a street word in an address and ones
        inside ignored phrases dropped; the cues of phrases around a list added."""
        streets, venues = self._gazetteer.street_words, self._structure.venue_words
        ignoring = self._index.ignoring
        # Ignored spans by first word, with the longest end; spans are at most a few words, so
        # each hit looks back over a bounded window (linear in the sentence, whatever repeats).
        masks: dict[int, int] = {}
        for start, end, refs in hits:
            if refs in ignoring:
                masks[start] = max(end, masks.get(start, end))
        if self._index.list_phrases or self._index.leading_phrases:
            for start, end, refs in _framed(folded, hits, self._index):
                if refs[0][0] == IGNORED:
                    masks[start] = max(end, masks.get(start, end))
                else:
                    hits.append((start, end, refs))
        reach = max((end - start for start, end in masks.items()), default=0)
        kept = []
        original: list[str] | None = None
        for start, end, refs in hits:
            if start and folded[start - 1] in streets:
                continue  # "Jalan Balikpapan" in Jakarta is a street, not the city
            if end == start + 1 and (folded[start] in streets or folded[start] in venues):
                if original is None:
                    original = split_words(sentence)
                if self._address(original, folded, start, where):
                    continue  # "di Jalan Sudirman" is an address, not a road story
            if masks and any(
                masks.get(a, -1) >= end and masks[a] - a > end - start
                for a in range(max(0, start - reach), start + 1)
            ):
                continue  # "Bahasa Inggris" does not name England
            refs = ignoring.get(refs, refs)
            if refs:
                kept.append((start, end, refs))
        return kept

    def _address(self, original: list[str], folded: list[str], at: int, where: str) -> bool:
        """True when the street word at `at` is where something happened, not a road story:
        after a preposition ("di jalan poros Samarinda", "di Jalan Pahlawan"), or before a
        capitalised name ("Jalan Sudirman"), unless a kind of road follows ("di jalan tol",
        "Jalan Tol"). A facility word is where something happened after a preposition and
        before a name ("di Pelabuhan Semayang"); "Pelabuhan Kariangau diperluas" is the
        story. In a headline, where every word is capitalised, the next word names a
        street when it is a title ("Jalan Pangeran Antasari") or not an Indonesian word
        ("Jalan Ampera"); "Jalan Rusak" is a road."""
        structure = self._structure
        if at + 1 >= len(folded) or len(original) != len(folded):
            return False
        name, word = original[at + 1], folded[at + 1]
        if word in structure.road_kinds:
            return False
        after = at > 0 and folded[at - 1] in structure.street_prepositions
        if folded[at] in structure.venue_words:
            # "Arus mudik di Pelabuhan Semayang": a named facility where it happened.
            return after and name[:1].isupper()
        if after:
            return True  # "di jalan poros Samarinda", "di Jalan Pahlawan": where it happened
        if not (name[:1].isupper() or name[:1].isdigit()):
            return False
        capitals = sum(w[:1].isupper() for w in original)
        if where != "title" or capitals * 2 < len(original):
            return True  # a sentence in which capitals mark names
        return word in structure.street_titles or not self._morphology.known(word)

    def _scan(self, folded: list[str]) -> list[Hit]:
        """Find every key starting at every word: joined runs of words, stem prefixes, and
        joined runs of the words' Sastrawi stems."""
        index = self._index
        hits, found = _joined(folded, index, self._morphology)
        if index.inflected:
            hits += _joined_stems(found, index)
        return hits


def _framed(
    folded: list[str], hits: list[Hit], index: _Index
) -> list[tuple[int, int, tuple[Ref, ...]]]:
    """The spans of the phrases around a place list (see LIST_PHRASE) in a sentence, with the
    refs each stands for: the phrase's words before the list end where a place of the list
    begins, and the words after it follow the place. Linear: a word starts a bounded number of
    hits and phrases."""
    places: dict[int, list[tuple[int, str]]] = {}  # first word -> (end, list) of each place
    for start, end, refs in hits:
        for slot, label in refs:
            if slot == PLACE:
                places.setdefault(start, []).append((end, label))
    if not places:
        return []
    spans = []
    for start, end, refs in hits:
        for slot, label in refs:
            if slot == LIST_PHRASE:
                name, after, targets = index.list_phrases[label]
                spans += [
                    (start, stop, targets)
                    for place_end, place in places.get(end, ())
                    if place == name and (stop := _followed(folded, place_end, after)) is not None
                ]
    for start, found in places.items():
        for place_end, place in found:
            for after in index.leading_phrases.get(place, ()):
                if after and (stop := _followed(folded, place_end, after)) is not None:
                    spans.append((start, stop, ((IGNORED, after),)))
    return spans


def _followed(folded: list[str], at: int, key: str) -> int | None:
    """Where the words from `at` on spell `key` when joined (at itself for an empty key), or
    None when they do not."""
    spelled, end = "", at
    while len(spelled) < len(key) and end < len(folded):
        spelled += folded[end]
        end += 1
    return end if spelled == key else None


def _has_amount(low: str, folded: list[str]) -> bool:
    """True when a sentence (`low`: case-folded) gives an amount of money: "Rp40 triliun",
    "Rp 500 juta"."""
    # Every test runs in C, the substring ones first: a sentence is not read word by word in
    # Python (a sentence with a term is tested, and with many topics nearly every one has).
    if "rp" not in low and "triliun" not in low and "miliar" not in low:
        return False
    return not AMOUNT_WORDS.isdisjoint(folded) or _RUPIAH.search(low) is not None


def _overlaps(span: tuple[int, int, int], others: list[tuple[int, int, int]]) -> bool:
    """True when a (sentence, first word, end word) span shares a word with one of others."""
    return any(span[0] == o[0] and span[1] < o[2] and o[1] < span[2] for o in others)


def _joined_stems(found: list[_First], index: _Index) -> list[Hit]:
    """_joined for the stems of the words (`found`: what each word finds alone, its stem
    among it): whole keys only (stem terms have no `*` here)."""
    hits: list[Hit] = []
    keys, prefixes, count = index.inflected, index.inflected_prefixes, len(found)
    for start in range(count):
        _, _, key, refs, grows = found[start]
        if refs is not None:
            hits.append((start, start + 1, refs))
        if not grows:
            continue
        for end in range(start + 1, count):
            key += found[end][2]
            refs = keys.get(key)
            if refs is not None:
                hits.append((start, end + 1, refs))
            if key not in prefixes:
                break
    return hits


def _joined(
    words: list[str], index: _Index, morphology: Morphology
) -> tuple[list[Hit], list[_First]]:
    """Every key of `exact` (and prefix key of `stems`) that a run of joined words spells.

    A run grows only while it is a prefix of some key, and keys are at most a few dozen
    letters, so the cost is linear in the number of words. What a run of one word finds
    depends on that word alone, and news repeats its words: it is looked up once per word
    (index.first) and only runs that grow are spelled out. Also returns what each word found
    alone, for _joined_stems.
    """
    hits: list[Hit] = []
    found_all: list[_First] = []
    count, first, exact = len(words), index.first, index.exact
    stems, stem_prefixes, shortest = index.stems, index.stem_prefixes, index.shortest_stem
    for start in range(count):
        word = words[start]
        found = first.get(word)
        if found is None:
            found = index.first_word(word, morphology)
        found_all.append(found)
        refs_found, grows = found[0], found[1]
        for refs in refs_found:
            hits.append((start, start + 1, refs))
        if not grows:
            continue
        key = word
        for end in range(start + 1, count):
            before = len(key)
            key += words[end]
            refs = exact.get(key)
            if refs is not None:
                hits.append((start, end + 1, refs))
            # A stem ending in this word starts with its first letter added: most runs have
            # none, and the call is skipped.
            head = key[: before + 1]
            if before < shortest or head in stem_prefixes or head in stems:
                _stem_hits(key, before, start, end, index, hits)
            if hash(key) not in index.prefixes:
                break
    return hits, found_all


def _stem_hits(
    key: str, before: int, start: int, end: int, index: _Index, hits: list[Hit]
) -> None:
    """Add the stems that end inside the last word of `key` (its letters past `before`):
    shorter ones were tried a word earlier."""
    stems, stem_prefixes = index.stems, index.stem_prefixes
    size = before + 1 if before >= index.shortest_stem else index.shortest_stem
    while size <= len(key):
        head = key[:size]
        refs = stems.get(head)
        if refs is not None and end - start < index.stem_words[head]:
            hits.append((start, end + 1, refs))
        if head not in stem_prefixes:
            break
        size += 1
