"""Choosing what goes into a digest and in which order. Pure: plain values in and out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.digest.cluster import Story, cluster_items
from bot.models import StoredItem, Topic


@dataclass(frozen=True)
class Section:
    """One topic's heading and its stories, newest first."""

    topic: Topic
    stories: tuple[Story, ...]


def compose_digest(items: Sequence[StoredItem], topics: Sequence[Topic]) -> list[Section]:
    """Group items into stories, and stories under the subscriber's topics, in their order.

    Reports of one event from several outlets become one story; a story on two of the
    subscriber's topics appears once, under the first of them, so a reader never sees the
    same news twice in one digest.
    """
    placed: set[int] = set()
    sections = []
    stories = cluster_items(items)
    for topic in topics:
        chosen = []
        for index, story in enumerate(stories):
            if index not in placed and any(topic.slug in item.tags for item in story.items):
                placed.add(index)
                chosen.append(story)
        if chosen:
            sections.append(Section(topic, tuple(chosen)))
    return sections
