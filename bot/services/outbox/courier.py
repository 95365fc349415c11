"""One chat's messages on their way out: the Courier sends them in order, a second apart, and
decides what each of Telegram's answers means for them (a moved chat, a deleted forum topic,
refused HTML, a blocked chat, no answer at all); the SentLog records what Telegram accepted.

While Telegram does not answer at all (bot.runtime.uplink), a courier spends none of the
chat's retries on it: it waits for the link to come back and sends the same message, so the
messages go out in due order, once, within moments of Telegram answering again. A failure
that is one chat's (its own 5xx, a flood wait) is retried twice and then postponed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from time import monotonic
from typing import TYPE_CHECKING

from bot.digest.render import html_to_plain
from bot.errors import (
    ChatMoved,
    DeliveryError,
    DeliveryRetry,
    MessageRejected,
    RecipientGone,
    TelegramUnreachable,
    ThreadGone,
)
from bot.models import DeliveryFailure, OutboxState, PauseReason
from bot.runtime.core import Core
from bot.runtime.locks import ChatLocks
from bot.runtime.uplink import Uplink
from bot.services.outbox.runs import ChatOutcome
from storage import outbox as store
from storage import subscribers as subscriber_store
from storage.db import is_busy
from storage.outbox import OutboxMessage

if TYPE_CHECKING:  # the port is defined beside the service that owns it
    from bot.services.outbox.engine import MessageSender

logger = logging.getLogger(__name__)

# Chats sent to at once (bot.services.outbox.drain). Enough to keep ~30 messages a second flowing
# when Telegram takes 100–300 ms per call and some chats wait out their one-second gap; few
# enough that a command's answer queues behind at most this many digest messages in the rate
# limiter.
CONCURRENCY = 24
# Telegram allows about one message a second to one chat; the parts of a long digest wait.
CHAT_GAP = 1.0
# After one chat's network error or 5xx (Telegram answering others), tried again within the
# pass after these pauses ...
RETRY_DELAYS = (1.0, 4.0)
# ... then left in the outbox for a later pass, first this long, doubling each time.
RETRY_LATER = timedelta(minutes=5)
RETRY_LATER_MAX = timedelta(hours=6)
# A message still unsent after this long is news no more: it is given up, and counted.
GIVE_UP_AFTER = timedelta(days=3)
# Bounds the moves, fallbacks and retries of one message (waiting out an outage is not one).
MAX_TURNS = 10
# While another process holds the write lock, the record of accepted messages is tried again
# after these pauses (doubling up to the last); the event loop goes on meanwhile.
LOCKED_RETRY_FIRST = 0.05
LOCKED_RETRY_MAX = 1.0


@dataclass
class Pacing:
    """How hard the engine pushes: chats at once, the gap between one chat's messages, and the
    pauses before one chat's retries (tests shorten the last two)."""

    concurrency: int = CONCURRENCY
    chat_gap: float = CHAT_GAP
    retry_delays: tuple[float, ...] = RETRY_DELAYS


class Stopped(Exception):
    """The bot is stopping: the message is left as it is, for the next start."""


class SentLog:
    """Records the messages Telegram accepted.

    The messages accepted in one turn of the event loop are recorded together, in one
    transaction, at the start of the next turn: with hundreds of paid broadcasts in flight, a
    commit per message was an eighth of the bot's work. Nothing waits for a batch to fill, so a
    kill can repeat no more than before: the messages whose answer was being read. While
    another process holds the write lock, the batch waits (growing) and is tried again shortly,
    off the event loop's back; its senders go on only once it is committed.
    """

    def __init__(self, core: Core) -> None:
        self.core = core
        self._accepted: list[tuple[OutboxMessage, int]] = []
        self._recorded: asyncio.Future[None] | None = None
        self._locked_pause = LOCKED_RETRY_FIRST

    async def record(self, message: OutboxMessage, chat_id: int) -> None:
        """Record a message Telegram accepted (as reaching `chat_id`); returns once committed."""
        if self._recorded is None:
            loop = asyncio.get_running_loop()
            self._recorded = loop.create_future()
            loop.call_soon(self._commit)
        self._accepted.append((message, chat_id))
        # Shielded: a sender cancelled meanwhile (the bot stopping) leaves the others' wait.
        await asyncio.shield(self._recorded)

    def _commit(self) -> None:
        recorded = self._recorded
        assert recorded is not None
        try:
            store.mark_sent(self.core.db, self._accepted, self.core.now())
        except Exception as exc:
            if is_busy(exc):
                # Another process writes: try again shortly; messages accepted meanwhile join.
                asyncio.get_running_loop().call_later(self._locked_pause, self._commit)
                self._locked_pause = min(self._locked_pause * 2, LOCKED_RETRY_MAX)
                return
            self._accepted, self._recorded = [], None
            recorded.set_exception(exc)  # e.g. the disk is full: each sender's chat fails
            return
        self._accepted, self._recorded = [], None
        self._locked_pause = LOCKED_RETRY_FIRST
        recorded.set_result(None)


class Courier:
    """Sends one chat's pending messages, in order, and decides what each failure means."""

    def __init__(
        self,
        core: Core,
        sender: MessageSender,
        uplink: Uplink,
        pacing: Pacing,
        log: SentLog,
        stopping: Callable[[], bool],
    ) -> None:
        self.core, self.sender, self.uplink, self.pacing = core, sender, uplink, pacing
        self.log = log
        self.stopping = stopping
        # One sender per chat at a time: a /digest and a scheduled run never both send the
        # same pending message.
        self._locks = ChatLocks()

    def busy(self, chat_id: int) -> bool:
        """Whether the chat's messages are being sent right now."""
        return self._locks.busy(chat_id)

    async def send_chat(self, chat_id: int) -> ChatOutcome:
        """Send a chat's pending messages in order, one at a time, a second apart."""
        async with self._locks.hold(chat_id):
            accepted, failure, last = 0, None, 0.0
            for message in store.pending_for(self.core.db, chat_id):
                if self.stopping():
                    return ChatOutcome(accepted, DeliveryFailure.LATER)
                now = self.core.now()
                if now - message.created_at > GIVE_UP_AFTER:
                    store.give_up(self.core.db, message.id, OutboxState.EXPIRED, "too old")
                    logger.warning(
                        "Gave up an old digest message chat_id=%d id=%d", chat_id, message.id
                    )
                    failure = DeliveryFailure.EXPIRED
                    continue
                wait = self.pacing.chat_gap - (monotonic() - last)
                if accepted and wait > 0:
                    await asyncio.sleep(wait)
                try:
                    chat_id = await self._send(chat_id, message)
                except Stopped:
                    return ChatOutcome(accepted, DeliveryFailure.LATER)
                except RecipientGone as exc:
                    self._chat_gone(chat_id, str(exc))
                    return ChatOutcome(accepted, DeliveryFailure.BLOCKED)
                except DeliveryRetry as exc:
                    # The chat's later messages wait too, so the parts arrive in order.
                    delay = min(RETRY_LATER * 2**message.attempts, RETRY_LATER_MAX)
                    store.postpone(self.core.db, message.id, str(exc), now + delay)
                    logger.warning(
                        "Digest postponed chat_id=%d id=%d: %s", chat_id, message.id, exc
                    )
                    return ChatOutcome(accepted, DeliveryFailure.LATER)
                except DeliveryError as exc:
                    store.give_up(self.core.db, message.id, OutboxState.FAILED, str(exc))
                    logger.error(
                        "Digest refused chat_id=%d item_ids=%s: %s",
                        chat_id,
                        list(message.item_ids),
                        exc,
                    )
                    failure = DeliveryFailure.REJECTED
                    continue
                last = monotonic()
                await self.log.record(message, chat_id)
                accepted += 1
            return ChatOutcome(accepted, failure)

    async def _send(self, chat_id: int, message: OutboxMessage) -> int:
        """Send one message, handling what Telegram says; returns the chat id it reached (a
        group that became a supergroup has a new one)."""
        html, text, thread_id = True, message.text, message.thread_id
        retries = turns = 0
        while turns < MAX_TURNS:
            await self._telegram_answers()
            begun = monotonic()
            try:
                await self.sender.send(
                    chat_id, text, html=html, thread_id=thread_id, silent=message.silent
                )
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
                logger.error(
                    "Digest refused item_ids=%s chat_id=%d: %s",
                    list(message.item_ids),
                    chat_id,
                    exc,
                )
                html, text = False, html_to_plain(message.text)
            except DeliveryRetry as exc:
                if isinstance(exc, TelegramUnreachable) and not await self.uplink.check(
                    begun, str(exc)
                ):
                    continue  # Telegram is down, not this chat: wait it out, send the same
                if retries == len(self.pacing.retry_delays):
                    raise
                logger.info("Retrying chat_id=%d after %s", chat_id, exc)
                await asyncio.sleep(self.pacing.retry_delays[retries])
                retries += 1
            turns += 1
        raise DeliveryRetry("delivery: no answer Telegram would take")

    async def _telegram_answers(self) -> None:
        """Return at once while Telegram answers; during an outage, when it answers again.
        Raises Stopped if the bot stops first."""
        while self.uplink.down and not self.stopping():
            await self.uplink.wait_back()
        if self.stopping():
            raise Stopped

    def _chat_gone(self, chat_id: int, reason: str) -> None:
        # Blocked or gone: pause instead of trying again at every digest time; what was
        # waiting for it will not go out.
        subscriber_store.update_subscriber(
            self.core.db, chat_id, is_paused=True, paused_reason=PauseReason.GONE
        )
        store.give_up_chat(self.core.db, chat_id, reason)
        logger.info("Chat gone, paused chat_id=%d: %s", chat_id, reason)
