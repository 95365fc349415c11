"""Sending the outbox: every pending digest message, as fast as Telegram allows, once; the
delivery task that does it for the life of the bot (serve), the book of each scheduled run
(what was due, sent, empty, failed), which /stats shows, and what an outage of Telegram does.

The overall pace (about 30 messages a second, 20 a minute per group, everything halted while a
429's retry_after runs) is kept by PTB's AIORateLimiter under the MessageSender; the drain
engine (drain.py beside this) adds what it does not know about: one message a second to the
same chat, sending many chats at once so the limit is actually reached, and what to do with each
kind of failure (bot.services.outbox.courier). Whether Telegram answers at all is the Uplink's
(bot.runtime.uplink).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Protocol

from bot.errors import DeliveryError, DeliveryRetry
from bot.runtime.core import Core
from bot.runtime.patience import patiently
from bot.runtime.uplink import Outage, Uplink
from bot.services.outbox.courier import CONCURRENCY, Courier, Pacing, SentLog
from bot.services.outbox.drain import Announcements, Drain
from bot.services.outbox.runs import ChatOutcome, DrainResult, Run, RunSummary
from bot.text.texts import plural, t
from storage import meta
from storage import outbox as store

__all__ = [
    "CONCURRENCY",
    "ChatOutcome",
    "DrainResult",
    "MessageSender",
    "Offline",
    "OutboxService",
    "RunSummary",
]

logger = logging.getLogger(__name__)

# How often serve() looks at the outbox without being woken: messages postponed after a
# chat's own failure become due again on their own.
OUTBOX_RECHECK = 30.0
LAST_RUN = "last_digest_run"


class MessageSender(Protocol):
    """Sends one message to a chat; raises RecipientGone, ChatMoved, MessageRejected,
    ThreadGone, TelegramUnreachable, DeliveryRetry or DeliveryError."""

    async def send(
        self,
        chat_id: int,
        text: str,
        *,
        html: bool = True,
        thread_id: int | None = None,
        silent: bool = False,
    ) -> None:
        """Deliver text (HTML unless html=False) to chat_id, once Telegram accepted it;
        silent: without a notification sound."""

    async def probe(self) -> None:
        """Ask Telegram something cheap; raise DeliveryError if it does not answer."""


class Offline:
    """The sender of a process without Telegram (the command-line tools): nothing goes out,
    and a message that somehow tried stays in the outbox for the bot."""

    async def send(
        self,
        chat_id: int,
        text: str,
        *,
        html: bool = True,
        thread_id: int | None = None,
        silent: bool = False,
    ) -> None:
        """Refuse, as a network failure would: the message is tried again later."""
        raise DeliveryRetry("offline: this process does not talk to Telegram")

    async def probe(self) -> None:
        """There is no Telegram here to ask."""
        raise DeliveryRetry("offline: this process does not talk to Telegram")


class OutboxService:
    """Sends the outbox through `sender`; one instance per process (it holds the per-chat
    locks, the link to Telegram and the current run)."""

    def __init__(self, core: Core, sender: MessageSender) -> None:
        self.core = core
        self.sender = sender
        self.pacing = Pacing()
        self.stopping = False
        self.uplink = Uplink(core.now, probe_max=core.settings.telegram_probe_seconds)
        self.uplink.probe = sender.probe
        self.uplink.on_down.append(self._outage_began)
        self.uplink.on_up.append(self._outage_ended)
        self.courier = Courier(
            core, sender, self.uplink, self.pacing, SentLog(core), lambda: self.stopping
        )
        self._wake = asyncio.Event()  # serve(): the outbox has something
        self._news = Announcements()  # a sending pass's idle workers: a digest was stored
        self._run: Run | None = None
        self._tasks: set[asyncio.Task] = set()  # the admins' outage messages on their way

    # The pacing, as the app and the tests set it.
    @property
    def concurrency(self) -> int:
        """Chats sent to at once."""
        return self.pacing.concurrency

    @concurrency.setter
    def concurrency(self, value: int) -> None:
        self.pacing.concurrency = value

    @property
    def chat_gap(self) -> float:
        """Seconds between two messages to one chat."""
        return self.pacing.chat_gap

    @chat_gap.setter
    def chat_gap(self, value: float) -> None:
        self.pacing.chat_gap = value

    @property
    def retry_delays(self) -> tuple[float, ...]:
        """Pauses before a chat's retries within a pass."""
        return self.pacing.retry_delays

    @retry_delays.setter
    def retry_delays(self, value: tuple[float, ...]) -> None:
        self.pacing.retry_delays = value

    def stop(self) -> None:
        """Finish the messages being sent, start no new ones (the bot is shutting down)."""
        self.stopping = True
        self.uplink.close()  # a courier waiting out an outage leaves its message as it is
        self.wake()

    def wake(self) -> None:
        """Tell serve() there are new messages."""
        self._wake.set()
        self._news.nudge()

    def announce(self, chat_id: int) -> None:
        """A chat's digest was just stored: a run that is sending takes it next."""
        self._news.add(chat_id)
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
        logger.info(
            "Digest run: %d due, %d sent, %d empty, %d failed, %d dropped, %d messages in %.1f s",
            summary.due,
            summary.sent,
            summary.empty,
            summary.failed,
            summary.dropped,
            summary.messages,
            summary.seconds,
        )
        await patiently(lambda: meta.set_meta(self.core.db, LAST_RUN, json.dumps(asdict(summary))))
        return summary

    def last_run(self) -> RunSummary | None:
        """The last scheduled run that had chats due, for /stats."""
        stored = meta.get_meta(self.core.db, LAST_RUN)
        return RunSummary(**json.loads(stored)) if stored else None

    def _open_run(self, now: datetime) -> Run:
        if self._run is None:
            self._run = Run(started_at=now)
        return self._run

    def _composing(self) -> bool:
        return self._run is not None and self._run.composing > 0

    async def drain(self) -> DrainResult:
        """Send every chat with a message that may go now, and, while a run is composing,
        each chat whose digest is stored meanwhile; returns what happened."""
        return await Drain(
            self.core,
            self.courier,
            self.pacing,
            self._news,
            self._composing,
            lambda: self.stopping,
        ).run()

    async def send_chat(self, chat_id: int) -> ChatOutcome:
        """Send a chat's pending messages in order, one at a time, a second apart."""
        return await self.courier.send_chat(chat_id)

    # -- an outage of Telegram: one line when it begins, one when it ends -----------------

    def _outage_began(self, outage: Outage) -> None:
        logger.warning(
            "Telegram does not answer (%s): sending paused, %d messages wait; "
            "asking it again at most every %g s",
            outage.reason,
            self._waiting(),
            self.uplink.probe_max,
        )

    def _outage_ended(self, outage: Outage, seconds: float) -> None:
        waiting = self._waiting()
        logger.warning(
            "Telegram answers again after %.0f s of outage; %d messages waiting go out now",
            seconds,
            waiting,
        )
        self.wake()
        settings = self.core.settings
        if seconds >= settings.outage_alert_minutes * 60 and settings.admin_ids:
            task = asyncio.create_task(self._tell_admins(round(seconds / 60), waiting))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _waiting(self) -> int:
        try:
            return self.pending()
        except Exception:  # the count is for the log line; the database may be the trouble
            return -1

    async def _tell_admins(self, minutes: int, waiting: int) -> None:
        """Once Telegram answers again after a long outage: tell every admin, once."""
        lang = self.core.settings.default_language
        text = t(
            lang,
            "outage_over",
            minutes=plural(lang, "n_minutes", minutes),
            waiting=plural(lang, "n_messages", max(waiting, 0)),
        )
        for admin_id in sorted(self.core.settings.admin_ids):
            try:
                await self.sender.send(admin_id, text)
            except DeliveryError as exc:
                logger.warning(
                    "Could not tell admin chat_id=%d about the outage: %s", admin_id, exc
                )
