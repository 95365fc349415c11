"""Digests: which chats are due, composing each one's digest into the outbox, and the runs
that send them (bot/services/outbox.py does the sending).

A scheduled run: every chat whose digest time has come gets its digest composed once, into the
outbox, in the same transaction that records the time as handled; the outbox is then drained.
Services reach Telegram only through the MessageSender protocol, so the command-line tools and
the tests can run them without PTB.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

from bot.digest.cluster import Story, cluster_items
from bot.digest.compose import Candidates, compose_digest
from bot.digest.render import render_digest, render_list
from bot.errors import UsageError
from bot.models import DEFAULT_CAP, DigestChunk, ScheduleSlot, Subscriber, Topic
from bot.services.core import Core
from bot.services.outbox import ChatOutcome, DrainResult, MessageSender, OutboxService
from bot.services.subscribers import SubscriberService, resolve_topics
from bot.services.weekly import weekly_items
from bot.texts import t
from storage import items as item_store
from storage import meta
from storage import outbox as outbox_store
from storage import subscribers as subscriber_store
from storage.db import to_iso

logger = logging.getLogger(__name__)

# A new subscriber's first digest reaches back this far, so it is not empty, nor a flood.
FIRST_DIGEST_REACH = timedelta(hours=24)
# However long a chat was paused, a digest never digs up news older than this.
MAX_ITEM_AGE = timedelta(days=3)
# How often serve() looks at the outbox without being woken: messages postponed after a
# network error become due again on their own.
OUTBOX_RECHECK = 30.0
LATEST_COUNT = 10
# A digest reads this many of a topic's newest items per story it shows: a busy day of a
# topic (150 for the default cap), so the stories many outlets covered meet and rank first,
# but never the whole backlog; older ones are counted and offered ...
CANDIDATES_PER_STORY = 30
# ... and at most this many when the reader asked for all.
ALL_LIMIT = 300
LAST_RUN = "last_digest_run"


@dataclass(frozen=True)
class Latest:
    """One page of /latest: the topics asked for, their stories, and whether more follow."""

    topics: list[Topic]
    stories: list[Story]
    page: int
    has_more: bool
    named: bool  # topics named by the reader (not just "my topics")


@dataclass(frozen=True)
class RunSummary:
    """What one scheduled run did (shown by /stats)."""

    due: int = 0  # chats whose digest time came
    sent: int = 0  # chats whose digest went out whole
    empty: int = 0  # chats with nothing new: no message
    failed: int = 0  # chats with a message that did not go (reasons below)
    messages: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)  # failed chats by reason
    started_at: str = ""
    dropped: int = 0  # digest times missed for longer than the catch-up grace
    waiting: int = 0  # messages left in the outbox for a later try


@dataclass
class _Run:
    """A run while it goes: composing and sending overlap, and it ends when both are done."""

    started_at: datetime
    started: float = field(default_factory=monotonic)
    due: int = 0
    empty: int = 0
    dropped: int = 0
    drained: DrainResult = field(default_factory=DrainResult)

    def summary(self, waiting: int) -> RunSummary:
        return RunSummary(
            due=self.due,
            sent=self.drained.sent,
            empty=self.empty,
            failed=self.drained.failed,
            messages=self.drained.messages,
            seconds=round(monotonic() - self.started, 3),
            reasons=self.drained.reasons,
            started_at=to_iso(self.started_at),
            dropped=self.dropped,
            waiting=waiting,
        )


def latest_slot(subscriber: Subscriber, now: datetime) -> datetime | None:
    """The most recent digest time at or before now, in UTC, or None without times."""
    due = latest_due(subscriber, now)
    return due[0] if due else None


def latest_due(subscriber: Subscriber, now: datetime) -> tuple[datetime, bool] | None:
    """The most recent digest time at or before now (UTC) and whether it is a weekly one; a
    time that falls only on some weekdays is looked for up to a week back."""
    tz = ZoneInfo(subscriber.timezone)
    local_now = now.astimezone(tz)
    best: tuple[datetime, bool] | None = None
    for entry in subscriber.digest_times:
        slot = ScheduleSlot.from_entry(entry)
        for days_back in range(8):
            day = local_now.date() - timedelta(days=days_back)
            at = datetime.combine(day, time(slot.hour, slot.minute), tzinfo=tz)
            if at <= local_now and day.isoweekday() in slot.days:
                if best is None or at > best[0]:
                    best = (at, slot.weekly)
                break
    return (best[0].astimezone(now.tzinfo), best[1]) if best else None


class DigestService:
    """Composes digests into the outbox and runs the sending."""

    def __init__(self, core: Core, subscribers: SubscriberService,
                 outbox: OutboxService) -> None:
        self.core = core
        self.subscribers = subscribers
        self.outbox = outbox
        # A digest time missed while the bot was down is still sent if we are back within this.
        self.catch_up = timedelta(hours=core.settings.digest_catch_up_hours)
        self._run: _Run | None = None
        self._composing = False

    def candidates(self, subscriber: Subscriber, now: datetime,
                   through: int) -> dict[str, Candidates]:
        """Per followed topic, the newest items the next digest may show: a bounded read
        (a few times the cap), plus a count of the rest, which the digest offers unshown."""
        since = max(subscriber.created_at - FIRST_DIGEST_REACH, now - MAX_ITEM_AGE)
        topics = self._topics_of(subscriber)
        regions = [t.slug for t in topics if t.is_region] if subscriber.region_only else []
        cap = self._cap(subscriber)
        limit = cap * CANDIDATES_PER_STORY if cap else ALL_LIMIT
        found = {}
        for topic in topics:
            items, total = item_store.digest_candidates(
                self.core.db, subscriber.chat_id, topic.slug, since=since,
                after=subscriber.offered_through or 0, through=through,
                regions=[] if topic.is_region else regions, limit=limit,
            )
            found[topic.slug] = Candidates(items, total)
        return found

    @staticmethod
    def _cap(subscriber: Subscriber) -> int:
        return DEFAULT_CAP if subscriber.digest_cap is None else subscriber.digest_cap

    async def send_now(self, chat_id: int, sender: MessageSender) -> ChatOutcome:
        """/digest: compose the chat's digest of new items and send it, with anything still
        waiting for the chat in the outbox. outcome.messages is 0 when there was nothing.

        Raises:
            UsageError: the chat follows no topic.
        """
        subscriber = self.subscribers.get_or_create(chat_id)
        if not subscriber.topics:
            raise UsageError("digest: no topics")
        now = self.core.now()
        self._queue(subscriber, now, now, scheduled=False)
        return await self.outbox.send_chat(chat_id, sender)

    async def send_due(self, sender: MessageSender) -> RunSummary:
        """A whole scheduled run, start to end: compose what is due, send it all."""
        await self.queue_due()
        return await self.finish_run(sender) or RunSummary()

    async def queue_due(self) -> None:
        """Compose the digest of every chat whose time has come into the outbox.

        A time missed while the bot was down is caught up once (the latest one only), if it
        is within the catch-up grace; older ones are dropped and counted. serve() is woken
        after each chat, so sending starts while the rest are still being composed.
        """
        if self._composing:
            return  # the previous check is still composing (a very large morning)
        now, started, composed = self.core.now(), monotonic(), 0
        self._composing = True
        try:
            for subscriber in subscriber_store.list_scheduled(self.core.db):
                due = latest_due(subscriber, now)
                slot, weekly = due if due else (None, False)
                if slot is None or slot <= (subscriber.last_slot_at or subscriber.created_at):
                    continue
                run = self._open_run(now)
                if now - slot > self.catch_up:
                    subscriber_store.update_subscriber(self.core.db, subscriber.chat_id,
                                                       last_slot_at=now)
                    logger.info("Dropped a stale digest time chat_id=%d", subscriber.chat_id)
                    run.dropped += 1
                    continue
                run.due += 1
                composed += 1
                if self._queue(subscriber, slot, now, weekly=weekly):
                    self.outbox.wake()
                else:
                    run.empty += 1
                # Composing thousands of digests must not keep commands waiting.
                await asyncio.sleep(0)
        finally:
            self._composing = False
        if composed:
            logger.info("Composed %d digests in %.1f s", composed, monotonic() - started)
        if self._run is not None:
            self.outbox.wake()

    async def finish_run(self, sender: MessageSender) -> RunSummary | None:
        """Send what the outbox holds; once composing is over too, record and return the run
        (None while it goes on, or when there was nothing to do)."""
        drained = await self.outbox.drain(sender)
        if drained.chats:
            self._open_run(self.core.now()).drained.merge(drained)
        if self._run is None or self._composing:
            return None
        summary, self._run = self._run.summary(self.outbox.pending()), None
        logger.info("Digest run: %d due, %d sent, %d empty, %d failed, %d dropped, "
                    "%d messages in %.1f s", summary.due, summary.sent, summary.empty,
                    summary.failed, summary.dropped, summary.messages, summary.seconds)
        meta.set_meta(self.core.db, LAST_RUN, json.dumps(asdict(summary)))
        return summary

    async def serve(self, sender: MessageSender) -> None:
        """Send the outbox whenever it has something, until outbox.stop() (the bot's delivery
        task; it also finishes what a killed process left in the outbox)."""
        while not self.outbox.stopping:
            try:
                await self.finish_run(sender)
            except Exception:  # e.g. the disk is full; the task must live on regardless
                logger.exception("Delivery run failed; the outbox is tried again shortly")
            await self.outbox.wait(OUTBOX_RECHECK)

    def last_run(self) -> RunSummary | None:
        """The last scheduled run that had chats due, for /stats."""
        stored = meta.get_meta(self.core.db, LAST_RUN)
        return RunSummary(**json.loads(stored)) if stored else None

    def _open_run(self, now: datetime) -> _Run:
        if self._run is None:
            self._run = _Run(started_at=now)
        return self._run

    def _queue(self, subscriber: Subscriber, due_at: datetime, now: datetime, *,
               scheduled: bool = True, weekly: bool = False) -> int:
        """Compose a chat's digest into the outbox; returns the messages queued (0: none).

        Every candidate item present now counts as offered, shown or not: the next digest
        starts after it, and /latest keeps the ones not shown within reach. A weekly digest
        looks back on the week's most reported stories and offers nothing.
        """
        topics = self._topics_of(subscriber)
        if weekly:
            items = weekly_items(self.core.db, topics, now)
            chosen = {t.slug: [i for i in items if t.slug in i.tags] for t in topics}
            candidates = {slug: Candidates(found, len(found)) for slug, found in chosen.items()}
            through, cap = None, 0  # weekly_items already chose each topic's top stories
        else:
            through = item_store.newest_id(self.core.db)
            candidates, cap = self.candidates(subscriber, now, through), self._cap(subscriber)
        sections = compose_digest(candidates, topics, cap)
        chunks = render_digest(
            sections, lang=subscriber.language, tz=ZoneInfo(subscriber.timezone), now=now
        )
        if weekly and chunks:
            chunks.insert(0, DigestChunk(t(subscriber.language, "weekly_intro"), ()))
        return outbox_store.queue_digest(
            self.core.db, subscriber.chat_id, due_at, chunks,
            thread_id=subscriber.thread_id, now=now, scheduled=scheduled, offered_through=through,
        )

    def latest(self, chat_id: int, words: Sequence[str]) -> Latest:
        """/latest [topic…] [page]: a page of the newest items of the named topics (or the
        chat's own), merged into stories like a digest. Pages go by items, so each item is on
        exactly one page and every item a digest left out can be reached.

        Raises:
            UnknownTopic: a name is not a topic.
            UsageError: no name given and the chat follows no topic.
        """
        names, page = list(words), 1
        if names and names[-1].isdigit() and len(names[-1]) <= 4:
            page = max(int(names.pop()), 1)
        if names:
            topics = resolve_topics(names, self.core.topics())
        else:
            topics = self._topics_of(self.subscribers.lookup(chat_id))
            if not topics:
                raise UsageError("latest: no topics")
        items = item_store.latest(self.core.db, [t.slug for t in topics], LATEST_COUNT + 1,
                                  offset=(page - 1) * LATEST_COUNT)
        stories = sorted(cluster_items(items[:LATEST_COUNT]),
                         key=lambda story: max(i.published_at for i in story.items),
                         reverse=True)
        return Latest(topics, stories, page, len(items) > LATEST_COUNT, named=bool(names))

    def render_latest(
        self, latest: Latest, *, header: str, footer: str, lang: str, tz: ZoneInfo
    ) -> list[str]:
        """/latest's messages: the stories under a header, in the chat's language and zone."""
        return render_list(latest.stories, header=header, footer=footer, lang=lang, tz=tz,
                           now=self.core.now())

    def _topics_of(self, subscriber: Subscriber) -> list[Topic]:
        return [t for t in self.core.topics() if t.slug in subscriber.topics]
