"""Subscriber preferences: registering, topics, schedule, timezone, language, pause, stop."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import is_valid_timezone
from bot.digest.schedule import parse_schedule
from bot.errors import TooManyDigestTimes, UnknownTopic, UsageError
from bot.models import CAP_CHOICES, PauseReason, ScheduleSlot, Subscriber, Topic
from bot.runtime.core import Core
from bot.tagging.normalize import fold
from bot.text.texts import accepted_words
from storage import subscribers as store

MAX_DIGEST_TIMES = 6
# Indonesians name their zones, not IANA cities; accept the names they use.
ZONE_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
LANGUAGES = ("id", "en")


def _name_key(text: str) -> str:
    """What topic names are compared on: "kerja_sama", "Kerja-Sama" and "kerja  sama" alike,
    case and diacritics folded as the tagger folds them."""
    return " ".join(fold(text.replace("_", " ").replace("-", " ")).split())


def resolve_topics(names: Sequence[str], topics: Sequence[Topic]) -> list[Topic]:
    """Topics named by slug or display name, case-insensitive; UnknownTopic lists the misses.

    Display names may have spaces ("Kerja Sama Luar Negeri"), so words that are not a topic on
    their own are joined with the words after them until they name one. A run is never longer
    than the longest name, so the work grows linearly with the number of words.
    """
    index: dict[str, Topic] = {}
    for topic in topics:
        index[_name_key(topic.slug)] = topic
        index[_name_key(topic.name)] = topic
        if topic.name_en:
            index[_name_key(topic.name_en)] = topic
    longest = max((len(key.split()) for key in index), default=1)
    found: list[Topic] = []
    unknown: list[str] = []
    words = [w for name in names for w in name.replace(",", " ").split()]
    i = 0
    while i < len(words):
        # the longest run of words that names a topic
        for j in range(min(len(words), i + longest), i, -1):
            topic = index.get(_name_key(" ".join(words[i:j])))
            if topic:
                if topic not in found:
                    found.append(topic)
                i = j
                break
        else:
            unknown.append(words[i])
            i += 1
    if unknown:
        raise UnknownTopic(unknown)
    return found


@dataclass(frozen=True)
class NextDigest:
    """When a chat's next scheduled digest comes (in its zone), and in how many days (0:
    today)."""

    at: datetime
    days_ahead: int


class SubscriberService:
    """Everything a chat can change about itself."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def get(self, chat_id: int) -> Subscriber | None:
        """The chat's settings, or None if it never started the bot."""
        return store.get_subscriber(self.core.db, chat_id)

    def lookup(self, chat_id: int) -> Subscriber:
        """The chat's settings, or the defaults a new chat would get; never writes (a chat that
        only looks at its settings is not registered by looking)."""
        return self.get(chat_id) or self._defaults(chat_id)

    def get_or_create(self, chat_id: int, language: str | None = None) -> Subscriber:
        """The chat's settings, registering it with the defaults if it is new."""
        existing = self.get(chat_id)
        if existing:
            return existing
        new = self._defaults(chat_id, language)
        store.create_subscriber(
            self.core.db,
            chat_id,
            language=new.language,
            timezone=new.timezone,
            digest_times=new.digest_times,
            now=new.created_at,
        )
        subscriber = self.get(chat_id)
        assert subscriber is not None
        return subscriber

    def _defaults(self, chat_id: int, language: str | None = None) -> Subscriber:
        settings = self.core.settings
        return Subscriber(
            chat_id=chat_id,
            language=language if language in LANGUAGES else settings.default_language,
            timezone=settings.default_timezone,
            digest_times=tuple(settings.default_digest_times),
            is_paused=False,
            created_at=self.core.now(),
        )

    def followed(self, chat_id: int) -> list[Topic]:
        """The topics the chat follows, in the order of all topics."""
        slugs = self.lookup(chat_id).topics
        return [topic for topic in self.core.topics() if topic.slug in slugs]

    def stop(self, chat_id: int) -> bool:
        """Forget the chat and everything stored about it."""
        return store.delete_subscriber(self.core.db, chat_id)

    def subscribe(self, chat_id: int, names: Sequence[str]) -> list[Topic]:
        """Follow the named topics; returns them. Raises UnknownTopic, UsageError."""
        if not names:
            raise UsageError("subscribe: no topic given")
        topics = resolve_topics(names, self.core.topics())
        self.get_or_create(chat_id)
        store.add_topics(self.core.db, chat_id, [t.slug for t in topics], self.core.now())
        return topics

    def unsubscribe(self, chat_id: int, names: Sequence[str]) -> list[Topic]:
        """Stop following the named topics; returns them. Raises UnknownTopic, UsageError."""
        if not names:
            raise UsageError("unsubscribe: no topic given")
        topics = resolve_topics(names, self.core.topics())
        self.get_or_create(chat_id)
        store.remove_topics(self.core.db, chat_id, [t.slug for t in topics])
        return topics

    def toggle(self, chat_id: int, slug: str) -> bool:
        """Flip one topic from the /topics keyboard; True if now followed. Raises UnknownTopic."""
        if slug not in {t.slug for t in self.core.topics()}:
            raise UnknownTopic([slug])
        subscriber = self.get_or_create(chat_id)
        if slug in subscriber.topics:
            store.remove_topics(self.core.db, chat_id, [slug])
            return False
        store.add_topics(self.core.db, chat_id, [slug], self.core.now())
        return True

    def set_schedule(self, chat_id: int, text: str) -> tuple[str, ...]:
        """Set digest times from "07:00,19:00", "07.00 senin-jumat, 19.00 sabtu",
        "mingguan senin 07.00" or "off" (empty tuple). Raises UsageError."""
        self.get_or_create(chat_id)
        if text.strip().casefold() in accepted_words("schedule_off_words"):
            times: tuple[str, ...] = ()
        else:
            try:
                times = parse_schedule(text)
            except ValueError:
                raise UsageError("schedule: bad time") from None
            if len(times) > MAX_DIGEST_TIMES:
                raise TooManyDigestTimes(MAX_DIGEST_TIMES)
        # Slots before now are considered done, so changing the schedule never fires at once.
        store.update_subscriber(
            self.core.db, chat_id, digest_times=times, last_slot_at=self.core.now()
        )
        return times

    def set_timezone(self, chat_id: int, name: str) -> str:
        """Set the chat's timezone (IANA name, case-insensitive). Raises UsageError."""
        name = _canonical_zone(name.strip())
        if not name:
            raise UsageError("timezone: unknown")
        self.get_or_create(chat_id)
        store.update_subscriber(self.core.db, chat_id, timezone=name, last_slot_at=self.core.now())
        return name

    def set_language(self, chat_id: int, language: str) -> str:
        """Set the interface language, id or en. Raises UsageError."""
        language = language.strip().lower()
        if language not in LANGUAGES:
            raise UsageError("language: unknown")
        self.get_or_create(chat_id)
        store.update_subscriber(self.core.db, chat_id, language=language)
        return language

    def set_thread(self, chat_id: int, thread_id: int | None) -> None:
        """Send the chat's digests into this forum topic (None: the group's main thread)."""
        subscriber = self.get_or_create(chat_id)
        if subscriber.thread_id != thread_id:
            store.update_subscriber(self.core.db, chat_id, thread_id=thread_id)

    def set_topics(self, chat_id: int, names: Sequence[str]) -> list[Topic]:
        """Follow exactly the named topics; returns them. Raises UnknownTopic, UsageError."""
        if not names:
            raise UsageError("topics: no topic given")
        topics = resolve_topics(names, self.core.topics())
        subscriber = self.get_or_create(chat_id)
        slugs = [t.slug for t in topics]
        store.remove_topics(
            self.core.db, chat_id, [s for s in subscriber.topics if s not in slugs]
        )
        store.add_topics(self.core.db, chat_id, slugs, self.core.now())
        return topics

    def set_cap(self, chat_id: int, text: str) -> int:
        """Stories per topic in each digest: "3", "5", "10", or "semua"/"all" (0). Raises
        UsageError for anything else."""
        word = text.strip().casefold()
        # ASCII digits only, and few: "²".isdigit() is true, yet int("²") raises.
        number = word.isascii() and word.isdigit() and len(word) <= 3
        cap = 0 if word in accepted_words("cap_all_words") else int(word) if number else -1
        if cap not in CAP_CHOICES:
            raise UsageError("cap: not a choice")
        self.get_or_create(chat_id)
        store.update_subscriber(self.core.db, chat_id, digest_cap=cap)
        return cap

    def toggle_region_only(self, chat_id: int) -> tuple[bool, list[Topic]]:
        """Narrow the chat's subjects to its followed regions, or stop narrowing; returns the
        new state and the regions it follows. Raises UsageError when it follows no region."""
        subscriber = self.get_or_create(chat_id)
        regions = [t for t in self.core.topics() if t.is_region and t.slug in subscriber.topics]
        if not regions and not subscriber.region_only:
            raise UsageError("wilayah: no region followed")
        on = not subscriber.region_only
        store.update_subscriber(self.core.db, chat_id, region_only=on)
        return on, regions

    def next_digest(self, chat_id: int) -> NextDigest | None:
        """When the chat's next scheduled digest comes, in its own zone; None without times."""
        subscriber = self.lookup(chat_id)
        local_now = self.core.now().astimezone(ZoneInfo(subscriber.timezone))
        slots = [
            datetime.combine(day, time(slot.hour, slot.minute), tzinfo=local_now.tzinfo)
            for slot in map(ScheduleSlot.from_entry, subscriber.digest_times)
            for day in (local_now.date() + timedelta(days=ahead) for ahead in range(8))
            if day.isoweekday() in slot.days  # "07:00@12345" comes on weekdays only
        ]
        at = min((slot for slot in slots if slot > local_now), default=None)
        return None if at is None else NextDigest(at, (at.date() - local_now.date()).days)

    def toggle_language(self, chat_id: int) -> str:
        """Switch between the two languages (/start's 🇮🇩/🇬🇧 button); returns the new one."""
        current = LANGUAGES.index(self.get_or_create(chat_id).language)
        return self.set_language(chat_id, LANGUAGES[(current + 1) % len(LANGUAGES)])

    def pause(self, chat_id: int, reason: PauseReason = PauseReason.USER) -> bool:
        """Stop scheduled digests; False if they were already paused."""
        subscriber = self.get_or_create(chat_id)
        if subscriber.is_paused:
            return False
        store.update_subscriber(self.core.db, chat_id, is_paused=True, paused_reason=reason)
        return True

    def resume_if_gone(self, chat_id: int) -> bool:
        """Resume a chat paused because Telegram said it blocked us or was gone, now that it
        is reachable again (it wrote to us, or its admin confirmed our rights); True if so."""
        subscriber = self.get(chat_id)
        if subscriber is None or subscriber.paused_reason != PauseReason.GONE:
            return False
        return self.resume(chat_id)

    def resume(self, chat_id: int) -> bool:
        """Restart scheduled digests; False if they were not paused."""
        subscriber = self.get_or_create(chat_id)
        if not subscriber.is_paused:
            return False
        # Digest times missed while paused are not caught up: the next one is the next slot.
        store.update_subscriber(
            self.core.db,
            chat_id,
            is_paused=False,
            paused_reason=None,
            last_slot_at=self.core.now(),
        )
        return True


def _canonical_zone(name: str) -> str | None:
    """The IANA spelling of a zone name typed in any case, e.g. asia/makassar → Asia/Makassar."""
    if name.upper() in ZONE_ALIASES:
        return ZONE_ALIASES[name.upper()]
    if is_valid_timezone(name):
        return name
    lowered = name.lower()
    for zone in zoneinfo.available_timezones():
        if zone.lower() == lowered:
            return zone
    return None
