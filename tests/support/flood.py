"""Flood control for the fake Bot API: Telegram's sending limits as token buckets.

Telegram documents roughly 30 messages a second overall, 1 a second per chat (short bursts
allowed) and 20 a minute per group or channel, and up to 1,000 a second overall for paid
broadcasts (allow_paid_broadcast) instead of the 30, and answers a send over a limit with
429 "Too Many Requests: retry after N". FloodControl keeps one bucket per limit on a monotonic
clock; a call passes only if every bucket that applies to it holds a token, and then takes one
from each. A refused call takes nothing.
"""

import math
import time
from collections.abc import Callable

# Methods that post into a chat; only these count against the limits.
SENDING_PREFIXES = ("send", "copy", "forward")
_EPSILON = 1e-9  # float slack, so a bucket refilled to exactly one token counts as full


def is_sending(method: str) -> bool:
    """sendMessage, copyMessage, forwardMessages...: the methods flood control counts."""
    return method.startswith(SENDING_PREFIXES)


def is_group_chat(chat_id: object) -> bool:
    """Groups, supergroups and channels: negative ids or "@username" strings."""
    if isinstance(chat_id, str):
        return chat_id.startswith(("@", "-"))
    return isinstance(chat_id, int) and chat_id < 0


class _Bucket:
    """`capacity` tokens, refilled at `rate` tokens a second."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate, self.capacity = rate, capacity
        self.tokens, self.updated = float(capacity), now

    def wait(self, now: float) -> float:
        """Seconds until a token is available; 0 if one is there now."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 - _EPSILON else (1 - self.tokens) / self.rate


class FloodControl:
    """Telegram-like sending limits; `check()` each call, which answers a retry_after or None."""

    def __init__(
        self,
        *,
        per_second: float = 30,
        overall_burst: float = 30,
        per_chat_per_second: float = 1,
        chat_burst: float = 3,
        group_per_minute: float = 20,
        group_burst: float | None = None,
        paid_per_second: float = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`group_burst` defaults to `group_per_minute`; `clock` is for tests of the buckets."""
        self._clock = clock
        self._overall_limits = (per_second, overall_burst)
        self._paid_limits = (paid_per_second, paid_per_second)
        self._chat_limits = (per_chat_per_second, chat_burst)
        group_capacity = group_per_minute if group_burst is None else group_burst
        self._group_limits = (group_per_minute / 60, group_capacity)
        for rate, capacity in (self._overall_limits, self._chat_limits, self._group_limits):
            if rate <= 0 or capacity < 1:
                raise ValueError("each limit needs a positive rate and a burst of at least 1")
        self.reset()

    def reset(self) -> None:
        """Fill every bucket again, as if nothing had been sent."""
        self._overall = _Bucket(*self._overall_limits, self._clock())
        self._paid = _Bucket(*self._paid_limits, self._clock())
        self._per_chat: dict[object, _Bucket] = {}
        self._per_group: dict[object, _Bucket] = {}

    def check(self, method: str, chat_id: object, *, paid: bool = False) -> int | None:
        """Let a call through (None, taking its tokens) or refuse it with whole seconds to wait.

        Calls that do not send (see is_sending) always pass and take nothing; a paid broadcast
        counts against the paid overall limit instead of the free one.
        """
        if not is_sending(method):
            return None
        now = self._clock()
        overall = self._paid if paid else self._overall
        buckets = [overall, self._bucket(self._per_chat, chat_id, self._chat_limits, now)]
        if is_group_chat(chat_id):
            buckets.append(self._bucket(self._per_group, chat_id, self._group_limits, now))
        wait = max(bucket.wait(now) for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait - _EPSILON))
        for bucket in buckets:
            bucket.tokens -= 1
        return None

    @staticmethod
    def _bucket(
        buckets: dict[object, _Bucket], chat_id: object, limits: tuple[float, float], now: float
    ) -> _Bucket:
        if chat_id not in buckets:
            buckets[chat_id] = _Bucket(*limits, now)
        return buckets[chat_id]
