"""Sending the outbox: every pending digest message, as fast as Telegram allows, once; the
delivery task that does it for the life of the bot (serve), and the book of each scheduled run
(what was due, sent, empty, failed), which /stats shows.

The overall pace (about 30 messages a second, 20 a minute per group, everything halted while a
429's retry_after runs) is kept by PTB's AIORateLimiter under the MessageSender; this module
adds what it does not know about: one message a second to the same chat, sending many chats at
once so the limit is actually reached, and what to do with each kind of failure.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
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
from bot.runtime.core import Core
from bot.runtime.locks import ChatLocks
from storage import meta
from storage import outbox as store
from storage import subscribers as subscriber_store
from storage.db import to_iso
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
# How often serve() looks at the outbox without being woken: messages postponed after a
# network error become due again on their own.
OUTBOX_RECHECK = 30.0
LAST_RUN = "last_digest_run"
# While a run composes, a sending worker with nothing to send looks again this often even
# without news (the news of the run's end wakes it at once).
NEWS_WAIT = 1.0


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


class Offline:
    """The sender of a process without Telegram (the command-line tools): nothing goes out,
    and a message that somehow tried stays in the outbox for the bot."""

    async def send(
        self, chat_id: int, text: str, *, html: bool = True, thread_id: int | None = None,
        silent: bool = False,
    ) -> None:
        """Refuse, as a network failure would: the message is tried again later."""
        raise DeliveryRetry("offline: this process does not talk to Telegram")


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
class Run:
    """A run while it goes: composing (counted by the digests) and sending (by the drains)
    overlap, and it ends when both are done."""

    started_at: datetime
    started: float = field(default_factory=monotonic)
    due: int = 0
    empty: int = 0
    dropped: int = 0
    composing: int = 0  # composers at work; the run stays open while any is
    drained: DrainResult = field(default_factory=DrainResult)

    def summary(self, waiting: int) -> RunSummary:
        """The finished run's figures."""
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


class OutboxService:
    """Sends the outbox through `sender`; one instance per process (it holds the per-chat
    locks and the current run)."""

    def __init__(self, core: Core, sender: MessageSender) -> None:
        self.core = core
        self.sender = sender
        self.concurrency = CONCURRENCY
        self.chat_gap = CHAT_GAP
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS
        # One sender per chat at a time: a /digest and a scheduled run never both send the
        # same pending message.
        self._locks = ChatLocks()
        self._wake = asyncio.Event()  # serve(): the outbox has something
        self._news = asyncio.Event()  # a sending run's idle workers: a digest was stored
        self._fresh: deque[int] = deque()  # chats whose digest was stored, in order
        # Messages Telegram accepted, waiting for the commit that records them (_record_sent).
        self._accepted: list[tuple[OutboxMessage, int]] = []
        self._recorded: asyncio.Future[None] | None = None
        self._run: Run | None = None
        self.stopping = False

    def stop(self) -> None:
        """Finish the messages being sent, start no new ones (the bot is shutting down)."""
        self.stopping = True
        self.wake()

    def wake(self) -> None:
        """Tell serve() there are new messages."""
        self._wake.set()
        self._news.set()

    def announce(self, chat_id: int) -> None:
        """A chat's digest was just stored: a run that is sending takes it next."""
        self._fresh.append(chat_id)
        self.wake()

    async def wait(self, timeout: float) -> None:
        """Until wake() is called or timeout seconds pass."""
        await _set_within(self._wake, timeout)
        self._wake.clear()

    def pending(self) -> int:
        """Messages waiting in the outbox."""
        return store.count_pending(self.core.db)

    async def serve(self) -> None:
        """Send the outbox whenever it has something, until stop() (the bot's delivery task;
        it also finishes what a killed process left in the outbox)."""
        while not self.stopping:
            try:
                await self.finish_run()
            except Exception:  # e.g. the disk is full; the task must live on regardless
                logger.exception("Delivery run failed; the outbox is tried again shortly")
            await self.wait(OUTBOX_RECHECK)

    @contextmanager
    def composing(self, now: datetime) -> Iterator[Run]:
        """The current run, kept open while the caller composes into it (a run ends only when
        its chats are composed and sent)."""
        run = self._open_run(now)
        run.composing += 1
        try:
            yield run
        finally:
            run.composing -= 1
            self.wake()

    async def finish_run(self) -> RunSummary | None:
        """Send what the outbox holds; once composing is over too, record and return the run
        (None while it goes on, or when there was nothing to do)."""
        drained = await self.drain()
        if drained.chats:
            self._open_run(self.core.now()).drained.merge(drained)
        if self._run is None or self._run.composing:
            return None
        summary, self._run = self._run.summary(self.pending()), None
        logger.info("Digest run: %d due, %d sent, %d empty, %d failed, %d dropped, "
                    "%d messages in %.1f s", summary.due, summary.sent, summary.empty,
                    summary.failed, summary.dropped, summary.messages, summary.seconds)
        meta.set_meta(self.core.db, LAST_RUN, json.dumps(asdict(summary)))
        return summary

    def last_run(self) -> RunSummary | None:
        """The last scheduled run that had chats due, for /stats."""
        stored = meta.get_meta(self.core.db, LAST_RUN)
        return RunSummary(**json.loads(stored)) if stored else None

    def _open_run(self, now: datetime) -> Run:
        if self._run is None:
            self._run = Run(started_at=now)
        return self._run

    async def drain(self) -> DrainResult:
        """Send every chat with a message that may go now, and, while a run is composing,
        each chat whose digest is stored meanwhile; returns what happened.

        Chats are sent `concurrency` at a time; each chat's messages go in order.
        """
        result = DrainResult()
        taken: set[int] = set()
        while not self.stopping:
            # What the composer announced so far is in the outbox, so in this query.
            self._fresh.clear()
            # Chats whose messages a /digest is sending right now are left to it.
            ready = deque(chat_id for chat_id in store.chats_due(self.core.db, self.core.now())
                          if chat_id not in taken and not self._locks.busy(chat_id))
            if not ready and not self._composing():
                break
            taken.update(ready)
            if not await self._send_all(ready, taken, result):
                break
        if result.chats:
            store.prune(self.core.db, self.core.now() - KEEP_SENT)
        return result

    async def _send_all(self, ready: deque[int], taken: set[int], result: DrainResult) -> bool:
        """Send the ready chats, and the fresh ones as the composer announces them; False if
        Telegram looks down and the rest were left for later."""
        failing = 0  # chats in a row whose message had to be postponed

        async def worker() -> None:
            nonlocal failing
            while (chat_id := await self._next_chat(ready, taken)) is not None:
                if failing >= OUTAGE_AFTER:
                    return
                try:
                    outcome = await self.send_chat(chat_id)
                except Exception:  # a bug must not stop the other chats' digests
                    logger.exception("Sending failed chat_id=%d", chat_id)
                    outcome = ChatOutcome(failure=DeliveryFailure.ERROR)
                failing = failing + 1 if outcome.failure == DeliveryFailure.LATER else 0
                if outcome.messages or outcome.failure:
                    result.add(outcome)

        await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        if failing >= OUTAGE_AFTER:
            logger.warning("Telegram seems down: %d chats in a row failed; the rest of the "
                           "outbox waits for the next try", failing)
            return False
        return True

    async def _next_chat(self, ready: deque[int], taken: set[int]) -> int | None:
        """The next chat to send: a ready one, else one the composer announced; while a run
        is composing, wait for one. None when there is nothing left (or the bot stops).

        Nothing here awaits between looking and taking, so no chat is taken twice.
        """
        while not self.stopping:
            if ready:
                return ready.popleft()
            while self._fresh:
                chat_id = self._fresh.popleft()
                if chat_id not in taken and not self._locks.busy(chat_id):
                    taken.add(chat_id)
                    return chat_id
            if not self._composing():
                return None
            self._news.clear()
            await _set_within(self._news, NEWS_WAIT)
        return None

    def _composing(self) -> bool:
        return self._run is not None and self._run.composing > 0

    async def send_chat(self, chat_id: int) -> ChatOutcome:
        """Send a chat's pending messages in order, one at a time, a second apart."""
        async with self._locks.hold(chat_id):
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
                    chat_id = await self._send(chat_id, message)
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
                await self._record_sent(message, chat_id)
                accepted += 1
            return ChatOutcome(accepted, failure)

    async def _record_sent(self, message: OutboxMessage, chat_id: int) -> None:
        """Record a message Telegram accepted; returns once it is committed.

        The messages accepted in one turn of the event loop are recorded together, in one
        transaction, at the start of the next turn: with hundreds of paid broadcasts in flight,
        a commit per message was an eighth of the bot's work. Nothing waits for a batch to fill,
        so a kill can repeat no more than before: the messages whose answer was being read.
        """
        if not self._accepted:
            loop = asyncio.get_running_loop()
            self._recorded = loop.create_future()
            loop.call_soon(self._commit_accepted)
        self._accepted.append((message, chat_id))
        assert self._recorded is not None
        # Shielded: a sender cancelled meanwhile (the bot stopping) leaves the others' wait.
        await asyncio.shield(self._recorded)

    def _commit_accepted(self) -> None:
        accepted, self._accepted = self._accepted, []
        recorded = self._recorded
        assert recorded is not None
        try:
            store.mark_sent(self.core.db, accepted, self.core.now())
        except Exception as exc:  # e.g. the disk is full: each sender's chat fails with it
            recorded.set_exception(exc)
        else:
            recorded.set_result(None)

    async def _send(self, chat_id: int, message: OutboxMessage) -> int:
        """Send one message, handling what Telegram says; returns the chat id it reached (a
        group that became a supergroup has a new one)."""
        html, text, thread_id = True, message.text, message.thread_id
        retries = 0
        for _ in range(MAX_TURNS):
            try:
                await self.sender.send(chat_id, text, html=html, thread_id=thread_id,
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


async def _set_within(event: asyncio.Event, timeout: float) -> None:
    """Until the event is set or timeout seconds pass, whichever comes first."""
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        pass
