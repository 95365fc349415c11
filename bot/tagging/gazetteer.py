"""The bundled word lists (`bot/data/gazetteer.toml`): named lists that rules reference as
`@name`, phrases that are never evidence, and the street words. Stdlib only.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "gazetteer.toml"


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Named term lists, ignored phrases and street words.

    Compared by identity on purpose: the tagger caches the compiled ignored phrases per
    gazetteer object, and the bundled one is loaded once.
    """

    lists: Mapping[str, tuple[str, ...]]
    ignored: tuple[str, ...] = ()
    street_words: frozenset[str] = frozenset()

    def names(self) -> list[str]:
        """The list names, as a rule writes them (with the @)."""
        return sorted(f"@{name}" for name in self.lists)


def parse_gazetteer(data: Mapping) -> Gazetteer:
    """Build a Gazetteer from the decoded TOML document."""
    lists = {
        name: tuple(str(term) for term in table.get("terms", ()))
        for name, table in data.get("lists", {}).items()
    }
    ignored = tuple(str(p) for p in data.get("ignored", {}).get("phrases", ()))
    streets = frozenset(str(w).casefold() for w in data.get("street_words", ()))
    return Gazetteer(lists=lists, ignored=ignored, street_words=streets)


def read_gazetteer(path: Path) -> Gazetteer:
    """Read a gazetteer TOML file."""
    with path.open("rb") as handle:
        return parse_gazetteer(tomllib.load(handle))


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer, read once per process."""
    return read_gazetteer(DEFAULT_PATH)
