"""Urgent alerts: readers' watch words and topics switched to instant, matched against new
items and sent through the outbox within a minute of an item being stored.

A run (after every poll, and every minute) first matches the items stored since the last run,
every reader's watch words at once (bot/tagging/watch.py), recording the alerts and how far it
got in one transaction; then queues each chat's alerts into the outbox, where the delivery task
sends them with digests' guarantees (exactly once, 429/403 handling). Per chat at most
MAX_PER_HOUR alert messages an hour: what does not fit is folded into one "+N" message, and
nothing is sent in the chat's quiet hours; what waited goes out in one message afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.digest.render import render_item
from bot.errors import InputError, RuleError
from bot.models import AlertHold, DigestChunk, Topic
from bot.runtime.core import Core
from bot.services.outbox.engine import OutboxService
from bot.services.subscribers import SubscriberService, resolve_topics
from bot.tagging.gazetteer import load_gazetteer
from bot.tagging.watch import (
    WatchMatcher,
    is_shared,
    parse_watches,
    same_watch,
    term_keys,
    watch_terms,
    word_frequencies,
)
from bot.text.shaping import MAX_MESSAGE, telegram_length
from bot.text.texts import accepted_words, plural, t
from storage import alerts as store
from storage import outbox as outbox_store
from storage import subscribers as subscriber_store
from storage.alerts import Alert
from storage.db import database_file

logger = logging.getLogger(__name__)

MAX_WATCHES = 20  # per reader
# Keys the matcher may hold for one chat's watches (a word is about seven: its spellings and
# affixed forms, fifteen with ~ for its derived forms; a list on its own is shared by everyone
# and not counted), and for every chat's together. Each key costs the matcher about a
# kilobyte: a reader's twenty two-word watches need about 300 (600 all with ~), and 25 chats
# of made-up long words at this bound 12 MB, not 30.
MAX_CHAT_KEYS = 800
MAX_TOTAL_KEYS = 100_000
MAX_PER_HOUR = 6  # alert messages per chat in any hour; the rest are folded
BATCH = 500  # new items matched per transaction
# The newest items whose words say which term of a watch is the rarest (bot/tagging/watch.py).
FREQUENCY_SAMPLE = 1_000
# Only news is urgent: a feed added with its backlog, or an item dated days ago, alerts nobody.
ALERT_REACH = timedelta(hours=12)
# Alerts already queued or dropped are kept this long (to answer "was it sent?"), then pruned.
KEEP_ALERTS = timedelta(days=7)
_QUIET = re.compile(r"(\d{1,2})[.:](\d{2})\s*[-–—]\s*(\d{1,2})[.:](\d{2})")
_QUIET_OFF = accepted_words("quiet_off_words")


def parse_quiet_hours(text: str) -> str | None:
    """ "22.00-05.00" -> "22:00-05:00"; an off word -> None. Raises InputError."""
    value = text.strip().casefold()
    if value in _QUIET_OFF:
        return None
    m = _QUIET.fullmatch(value)
    if not m:
        raise InputError("quiet_usage")
    start_h, start_m, end_h, end_m = (int(x) for x in m.groups())
    if max(start_h, end_h) > 23 or max(start_m, end_m) > 59:
        raise InputError("quiet_usage")
    if (start_h, start_m) == (end_h, end_m):
        raise InputError("quiet_usage")
    return f"{start_h:02d}:{start_m:02d}-{end_h:02d}:{end_m:02d}"


def is_quiet(quiet_hours: str | None, moment: datetime, tz: ZoneInfo) -> bool:
    """True if moment falls in the quiet hours ("22:00-05:00", local time; may span midnight)."""
    if not quiet_hours:
        return False
    start, end = (time.fromisoformat(part) for part in quiet_hours.split("-"))
    local = moment.astimezone(tz).time()
    return start <= local < end if start < end else local >= start or local < end


class AlertService:
    """Watch words, urgent topics, quiet hours, and the runs that match and queue alerts."""

    def __init__(self, core: Core, subscribers: SubscriberService, outbox: OutboxService) -> None:
        self.core = core
        self.subscribers = subscribers
        self.outbox = outbox
        self.max_watches = MAX_WATCHES
        self.max_chat_keys = MAX_CHAT_KEYS
        self.max_total_keys = MAX_TOTAL_KEYS
        self._keys_since = 0  # keys of the watches added since the matcher was built
        self._matcher: WatchMatcher | None = None
        self._stale = True  # the watches changed since the matcher was built
        self._running = asyncio.Lock()  # the poll's run and the minute's never interleave

    # --- what a reader sets -----------------------------------------------------------------

    def watches(self, chat_id: int) -> list[str]:
        """The chat's watch words."""
        return store.list_watches(self.core.db, chat_id)

    def watch(self, chat_id: int, text: str) -> tuple[list[str], list[str]]:
        """Add watch words; returns (added, already there).

        Raises:
            InputError: nothing to watch, or more than MAX_WATCHES.
            RuleError: a term that cannot match (texts "rule_<code>").
        """
        self.subscribers.get_or_create(chat_id)
        wanted = parse_watches(text)
        if not wanted:
            raise InputError("watch_usage")
        current = self.watches(chat_id)
        have = {same_watch(w) for w in current}
        added = [w for w in wanted if same_watch(w) not in have]
        known = [w for w in wanted if same_watch(w) in have]
        if len(have) + len(added) > self.max_watches:
            raise InputError("watch_limit", limit=self.max_watches)
        self._check_cost(current, added)
        store.add_watches(self.core.db, chat_id, added, self.core.now())
        self._stale = True  # rebuilt with the new words at the next run
        return added, known

    def _check_cost(self, current: list[str], added: list[str]) -> None:
        """Refuse watches whose keys would pass the chat's bound or everyone's (issue 27).

        The total is the matcher's as last built plus what was added since: a minute's
        additions at most go unseen until the next build counts them.
        """
        gazetteer = load_gazetteer()
        lists = gazetteer.lists.keys()
        mine: set[str] = set()
        for words in current + added:
            try:
                mine.update(watch_terms(words, lists))
            except RuleError:
                continue  # a watch stored before its form was refused: the matcher skips it
        cost = {term: term_keys(term, gazetteer) for term in mine}
        if sum(n for term, n in cost.items() if not is_shared(term)) > self.max_chat_keys:
            raise InputError("watch_too_costly", words=", ".join(added))
        if self._matcher is None:
            return  # counted when the first matcher is built
        new = {term for words in added for term in watch_terms(words, lists)}
        more = sum(cost[term] for term in new - self._matcher.terms)
        if self._matcher.keys + self._keys_since + more > self.max_total_keys:
            raise InputError("watch_full", words=", ".join(added))
        self._keys_since += more

    def unwatch(self, chat_id: int, text: str) -> str:
        """Remove one watch, named as the reader likes (case, quotes); returns it as stored.

        Raises:
            InputError: no words given, or not one of the chat's watches.
        """
        wanted = same_watch(text.replace('"', " ").replace("“", " ").replace("”", " "))
        if not wanted:
            raise InputError("unwatch_usage")
        for words in self.watches(chat_id):
            if same_watch(words.replace('"', " ")) == wanted:
                store.remove_watch(self.core.db, chat_id, words)
                self._stale = True
                return words
        raise InputError("unwatch_unknown", words=text.strip())

    def toggle_urgent(self, chat_id: int, names: Sequence[str]) -> tuple[Topic, bool]:
        """Switch one followed topic to instant, or back; returns it and whether it is now on.

        Raises:
            InputError: no topic named, or the chat does not follow it.
            UnknownTopic: no such topic.
        """
        if not names:
            raise InputError("urgent_usage")
        topic = resolve_topics(names, self.core.topics())[0]
        subscriber = self.subscribers.lookup(chat_id)
        if topic.slug not in subscriber.topics:
            raise InputError("urgent_not_followed", topic=topic.name, slug=topic.slug)
        on = topic.slug not in subscriber_store.urgent_topics(self.core.db, chat_id)
        subscriber_store.set_urgent(self.core.db, chat_id, topic.slug, on)
        return topic, on

    def urgent_topics(self, chat_id: int) -> list[Topic]:
        """The chat's topics switched to instant."""
        slugs = set(subscriber_store.urgent_topics(self.core.db, chat_id))
        return [topic for topic in self.core.topics() if topic.slug in slugs]

    def quiet_hours(self, chat_id: int) -> str | None:
        """The chat's quiet hours ("22:00-05:00") or None."""
        return subscriber_store.get_quiet_hours(self.core.db, chat_id)

    def set_quiet_hours(self, chat_id: int, text: str) -> str | None:
        """Set quiet hours from "22.00-05.00", or switch them off; returns the stored value.

        Raises:
            InputError: not a range of two times, nor an off word.
        """
        value = parse_quiet_hours(text)
        self.subscribers.get_or_create(chat_id)
        subscriber_store.set_quiet_hours(self.core.db, chat_id, value)
        return value

    # --- the runs ---------------------------------------------------------------------------

    async def run(self) -> int:
        """Match the items stored since the last run and queue what may go now; returns the
        alert messages queued (the delivery task is woken to send them)."""
        async with self._running:
            await self.match_new()
            queued = self.dispatch()
            store.prune_alerts(self.core.db, self.core.now() - KEEP_ALERTS)
        if queued:
            self.outbox.wake()
        return queued

    async def matcher(self) -> WatchMatcher:
        """Every reader's watch words in one matcher, rebuilt after a change.

        Reading every watch and compiling every term (a second or more for thousands of
        readers) run in a thread, on a read-only connection of its own, so the bot answers
        meanwhile.
        """
        if self._stale or self._matcher is None:
            self._stale = False  # a change made while it is built makes it stale again
            path = database_file(self.core.db)
            try:
                self._matcher = await asyncio.to_thread(_build_matcher, path)
                self._keys_since = 0
            except BaseException:
                self._stale = True
                raise
        return self._matcher

    async def match_new(self) -> int:
        """Record the alerts of every item stored since the last run; returns how many.

        Each batch is matched in a thread (thousands of readers' watches cost a good part of
        a second per batch), its alerts recorded on the loop.
        """
        added = 0
        while batch := store.items_to_match(self.core.db, BATCH):
            now = self.core.now()
            fresh = [row for row in batch if row[3] >= now - ALERT_REACH]
            matcher = await self.matcher()
            texts = [(title, summary) for _, title, summary, _ in fresh] if len(matcher) else []
            found = await asyncio.to_thread(matcher.match_all, texts) if texts else []
            hits = [
                (chat_id, row[0], f"watch:{words}")
                for row, matched in zip(fresh, found, strict=False)
                for chat_id, words in matched.items()
            ]
            added += store.record_matches(
                self.core.db, hits, [row[0] for row in fresh], batch[-1][0], now
            )
        return added

    def dispatch(self) -> int:
        """Queue each chat's waiting alerts that may go now; returns the messages queued."""
        queued = 0
        for chat_id in store.chats_with_alerts(self.core.db):
            queued += self._dispatch_chat(chat_id, self.core.now())
        return queued

    def _dispatch_chat(self, chat_id: int, now: datetime) -> int:
        db = self.core.db
        subscriber = self.subscribers.get(chat_id)
        alerts = store.pending_alerts(db, chat_id)
        if subscriber is None or not alerts:
            return 0
        tz = ZoneInfo(subscriber.timezone)
        if is_quiet(subscriber_store.get_quiet_hours(db, chat_id), now, tz):
            store.hold_alerts(db, chat_id, AlertHold.QUIET)
            return 0
        hour_ago = now - timedelta(hours=1)
        room = MAX_PER_HOUR - outbox_store.alert_messages_since(db, chat_id, hour_ago)
        if room <= 0:
            store.hold_alerts(db, chat_id, AlertHold.CAP)
            return 0
        held = [a for a in alerts if a.held]
        singles = [a for a in alerts if not a.held]
        folded: list[Alert] = []
        if held or len(singles) > room:
            # One message of the hour's room goes to everything that does not fit.
            singles, folded = singles[: room - 1], held + singles[room - 1 :]
        lang = subscriber.language
        chunks = [self._single(alert, lang, tz, now) for alert in singles]
        if folded:
            quiet = any(a.held == AlertHold.QUIET for a in held)
            chunks += self._fold_within(
                sorted(folded, key=lambda a: a.item.id), quiet, room - len(chunks), lang, tz, now
            )
        count = store.queue_alerts(db, chat_id, chunks, thread_id=subscriber.thread_id, now=now)
        # What a long fold could not fit in the hour's room waits, folded, for the next hour.
        store.hold_alerts(db, chat_id, AlertHold.CAP)
        logger.info(
            "Queued %d alert messages chat_id=%d (%d items)",
            count,
            chat_id,
            sum(len(chunk.item_ids) for chunk in chunks),
        )
        return count

    def _fold_within(
        self, folded: list[Alert], quiet: bool, room: int, lang: str, tz: ZoneInfo, now: datetime
    ) -> list[DigestChunk]:
        """The folded alerts in at most `room` messages: a fold too long for one message is
        split, and the items past the room's last message wait (issue 27: a watch on a very
        common word once queued 38 messages in one run)."""
        key, count = ("alert_held", "n_urgent") if quiet else ("alert_folded", "n_urgent_more")
        while True:
            header = t(lang, key, count=plural(lang, count, len(folded)))
            chunks = self._fold(folded, header, lang, tz, now)
            if len(chunks) <= room:
                return chunks
            # The header counts what the message holds, so it is made again for fewer items
            # (a shorter count never makes the messages longer).
            kept = {item_id for chunk in chunks[:room] for item_id in chunk.item_ids}
            folded = [alert for alert in folded if alert.item.id in kept]

    def _single(self, alert: Alert, lang: str, tz: ZoneInfo, now: datetime) -> DigestChunk:
        kind, _, value = alert.reason.partition(":")
        if kind == "topic":
            names = {topic.slug: topic.name for topic in self.core.topics()}
            header = t(lang, "alert_topic", topic=names.get(value, value))
        else:
            header = t(lang, "alert_watch", words=value)
        body = render_item(alert.item, lang=lang, tz=tz, now=now)
        return DigestChunk(f"{header}\n\n{body}", (alert.item.id,))

    @staticmethod
    def _fold(
        alerts: list[Alert], header: str, lang: str, tz: ZoneInfo, now: datetime
    ) -> list[DigestChunk]:
        """The folded alerts under one header, split between items if they are long."""
        chunks: list[DigestChunk] = []
        parts, ids = [header], []
        for alert in alerts:
            part = render_item(alert.item, lang=lang, tz=tz, now=now)
            if ids and telegram_length("\n\n".join([*parts, part])) > MAX_MESSAGE:
                chunks.append(DigestChunk("\n\n".join(parts), tuple(ids)))
                parts, ids = [], []
            parts.append(part)
            ids.append(alert.item.id)
        chunks.append(DigestChunk("\n\n".join(parts), tuple(ids)))
        return chunks


def _build_matcher(path: str) -> WatchMatcher:
    """The matcher of every watch in the database, its multi-word watches indexed by their
    rarest term in a sample of recent items (run in a thread)."""
    watches, sample = store.matcher_inputs(path, FREQUENCY_SAMPLE)
    return WatchMatcher(watches, frequencies=word_frequencies(sample))
