"""Locks by chat: one holder per chat at a time, forgotten when nobody holds or awaits them,
so a bot with many chats keeps only the locks in use."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ChatLocks:
    """An asyncio.Lock per chat id, created on first use and dropped after the last."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # lock, holders + waiters

    def busy(self, chat_id: int) -> bool:
        """Whether someone holds or awaits the chat's lock."""
        return chat_id in self._locks

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the chat's lock for the block."""
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
