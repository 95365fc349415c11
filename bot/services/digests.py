"""Digests: which chats are due, and composing each one's digest into the outbox (the
outbox service sends it, and keeps the book of the run).

A scheduled run: every chat whose digest time has come gets its digest composed once, into the
outbox, in the same transaction that records the time as handled. Composing reads and ranks in
a thread of its own, with its own read-only connection, while the event loop stores each digest
as it comes and keeps sending and answering commands: sending starts with the first digest, not
after the last. Readers who follow the same topics with the same settings and have the same
items waiting get the same digest, which is composed once per run (an "edition").
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from time import monotonic
from typing import Generic, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.digest.cluster import Story, cluster_items
from bot.digest.compose import Candidates, compose_digest
from bot.digest.render import render_digest, render_list
from bot.errors import UsageError
from bot.models import DEFAULT_CAP, DigestChunk, ScheduleSlot, Subscriber, Topic
from bot.runtime.core import Core
from bot.runtime.locks import ChatLocks
from bot.services.outbox.engine import ChatOutcome, OutboxService, RunSummary
from bot.services.subscribers import SubscriberService, resolve_topics
from bot.services.weekly import weekly_items
from bot.text.texts import t
from storage import items as item_store
from storage import outbox as outbox_store
from storage import subscribers as subscriber_store
from storage.db import database_file, open_read_only

logger = logging.getLogger(__name__)

# A new subscriber's first digest reaches back this far, so it is not empty, nor a flood.
FIRST_DIGEST_REACH = timedelta(hours=24)
# However long a chat was paused, a digest never digs up news older than this.
MAX_ITEM_AGE = timedelta(days=3)
LATEST_COUNT = 10
# A digest reads this many of a topic's newest items per story it shows: a busy day of a
# topic (150 for the default cap), so the stories many outlets covered meet and rank first,
# but never the whole backlog; older ones are counted and offered ...
CANDIDATES_PER_STORY = 30
# ... and at most this many when the reader asked for all.
ALL_LIMIT = 300
# Chats composed per trip to the composing thread: few enough that the first digests are
# stored within a fraction of a second; then twice as many each trip, up to MAX_BATCH. While
# the bot sends at full speed a trip's way back to the event loop takes 0.1-0.25 s whatever
# its size (composing 50 chats takes 10 ms): in batches of 50, 3,000 digests took 10 s.
BATCH = 50
MAX_BATCH = 400
# Editions kept for reuse: a run's distinct (topics, settings, items) combinations; as many
# topic reads.
EDITIONS = 64

V = TypeVar("V")


@dataclass(frozen=True)
class Latest:
    """One page of /latest: the topics asked for, their stories, and whether more follow."""

    topics: list[Topic]
    stories: list[Story]
    page: int
    has_more: bool
    named: bool  # topics named by the reader (not just "my topics")


class Memo(Generic[V]):
    """The last `size` values by key; used by the composing thread only."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        """The value kept for key, or None."""
        value = self._values.get(key)
        if value is not None:
            self._values.move_to_end(key)
        return value

    def clear(self) -> None:
        """Forget every value."""
        self._values.clear()

    def put(self, key: Hashable, value: V) -> None:
        """Keep a value, forgetting the least recently used one past `size`."""
        self._values[key] = value
        if len(self._values) > self.size:
            self._values.popitem(last=False)


class ReadKey(NamedTuple):
    """What a topic's candidate read depends on: readers with the same key share it."""

    topic: str
    since: datetime
    after_id: int  # the topic's offered mark
    newest_id: int
    regions: tuple[str, ...]  # a region-only reader's regions narrow a subject's read
    limit: int


class EditionKey(NamedTuple):
    """What a rendered digest depends on: readers with the same key get the same messages."""

    topics: tuple[Topic, ...]
    cap: int
    language: str
    timezone: str
    now: datetime
    weekly: bool
    items: tuple[tuple[str, tuple[int, ...], int], ...]  # per topic: shown ids, total


@dataclass(frozen=True)
class DigestRequest:
    """A request to compose a chat's digest, taken on the event loop: the reader, their topics
    as they are now, and the moments it is for."""

    subscriber: Subscriber
    topics: tuple[Topic, ...]
    due_at: datetime
    now: datetime
    weekly: bool = False
    shared: bool = True  # a scheduled run's: may share reads and editions with other chats


@dataclass(frozen=True)
class Composed:
    """A composed digest, ready for the outbox: its messages and the newest item it considered
    (None for a weekly digest, which offers nothing)."""

    chunks: list[DigestChunk]
    newest_id: int | None
    topics: tuple[str, ...] = ()  # the topics `newest_id` becomes the offered mark of


def reach(subscriber: Subscriber, slug: str, now: datetime) -> tuple[datetime, int]:
    """How far a chat's next digest reaches into one followed topic: items published since
    a day before the topic was followed (never more than MAX_ITEM_AGE ago), and with an id
    above the newest one its digests offered (issue 22: a topic followed later has a reach of
    its own, like a new reader's first digest, instead of starting after the other topics)."""
    mark = subscriber.mark(slug)
    followed = mark.followed_at or subscriber.created_at
    return max(followed - FIRST_DIGEST_REACH, now - MAX_ITEM_AGE), mark.offered_through or 0


def offered_floor(subscriber: Subscriber) -> int:
    """The lowest mark of the chat's topics: no digest of it may offer an item at or below
    it again, so only its deliveries above it need to be read to leave them out."""
    return min(
        (subscriber.mark(slug).offered_through or 0 for slug in subscriber.topics), default=0
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
    """Composes digests into the outbox, off the event loop."""

    def __init__(self, core: Core, subscribers: SubscriberService, outbox: OutboxService) -> None:
        self.core = core
        self.subscribers = subscribers
        self.outbox = outbox
        # A digest time missed while the bot was down is still sent if we are back within this.
        self.catch_up = timedelta(hours=core.settings.digest_catch_up_hours)
        self._composing = False
        # One thread composes, with its own read-only connection (a connection belongs to the
        # thread that opened it); SQLite lets it read while the loop's connection writes.
        self._composer = ThreadPoolExecutor(1, thread_name_prefix="warta-compose")
        self._closed = False
        self._reader = threading.local()
        self._path = database_file(core.db)
        self._editions: Memo[list[DigestChunk]] = Memo(EDITIONS)
        self._reads: Memo[Candidates] = Memo(EDITIONS)
        # A chat's digest is composed and stored by one at a time (a /digest racing the
        # scheduled run): the second sees the first's items as waiting and leaves them out.
        self._chats = ChatLocks()

    def close(self) -> None:
        """Stop the composing thread and close its connection (again: nothing)."""
        if self._closed:
            return
        self._closed = True
        self._composer.submit(self._close_reader).result()
        self._composer.shutdown(wait=True)

    def candidates(
        self,
        db: Database,
        subscriber: Subscriber,
        topics: Sequence[Topic],
        now: datetime,
        newest_id: int,
        excluded: Sequence[int],
        *,
        shared: bool,
    ) -> dict[str, Candidates]:
        """Per followed topic, the newest items the next digest may show, leaving out the
        `excluded` ones: a bounded read (a few times the cap), plus a count of the rest, which
        the digest offers unshown. Each topic reaches as far as its own mark (see `reach`).

        Readers whose last digest went at the same time reach for the same items: in a
        `shared` (scheduled) run, a read is kept for the next of them while no new item
        arrives, unless the chat has items of its own to leave out (sent by /digest or an
        alert, or waiting in the outbox).
        """
        regions = [t.slug for t in topics if t.is_region] if subscriber.region_only else []
        cap = self._cap(subscriber)
        limit = cap * CANDIDATES_PER_STORY if cap else ALL_LIMIT
        shared = shared and not excluded
        found = {}
        for topic in topics:
            since, after = reach(subscriber, topic.slug, now)
            narrow = () if topic.is_region else tuple(regions)
            key = ReadKey(topic.slug, since, after, newest_id, narrow, limit)
            read = self._reads.get(key) if shared else None
            if read is None:
                read = Candidates(
                    *item_store.digest_candidates(
                        db,
                        topic.slug,
                        since=since,
                        after=after,
                        through=newest_id,
                        excluded=excluded,
                        regions=narrow,
                        limit=limit,
                    )
                )
                if shared:
                    self._reads.put(key, read)
            found[topic.slug] = read
        return found

    @staticmethod
    def _cap(subscriber: Subscriber) -> int:
        return DEFAULT_CAP if subscriber.digest_cap is None else subscriber.digest_cap

    async def send_now(self, chat_id: int) -> ChatOutcome:
        """/digest: compose the chat's digest of new items and send it, with anything still
        waiting for the chat in the outbox. outcome.messages is 0 when there was nothing.

        Raises:
            UsageError: the chat follows no topic.
        """
        subscriber = self.subscribers.get_or_create(chat_id)
        if not subscriber.topics:
            raise UsageError("digest: no topics")
        now = self.core.now()
        topics = tuple(self._topics_of(subscriber))
        request = DigestRequest(subscriber, topics, now, now, shared=False)
        await self._queue_batch([request], scheduled=False)
        return await self.outbox.send_chat(chat_id)

    async def send_due(self) -> RunSummary:
        """A whole scheduled run, start to end: compose what is due, send it all."""
        await self.queue_due()
        return await self.outbox.finish_run() or RunSummary()

    async def queue_due(self) -> None:
        """Compose the digest of every chat whose time has come into the outbox.

        A time missed while the bot was down is caught up once (the latest one only), if it
        is within the catch-up grace; older ones are dropped and counted. Chats are composed
        in batches, BATCH first, and each batch is stored as it comes, so sending starts while
        the rest are still being composed.
        """
        if self._composing:
            return  # the previous check is still composing (a very large morning)
        now, started = self.core.now(), monotonic()
        self._composing = True
        try:
            requests = self._due_requests(now)
            if not requests:
                return
            # What the last run kept may be stale (a /retag, a topic edited since).
            await asyncio.get_running_loop().run_in_executor(self._composer, self._forget)
            with self.outbox.composing(now) as run:
                run.due += len(requests)
                first, size = 0, BATCH
                while first < len(requests):
                    queued = await self._queue_batch(requests[first : first + size])
                    run.empty += queued.count(0)
                    first, size = first + size, min(2 * size, MAX_BATCH)
        finally:
            self._composing = False
        logger.info("Composed %d digests in %.1f s", len(requests), monotonic() - started)

    def _due_requests(self, now: datetime) -> list[DigestRequest]:
        """What each due chat's digest is to be composed from; times missed for longer than
        the catch-up grace are marked handled and counted as dropped."""
        requests = []
        for subscriber in subscriber_store.list_scheduled(self.core.db):
            due = latest_due(subscriber, now)
            slot, weekly = due if due else (None, False)
            if slot is None or slot <= (subscriber.last_slot_at or subscriber.created_at):
                continue
            if now - slot > self.catch_up:
                subscriber_store.update_subscriber(
                    self.core.db, subscriber.chat_id, last_slot_at=now
                )
                logger.info("Dropped a stale digest time chat_id=%d", subscriber.chat_id)
                with self.outbox.composing(now) as run:
                    run.dropped += 1
                continue
            topics = tuple(self._topics_of(subscriber))
            requests.append(DigestRequest(subscriber, topics, slot, now, weekly))
        return requests

    async def _queue_batch(
        self, requests: Sequence[DigestRequest], *, scheduled: bool = True
    ) -> list[int]:
        """Compose chats' digests in the composing thread (the loop goes on meanwhile), then
        put each in the outbox; returns the messages queued per chat (0: none)."""
        loop = asyncio.get_running_loop()
        async with AsyncExitStack() as held:
            for request in requests:
                await held.enter_async_context(self._chats.hold(request.subscriber.chat_id))
            composed = await loop.run_in_executor(self._composer, self._compose_batch, requests)
            return self._store(requests, composed, scheduled=scheduled)

    def _compose_batch(self, requests: Sequence[DigestRequest]) -> list[Composed]:
        """Chats' digests, read through the composing thread's own connection.

        What every chat shares (the newest item) and what each must leave out are read once
        for the batch: the editions and reads the chats share are kept in memory, so most
        chats then need no query at all. (Each query lets the busy event loop take the GIL,
        and the thread waits up to 5 ms to get it back: with two queries a chat, composing
        3,000 digests beside a paid broadcast took 3.1-3.8 s instead of 1.6.)
        """
        db = self._read_db()
        newest_id = item_store.newest_id(db)
        excluded = item_store.excluded_items(
            db,
            {o.subscriber.chat_id: offered_floor(o.subscriber) for o in requests if not o.weekly},
        )
        return [
            self._compose(db, request, newest_id, excluded.get(request.subscriber.chat_id, []))
            for request in requests
        ]

    def _compose(
        self, db: Database, request: DigestRequest, newest_id: int, excluded: Sequence[int]
    ) -> Composed:
        """A chat's digest of the items up to `newest_id`, but the `excluded` ones.

        Every candidate item present now counts as offered, shown or not: the next digest
        starts after it, and /latest keeps the ones not shown within reach. A weekly digest
        looks back on the week's most reported stories and offers nothing.
        """
        subscriber, topics = request.subscriber, request.topics
        if request.weekly:
            items = weekly_items(db, topics, request.now)
            chosen = {t.slug: [i for i in items if t.slug in i.tags] for t in topics}
            candidates = {slug: Candidates(found, len(found)) for slug, found in chosen.items()}
            # weekly_items already chose each topic's top stories: no cap.
            return Composed(self._edition(request, candidates, 0), None)
        candidates = self.candidates(
            db, subscriber, topics, request.now, newest_id, excluded, shared=request.shared
        )
        return Composed(
            self._edition(request, candidates, self._cap(subscriber)), newest_id, tuple(candidates)
        )

    def _edition(
        self, request: DigestRequest, candidates: dict[str, Candidates], cap: int
    ) -> list[DigestChunk]:
        """The rendered digest of these candidates for this reader's settings, composed once
        for every reader it is the same for."""
        subscriber = request.subscriber
        key = EditionKey(
            request.topics,
            cap,
            subscriber.language,
            subscriber.timezone,
            request.now,
            request.weekly,
            tuple((slug, tuple(i.id for i in c.items), c.total) for slug, c in candidates.items()),
        )
        chunks = self._editions.get(key) if request.shared else None
        if chunks is not None:
            return chunks
        sections = compose_digest(candidates, request.topics, cap)
        chunks = render_digest(
            sections, lang=subscriber.language, tz=ZoneInfo(subscriber.timezone), now=request.now
        )
        if request.weekly and chunks:
            chunks.insert(0, DigestChunk(t(subscriber.language, "weekly_intro"), ()))
        self._editions.put(key, chunks)
        return chunks

    def _read_db(self) -> Database:
        """The composing thread's read-only connection to the bot's database."""
        db = getattr(self._reader, "db", None)
        if db is None:
            db = self._reader.db = open_read_only(self._path)
        return db

    def _forget(self) -> None:
        self._editions.clear()
        self._reads.clear()

    def _close_reader(self) -> None:
        db = getattr(self._reader, "db", None)
        if db is not None:
            db.close()
            self._reader.db = None

    def _store(
        self, requests: Sequence[DigestRequest], composed: Sequence[Composed], *, scheduled: bool
    ) -> list[int]:
        """Put composed digests in the outbox (and, for scheduled ones, mark their times as
        handled), in one transaction: one commit for the batch, not one per chat. Returns the
        messages queued per chat, 0 for none."""
        with self.core.db.atomic():
            queued = [
                outbox_store.queue_digest(
                    self.core.db,
                    request.subscriber.chat_id,
                    request.due_at,
                    digest.chunks,
                    thread_id=request.subscriber.thread_id,
                    now=request.now,
                    scheduled=scheduled,
                    offered_through=digest.newest_id,
                    offered_topics=digest.topics,
                )
                for request, digest in zip(requests, composed, strict=True)
            ]
        for request, count in zip(requests, queued, strict=True):
            if count:
                self.outbox.announce(request.subscriber.chat_id)
        return queued

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
        items = item_store.latest(
            self.core.db,
            [t.slug for t in topics],
            LATEST_COUNT + 1,
            offset=(page - 1) * LATEST_COUNT,
        )
        stories = sorted(
            cluster_items(items[:LATEST_COUNT]),
            key=lambda story: max(i.published_at for i in story.items),
            reverse=True,
        )
        return Latest(topics, stories, page, len(items) > LATEST_COUNT, named=bool(names))

    def render_latest(
        self, latest: Latest, *, header: str, footer: str, lang: str, tz: ZoneInfo
    ) -> list[str]:
        """/latest's messages: the stories under a header, in the chat's language and zone."""
        return render_list(
            latest.stories, header=header, footer=footer, lang=lang, tz=tz, now=self.core.now()
        )

    def _topics_of(self, subscriber: Subscriber) -> list[Topic]:
        return [t for t in self.core.topics() if t.slug in subscriber.topics]
