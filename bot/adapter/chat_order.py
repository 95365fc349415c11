"""One chat's updates in the order they came, different chats at once: PTB's update processor
for Warta (the Telegram adapter; imports PTB only).

With PTB's plain concurrent processing, an admin pasting "/addtopic kesehatan …" then "/topic
kesehatan include …" could have the second run before the first had stored the topic, and the
answers of a hundred commands typed in a row came in any order (a /topic edit previews a week
of items in a thread, an /addtopic answers at once). Here a chat's next update starts when its
previous one is done, while other chats go on: a slow command holds up its own chat only.

The limit on updates processed at once is taken after a chat's turn has come, so a flooding
chat waits on its own turn without taking the places of other chats' updates.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates processed at once (PTB's own default for concurrent_updates=True).
CONCURRENT = 256
# PTB's own semaphore only counts updates waiting for their chat's turn; they cost a
# suspended coroutine each, which PTB has already created for every update fetched.
WAITING = 1_000_000


class ChatOrderProcessor(BaseUpdateProcessor):
    """Processes one chat's updates one after another, in order; other chats concurrently."""

    def __init__(self, concurrent: int = CONCURRENT) -> None:
        super().__init__(WAITING)
        self._running = asyncio.Semaphore(concurrent)
        # Per chat, the tail of its chain: the update after it waits until it is done. A chat
        # with nothing pending has no entry, so the table is as large as the chats at work.
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then for a free place, then process it."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._running:
                await coroutine
            return
        previous = self._tails.get(chat.id)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[chat.id] = done
        started = False
        try:
            if previous is not None:
                await asyncio.shield(previous)
            async with self._running:
                started = True
                await coroutine
        finally:
            if not started and hasattr(coroutine, "close"):
                coroutine.close()  # cancelled while waiting (the bot stopping): never run
            done.set_result(None)
            if self._tails.get(chat.id) is done:
                del self._tails[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
