"""Which stories matter most: the ones the most outlets reported. Pure; /top, /stats and the
weekly digest rank by this one rule."""

from __future__ import annotations

from collections.abc import Iterable

from bot.digest.cluster import Story


def outlets_of(story: Story) -> int:
    """How many different outlets reported the story."""
    return len({item.feed_id for item in story.items})


def most_reported(stories: Iterable[Story], count: int, *, min_outlets: int = 1) -> list[Story]:
    """The `count` stories with the most outlets (at least `min_outlets`); ties go to the story
    with more reports, then to the newest."""
    ranked = [story for story in stories if outlets_of(story) >= min_outlets]
    ranked.sort(
        key=lambda s: (outlets_of(s), len(s.items), max(i.published_at for i in s.items)),
        reverse=True,
    )
    return ranked[:count]
