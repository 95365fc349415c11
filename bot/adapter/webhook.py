"""Webhook mode: Warta's own small server (tornado, every limit set) that takes Telegram's
updates and hands them to the Application's update queue; and the bot's life in that mode.

PTB's own webhook server runs tornado with its defaults (100 MB bodies read whole before the
secret is looked at, an hour to send the headers, no cap on connections): one stranger's POST
could take hundreds of megabytes, and a thousand half-sent requests every file descriptor
(issue 27). Here the secret is checked from the headers, in constant time, before a byte of
the body is read; bodies, header and body times and open connections are all bounded.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application, ExtBot
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
from tornado.netutil import bind_sockets
from tornado.web import Application as TornadoApplication
from tornado.web import HTTPError, RequestHandler, stream_request_body

from bot.config import Settings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
# A refusal is logged at most this often, as a count: a flood of strangers' requests must not
# become a flood of log lines.
REFUSALS_LOGGED_EVERY = 60.0


@dataclass(frozen=True)
class Limits:
    """What one request and all connections together may cost the bot."""

    # An update is a few kilobytes; a message with a long text and entities stays well under
    # 100 KB. A megabyte leaves room and bounds what a request with the secret can cost.
    max_body: int = 1024 * 1024
    max_header: int = 16 * 1024
    # Telegram sends the headers and body of an update at once: seconds are plenty, and a
    # half-sent request is dropped soon (tornado's default is an hour for the headers).
    header_timeout: float = 5.0
    body_timeout: float = 10.0
    # Telegram opens at most 40 connections (setWebhook's max_connections default); the rest
    # is room for a proxy's own. At the cap the oldest connection is closed for the new one,
    # so half-open connections cannot lock out Telegram's (they are the oldest), and the bot
    # never runs out of file descriptors.
    max_connections: int = 100


class _CappedHTTPServer(HTTPServer):
    """tornado's HTTPServer with a cap on open connections: the oldest is closed at the cap."""

    def initialize(self, *args: Any, max_connections: int, **kwargs: Any) -> None:
        """HTTPServer's own settings, and the cap (tornado builds servers with initialize)."""
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        self.evicted = 0
        self._streams: dict[IOStream, None] = {}  # insertion order: oldest first

    def handle_stream(self, stream: IOStream, address: tuple) -> None:
        """Serve a new connection, closing the oldest ones first if the cap is reached."""
        while len(self._streams) >= self.max_connections:
            oldest = next(iter(self._streams))
            del self._streams[oldest]
            oldest.close()
            self.evicted += 1
        self._streams[stream] = None
        super().handle_stream(stream, address)

    def on_close(self, server_conn: Any) -> None:
        """Forget a closed connection."""
        self._streams.pop(server_conn.stream, None)
        super().on_close(server_conn)


class _Refusals:
    """Counts refused requests and logs them as one line a minute at most."""

    def __init__(self) -> None:
        self.count = 0
        self._unlogged = 0
        self._logged_at: float | None = None

    def add(self, why: str) -> None:
        """One more refusal; logged now if nothing was logged for a minute."""
        self.count += 1
        self._unlogged += 1
        now = time.monotonic()
        if self._logged_at is None or now - self._logged_at >= REFUSALS_LOGGED_EVERY:
            logger.warning(
                "Webhook refused %d request(s) since the last report (latest: %s)",
                self._unlogged,
                why,
            )
            self._unlogged, self._logged_at = 0, now


@stream_request_body
class _UpdateHandler(RequestHandler):
    """One POST from Telegram: secret and size checked from the headers, then the body read
    (streamed, so it is never read at all when refused) and queued as an Update."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, hook: WebhookServer) -> None:  # type: ignore[override]
        """tornado's per-request set-up: the server that owns this handler."""
        self.hook = hook
        self._chunks: list[bytes] = []

    def prepare(self) -> None:
        """Refuse before the body is read: wrong path, wrong secret, or too long."""
        hook = self.hook
        if self.request.path.rstrip("/") != hook.path.rstrip("/"):
            raise HTTPError(404)
        given = self.request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        # Constant time: how much of a guess was right must not show in the answer's timing.
        if not hmac.compare_digest(given, hook.secret):
            hook.refusals.add("no secret" if not given else "wrong secret")
            raise HTTPError(403)
        length = self.request.headers.get("Content-Length", "")
        if length.isascii() and length.isdigit() and int(length) > hook.limits.max_body:
            hook.refusals.add(f"body of {length} bytes")
            raise HTTPError(413)

    def data_received(self, chunk: bytes) -> None:
        """A piece of the body (tornado stops at max_body, chunked bodies too)."""
        self._chunks.append(chunk)

    async def post(self) -> None:
        """Queue the update for the Application; 200 however it parses, 400 if it does not."""
        bot = self.hook.application.bot
        try:
            update = Update.de_json(json.loads(b"".join(self._chunks)), bot)
        # Only a holder of the secret gets here; still, whatever its body holds, its failure
        # is this request's alone (PTB's own handler catches as widely).
        except Exception as exc:  # noqa: BLE001
            logger.warning("Webhook update not understood: %s", type(exc).__name__)
            raise HTTPError(400) from None
        if isinstance(bot, ExtBot):
            bot.insert_callback_data(update)
        await self.hook.application.update_queue.put(update)

    def log_exception(self, *args: Any) -> None:
        """Refusals are counted, not logged one by one (see _Refusals)."""


class WebhookServer:
    """The webhook endpoint of one Application, with its limits."""

    def __init__(
        self, application: Application, *, path: str, secret: str, limits: Limits | None = None
    ) -> None:
        self.application = application
        self.path = path or "/"
        self.secret = secret.encode("utf-8")
        self.limits = limits or Limits()
        self.refusals = _Refusals()
        app = TornadoApplication(
            [(r".*", _UpdateHandler, {"hook": self})], log_function=lambda handler: None
        )
        self._server = _CappedHTTPServer(
            app,
            max_connections=self.limits.max_connections,
            max_header_size=self.limits.max_header,
            idle_connection_timeout=self.limits.header_timeout,
            body_timeout=self.limits.body_timeout,
            max_body_size=self.limits.max_body,
            # The read buffer: the body and its headers, no more (tornado's default is 100 MB).
            max_buffer_size=self.limits.max_body + self.limits.max_header,
        )

    @property
    def evicted(self) -> int:
        """Connections closed to make room at the cap."""
        return self._server.evicted

    def listen(self, host: str, port: int) -> int:
        """Start accepting connections; returns the port (useful when asked for port 0)."""
        sockets = bind_sockets(port, address=host)
        self._server.add_sockets(sockets)
        return sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop accepting, and close the connections that are open."""
        self._server.stop()
        await self._server.close_all_connections()


def run_webhook(application: Application, settings: Settings) -> None:
    """Run the bot in webhook mode until SIGINT, SIGTERM or SIGABRT, on the current event
    loop (the one the bot met Telegram on), and close that loop afterwards."""
    loop = asyncio.get_event_loop()
    try:
        loop.run_until_complete(serve(application, settings))
    finally:
        loop.close()


async def serve(application: Application, settings: Settings) -> None:
    """The Application's life as PTB's run_webhook lives it (initialize, post_init, server
    and setWebhook, start; then stop, post_stop, shutdown, post_shutdown), with Warta's
    server instead of PTB's."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stopping.set)
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        server = WebhookServer(
            application, path=urlsplit(settings.webhook_url).path, secret=settings.webhook_secret
        )
        server.listen(settings.webhook_listen, settings.webhook_port)
        try:
            await application.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
            await application.start()
            logger.info(
                "Webhook server listening on %s:%d", settings.webhook_listen, settings.webhook_port
            )
            await stopping.wait()
        finally:
            await server.stop()
            if application.running:
                await application.stop()
                if application.post_stop:
                    await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
