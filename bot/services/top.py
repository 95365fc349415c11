"""/top and /stats' "Paling banyak diberitakan": the stories of the last 24 hours that the most
outlets reported, found by the digest's own story clustering."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.digest.cluster import Story, cluster_items
from bot.digest.render import render_story
from bot.services.core import Core
from bot.texts import t
from storage import items as item_store

TOP_WINDOW = timedelta(hours=24)
TOP_COUNT = 5
# Clustering is quadratic at worst: a day's news is a few hundred items; this caps a flood.
MAX_ITEMS = 800


def outlets_of(story: Story) -> int:
    """How many different outlets reported the story."""
    return len({item.feed_id for item in story.items})


class TopService:
    """The most reported stories."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def top_stories(self, count: int = TOP_COUNT) -> list[Story]:
        """The stories reported by two outlets or more in the last 24 hours, most outlets
        first (then most reports, then newest)."""
        now = self.core.now()
        items = item_store.published_since(self.core.db, now - TOP_WINDOW, MAX_ITEMS)
        stories = [s for s in cluster_items(items, window=TOP_WINDOW) if outlets_of(s) >= 2]
        stories.sort(key=lambda s: (outlets_of(s), len(s.items),
                                    max(i.published_at for i in s.items)), reverse=True)
        return stories[:count]

    def render_top(self, *, lang: str, tz: ZoneInfo) -> str:
        """The top stories as HTML under their header, or the text saying there are none."""
        stories = self.top_stories()
        if not stories:
            return t(lang, "top_none")
        now = self.core.now()
        parts = [t(lang, "top_header")]
        for story in stories:
            parts.append(t(lang, "top_outlets", count=outlets_of(story)) + "\n"
                         + render_story(story, lang=lang, tz=tz, now=now))
        return "\n\n".join(parts)
