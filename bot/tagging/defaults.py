"""The default topics, read from `bot/data/default_topics.toml`. Stdlib and bot.models only."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from bot.models import Topic, TopicRule

DEFAULT_TOPICS_PATH = Path(__file__).resolve().parents[1] / "data" / "default_topics.toml"


def topics_from_toml(data: Mapping) -> list[Topic]:
    """Build topics from a decoded TOML document with a [[topic]] array."""
    return [
        Topic(
            slug=entry["slug"],
            name=entry["name"],
            rule=TopicRule(
                include=tuple(entry.get("include", ())),
                require=tuple(entry.get("require", ())),
                exclude=tuple(entry.get("exclude", ())),
            ),
        )
        for entry in data.get("topic", ())
    ]


def default_topics() -> list[Topic]:
    """The default topics: kaltim, foreign_cooperation, education, investment (in order)."""
    with DEFAULT_TOPICS_PATH.open("rb") as handle:
        return topics_from_toml(tomllib.load(handle))
