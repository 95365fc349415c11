"""Writing while another process holds SQLite's write lock, without stopping the event loop.

The bot's connection waits only a moment for the lock (busy_timeout, see storage.db), so a
command, a tap or a job never holds the loop while an operator's `sqlite3` session, a backup
tool or anything else writes. A write that finds the lock taken is tried again after a pause
that yields to the loop (50 ms, doubling up to a second) until the lock is free or the patience
runs out: then DatabaseBusy, which a reader is told about plainly. The connection stays on the
loop's thread (sqlite3's check_same_thread holds), and a write is one transaction, rolled back
whole when the lock is refused, so trying it again applies it once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from time import monotonic
from typing import TypeVar

from bot.errors import DatabaseBusy
from storage.db import is_busy

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How long a write waits for another process's lock before the reader is asked to try again;
# an operator's session or a long foreign write is usually over well within it.
PATIENCE = 60.0
FIRST_PAUSE = 0.05
LONGEST_PAUSE = 1.0


class Patience:
    """Pauses between tries of a write that found the lock taken, and the deadline."""

    def __init__(self, patience: float = PATIENCE) -> None:
        self.deadline = monotonic() + patience
        self.pause = FIRST_PAUSE

    async def wait(self, error: BaseException) -> None:
        """After `error`: pause and return if it is the lock and time remains; else raise
        (the error itself, or DatabaseBusy once the patience is spent)."""
        if not is_busy(error):
            raise error
        if monotonic() + self.pause > self.deadline:
            raise DatabaseBusy("storage: the database is locked by another process") from error
        await asyncio.sleep(self.pause)
        self.pause = min(self.pause * 2, LONGEST_PAUSE)


async def patiently(write: Callable[[], T], *, patience: float = PATIENCE) -> T:
    """`write()` (one transaction, on the loop's thread), tried again while the lock is taken.

    Raises:
        DatabaseBusy: the lock was still taken after `patience` seconds.
    """
    waiting = Patience(patience)
    while True:
        try:
            return write()
        except Exception as exc:  # noqa: PERF203 - the retry loop is the point
            await waiting.wait(exc)
