"""Text normalisation shared by terms and texts: fold case and diacritics, split into sentences
and words. Stdlib only; imports nothing from the project.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks left behind by NFKD: "Türkiye" -> "Turkiye", "café" -> "cafe".
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# A word is a run of letters and digits; everything else (space, hyphen, apostrophe, slash,
# punctuation, line breaks) separates words.
_WORD = re.compile(r"[^\W_]+")
# A sentence ends at . ! ? ; followed by white space. "Jl." and friends are abbreviations, not
# sentence ends, so "Jl. Samarinda" stays one sentence and the street rule can see it.
_SENTENCE_END = re.compile(r"([.!?;]+)\s+")
_ABBREVIATION = re.compile(r"(?:^|[\W_])(?:jl|jln|gg|no|dr)$", re.IGNORECASE)


def fold_accents(text: str) -> str:
    """Decompose compatibility characters and drop diacritics, keeping the case."""
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Fold case and diacritics: what terms and texts are compared on."""
    return fold_accents(text).casefold()


def words(text: str) -> list[str]:
    """The words of a text as written (diacritics dropped, case kept)."""
    return _WORD.findall(fold_accents(text))


def folded_words(text: str) -> list[str]:
    """The words of a text, folded."""
    return _WORD.findall(fold(text))


def sentences(text: str) -> list[str]:
    """Split a text where a multi-word term must not continue: at the end of a sentence."""
    parts = _SENTENCE_END.split(fold_accents(text))  # [text, punctuation, text, ...]
    out = [parts[0]]
    for mark, piece in zip(parts[1::2], parts[2::2], strict=False):
        if mark == "." and _ABBREVIATION.search(out[-1][-6:]):
            out[-1] = f"{out[-1]}. {piece}"  # "Jl. Samarinda": not the end of a sentence
        else:
            out.append(piece)
    return out


def split_words(sentence: str) -> list[str]:
    """The words of one already accent-folded sentence, case kept (fast path for the tagger)."""
    return _WORD.findall(sentence)


def join_key(folded: list[str] | tuple[str, ...]) -> str:
    """The key a sequence of folded words is looked up by: the words joined without spaces.

    Joining is what makes "kerja sama", "kerja-sama" and "kerjasama" the same term.
    """
    return "".join(folded)
