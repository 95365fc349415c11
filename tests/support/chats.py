"""The test's side of a conversation with the real bot: chats that type and tap, a settable
clock, a counter of the bot's finished jobs, and the ids of the usual admin and reader."""

import asyncio
from datetime import datetime, timedelta

from telegram.ext import Application

from tests.support.factories import callback_update, message_update, to_update

ADMIN_ID = 1001
READER_ID = 2002


class Clock:
    """A settable clock handed to the bot instead of the real one."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move forward by timedelta(**delta)."""
        self.now += timedelta(**delta)


class Chat:
    """Drives the real Application by feeding it updates and reading what the fake API got."""

    def __init__(
        self,
        app: Application,
        api,
        chat_id: int,
        user_id: int | None = None,
        thread_id: int | None = None,
    ):
        self.app, self.api, self.chat_id = app, api, chat_id
        self.user_id = user_id if user_id is not None else chat_id
        self.thread_id = thread_id  # a forum topic the user types in

    async def send(self, text: str) -> list[str]:
        """Type a message; return the texts the bot sent to this chat in answer."""
        before = len(self.api.sent_messages(self.chat_id))
        chat_type = (
            "private"
            if self.chat_id > 0
            else "supergroup"
            if self.chat_id <= -1_000_000_000_000
            else "group"
        )
        update = message_update(
            self.chat_id, text, user_id=self.user_id, chat_type=chat_type, thread_id=self.thread_id
        )
        await self.app.process_update(to_update(update, self.app.bot))
        return [m["text"] for m in self.api.sent_messages(self.chat_id)[before:]]

    async def tap(self, message_id: int, data: str) -> None:
        """Press an inline button under the bot's message."""
        stored = self.api.message(self.chat_id, message_id)
        update = callback_update(
            self.chat_id, message_id, data, user_id=self.user_id, bot_message=stored
        )
        await self.app.process_update(to_update(update, self.app.bot))

    async def say(self, text: str) -> str:
        """Type a message and return the bot's answer, joined if it came in several messages."""
        return "\n".join(await self.send(text))

    async def say_until(self, text: str, last: str, timeout: float = 15.0) -> str:
        """Type a message and wait for an answer containing `last` (a command that answers
        again when its work ends, as /pollnow does); return the answers joined."""
        before = len(self.api.sent_messages(self.chat_id))
        await self.send(text)
        await self.api.wait_until(
            lambda: any(last in m["text"] for m in self.api.sent_messages(self.chat_id)[before:]),
            timeout=timeout,
        )
        return "\n".join(m["text"] for m in self.api.sent_messages(self.chat_id)[before:])


class Finished:
    """Counts the finished calls of one service method, so a test can wait for the bot's jobs
    to have run it N more times: the event a test waits on to show that something did not
    happen (no digest at 06:58) instead of sleeping. The jobs look the method up at each run,
    so wrapping it on the instance is seen by them."""

    def __init__(self, service: object, method: str) -> None:
        self.count = 0
        self._changed = asyncio.Event()
        original = getattr(service, method)

        async def counted(*args, **kwargs):
            try:
                return await original(*args, **kwargs)
            finally:
                self.count += 1
                self._changed.set()

        setattr(service, method, counted)

    async def wait(self, more: int = 1, *, timeout: float = 10.0) -> None:
        """Until `more` further calls have finished."""
        await self.reach(self.count + more, timeout=timeout)

    async def reach(self, total: int, *, timeout: float = 10.0) -> None:
        """Until `total` calls have finished since counting began (the start-up poll: 1)."""
        async with asyncio.timeout(timeout):
            while self.count < total:
                self._changed.clear()
                await self._changed.wait()


def services_of(app: Application):
    """The services inside the application (for arranging state and reading results)."""
    return app.bot_data.services
