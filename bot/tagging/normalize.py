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
# For an ASCII text, the same words: every ASCII character that is not a letter or a digit made
# a space, then str.split, about three times as fast as the pattern (issue 13). The table is
# for bytes: bytes.translate reads a 256-byte table, str.translate a dict per character.
_ASCII_SEPARATORS = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256))
# A sentence ends at . ! ? ; followed by white space. "Jl." and friends are abbreviations, not
# sentence ends, so "Jl. Samarinda" stays one sentence and the street rule can see it. The
# lookbehind (only the first mark of a run starts a match) and the possessive run make a long
# run of dots cost one pass, not one per dot. The pattern starts with the mark itself, not with
# the lookbehind: the regex engine then skips to the next mark instead of trying every
# character, five times faster (issue 13).
_SENTENCE_END = re.compile(r"([.!?;](?<![.!?;][.!?;])[.!?;]*+)\s+")
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
    """Split a text where a multi-word term must not continue: at the end of a sentence.

    Linear in the length of the text, however many abbreviations it holds ("jl. jl. jl. …"):
    each sentence is sliced from the text once.
    """
    text = fold_accents(text)
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[max(start, match.start() - 6) : match.start()]
        if match.group(1) == "." and _ABBREVIATION.search(before):
            continue  # "Jl. Samarinda": not the end of a sentence
        out.append(text[start : match.start()])
        start = match.end()
    out.append(text[start:])
    return out


def split_words(sentence: str) -> list[str]:
    """The words of one already accent-folded sentence, case kept (fast path for the tagger)."""
    if sentence.isascii():
        return sentence.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split()
    return _WORD.findall(sentence)


def join_key(folded: list[str] | tuple[str, ...]) -> str:
    """The key a sequence of folded words is looked up by: the words joined without spaces.

    Joining is what makes "kerja sama", "kerja-sama" and "kerjasama" the same term.
    """
    return "".join(folded)
