"""Choosing what goes into a digest and in which order. Pure: plain values in and out.

Placement: reports of one event become one story (bot.digest.cluster); a story on several of
the reader's topics is filed once, under its most specific followed subject (the subject with
the fewest candidates), and under a region only when no followed subject took it.

Ranking within a topic: stories covered by more outlets first, then Kaltim-local (tagged with a
region topic) before national, then the newest. The reader's cap (default 5) keeps the top
stories; the rest are counted ("+12 berita lain") and left to /latest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.digest.cluster import Story, cluster_items
from bot.models import DEFAULT_CAP, StoredItem, Topic


@dataclass(frozen=True)
class Section:
    """One topic's heading, its stories in rank order, and how many of its items were left
    out (offered, reachable through /latest)."""

    topic: Topic
    stories: tuple[Story, ...]
    more: int = 0


@dataclass(frozen=True)
class Candidates:
    """A topic's newest unsent items (a bounded read) and how many it has in all."""

    items: Sequence[StoredItem]
    total: int


def outlet_count(story: Story) -> int:
    """How many outlets reported the story."""
    return len({item.source for item in story.items})


def rank_key(story: Story) -> tuple:
    """Sort key: more outlets, then local, then newest (ascending sort, so negated)."""
    newest = max(item.published_at for item in story.items)
    local = any(item.is_local for item in story.items)
    return (-outlet_count(story), not local, -newest.timestamp(), -story.primary.id)


def _home(
    story: Story,
    topics: Sequence[Topic],
    members: Mapping[str, set[int]],
    totals: Mapping[str, int],
) -> Topic | None:
    """The topic a story is filed under: its most specific followed subject, else a region."""
    ids = {item.id for item in story.items}
    on = [topic for topic in topics if members[topic.slug] & ids]
    subjects = [topic for topic in on if not topic.is_region]
    if subjects:
        # Fewer candidates means a narrower subject; ties keep the reader's topic order.
        return min(subjects, key=lambda topic: (totals[topic.slug], topics.index(topic)))
    return on[0] if on else None


def compose_digest(
    candidates: Mapping[str, Candidates], topics: Sequence[Topic], cap: int = DEFAULT_CAP
) -> list[Section]:
    """Sections for the reader's topics, in their order, each with at most `cap` stories
    (0: all), ranked; a story appears once in a digest, however many topics it is on."""
    by_id = {item.id: item for c in candidates.values() for item in c.items}
    members = {
        t.slug: {i.id for i in candidates[t.slug].items} if t.slug in candidates else set()
        for t in topics
    }
    totals = {t.slug: candidates[t.slug].total if t.slug in candidates else 0 for t in topics}
    placed: dict[str, list[Story]] = {topic.slug: [] for topic in topics}
    for story in cluster_items(list(by_id.values())):
        home = _home(story, topics, members, totals)
        if home is not None:
            placed[home.slug].append(story)
    shown_lists = {
        slug: sorted(stories, key=rank_key)[: cap or None] for slug, stories in placed.items()
    }
    shown_ids = {item.id for stories in shown_lists.values() for s in stories for item in s.items}
    sections = []
    for topic in topics:
        stories = shown_lists[topic.slug]
        more = totals[topic.slug] - len(members[topic.slug] & shown_ids)
        if stories:
            sections.append(Section(topic, tuple(stories), max(more, 0)))
    return sections
