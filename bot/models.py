"""Plain data passed between the pipeline's steps; stdlib only, no project imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# One include term in the headline or the first sentence, or two later in the body.
DEFAULT_THRESHOLD = 2.0


@dataclass(frozen=True)
class TopicRule:
    """What makes an item belong to a topic.

    An item matches when the evidence of its `include` terms reaches `threshold` (a headline
    word weighs 3, a word of the first sentence 2, a later word 1; each distinct term counts
    once, at its best place), and, if `require` is not empty, one of the `require` terms
    occurs too, and no `exclude` term occurs.
    """

    include: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD


@dataclass(frozen=True)
class Topic:
    """A topic subscribers can follow: a slug for commands, a display name, and its rule."""

    slug: str
    name: str
    rule: TopicRule = field(default_factory=TopicRule)


@dataclass(frozen=True)
class Evidence:
    """One term found in a text, where it was found, and what it weighs there.

    `where` is title, lead (the first sentence of the body), body (a later sentence), dateline
    (the place and outlet that open a story), list (a place inside an enumeration of places)
    or venue (a Kaltim place named as the venue of a story about another province).
    """

    term: str
    kind: str  # include, require or exclude
    where: str
    weight: float


@dataclass(frozen=True)
class TopicMatch:
    """Why one topic did or did not match a text: the terms found of each kind (the ones that
    count), the evidence behind them, and the include score against the threshold."""

    slug: str
    include: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    has_require: bool = False
    score: float = 0.0
    threshold: float = DEFAULT_THRESHOLD
    evidence: tuple[Evidence, ...] = ()

    @property
    def matched(self) -> bool:
        """True when the rule accepts the text."""
        return (
            bool(self.include) and self.score >= self.threshold
            and bool(self.require or not self.has_require) and not self.exclude
        )


@dataclass(frozen=True)
class RawEntry:
    """One feed entry as the parser gives it, before cleaning (summary may be HTML)."""

    title: str
    link: str
    summary: str
    guid: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class Item:
    """A cleaned entry ready to be tagged and stored. Times are timezone-aware UTC."""

    key: str
    title: str
    link: str
    summary: str
    published_at: datetime
    guid: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredItem:
    """An item as read back from storage, with the outlet it came from."""

    id: int
    feed_id: int
    source: str
    title: str
    link: str
    summary: str
    published_at: datetime
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A polled feed and its health."""

    id: int
    url: str
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    error_count: int = 0
    is_enabled: bool = True
    item_count: int = 0
    recent_count: int = 0
    failing_since: datetime | None = None
    next_poll_at: datetime | None = None
    disabled_reason: str | None = None
    alerted_at: datetime | None = None
    last_error_kind: str | None = None


@dataclass(frozen=True)
class Subscriber:
    """A chat that talks to the bot, with its preferences."""

    chat_id: int
    language: str
    timezone: str
    digest_times: tuple[str, ...]
    is_paused: bool
    created_at: datetime
    last_slot_at: datetime | None = None
    topics: tuple[str, ...] = ()
    thread_id: int | None = None  # the forum topic of a group that digests go to
    paused_reason: str | None = None  # "user" (/pause) or "gone" (Telegram said 403)


@dataclass(frozen=True)
class DigestChunk:
    """One Telegram message of a digest and the items it carries."""

    html: str
    item_ids: tuple[int, ...]
