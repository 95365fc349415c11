"""Plain data passed between the pipeline's steps; stdlib only, no project imports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# Stories per topic a reader may choose for each digest (0: all), and the default.
CAP_CHOICES = (3, 5, 10, 0)
DEFAULT_CAP = 5

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
    frames: tuple[Frame, ...] = ()


@dataclass(frozen=True)
class Frame:
    """A role in which a topic's terms count, or do not: the story's frame, seen in the
    words around them (issue 25).

    A frame holds in a sentence that has a term of each of its cue groups. An `in` frame then
    counts as one include term (labelled with its name): a foreign visitor and a visit
    ("Dubes Jepang" + "kunjungi"). An `out` frame takes its `terms` out of that sentence, and
    out of the whole story when the sentence is the headline: "siswa" beside "tewas" is a
    victim, not schooling. `note` says why, for the admin who reads the rule.
    """

    name: str
    effect: str  # a FrameEffect
    cues: tuple[tuple[str, ...], ...]
    terms: tuple[str, ...] = ()
    note: str = ""
    # Words that cancel an `out` frame where they occur: a lesson about a danger
    # ("simulasi gempa") is not a victim's story.
    unless: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping) -> Frame:
        """A Frame from a [[topic.frame]] table or its stored JSON: name, effect ("in"/"out"),
        cues (a list of groups, each a list of terms; a flat list is one group), terms,
        unless, note.

        Raises:
            ValueError: no name, an unknown effect, an empty group, or an `out` frame
                without terms.
        """
        name = str(data.get("name", "")).strip()
        effect = str(data.get("effect", ""))
        cues = list(data.get("cues", ()))
        groups = (
            tuple(tuple(str(t) for t in g) for g in cues)
            if cues and not isinstance(cues[0], str)
            else (tuple(str(t) for t in cues),)
        )
        terms = tuple(str(t) for t in data.get("terms", ()))
        if not name or effect not in tuple(FrameEffect) or not all(groups):
            raise ValueError(f"frame {name!r}: needs a name, effect in/out and cues")
        if effect == FrameEffect.OUT and not terms:
            raise ValueError(f"frame {name!r}: an out frame needs the terms it takes out")
        return cls(
            name,
            effect,
            groups,
            terms,
            str(data.get("note", "")),
            tuple(str(t) for t in data.get("unless", ())),
        )

    def to_dict(self) -> dict:
        """The JSON-ready form, read back by from_dict."""
        out: dict = {
            "name": self.name,
            "effect": str(self.effect),
            "cues": [list(group) for group in self.cues],
        }
        for key in ("terms", "unless"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Topic:
    """A topic subscribers can follow: a slug for commands, a display name, and its rule."""

    slug: str
    name: str
    rule: TopicRule = field(default_factory=TopicRule)
    kind: str = "subject"  # a TopicKind (defined below)
    name_en: str = ""  # the English name; the Indonesian one stands in when empty

    @property
    def is_region(self) -> bool:
        """True for a place (its section holds what no followed subject took)."""
        return self.kind == TopicKind.REGION

    def label(self, lang: str) -> str:
        """The name a reader of `lang` sees: the topic's name in that language if it has one
        (only English names are kept besides the Indonesian ones), else its Indonesian name."""
        return {"en": self.name_en}.get(lang) or self.name


@dataclass(frozen=True)
class Evidence:
    """One term found in a text, where it was found, and what it weighs there.

    `where` is title, lead (the first sentence of the body), body (a later sentence), dateline
    (the place and outlet that open a story), list (a place inside an enumeration of places)
    or venue (a Kaltim place named as the venue of a story about another province).
    """

    term: str
    kind: str  # a TermKind
    where: str
    weight: float
    # The words of the text that matched ("pelakunya" for `pelaku`), and the frame that took
    # the term in ("+kunjungan") or out ("-korban"), if any.
    word: str = ""
    frame: str = ""


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
            bool(self.include)
            and self.score >= self.threshold
            and bool(self.require or not self.has_require)
            and not self.exclude
        )


@dataclass(frozen=True)
class RawEntry:
    """One feed entry as the parser gives it, before cleaning (summary may be HTML)."""

    title: str
    link: str
    summary: str
    guid: str | None = None
    published_at: datetime | None = None
    keywords: tuple[str, ...] = ()  # a news sitemap's news:keywords, where it gives them


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
    is_local: bool = False  # tagged with a region topic (Kaltim-local rather than national)


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
    outlet: str | None = None  # the outlet's name shown with its items (else the title)
    kind: str = "feed"  # a FeedKind: how the outlet is followed
    site: str | None = None  # the site it stands for (bundled outlets, /addsite): "niaga.asia"
    site_checked_at: datetime | None = None  # when that site's own source was last looked for


@dataclass(frozen=True)
class TopicMark:
    """One followed topic of a chat: when it was followed (None: since the chat began) and
    the newest item id a digest offered under it, shown or not (None: nothing yet)."""

    slug: str
    followed_at: datetime | None = None
    offered_through: int | None = None


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
    paused_reason: str | None = None  # a PauseReason
    digest_cap: int | None = None  # stories per topic; None: the default, 0: all
    region_only: bool = False  # subjects narrowed to the chat's followed regions
    offered_through: int | None = None  # before m015: one mark for all topics; unread now
    marks: tuple[TopicMark, ...] = ()  # per followed topic: when followed, what was offered

    def mark(self, slug: str) -> TopicMark:
        """What the chat's digests offered of one followed topic (a blank mark if none)."""
        return next((m for m in self.marks if m.slug == slug), TopicMark(slug))


@dataclass(frozen=True)
class DigestChunk:
    """One Telegram message of a digest and the items it carries."""

    html: str
    item_ids: tuple[int, ...]


class Admission(StrEnum):
    """What the gate does with a chat's command or tap (bot.services.command_budget decides)."""

    ALLOW = "allow"
    WARN = "warn"  # over budget for the first time in a while: say so once
    DROP = "drop"  # over budget again: ignore silently


class TermKind(StrEnum):
    """The three lists of a TopicRule, in the order the tagger numbers them."""

    INCLUDE = "include"
    REQUIRE = "require"
    EXCLUDE = "exclude"


class FrameEffect(StrEnum):
    """What a Frame does to its topic's evidence."""

    IN = "in"  # the frame itself counts as an include term
    OUT = "out"  # the frame's terms do not count where it is


class TopicKind(StrEnum):
    """What a topic is about: a place, or a subject (stored in topics.kind)."""

    REGION = "region"  # Kaltim, Samarinda, IKN: its section holds what no followed subject took
    SUBJECT = "subject"  # Pendidikan, Investasi


class PauseReason(StrEnum):
    """Why a chat's scheduled digests are paused (stored in subscribers.paused_reason)."""

    USER = "user"  # /pause
    GONE = "gone"  # Telegram said the chat blocked us or is gone (403)


class FeedKind(StrEnum):
    """How an outlet is followed (texts "kind_<value>"): its own feed (RSS, Atom or JSON
    Feed), its Google News sitemap (or a sitemap index leading to one), or a Google News
    search restricted to its site."""

    FEED = "feed"
    SITEMAP = "sitemap"
    GOOGLE_NEWS = "googlenews"


@dataclass(frozen=True)
class SourceAdded:
    """What following a site or page did (/addfeed, /addsite): the feed (new, or the site's
    feed moved to a source of its own), how many items its source had, and how it follows
    the outlet."""

    feed: Feed
    count: int
    kind: FeedKind
    found: bool = False  # found by looking at the site, not given as it is
    switched: bool = False  # an existing feed of the site now follows this source
    unchanged: bool = False  # the site's Google News stand-in stays: nothing of its own found


class FeedAlert(StrEnum):
    """A change in a feed's health worth telling the admins (texts "feed_alert_<value>")."""

    FAILING = "failing"
    RECOVERED = "recovered"
    DISABLED = "disabled"


class DeliveryFailure(StrEnum):
    """Why a chat's messages did not all go out (texts "reason_<value>" in /stats)."""

    LATER = "later"  # Telegram is in trouble: postponed, retried later
    BLOCKED = "blocked"  # the chat blocked us or is gone: paused
    EXPIRED = "expired"  # waited too long to be worth sending
    REJECTED = "rejected"  # Telegram refused the message itself
    ERROR = "error"  # a bug of ours; logged


class OutboxState(StrEnum):
    """Where an outbox message is (stored in outbox.state)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # can never go out (refused, or the chat is gone)
    EXPIRED = "expired"  # waited too long to be worth sending


class AlertHold(StrEnum):
    """Why an urgent alert waits (stored in alerts.held); QUIET wins over CAP."""

    QUIET = "quiet"  # the chat's quiet hours
    CAP = "cap"  # the chat's alerts per hour are used up


@dataclass(frozen=True)
class ScheduleSlot:
    """One digest time of a chat: its local time, the ISO weekdays it falls on (1 = Monday),
    and whether it brings the weekly digest (the week's top stories) instead of the daily one.

    Stored as text in subscribers.digest_times: "07:00" (every day), "07:00@12345" (Monday to
    Friday), "w07:00@1" (weekly, on Mondays).
    """

    hour: int
    minute: int
    days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    weekly: bool = False

    @classmethod
    def from_entry(cls, entry: str) -> ScheduleSlot:
        """Parse a stored entry; ValueError if it is not one."""
        weekly = entry.startswith("w")
        clock, _, days = entry.removeprefix("w").partition("@")
        hour, minute = (int(part) for part in clock.split(":"))
        chosen = tuple(sorted({int(d) for d in days})) if days else cls.days
        if not (0 <= hour < 24 and 0 <= minute < 60) or not set(chosen) <= set(range(1, 8)):
            raise ValueError(entry)
        return cls(hour, minute, chosen, weekly)

    @property
    def entry(self) -> str:
        """The stored form."""
        every = len(self.days) == 7 and not self.weekly
        days = "" if every else "@" + "".join(map(str, self.days))
        return f"{'w' if self.weekly else ''}{self.hour:02d}:{self.minute:02d}{days}"

    @property
    def every_day(self) -> bool:
        """A daily digest on all seven days."""
        return len(self.days) == 7 and not self.weekly
