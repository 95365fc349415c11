"""Digests: which chats are due, what each gets, and sending it through a MessageSender.

Services reach Telegram only through the MessageSender protocol, so the command-line tools
and the tests can run them without PTB.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from time import monotonic
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.digest.compose import compose_digest
from bot.digest.render import html_to_plain, render_digest, render_list
from bot.errors import ChatMoved, DeliveryError, MessageRejected, RecipientGone, UsageError
from bot.models import DigestChunk, StoredItem, Subscriber, Topic
from bot.services.core import Core
from bot.services.subscribers import SubscriberService, resolve_topics
from storage import deliveries as delivery_store
from storage import items as item_store
from storage import meta
from storage import subscribers as subscriber_store
from storage.db import to_iso

logger = logging.getLogger(__name__)

# A new subscriber's first digest reaches back this far, so it is not empty, nor a flood.
FIRST_DIGEST_REACH = timedelta(hours=24)
# However long a chat was paused, a digest never digs up news older than this.
MAX_ITEM_AGE = timedelta(days=3)
# A digest time missed while the bot was down is still sent if we are back within this.
CATCH_UP_GRACE = timedelta(hours=6)
LATEST_COUNT = 10
LAST_RUN = "last_digest_run"


class MessageSender(Protocol):
    """Sends one message to a chat; raises RecipientGone, ChatMoved, MessageRejected or
    DeliveryError."""

    async def send(self, chat_id: int, text: str, *, html: bool = True) -> None:
        """Deliver text (HTML unless html=False) to chat_id, once Telegram accepted it."""


@dataclass(frozen=True)
class RunSummary:
    """What one scheduled run did."""

    due: int = 0
    sent: int = 0
    empty: int = 0
    failed: int = 0
    messages: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)  # failures by kind
    started_at: str = ""


def latest_slot(subscriber: Subscriber, now: datetime) -> datetime | None:
    """The most recent digest time at or before now, in UTC, or None without times."""
    tz = ZoneInfo(subscriber.timezone)
    local_now = now.astimezone(tz)
    best = None
    for hhmm in subscriber.digest_times:
        hour, minute = (int(part) for part in hhmm.split(":"))
        for days_back in (0, 1):
            day = local_now.date() - timedelta(days=days_back)
            slot = datetime.combine(day, time(hour, minute), tzinfo=tz)
            if slot <= local_now:
                best = slot if best is None or slot > best else best
                break
    return best.astimezone(now.tzinfo) if best else None


class DigestService:
    """Composes and sends digests."""

    def __init__(self, core: Core, subscribers: SubscriberService) -> None:
        self.core = core
        self.subscribers = subscribers

    def pending_items(self, subscriber: Subscriber, now: datetime) -> list[StoredItem]:
        """Items on the chat's topics it has not been sent, within the reach of a digest."""
        since = max(subscriber.created_at - FIRST_DIGEST_REACH, now - MAX_ITEM_AGE)
        return item_store.unsent_for(self.core.db, subscriber.chat_id, since)

    async def send_now(self, chat_id: int, sender: MessageSender) -> int:
        """Send the chat its digest of new items; returns how many items went out (0: none).

        Raises:
            UsageError: the chat follows no topic.
            DeliveryError: Telegram did not accept a message (items in it stay unsent).
        """
        subscriber = self.subscribers.ensure(chat_id)[0]
        if not subscriber.topics:
            raise UsageError("digest: no topics")
        items, _ = await self._deliver(subscriber, self.core.now(), sender)
        return items

    async def send_due(self, sender: MessageSender) -> RunSummary:
        """Send every chat whose digest time has come; a missed time is caught up once."""
        now, started = self.core.now(), monotonic()
        due, sent, empty, failed, messages = 0, 0, 0, 0, 0
        reasons: dict[str, int] = {}
        for subscriber in subscriber_store.list_scheduled(self.core.db):
            slot = latest_slot(subscriber, now)
            done = subscriber.last_slot_at or subscriber.created_at
            if slot is None or slot <= done:
                continue
            # Recorded first: a chat whose sending fails is retried at its next time, with
            # the same unsent items, rather than every minute.
            subscriber_store.update_subscriber(self.core.db, subscriber.chat_id, last_slot_at=now)
            if now - slot > CATCH_UP_GRACE:
                logger.info("Dropped a stale digest time chat_id=%d", subscriber.chat_id)
                continue
            due += 1
            try:
                count, chunks = await self._deliver(subscriber, now, sender)
            except DeliveryError as exc:
                failed += 1
                kind = "blocked" if isinstance(exc, RecipientGone) else "error"
                reasons[kind] = reasons.get(kind, 0) + 1
                logger.warning("Digest failed chat_id=%d: %s", subscriber.chat_id, exc)
                continue
            sent, empty = (sent + 1, empty) if count else (sent, empty + 1)
            messages += chunks
        if not due:
            return RunSummary()
        summary = RunSummary(due, sent, empty, failed, messages,
                             round(monotonic() - started, 3), reasons, to_iso(now))
        logger.info("Digest run: %d due, %d sent, %d empty, %d failed", due, sent, empty,
                    failed)
        meta.set_meta(self.core.db, LAST_RUN, json.dumps(asdict(summary)))
        return summary

    def last_run(self) -> RunSummary | None:
        """The last scheduled run that had chats due, for /stats."""
        stored = meta.get_meta(self.core.db, LAST_RUN)
        return RunSummary(**json.loads(stored)) if stored else None

    async def _deliver(
        self, subscriber: Subscriber, now: datetime, sender: MessageSender
    ) -> tuple[int, int]:
        """Compose and send a chat's digest; returns (items delivered, messages sent)."""
        topics = self._topics_of(subscriber)
        sections = compose_digest(self.pending_items(subscriber, now), topics)
        chunks = render_digest(
            sections, lang=subscriber.language, tz=ZoneInfo(subscriber.timezone), now=now
        )
        delivered, chat_id = 0, subscriber.chat_id
        for chunk in chunks:
            chat_id = await self._send_chunk(sender, chat_id, chunk)
            delivery_store.mark_sent(self.core.db, chat_id, chunk.item_ids, now)
            delivered += len(chunk.item_ids)
        return delivered, len(chunks)

    async def _send_chunk(self, sender: MessageSender, chat_id: int, chunk: DigestChunk) -> int:
        """Send one message of a digest, handling what Telegram says; returns the chat id it
        reached (a group that became a supergroup has a new one)."""
        try:
            await sender.send(chat_id, chunk.html)
        except RecipientGone:
            # Blocked or gone: pause instead of trying again at every digest time.
            subscriber_store.update_subscriber(
                self.core.db, chat_id, is_paused=True, paused_reason="gone"
            )
            raise
        except ChatMoved as moved:
            subscriber_store.move_chat(self.core.db, chat_id, moved.new_chat_id)
            logger.info("Chat moved chat_id=%d to %d", chat_id, moved.new_chat_id)
            return await self._send_chunk(sender, moved.new_chat_id, chunk)
        except MessageRejected as exc:
            # Our escaping should make this impossible; if it happens, the reader still gets
            # the news, as plain text, and the log says which items to look at.
            logger.error("Digest refused item_ids=%s chat_id=%d: %s", list(chunk.item_ids),
                         chat_id, exc)
            await sender.send(chat_id, html_to_plain(chunk.html), html=False)
        return chat_id

    def latest(self, chat_id: int, names: Sequence[str]) -> tuple[list[Topic], list[StoredItem]]:
        """The newest items of the named topics, or of the chat's own topics when none is named.

        Raises:
            UnknownTopic: a name is not a topic.
            UsageError: no name given and the chat follows no topic.
        """
        if names:
            topics = resolve_topics(names, self.core.topics())
        else:
            topics = self._topics_of(self.subscribers.ensure(chat_id)[0])
            if not topics:
                raise UsageError("latest: no topics")
        items = item_store.latest(self.core.db, [t.slug for t in topics], LATEST_COUNT)
        return topics, items

    def render_latest(
        self, items: Sequence[StoredItem], *, header: str, lang: str, tz: ZoneInfo
    ) -> list[str]:
        """/latest's messages: the items under a header, in the chat's language and zone."""
        return render_list(items, header=header, lang=lang, tz=tz, now=self.core.now())

    def _topics_of(self, subscriber: Subscriber) -> list[Topic]:
        return [t for t in self.core.topics() if t.slug in subscriber.topics]
