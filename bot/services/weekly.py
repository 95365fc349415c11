"""The weekly digest's content: per topic, the week's stories that the most outlets reported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.digest.cluster import cluster_items
from bot.digest.rank import most_reported
from bot.models import StoredItem, Topic
from storage import items as item_store

WEEK = timedelta(days=7)
PER_TOPIC = 5  # stories per topic
# A week of a busy topic is a few thousand items; clustering more would take seconds per chat.
MAX_ITEMS = 1500


def weekly_items(db: Database, topics: Sequence[Topic], now: datetime) -> list[StoredItem]:
    """The items of each topic's PER_TOPIC most reported stories of the last 7 days (sent
    before or not: a weekly digest looks back on the week)."""
    items = item_store.on_topics_since(db, [t.slug for t in topics], now - WEEK, MAX_ITEMS)
    stories = cluster_items(items)
    chosen: dict[int, StoredItem] = {}
    for topic in topics:
        mine = [s for s in stories if any(topic.slug in item.tags for item in s.items)]
        for story in most_reported(mine, PER_TOPIC):
            chosen.update((item.id, item) for item in story.items)
    return list(chosen.values())
