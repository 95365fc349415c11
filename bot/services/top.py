"""/top and /stats' "Paling banyak diberitakan": the stories of the last 24 hours that the most
outlets reported, found by the digest's own story clustering."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.digest.cluster import Story, cluster_items
from bot.digest.rank import most_reported, outlets_of
from bot.digest.render import render_story
from bot.models import StoredItem
from bot.runtime.core import Core
from bot.text.texts import t
from storage import items as item_store

TOP_WINDOW = timedelta(hours=24)
TOP_COUNT = 5
# Clustering is quadratic at worst: a day's news is a few hundred items; this caps a flood.
MAX_ITEMS = 800
# How long a clustered top is shown again while no new item arrives (its 24 hours move on).
KEEP_FOR = timedelta(minutes=10)


class TopService:
    """The most reported stories."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self._kept: tuple[tuple, list[Story]] | None = None  # (newest item, count), stories
        self._kept_at = core.now()

    async def top_stories(self, count: int = TOP_COUNT) -> list[Story]:
        """The stories reported by two outlets or more in the last 24 hours, most outlets
        first (then most reports, then newest).

        Clustering a busy day takes a while: it runs in a thread, and its result is kept until
        a new item arrives or KEEP_FOR passes, so /top and /stats asked again cost nothing.
        """
        now = self.core.now()
        key = (item_store.newest_id(self.core.db), count)
        if self._kept is not None and self._kept[0] == key and now - self._kept_at < KEEP_FOR:
            return self._kept[1]
        items = item_store.published_since(self.core.db, now - TOP_WINDOW, MAX_ITEMS)
        stories = await asyncio.to_thread(_most_reported, items, count)
        self._kept, self._kept_at = (key, stories), now
        return stories

    async def render_top(self, *, lang: str, tz: ZoneInfo) -> str:
        """The top stories as HTML under their header, or the text saying there are none."""
        stories = await self.top_stories()
        if not stories:
            return t(lang, "top_none")
        now = self.core.now()
        parts = [t(lang, "top_header")]
        for story in stories:
            parts.append(
                t(lang, "top_outlets", count=outlets_of(story))
                + "\n"
                + render_story(story, lang=lang, tz=tz, now=now)
            )
        return "\n\n".join(parts)


def _most_reported(items: list[StoredItem], count: int) -> list[Story]:
    """The `count` stories of the items with the most outlets (two at least)."""
    return most_reported(cluster_items(items, window=TOP_WINDOW), count, min_outlets=2)
