"""What every service shares: the database, the settings, the feed HTTP client, the clock, and
the compiled tagger (rebuilt only when a topic changes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from sqlite_utils import Database

from bot.config import Settings
from bot.models import Topic
from bot.tagging.tagger import Tagger
from storage import topics as topic_store


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass
class Core:
    """Shared state of the services. One per process; lives as long as the application."""

    db: Database
    settings: Settings
    http: httpx.AsyncClient | None = None
    clock: Callable[[], datetime] = utc_now
    started_at: datetime | None = None  # when this process started; for /stats' uptime
    _topics: list[Topic] | None = field(default=None, repr=False)
    _tagger: Tagger | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.started_at is None:
            self.started_at = self.clock()

    def now(self) -> datetime:
        """The current time, timezone-aware UTC (tests pass their own clock)."""
        return self.clock()

    def topics(self) -> list[Topic]:
        """All topics, cached until a topic changes."""
        if self._topics is None:
            self._topics = topic_store.list_topics(self.db)
        return self._topics

    def tagger(self) -> Tagger:
        """The tagger compiled from the current topics."""
        if self._tagger is None:
            self._tagger = Tagger(self.topics())
        return self._tagger

    def topics_changed(self) -> None:
        """Forget the cached topics and tagger after an admin edit."""
        self._topics = None
        self._tagger = None
