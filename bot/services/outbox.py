"""Sending the outbox: every pending digest message, as fast as Telegram allows, once.

The overall pace (about 30 messages a second, 20 a minute per group, everything halted while a
429's retry_after runs) is kept by PTB's AIORateLimiter under the MessageSender; this module
adds what it does not know about: one message a second to the same chat, sending many chats at
once so the limit is actually reached, and what to do with each kind of failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from time import monotonic
from typing import Protocol

from bot.digest.render import html_to_plain
from bot.errors import (
    ChatMoved,
    DeliveryError,
    DeliveryRetry,
    MessageRejected,
    RecipientGone,
    ThreadGone,
)
from bot.models import DeliveryFailure, OutboxState, PauseReason
from bot.services.core import Core
from storage import outbox as store
from storage import subscribers as subscriber_store
from storage.outbox import OutboxMessage

logger = logging.getLogger(__name__)

# Chats sent to at once. Enough to keep ~30 messages a second flowing when Telegram takes
# 100–300 ms per call and some chats wait out their one-second gap; few enough that a
# command's answer queues behind at most this many digest messages in the rate limiter.
CONCURRENCY = 24
# Telegram allows about one message a second to one chat; the parts of a long digest wait.
CHAT_GAP = 1.0
# After a network error or 5xx, tried again within the run after these pauses ...
RETRY_DELAYS = (1.0, 4.0)
# ... then left in the outbox for a later run, first this long, doubling each time.
RETRY_LATER = timedelta(minutes=5)
RETRY_LATER_MAX = timedelta(hours=6)
# A message still unsent after this long is news no more: it is given up, and counted.
GIVE_UP_AFTER = timedelta(days=3)
# This many chats in a row failing with network errors or 5xx means Telegram is down: the run
# stops instead of spending a retry round on every chat, and serve() tries again later.
OUTAGE_AFTER = 8
# Bounds the moves, fallbacks and retries of one message.
MAX_TURNS = 10
# Sent messages are kept this long (to answer "was it sent?"), then pruned.
KEEP_SENT = timedelta(days=7)


class MessageSender(Protocol):
    """Sends one message to a chat; raises RecipientGone, ChatMoved, MessageRejected,
    ThreadGone, DeliveryRetry or DeliveryError."""

    async def send(
        self, chat_id: int, text: str, *, html: bool = True, thread_id: int | None = None,
        silent: bool = False,
    ) -> None:
        """Deliver text (HTML unless html=False) to chat_id, once Telegram accepted it;
        silent: without a notification sound."""


@dataclass
class DrainResult:
    """What sending the outbox did, chat by chat."""

    chats: int = 0
    sent: int = 0  # chats whose every message went out
    failed: int = 0
    messages: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # failed chats by reason

    def add(self, outcome: ChatOutcome) -> None:
        """Count one chat's outcome."""
        self.chats += 1
        self.messages += outcome.messages
        if outcome.failure is None:
            self.sent += 1
        else:
            self.failed += 1
            self.reasons[outcome.failure] = self.reasons.get(outcome.failure, 0) + 1

    def merge(self, other: DrainResult) -> None:
        """Add another drain's counts to these (a run may take several drains)."""
        self.chats += other.chats
        self.sent += other.sent
        self.failed += other.failed
        self.messages += other.messages
        for kind, count in other.reasons.items():
            self.reasons[kind] = self.reasons.get(kind, 0) + count


@dataclass(frozen=True)
class ChatOutcome:
    """How sending one chat's pending messages went: how many Telegram accepted, and why the
    rest did not go ('blocked', 'later', 'rejected', 'expired'), or None if all went."""

    messages: int = 0
    failure: DeliveryFailure | None = None


class OutboxService:
    """Drains the outbox; one instance per process (it holds the per-chat locks)."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.concurrency = CONCURRENCY
        self.chat_gap = CHAT_GAP
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # lock, holders + waiters
        self._wake = asyncio.Event()
        self.stopping = False

    def stop(self) -> None:
        """Finish the messages being sent, start no new ones (the bot is shutting down)."""
        self.stopping = True
        self._wake.set()

    def wake(self) -> None:
        """Tell serve() there are new messages."""
        self._wake.set()

    async def wait(self, timeout: float) -> None:
        """Until wake() is called or timeout seconds pass."""
        try:
            async with asyncio.timeout(timeout):
                await self._wake.wait()
        except TimeoutError:
            pass
        self._wake.clear()

    def pending(self) -> int:
        """Messages waiting in the outbox."""
        return store.count_pending(self.core.db)

    async def drain(self, sender: MessageSender) -> DrainResult:
        """Send every chat with a message that may go now; returns what happened.

        Chats are sent `concurrency` at a time; each chat's messages go in order.
        """
        result = DrainResult()
        done: set[int] = set()
        while True:
            # Chats whose messages a /digest is sending right now are left to it.
            chats = [
                chat_id for chat_id in store.chats_due(self.core.db, self.core.now())
                if chat_id not in done and not self._is_busy(chat_id)
            ]
            if not chats or self.stopping:
                break
            done.update(chats)
            if not await self._send_all(iter(chats), sender, result):
                break
        if result.chats:
            store.prune(self.core.db, self.core.now() - KEEP_SENT)
        return result

    async def _send_all(self, chats: Iterator[int], sender: MessageSender,
                        result: DrainResult) -> bool:
        """Send the chats; False if Telegram looks down and the rest were left for later."""
        failing = 0  # chats in a row whose message had to be postponed

        async def worker() -> None:
            nonlocal failing
            # The workers share one iterator; next() never awaits, so no chat is taken twice.
            for chat_id in chats:
                if self.stopping or failing >= OUTAGE_AFTER:
                    return
                try:
                    outcome = await self.send_chat(chat_id, sender)
                except Exception:  # a bug must not stop the other chats' digests
                    logger.exception("Sending failed chat_id=%d", chat_id)
                    outcome = ChatOutcome(failure=DeliveryFailure.ERROR)
                failing = failing + 1 if outcome.failure == DeliveryFailure.LATER else 0
                result.add(outcome)

        await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        if failing >= OUTAGE_AFTER:
            logger.warning("Telegram seems down: %d chats in a row failed; the rest of the "
                           "outbox waits for the next try", failing)
            return False
        return True

    async def send_chat(self, chat_id: int, sender: MessageSender) -> ChatOutcome:
        """Send a chat's pending messages in order, one at a time, a second apart."""
        async with self._chat_lock(chat_id):
            accepted, failure, last = 0, None, 0.0
            for message in store.pending_for(self.core.db, chat_id):
                if self.stopping:
                    return ChatOutcome(accepted, DeliveryFailure.LATER)
                now = self.core.now()
                if now - message.created_at > GIVE_UP_AFTER:
                    store.give_up(self.core.db, message.id, OutboxState.EXPIRED, "too old")
                    logger.warning("Gave up an old digest message chat_id=%d id=%d",
                                   chat_id, message.id)
                    failure = DeliveryFailure.EXPIRED
                    continue
                wait = self.chat_gap - (monotonic() - last)
                if accepted and wait > 0:
                    await asyncio.sleep(wait)
                try:
                    chat_id = await self._send(sender, chat_id, message)
                except RecipientGone as exc:
                    self._chat_gone(chat_id, str(exc))
                    return ChatOutcome(accepted, DeliveryFailure.BLOCKED)
                except DeliveryRetry as exc:
                    # The chat's later messages wait too, so the parts arrive in order.
                    delay = min(RETRY_LATER * 2**message.attempts, RETRY_LATER_MAX)
                    store.postpone(self.core.db, message.id, str(exc), now + delay)
                    logger.warning("Digest postponed chat_id=%d id=%d: %s", chat_id,
                                   message.id, exc)
                    return ChatOutcome(accepted, DeliveryFailure.LATER)
                except DeliveryError as exc:
                    store.give_up(self.core.db, message.id, OutboxState.FAILED, str(exc))
                    logger.error("Digest refused chat_id=%d item_ids=%s: %s", chat_id,
                                 list(message.item_ids), exc)
                    failure = DeliveryFailure.REJECTED
                    continue
                last = monotonic()
                store.mark_sent(self.core.db, message, chat_id, self.core.now())
                accepted += 1
            return ChatOutcome(accepted, failure)

    async def _send(self, sender: MessageSender, chat_id: int, message: OutboxMessage) -> int:
        """Send one message, handling what Telegram says; returns the chat id it reached (a
        group that became a supergroup has a new one)."""
        html, text, thread_id = True, message.text, message.thread_id
        retries = 0
        for _ in range(MAX_TURNS):
            try:
                await sender.send(chat_id, text, html=html, thread_id=thread_id,
                                  silent=message.silent)
                return chat_id
            except ChatMoved as moved:
                subscriber_store.move_chat(self.core.db, chat_id, moved.new_chat_id)
                logger.info("Chat moved chat_id=%d to %d", chat_id, moved.new_chat_id)
                chat_id = moved.new_chat_id
            except ThreadGone as exc:
                if thread_id is None:
                    raise DeliveryError(str(exc)) from exc
                # The forum topic was deleted: the group's main thread still reads it.
                subscriber_store.update_subscriber(self.core.db, chat_id, thread_id=None)
                thread_id = None
            except MessageRejected as exc:
                if not html:
                    raise DeliveryError(str(exc)) from exc
                # Our escaping should make this impossible; if it happens, the reader still
                # gets the news, as plain text, and the log says which items to look at.
                logger.error("Digest refused item_ids=%s chat_id=%d: %s",
                             list(message.item_ids), chat_id, exc)
                html, text = False, html_to_plain(message.text)
            except DeliveryRetry as exc:
                if retries == len(self.retry_delays):
                    raise
                logger.info("Retrying chat_id=%d after %s", chat_id, exc)
                await asyncio.sleep(self.retry_delays[retries])
                retries += 1
        raise DeliveryRetry("delivery: no answer Telegram would take")

    def _chat_gone(self, chat_id: int, reason: str) -> None:
        # Blocked or gone: pause instead of trying again at every digest time; what was
        # waiting for it will not go out.
        subscriber_store.update_subscriber(self.core.db, chat_id, is_paused=True,
                                           paused_reason=PauseReason.GONE)
        store.give_up_chat(self.core.db, chat_id, reason)
        logger.info("Chat gone, paused chat_id=%d: %s", chat_id, reason)

    def _is_busy(self, chat_id: int) -> bool:
        return chat_id in self._locks

    @asynccontextmanager
    async def _chat_lock(self, chat_id: int) -> AsyncIterator[None]:
        """One sender per chat at a time: a /digest and a scheduled run never both send the
        same pending message. The lock is dropped when nobody holds or awaits it."""
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)
