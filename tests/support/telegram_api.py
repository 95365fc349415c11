"""A fake Telegram Bot API on 127.0.0.1 that the real PTB stack talks to over HTTP.

Answers like api.telegram.org (same JSON shapes, status codes and error texts), records every call,
and can be told to fail, stall, hold or rate-limit calls or refuse a chat. Tests only; imports
nothing from the project but tests.support.factories and the sibling fakes this server is built
from.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.support import factories
from tests.support.bot_api_methods import BotApiMethods
from tests.support.bot_api_wire import ApiError, Call, Upload, error_response, read_params
from tests.support.chat_store import ChatStore
from tests.support.fault_injection import FaultInjection
from tests.support.flood import is_sending
from tests.support.telegram_html import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, parse_html, utf16_len

__all__ = [
    "DEFAULT_TOKEN", "MAX_CAPTION_LENGTH", "MAX_TEXT_LENGTH", "ApiError", "Call",
    "FakeTelegramAPI", "Upload", "parse_html", "utf16_len",
]  # fmt: skip

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-token-abcdefghijklmnop"


class _Signal:
    """Wakes all waiters on notify(); unlike asyncio.Condition, notify() needs no await."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float | None) -> bool:
        """Wait until predicate() holds or `timeout` passes (None: no limit); return it."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    await self._event.wait()
        except TimeoutError:
            pass
        return predicate()


class FakeTelegramAPI(ChatStore, FaultInjection, BotApiMethods):
    """The fake Bot API server; tests/test_fakes.py shows each feature in use.

    Chats and messages live in ChatStore, failure injection in FaultInjection and the method
    handlers in BotApiMethods; this class serves HTTP, queues updates and records calls.
    """

    def __init__(self, token: str = DEFAULT_TOKEN):
        self.token = token
        self.bot_user = {**factories.BOT_USER, "id": int(token.split(":", 1)[0])}
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._calls: list[Call] = []
        self._calls_changed = _Signal()
        self._updates: list[dict] = []
        self._updates_changed = _Signal()
        self._next_update_id = 1
        self._tasks: set[asyncio.Task] = set()
        self._init_store()
        self._init_faults()
        self._init_methods()

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> "FakeTelegramAPI":
        """Listen on a free loopback port."""
        self._closing.clear()  # in case of a restart after stop()
        app = web.Application(client_max_size=50 * 1024 * 1024)  # the Bot API's upload limit
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/documents/{file_id}", self._download)
        # Pending long polls are woken by stop(); the short timeout only guards against a hang.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Wake pending long polls, delays and holds, then close the server."""
        self._closing.set()
        self._updates_changed.notify()
        self._calls_changed.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        # Calls whose clients went away are not waited for by aiohttp; finish them here.
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def __aenter__(self) -> "FakeTelegramAPI":
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`; PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder().base_file_url(...)`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- driving the bot -------------------------------------------------------------------

    def push_update(self, update: dict) -> dict:
        """Queue an update for getUpdates, numbering it if it has no update_id."""
        if "update_id" not in update:
            update = {**update, "update_id": self._next_update_id}
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._updates.append(update)
        self._updates_changed.notify()
        return update

    def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        thread_id: int | None = None,
    ) -> dict:
        """Queue a text message from a user ("/cmd args" gets its bot_command entity)."""
        # User messages share the chat's message_id sequence with the bot's, as in Telegram.
        message_id = self._new_message_id(chat_id)
        update = factories.message_update(
            chat_id, text, user_id=user_id, chat_type=chat_type, thread_id=thread_id,
            message_id=message_id,
        )  # fmt: skip
        return self.push_update(update)

    def push_callback(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
    ) -> dict:
        """Queue a press on an inline button under the bot's message `message_id`."""
        stored = self._messages.get((chat_id, message_id))
        chat_type = stored["chat"]["type"] if stored else self._chat_type(chat_id)
        update = factories.callback_update(
            chat_id, message_id, data, user_id=user_id, chat_type=chat_type, bot_message=stored
        )
        return self.push_update(update)

    # -- inspection ------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls, oldest first, including failed and still pending ones."""
        return [c for c in self._calls if method is None or c.method == method]

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict]:
        """Params of accepted sendMessage calls (text as sent) plus the new `message_id`."""
        return self._accepted("sendMessage", chat_id)

    def sent_documents(self, chat_id: int | str | None = None) -> list[dict]:
        """Params of accepted sendDocument calls; `document` is an Upload or a file_id string."""
        return self._accepted("sendDocument", chat_id)

    def sent_photos(self, chat_id: int | str | None = None) -> list[dict]:
        """Params of accepted sendPhoto calls; `photo` is an Upload."""
        return self._accepted("sendPhoto", chat_id)

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        """The `text` of each accepted sendMessage, as the bot sent it (HTML unparsed)."""
        return [m["text"] for m in self.sent_messages(chat_id)]

    async def wait_for(
        self,
        what: str | Callable[[Call], bool],
        *,
        count: int = 1,
        timeout: float = 5.0,
        after: int = 0,
    ) -> list[Call]:
        """Wait until `count` answered calls match a method name or predicate; return them.
        `after`: look only at the calls recorded after the first `after` (a bench with
        thousands of calls would otherwise spend its time re-reading them)."""
        matches = (lambda c: c.method == what) if isinstance(what, str) else what

        def found() -> list[Call]:
            return [c for c in self._calls[after:] if c.status is not None and matches(c)]

        if not await self._calls_changed.wait_for(lambda: len(found()) >= count, timeout):
            seen = ", ".join(f"{c.method}[{c.status}]" for c in self._calls[-30:])
            raise AssertionError(
                f"waited {timeout}s for {count} answered call(s) matching {what!r}, "
                f"got {len(found())}; last calls: {seen or 'none'}"
            )
        return found()

    async def wait_until(self, condition: Callable[[], bool], *, timeout: float = 5.0) -> None:
        """Wait until condition() holds, checking it whenever a call arrives or is answered
        (for conditions over several calls, such as "every chat has had a message")."""
        if not await self._calls_changed.wait_for(condition, timeout):
            raise AssertionError(f"waited {timeout}s for {condition!r}")

    def clear(self) -> None:
        """Forget recorded calls, queued updates, stored messages, failures and blocked chats.

        Refills flood control's buckets and zeroes flood_refusals (rate_limit() stays on).
        Holds, channels and chat admins stay, and so do calls waiting at a hold.
        """
        self._calls[:] = self._held
        self._updates.clear()
        self._messages.clear()
        self._reset_faults()

    def _accepted(self, method: str, chat_id: int | str | None) -> list[dict]:
        if chat_id is not None:
            try:
                chat_id = self._resolve_chat(chat_id)
            except ApiError:
                return []
        return [
            {**c.params, "message_id": c.result["message_id"]}
            for c in self.calls(method)
            if c.status == 200 and chat_id in (None, c.result["chat"]["id"])
        ]

    # -- HTTP plumbing ---------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return error_response(ApiError(401, "Unauthorized"))
        method = self._method_names.get(request.match_info["method"].lower())
        if method is None:
            logger.warning("fake Bot API: unknown method %s", request.match_info["method"])
            return error_response(ApiError(404, "Not Found: method not found"))
        call = Call(method, await read_params(request), time.monotonic())
        self._calls.append(call)
        self._calls_changed.notify()  # arrived: wait_until may be waiting for a held request
        # Answered by a task of its own, so that should aiohttp cancel this handler (its client
        # went away) a call that reached "Telegram" still takes effect and gets recorded.
        task = asyncio.create_task(self._respond(call))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(task)

    async def _respond(self, call: Call) -> web.Response:
        try:
            call.result = await self._answer(call)
            response = web.json_response({"ok": True, "result": call.result})
        except ApiError as error:
            response = error_response(error)
        except Exception as error:  # a bug in the fake: answer, so wait_for() does not hang
            logger.exception("fake Bot API: %s failed", call.method)
            response = error_response(ApiError(500, f"Internal Server Error: {error!r}"))
        call.status = response.status
        self._calls_changed.notify()
        return response

    async def _answer(self, call: Call) -> Any:
        await self._apply_outage()
        await self._wait_at_hold(call)
        await self._apply_rules(call)
        params = call.params
        if "chat_id" in params:  # "@channel" -> its numeric id; recorded params stay as sent
            params = {**params, "chat_id": self._resolve_chat(params["chat_id"])}
        chat_id = params.get("chat_id")
        if is_sending(call.method):
            paid = params.get("allow_paid_broadcast") in (True, "true", "True")
            self._check_sending(call.method, chat_id, paid=paid)
        return await self._methods[call.method](params)

    async def _download(self, request: web.Request) -> web.Response:
        content = self._files.get(request.match_info["file_id"])
        if request.match_info["token"] != self.token or content is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=content, content_type="application/octet-stream")
