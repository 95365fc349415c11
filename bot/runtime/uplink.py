"""Whether Telegram answers: one state for the whole process, so that delivery, the long poll
and the log agree on it.

Every Bot API call reports an answer (`answered`). A call that fails as a whole (no answer, a
refused connection, a timeout, a 5xx page from Telegram's front) asks `check`: if another call
was answered since it began, it was that call's bad luck; otherwise one probe (a cheap call,
getMe, shared by everyone who asks meanwhile) decides. A failed probe begins an outage: one
prober asks again with backoff and jitter, whoever must send waits (`wait_back`), and the first
answer to any call ends it. Listeners hear the beginning and the end once each (the outbox
logs them and tells the admins about a long one), instead of a traceback per failed call.

Pure asyncio: the probe is a callable handed in, so services never import Telegram.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from bot.errors import DeliveryError

logger = logging.getLogger(__name__)

# The first probe of an outage comes this soon (or at the longest pause, if that is shorter);
# each next one twice as late, up to TELEGRAM_PROBE_SECONDS.
PROBE_FIRST = 1.0
# Each pause is stretched or shrunk by up to a quarter, at random: many bots (and our own long
# poll) coming back at the same instant would otherwise knock on a recovering front in step.
JITTER = 0.25
# Probes in flight at once, at most (each has a short timeout of its own).
MAX_PROBES = 3


@dataclass(frozen=True)
class Outage:
    """A time Telegram did not answer: since when (the service clock, for its length in the
    log and for the admins) and why (the failure that began it)."""

    since: datetime
    reason: str


def jittered(seconds: float, rng: Callable[[], float] = random.random) -> float:
    """`seconds`, give or take JITTER of it."""
    return seconds * (1 + JITTER * (2 * rng() - 1))


class Uplink:
    """The link to Telegram: up, or down since an Outage began (see the module docstring)."""

    def __init__(self, clock: Callable[[], datetime], *, probe_max: float = 3.0) -> None:
        self.clock = clock
        self.probe_max = probe_max
        # Asks Telegram something cheap; raises DeliveryError if it does not answer. Set by
        # whoever can call Telegram (the outbox hands in its sender's); without one, check()
        # never declares an outage and the callers' own retries decide.
        self.probe: Callable[[], Awaitable[None]] | None = None
        self.outage: Outage | None = None
        self.on_down: list[Callable[[Outage], None]] = []
        self.on_up: list[Callable[[Outage, float], None]] = []
        self._back = asyncio.Event()  # set while Telegram answers (and once closed)
        self._back.set()
        self._recovered = asyncio.Event()  # set when the current or next outage ends
        self._last_answer = float("-inf")  # monotonic time of the latest answered call
        self._checking: asyncio.Task[bool] | None = None
        self._prober: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def down(self) -> bool:
        """Whether an outage is going on."""
        return self.outage is not None

    def answered(self) -> None:
        """A call got Telegram's answer (any status below 500, an error included)."""
        self._last_answer = monotonic()
        if self.outage is not None:
            self._end()

    async def check(self, since: float, reason: str) -> bool:
        """Whether Telegram answers, after a call begun at `since` (monotonic) failed as a
        whole with `reason`: at once if another call was answered since, else by one probe
        shared with everyone who asks meanwhile. False begins (or is) an outage."""
        if self.outage is not None or self._closed:
            return False
        if self._last_answer >= since or self.probe is None:
            return True
        if self._checking is None or self._checking.done():
            self._checking = asyncio.create_task(self._first_probe(reason))
        try:
            return await asyncio.shield(self._checking)
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if self._closed and current is not None and not current.cancelling():
                return False  # close() ended the probe, not our caller: it is stopping
            raise

    async def wait_back(self, timeout: float | None = None) -> bool:
        """Until Telegram answers again (at once if it does), close(), or `timeout` seconds;
        whether it answers."""
        if self.outage is not None and not self._closed:
            try:
                async with asyncio.timeout(timeout):
                    await self._back.wait()
            except TimeoutError:
                pass
        return self.outage is None

    def recovery(self) -> asyncio.Event:
        """An event set when the outage going on now, or the next one, ends (a call in
        flight since before it may hang at a dead front: its caller may ask anew then)."""
        return self._recovered

    def close(self) -> None:
        """Stop probing and let every waiter go (the bot is stopping)."""
        self._closed = True
        self._back.set()
        for task in (self._prober, self._checking):
            if task is not None:
                task.cancel()

    async def _first_probe(self, reason: str) -> bool:
        asked = monotonic()
        if await self._ask() or self._last_answer >= asked:
            return True
        if self.outage is None and not self._closed:
            self._begin(reason)
        return False

    async def _ask(self) -> bool:
        assert self.probe is not None
        try:
            await self.probe()
        except DeliveryError as exc:
            logger.debug("Probe of Telegram failed: %s", exc)
            return False
        except Exception:  # a probe that fails for another reason is a failed probe too
            logger.debug("Probe of Telegram failed", exc_info=True)
            return False
        self.answered()
        return True

    def _begin(self, reason: str) -> None:
        self.outage = Outage(self.clock(), reason)
        self._back.clear()
        self._prober = asyncio.create_task(self._probe_until_back(), name="warta-probe")
        for listener in self.on_down:
            listener(self.outage)

    def _end(self) -> None:
        outage, self.outage = self.outage, None
        assert outage is not None
        self._back.set()
        self._recovered.set()
        self._recovered = asyncio.Event()
        seconds = max(0.0, (self.clock() - outage.since).total_seconds())
        for listener in self.on_up:
            listener(outage, seconds)

    async def _probe_until_back(self) -> None:
        """Ask with backoff and jitter until an answer (ours or any other call's) ends it.

        A probe is not awaited before the next is due: a front that hangs would otherwise
        hold the prober for a whole timeout, and Telegram's return be noticed that much later.
        """
        pause = min(PROBE_FIRST, self.probe_max)
        asking: set[asyncio.Task[bool]] = set()
        try:
            while self.outage is not None and not self._closed:
                try:
                    async with asyncio.timeout(jittered(pause)):
                        await self._back.wait()  # any other call answered: over at once
                except TimeoutError:
                    pass
                if self.outage is None or self._closed:
                    return
                if len(asking) < MAX_PROBES:
                    probe = asyncio.create_task(self._ask())
                    asking.add(probe)
                    probe.add_done_callback(asking.discard)
                pause = min(pause * 2, self.probe_max)
        finally:
            for probe in asking:
                probe.cancel()
