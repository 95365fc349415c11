"""Choosing what goes into a digest and in which order. Pure: plain values in and out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import StoredItem, Topic


@dataclass(frozen=True)
class Section:
    """One topic's heading and its items, newest first."""

    topic: Topic
    items: tuple[StoredItem, ...]


def compose_digest(items: Sequence[StoredItem], topics: Sequence[Topic]) -> list[Section]:
    """Group items under the subscriber's topics, in the order of `topics`.

    An item on two of the subscriber's topics appears once, under the first of them, so a
    reader never sees the same story twice in one digest.
    """
    placed: set[int] = set()
    sections = []
    ordered = sorted(items, key=lambda item: (item.published_at, item.id), reverse=True)
    for topic in topics:
        chosen = []
        for item in ordered:
            if item.id not in placed and topic.slug in item.tags:
                placed.add(item.id)
                chosen.append(item)
        if chosen:
            sections.append(Section(topic, tuple(chosen)))
    return sections
