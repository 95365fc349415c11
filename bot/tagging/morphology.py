"""Indonesian stems for the tagger: Sastrawi (PySastrawi), corrected by
`bot/data/morphology.toml`, cached per word. Imports only stdlib and Sastrawi.

Sastrawi removes the confixes of Indonesian (di-…-kan, ber-, me-/mem-/men-/meng-/meny- with
nasal assimilation, pe-/per-, ke-…-an, -nya, …) by checking each step against its dictionary of
root words, so "menginvestasikan", "berinvestasi" and "investasinya" all become "investasi".
It costs about 0.3 ms a word, so every word is stemmed once per process and remembered.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "morphology.toml"
# Longer "words" are not Indonesian words (URLs, hashes, adversarial runs of letters), and
# Sastrawi's regexes cost more the longer the word: they are kept as they are.
MAX_STEM_WORD = 30
# Words shorter than this have no affix to remove ("ber" + "as" is "beras", rice).
MIN_STEM_WORD = 4
# The cache holds at most this many words (a few MB), then starts afresh, so a stream of
# made-up words cannot grow a worker process without end.
CACHE_SIZE = 200_000


class Morphology:
    """Stems of folded words: Sastrawi with our extra roots, kept words and fixes."""

    def __init__(
        self,
        roots: tuple[str, ...] = (),
        keep: frozenset[str] = frozenset(),
        fixes: Mapping[str, str] | None = None,
    ) -> None:
        words = StemmerFactory().get_words_from_file()
        self._stemmer = Stemmer(ArrayDictionary([*words, *roots]))
        self._cache: dict[str, str] = {word: word for word in keep}
        self._fixed = dict(self._cache) | dict(fixes or {})
        self._cache |= self._fixed

    def stem(self, word: str) -> str:
        """The stem of one folded word (the word itself when it has none)."""
        stem = self._cache.get(word)
        if stem is not None:
            return stem
        if not MIN_STEM_WORD <= len(word) <= MAX_STEM_WORD or not word.isalpha():
            stem = word
        else:
            # Our kept words stay kept with an enclitic: "pelajarnya" is "pelajar".
            bare = word[:-3] if word.endswith(("nya", "lah", "pun", "kah")) else word
            stem = self._fixed.get(bare) or self._stemmer.stem_word(word)
        if len(self._cache) >= CACHE_SIZE:
            self._cache = dict(self._fixed)
        self._cache[word] = stem
        return stem

    def known(self, word: str) -> bool:
        """True when a folded word, or its stem, is in Sastrawi's dictionary of Indonesian
        root words: "rusak", "dirusak"; not the name "Sudirman"."""
        dictionary = self._stemmer.get_dictionary()
        return dictionary.contains(word) or dictionary.contains(self.stem(word))

    def stems(self, folded: list[str]) -> list[str]:
        """The stem of every word, in order."""
        cache, stem = self._cache, self.stem
        return [cache.get(word) or stem(word) for word in folded]


def read_morphology(path: Path) -> Morphology:
    """A Morphology with the roots, kept words and fixes of a TOML file."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return Morphology(
        roots=tuple(data.get("roots", ())),
        keep=frozenset(data.get("keep", ())),
        fixes={str(k): str(v) for k, v in data.get("fixes", {}).items()},
    )


@functools.cache
def load_morphology() -> Morphology:
    """The bundled morphology, built once per process."""
    return read_morphology(DEFAULT_PATH)
