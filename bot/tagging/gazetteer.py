"""The bundled word lists (`bot/data/gazetteer.toml`): named lists that rules reference as
`@name`, phrases that are never evidence, and the street words. Stdlib only.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "gazetteer.toml"


@dataclass(frozen=True)
class Structure:
    """What the lists are to the structure rules of the tagger (gazetteer.toml [structure]):
    which list is the home region, which hold the other regions and the country's own parties,
    which the foreign parties; and the words that tell a street address or a generic sentence.
    The tagger names none of them: a gazetteer without a [structure] has none of these rules."""

    home: str = ""
    other_regions: frozenset[str] = frozenset()
    own_parties: frozenset[str] = frozenset()
    foreign: str = ""
    # "Jalan Tol", "jalan nasional": a kind of road, not a street's name.
    road_kinds: frozenset[str] = frozenset()
    # "Jalan Pangeran Antasari", "Jalan Jenderal Sudirman": a street's name, though a word.
    street_titles: frozenset[str] = frozenset()
    # "Kebakaran di Jalan Pahlawan": after these a street is where something happened.
    street_prepositions: frozenset[str] = frozenset()
    # Facilities that are where something happened when named after a preposition: "arus
    # mudik di Pelabuhan Semayang".
    venue_words: frozenset[str] = frozenset()
    # "A adalah B": what follows the copula describes, it is not the story's subject.
    copulas: frozenset[str] = frozenset()
    # The same in a headline, where "Itu" joins the two: "Menanam Pohon Itu Investasi".
    title_copulas: frozenset[str] = frozenset()

    @property
    def indonesian(self) -> frozenset[str]:
        """The lists of the country's own places and parties: the home region's, the other
        regions', and the parties named without a place."""
        return frozenset({self.home, *self.other_regions, *self.own_parties} - {""})


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Named term lists, ignored phrases and street words.

    Compared by identity on purpose: the tagger caches the compiled ignored phrases per
    gazetteer object, and the bundled one is loaded once.
    """

    lists: Mapping[str, tuple[str, ...]]
    ignored: tuple[str, ...] = ()
    street_words: frozenset[str] = frozenset()
    structure: Structure = field(default_factory=lambda: Structure())

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
    return Gazetteer(
        lists=lists,
        ignored=ignored,
        street_words=streets,
        structure=_structure(data.get("structure", {})),
    )


def _structure(table: Mapping) -> Structure:
    """The [structure] table of a gazetteer."""

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in table.get(key, ()))

    return Structure(
        home=str(table.get("home", "")),
        other_regions=words("other_regions"),
        own_parties=words("own_parties"),
        foreign=str(table.get("foreign", "")),
        road_kinds=words("road_kinds"),
        street_titles=words("street_titles"),
        street_prepositions=words("street_prepositions"),
        venue_words=words("venue_words"),
        copulas=words("copulas"),
        title_copulas=words("title_copulas"),
    )


def read_gazetteer(path: Path) -> Gazetteer:
    """Read a gazetteer TOML file."""
    with path.open("rb") as handle:
        return parse_gazetteer(tomllib.load(handle))


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer, read once per process."""
    return read_gazetteer(DEFAULT_PATH)
