"""Rule terms: parsing admin input, validating slugs, and expanding one term into the keys the
tagger looks up (spelling variants, Indonesian affixes, list references). Stdlib only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.errors import RuleError
from bot.tagging.gazetteer import load_gazetteer
from bot.tagging.normalize import fold, folded_words, join_key, words

MAX_TERM_LENGTH = 80
# A threshold below one weak word would give a topic on any mention; above 20 nothing reaches it.
MIN_THRESHOLD, MAX_THRESHOLD = 0.5, 20.0
MIN_STEM_LENGTH = 3
# Shorter words get no affix variants: "ber" + "as" would be "beras" (rice).
MIN_AFFIX_WORD = 4
# Enclitics attach to any word without changing it: "investasinya", "kerja samanya",
# "pelakunya"; -ku and -mu are the possessive ones ("sekolahku").
CLITICS = ("nya", "lah", "pun", "kah", "ku", "mu")
# A term written with this mark in front ("~sepakat", "~kerja sama") asks for its whole family
# of derivations, through the stems: "kesepakatan", "menyepakati", "bekerjasama". Without it a
# term matches itself and its inflections only: "pelaku" finds "pelakunya", never "dilakukan".
ROOT_MARK = "~"
_SLUG = re.compile(r"[a-z0-9_]{2,32}")
_REF = re.compile(r"@[a-z0-9_]+")
_QUOTES = "\"'“”‘’«»"
# ber- becomes be- before r and before a first syllable ending in -er: bekerja, beternak.
_ER_SYLLABLE = re.compile(r"[^aeiou]er")


@dataclass(frozen=True)
class TermPattern:
    """One parsed term: its folded words (a list reference stays as "@name"), and its kind."""

    text: str
    words: tuple[str, ...]
    stem: bool = False
    abbreviation: bool = False
    # A root form ("~sepakat") or a stem ("investasi*"), in lower case and without a list: it
    # also matches its Indonesian derivations (prefixes, suffixes, confixes) through the
    # stemmer. A plain word matches itself and its inflections only.
    inflects: bool = False
    # Marked as a root form: ber-/be- forms besides the stems.
    family: bool = False

    @property
    def ref(self) -> str | None:
        """The list this term references, without the @, if any."""
        return next((w[1:] for w in self.words if w.startswith("@")), None)


def validate_slug(slug: str) -> str:
    """Return the slug lower-cased if it is 2-32 letters, digits or underscores."""
    value = slug.strip().lower()
    if not _SLUG.fullmatch(value):
        raise RuleError(
            "slug",
            f"invalid topic slug {slug.strip()!r}: use 2 to 32 lower-case letters, "
            "digits or underscores, e.g. education or kerja_sama",
            slug=slug.strip(),
        )
    return value


def parse_threshold(text: str) -> float:
    """A topic threshold from admin input: a number from 0.5 to 20, "2,5" or "2.5"."""
    value = text.strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not MIN_THRESHOLD <= number <= MAX_THRESHOLD:  # also false for nan
        raise RuleError(
            "bad_threshold",
            f"threshold {text.strip()!r} is not a number from "
            f"{MIN_THRESHOLD:g} to {MAX_THRESHOLD:g}",
            value=text.strip()[:20],
            low=f"{MIN_THRESHOLD:g}",
            high=f"{MAX_THRESHOLD:g}",
        )
    return number


def display_form(term: str) -> str:
    """A term as it is stored and shown: NFC, quotes stripped, single spaces, "x *" as "x*",
    "~ x" as "~x"."""
    text = " ".join(unicodedata.normalize("NFC", term).strip().strip(_QUOTES).split())
    if text.startswith(ROOT_MARK):
        text = ROOT_MARK + text[1:].lstrip()
    return text[:-1].rstrip() + "*" if text.endswith("*") else text


def parse_terms(text: str, known_lists: Collection[str] | None = None) -> tuple[str, ...]:
    """Split comma-separated admin input into display-normalised terms, each one validated."""
    lists = load_gazetteer().lists.keys() if known_lists is None else known_lists
    raw = text.replace("\n", ",").split(",")
    if not text.strip(" ,\n"):
        raise RuleError(
            "no_terms", "no terms given; separate terms with commas, e.g. beasiswa, guru"
        )
    terms: list[str] = []
    seen: set[str] = set()
    for position, piece in enumerate(raw, start=1):
        term = display_form(piece)
        if not term:
            raise RuleError(
                "empty_term", f"term {position} is empty (two commas in a row?)", position=position
            )
        parse_term(term, lists)
        key = _comparison_form(term)
        if key not in seen:
            seen.add(key)
            terms.append(term)
    return tuple(terms)


def _comparison_form(term: str) -> str:
    """The form two displayed terms are compared on when de-duplicating."""
    return " ".join(fold(term).split())


def parse_term(term: str, known_lists: Collection[str]) -> TermPattern:
    """Parse one term; raise RuleError saying what is wrong with it."""
    text = display_form(term)
    if len(text) > MAX_TERM_LENGTH:
        raise RuleError(
            "too_long",
            f"term {text[:30]!r}… is longer than {MAX_TERM_LENGTH} characters",
            term=text[:30],
            limit=MAX_TERM_LENGTH,
        )
    stem = text.endswith("*")
    body = text[:-1].rstrip() if stem else text
    family = body.startswith(ROOT_MARK)
    body = body[1:] if family else body
    if family and (stem or "@" in body):
        raise RuleError(
            "root_mark",
            f"in {text!r}, '~' marks a plain word's family (~sepakat); "
            "it goes with neither '*' nor a list",
            term=text,
        )
    if "*" in body:
        raise RuleError(
            "star_inside", f"in {text!r}, '*' may only end a term (investasi*)", term=text
        )
    parts = _parts(text, body, known_lists)
    if stem and (not parts or parts[-1].startswith("@")):
        raise RuleError(
            "star_after_list", f"in {text!r}, '*' must follow a word, not a list", term=text
        )
    if stem and len(join_key(parts)) < MIN_STEM_LENGTH:
        raise RuleError(
            "short_stem",
            f"stem {text!r} needs at least {MIN_STEM_LENGTH} letters",
            term=text,
            limit=MIN_STEM_LENGTH,
        )
    original = words(body)
    abbreviation = (
        len(original) == 1 and len(original[0]) >= 2 and original[0].isupper() and not stem
    )
    # A root form or a stem asks for the word's family: its derivations through the stems.
    inflects = (family or stem) and not any(char.isupper() for char in body)
    return TermPattern(text, tuple(parts), stem, abbreviation and not family, inflects, family)


def _parts(text: str, body: str, known_lists: Collection[str]) -> list[str]:
    """Folded words of a term body, with at most one "@list" reference kept whole."""
    parts: list[str] = []
    for chunk in body.split():
        if chunk.startswith("@"):
            ref = chunk.lower()
            if not _REF.fullmatch(ref):
                raise RuleError(
                    "bad_list_name", f"in {text!r}, {chunk!r} is not a list name", term=chunk
                )
            if ref[1:] not in known_lists:
                names = ", ".join(sorted(f"@{n}" for n in known_lists)) or "none"
                raise RuleError(
                    "unknown_list",
                    f"unknown list {chunk!r}; known lists: {names}",
                    term=chunk,
                    lists=names,
                )
            parts.append(ref)
        else:
            parts.extend(folded_words(chunk))
    if sum(p.startswith("@") for p in parts) > 1:
        raise RuleError("two_lists", f"{text!r} references more than one list", term=text)
    if not parts:
        raise RuleError("no_letters", f"term {text!r} has no letters or digits", term=text)
    return parts


def expand(pattern: TermPattern, lists: Mapping[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """The lookup keys of a term with the label to report for each: [(key, label)].

    Stems keep their "*" semantics at the caller (the key is then a prefix); list references
    expand to one key per list entry; plain words get Indonesian affix variants.
    """
    ref = pattern.ref
    if ref is not None:
        out = []
        for entry in lists.get(ref, ()):
            entry_words = folded_words(entry)
            if not entry_words:
                continue
            at = pattern.words.index(f"@{ref}")
            key = join_key(pattern.words[:at] + tuple(entry_words) + pattern.words[at + 1 :])
            shown = entry if len(pattern.words) == 1 else pattern.text.replace(f"@{ref}", entry)
            out.append((key, f"{shown} (@{ref})"))
        return out
    return [(key, pattern.text) for key in sorted(variants(pattern))]


def variants(pattern: TermPattern) -> set[str]:
    """Keys of a plain term: joined words and enclitic forms for real words; a root form
    ("~kerja sama") or a stem ("investasi*") also gets its ber-/be- forms. (A doubled word,
    "jalan-jalan", is two words, each the term: no key of its own.)"""
    key = join_key(pattern.words)
    forms = {key}
    if pattern.abbreviation:
        return forms
    first, last = pattern.words[0], pattern.words[-1]
    if (pattern.family or pattern.stem) and len(first) >= MIN_AFFIX_WORD and first.isalpha():
        forms.add(("be" if first.startswith("r") else "ber") + key)
        if _ER_SYLLABLE.match(first):
            forms.add("be" + key)
    if not pattern.stem and len(last) >= MIN_AFFIX_WORD and last.isalpha():
        forms |= {form + clitic for form in list(forms) for clitic in CLITICS}
    return forms
