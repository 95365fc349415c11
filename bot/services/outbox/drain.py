"""The drain engine: one pass over the outbox (Drain), the chats in the order they fell due,
`concurrency` at a time, each sent by the Courier (courier.py beside this); the chats a
composing run stores meanwhile (Announcements), taken as soon as they are ready; and the
breaker that ends a pass whose chats keep failing for reasons the link to Telegram does not
explain.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from datetime import timedelta

from bot.models import DeliveryFailure
from bot.runtime.core import Core
from bot.runtime.patience import patiently
from bot.services.outbox.courier import Courier, Pacing
from bot.services.outbox.runs import ChatOutcome, DrainResult
from storage import outbox as store
from storage.db import is_busy

logger = logging.getLogger(__name__)

# This many chats in a row postponed (failures the link does not explain: flood waits beyond
# the limiter's retries, a sender that cannot send) end the pass instead of spending a retry
# round on every chat; the delivery task tries the outbox again later.
BREAKER_AFTER = 8
# Sent messages are kept this long (to answer "was it sent?"), then pruned.
KEEP_SENT = timedelta(days=7)
# While a run composes, a sending worker with nothing to send looks again this often even
# without news (the news of the run's end wakes it at once).
NEWS_WAIT = 1.0


class Announcements:
    """The chats whose digest a composing run has just stored, in order, and the event that
    wakes the idle workers of a pass (a digest stored, the run's end, the bot stopping)."""

    def __init__(self) -> None:
        self._fresh: deque[int] = deque()
        self._news = asyncio.Event()

    def add(self, chat_id: int) -> None:
        """A chat's digest was stored."""
        self._fresh.append(chat_id)
        self._news.set()

    def nudge(self) -> None:
        """Wake idle workers to look again."""
        self._news.set()

    def forget(self) -> None:
        """A pass is about to read the outbox, which holds every chat announced so far."""
        self._fresh.clear()

    def take(self, taken: set[int], busy: Callable[[int], bool]) -> int | None:
        """The oldest announced chat not yet taken by this pass nor being sent elsewhere."""
        while self._fresh:
            chat_id = self._fresh.popleft()
            if chat_id not in taken and not busy(chat_id):
                taken.add(chat_id)
                return chat_id
        return None

    async def wait(self) -> None:
        """Until news, or NEWS_WAIT seconds."""
        self._news.clear()
        try:
            async with asyncio.timeout(NEWS_WAIT):
                await self._news.wait()
        except TimeoutError:
            pass


class Drain:
    """One pass over the outbox: every chat with a message that may go now, in the order they
    fell due, and, while a run is composing, each chat it stores meanwhile."""

    def __init__(
        self,
        core: Core,
        courier: Courier,
        pacing: Pacing,
        news: Announcements,
        composing: Callable[[], bool],
        stopping: Callable[[], bool],
    ) -> None:
        self.core, self.courier, self.pacing, self.news = core, courier, pacing, news
        self.composing, self.stopping = composing, stopping
        self.result = DrainResult()
        self._taken: set[int] = set()
        self._failing = 0  # chats in a row postponed: the breaker's count

    async def run(self) -> DrainResult:
        """Send until nothing may go now and no run is composing; what happened."""
        while not self.stopping():
            self.news.forget()  # what was announced so far is in the outbox, so in this query
            # Chats whose messages a /digest is sending right now are left to it.
            ready = deque(
                chat_id
                for chat_id in store.chats_due(self.core.db, self.core.now())
                if chat_id not in self._taken and not self.courier.busy(chat_id)
            )
            if not ready and not self.composing():
                break
            self._taken.update(ready)
            if not await self._send_all(ready):
                break
        if self.result.chats:
            before = self.core.now() - KEEP_SENT
            await patiently(lambda: store.prune(self.core.db, before))
        return self.result

    async def _send_all(self, ready: deque[int]) -> bool:
        """Send the ready chats and the announced ones; False if the breaker tripped and the
        rest were left for later."""
        self._failing = 0
        await asyncio.gather(*(self._worker(ready) for _ in range(self.pacing.concurrency)))
        if self._failing >= BREAKER_AFTER:
            logger.warning(
                "%d chats in a row could not be sent; the rest of the outbox waits "
                "for the next try",
                self._failing,
            )
            return False
        return True

    async def _worker(self, ready: deque[int]) -> None:
        while (chat_id := await self._next_chat(ready)) is not None:
            if self._failing >= BREAKER_AFTER:
                return
            try:
                outcome = await self.courier.send_chat(chat_id)
            except Exception as exc:  # a bug must not stop the other chats' digests
                if is_busy(exc):  # another process writes: the chat waits for the next pass
                    logger.info(
                        "Chat_id=%d waits: the database is locked by another process", chat_id
                    )
                    outcome = ChatOutcome(failure=DeliveryFailure.LATER)
                else:
                    logger.exception("Sending failed chat_id=%d", chat_id)
                    outcome = ChatOutcome(failure=DeliveryFailure.ERROR)
            if not self.stopping():  # a chat left for the next start trips no breaker
                later = outcome.failure == DeliveryFailure.LATER
                self._failing = self._failing + 1 if later else 0
            if outcome.messages or outcome.failure:
                self.result.add(outcome)

    async def _next_chat(self, ready: deque[int]) -> int | None:
        """The next chat to send: a ready one, else one the composer announced; while a run
        is composing, wait for one. None when there is nothing left (or the bot stops).

        Nothing here awaits between looking and taking, so no chat is taken twice.
        """
        while not self.stopping():
            if ready:
                return ready.popleft()
            chat_id = self.news.take(self._taken, self.courier.busy)
            if chat_id is not None:
                return chat_id
            if not self.composing():
                return None
            await self.news.wait()
        return None
