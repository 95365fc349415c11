"""Answers before broadcasts: one budget of Bot API calls, two lanes.

Telegram takes about 30 messages a second from a bot, for answers to readers and digest
messages together. During a morning run thousands of digest messages want that budget; a new
reader's /start must not wait behind them. `LanedRateLimiter` hands out the budget in turns,
answers first: a digest message (sent with `rate_limit_args={"lane": "broadcast"}`) gets a
turn only when no answer is waiting. Every call then goes through PTB's AIORateLimiter, which
keeps the hard limits (overall, 20 a minute per group, and a halt of every call for a 429's
retry_after); since turns are handed out at the same pace, calls rarely queue there, so an
answer waits behind at most the burst of digest messages already let through.

Digest messages sent as paid broadcasts (`allow_paid_broadcast`, PAID_BROADCAST=true) have a
pace of their own, BROADCAST_RATE, and do not take turns from the free budget.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

BROADCAST = "broadcast"


class Pacer:
    """A token bucket (rate a second, at most `burst` at once) that serves its waiters in
    turns: every answer waiting goes before any broadcast."""

    def __init__(self, rate: float, burst: int) -> None:
        self.interval = 1.0 / rate
        self.burst = burst
        self._tokens = float(burst)
        self._at: float | None = None
        self._waiting: dict[bool, collections.deque[asyncio.Future]] = {
            False: collections.deque(),
            True: collections.deque(),  # is a broadcast?
        }
        self._dispatcher: asyncio.Task | None = None

    def waiting(self, *, broadcast: bool) -> int:
        """How many calls of that lane wait for a turn."""
        return len(self._waiting[broadcast])

    async def turn(self, *, broadcast: bool) -> None:
        """Wait for this call's turn."""
        future = asyncio.get_running_loop().create_future()
        self._waiting[broadcast].append(future)
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch(), name="warta-pacer")
        await future

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        while queue := self._waiting[False] or self._waiting[True]:
            now = loop.time()
            if self._at is not None:
                self._tokens = min(self.burst, self._tokens + (now - self._at) / self.interval)
            self._at = now
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) * self.interval)
                continue
            future = queue.popleft()
            if not future.done():  # a cancelled call gives its turn to the next
                self._tokens -= 1
                future.set_result(None)

    async def close(self) -> None:
        """Stop handing out turns; the calls still waiting for one end as cancelled instead of
        waiting for ever (a stop that skipped stopping delivery first left them hanging)."""
        if self._dispatcher is not None:
            self._dispatcher.cancel()
        for queue in self._waiting.values():
            while queue:
                queue.popleft().cancel()


class LanedRateLimiter(BaseRateLimiter[dict]):
    """PTB's AIORateLimiter behind a pacer that lets answers go before broadcasts."""

    def __init__(
        self, limits: AIORateLimiter, *, rate: float, burst: int, paid_rate: float
    ) -> None:
        self.limits = limits
        self.free = Pacer(rate, burst)
        self.paid = Pacer(paid_rate, max(burst, int(paid_rate) // 10))

    async def initialize(self) -> None:
        """Start PTB's limiter."""
        await self.limits.initialize()

    async def shutdown(self) -> None:
        """Stop handing out turns, stop PTB's limiter."""
        await self.free.close()
        await self.paid.close()
        await self.limits.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict | None,
    ) -> Any:
        """Wait for the call's turn in its lane, then hand it to PTB's limiter."""
        broadcast = (rate_limit_args or {}).get("lane") == BROADCAST
        if data.get("allow_paid_broadcast"):
            await self.paid.turn(broadcast=broadcast)
        elif data.get("chat_id") is not None:  # calls that send to a chat share the budget
            await self.free.turn(broadcast=broadcast)
        return await self.limits.process_request(callback, args, kwargs, endpoint, data, None)
