"""TelegramSender: the only code that sends digest messages, translating PTB's errors into
Warta's, by what the outbox should do next:

- RecipientGone: blocked, kicked, deleted chat: pause it, stop trying.
- ChatMoved: a group became a supergroup: move the subscription, send again.
- MessageRejected: Telegram could not parse our HTML: send it again as plain text.
- ThreadGone: the forum topic was deleted: send to the group's main thread.
- TelegramUnreachable: no answer (network, timeout, 5xx): the Uplink's probe tells whether
  Telegram is down (wait) or it was this chat's bad luck (retry, then later).
- DeliveryRetry: a flood wait beyond the limiter's retries: keep it, try again later.
- DeliveryError: any other refusal; trying again would not help.

Also the HTTP clients the Bot API calls go out on (AiohttpRequest; UpdatesRequest for
getUpdates), which tell the Uplink whether Telegram answers.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import ssl
from time import monotonic

import aiohttp
import certifi
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.delivery.send_budget import BROADCAST
from bot.errors import (
    ChatMoved,
    DeliveryError,
    DeliveryRetry,
    MessageRejected,
    RecipientGone,
    TelegramUnreachable,
    ThreadGone,
)
from bot.runtime.uplink import Uplink, jittered

logger = logging.getLogger(__name__)

# Telegram's wording for a chat that no longer exists; 400 like a formatting error, but final.
_GONE = (
    "chat not found",
    "user is deactivated",
    "bot was kicked",
    "group chat was deactivated",
    "not enough rights to send",
    "need administrator rights in the channel chat",
)
# Bot API calls in flight at once, at most (PTB's default pool size).
MAX_CONNECTIONS = 256
# PTB's default timeouts, in seconds; uploads (the /stats chart, an OPML export) get longer.
TIMEOUTS = {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 1.0}
MEDIA_WRITE_TIMEOUT = 20.0
# Seconds a probe of Telegram (getMe) may take.
PROBE_TIMEOUT = 2.0
# After a failed getUpdates, the long poll asks again after this pause, doubling up to the
# longest (or TELEGRAM_PROBE_SECONDS if shorter), with jitter: a reader's command is fetched
# within a few seconds of Telegram answering again. PTB's own loop would wait 1 s, then 1.5
# times longer after each failure up to 30 s, and hand every failure to the error handler.
UPDATES_PAUSE_FIRST = 0.5
UPDATES_PAUSE_MAX = 3.0


def quiet_json(payload: bytes) -> dict:
    """PTB's parse_json_payload without its traceback: when Telegram is down its front answers
    an HTML page (nginx's 502), and PTB logged a whole JSONDecodeError trace for every call.
    The call still fails (PTB says which status), and the Uplink logs the outage once."""
    try:
        return json.loads(payload.decode("utf-8", "replace"))
    except ValueError as exc:
        logger.debug("Not JSON from the Bot API: %r", payload[:120])
        raise TelegramError("Invalid server response") from exc


def failure_of(exc: TelegramError) -> str:
    """A short reason for the log: PTB's message without the HTML page it may quote."""
    return f"{type(exc).__name__}: {exc.message.split('. Parsing the server response')[0]}"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """certifi's roots, as httpx uses, rather than whatever the system has; built once per
    process (reading the roots costs about 35 ms of CPU), not per session. Its own, not the
    feeds' httpx context: httpcore sets the protocols offered (ALPN) on the context it is
    given, and aiohttp should not depend on what another library last set there."""
    return ssl.create_default_context(cafile=certifi.where())


class AiohttpRequest(BaseRequest):
    """PTB's HTTP client for Bot API calls, on aiohttp instead of httpx.

    A paid broadcast run keeps hundreds of calls in flight at up to 1,000 a second, and the
    bot's one process must build, send and read each: httpx's pure-Python HTTP/1.1 and
    connection pool cost about 1.7 ms of CPU a call, aiohttp's C parser about 0.2 ms (measured
    side by side against the same local server). The feeds stay on httpx, whose transport pins
    the checked address (bot/feeds/fetch.py). Errors are PTB's: TimedOut for a timeout,
    NetworkError for the rest, whose message never carries the URL (it holds the token).
    """

    parse_json_payload = staticmethod(quiet_json)

    def __init__(self, connections: int = MAX_CONNECTIONS) -> None:
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None
        self.uplink: Uplink | None = None  # told of every answer (bot/app.py wires it)

    @property
    def read_timeout(self) -> float:
        """The default read timeout (PTB asks, to set getUpdates' timeouts)."""
        return TIMEOUTS["read"]

    async def initialize(self) -> None:
        """Open the session (its connections open as calls need them)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, ssl=_tls_context()),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one call; (status, body). See PTB's BaseRequest.do_request."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else {}
        data: aiohttp.FormData | bytes | None = None
        headers = None
        if files:
            form = aiohttp.FormData(request_data.json_parameters if request_data else {})
            for name, (filename, content, mimetype) in files.items():
                form.add_field(name, content, filename=filename, content_type=mimetype)
            data = form
        elif request_data is not None:
            # A JSON body, which the Bot API takes as well as a form: encoding a digest's few
            # kilobytes of HTML as a form, in pure Python, was a fifth of a call's cost.
            data = json.dumps(request_data.parameters).encode()
            headers = {"Content-Type": "application/json"}
        write = _given(write_timeout, MEDIA_WRITE_TIMEOUT if files else TIMEOUTS["write"])
        timeout = aiohttp.ClientTimeout(
            # aiohttp has no write timeout of its own: a call may take the longer of the two.
            sock_read=max(_given(read_timeout, TIMEOUTS["read"]), write),
            sock_connect=_given(connect_timeout, TIMEOUTS["connect"]),
            connect=_given(pool_timeout, TIMEOUTS["pool"])
            + _given(connect_timeout, TIMEOUTS["connect"]),
        )
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                status, body = response.status, await response.read()
                if status < 500 and self.uplink is not None:
                    self.uplink.answered()  # Telegram itself answered, even if to refuse
                return status, body
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientConnectorError as exc:
            # Names the host and port, not the path that holds the token.
            raise NetworkError(f"aiohttp: cannot connect to {exc.host}:{exc.port}") from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp: {type(exc).__name__}") from exc


def _given(value: object, default: float) -> float:
    """A timeout the call gave, else the default (PTB passes a DefaultValue for none given;
    None, PTB's "no timeout", gets the default too: no Bot API call here should hang)."""
    return float(value) if isinstance(value, int | float) else default


class AskAgain(TimedOut):
    """A long poll given up because Telegram answers again: poll anew, at once."""


class UpdatesRequest(HTTPXRequest):
    """getUpdates' HTTP client (PTB's httpx one), patient through an outage of Telegram.

    A getUpdates that fails as a whole asks the Uplink whether Telegram is down (one probe),
    waits a short pause, jittered, or less if Telegram answers meanwhile, and reports a timeout,
    which PTB's updater retries at once and without a log line (any other error it hands to the
    error handler and retries ever later, up to 30 s apart). A long poll in flight when an
    outage ends (it may hang at a dead front until its timeout) is given up and asked anew, so
    readers' commands are fetched at once.
    """

    parse_json_payload = staticmethod(quiet_json)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.uplink: Uplink | None = None
        self._pause = UPDATES_PAUSE_FIRST

    async def do_request(self, *args: object, **kwargs: object) -> tuple[int, bytes]:
        """One getUpdates (see the class docstring); (status, body) once Telegram answers."""
        begun, uplink = monotonic(), self.uplink
        try:
            if uplink is not None:
                answer = await self._unless_recovered(
                    super().do_request(*args, **kwargs), uplink.recovery()
                )
                if answer is None:
                    # Telegram answers again, and this long poll may hang at a dead front: ask
                    # anew at once (an update is confirmed only by the next call's offset, so
                    # nothing is lost).
                    self._pause = UPDATES_PAUSE_FIRST
                    raise AskAgain("getUpdates: asked again now that Telegram answers")
                status, body = answer
            else:
                status, body = await super().do_request(*args, **kwargs)
        except AskAgain:
            raise  # PTB's updater polls again at once, quietly: a timeout to it
        except TelegramError as exc:
            failure = failure_of(exc)
        else:
            if status < 500:
                self._pause = UPDATES_PAUSE_FIRST
                if uplink is not None:
                    uplink.answered()
                return status, body
            failure = f"getUpdates: HTTP {status}"
        await self._wait_out(begun, failure)
        raise TimedOut(f"getUpdates: Telegram did not answer ({failure})")

    @staticmethod
    async def _unless_recovered(
        call: object, recovered: asyncio.Event
    ) -> tuple[int, bytes] | None:
        """The call's answer, or None if an outage ended first (the call is then given up)."""
        poll = asyncio.ensure_future(call)
        back = asyncio.ensure_future(recovered.wait())
        try:
            await asyncio.wait((poll, back), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the updater stops: the poll goes with it
            await _cancelled(poll)
            raise
        finally:
            back.cancel()
        if not poll.done():
            await _cancelled(poll)
            return None
        return poll.result()

    async def _wait_out(self, begun: float, failure: str) -> None:
        pause = jittered(self._pause)
        self._pause = min(self._pause * 2, UPDATES_PAUSE_MAX)
        uplink = self.uplink
        if uplink is None:
            await asyncio.sleep(pause)
            return
        pause = min(pause, uplink.probe_max)
        if await uplink.check(begun, failure):
            await asyncio.sleep(pause)
        else:
            await uplink.wait_back(pause)


async def _cancelled(task: asyncio.Future) -> None:
    """Cancel a call and let it finish its cleanup (its connection closed, not leaked)."""
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


class TelegramSender:
    """Sends HTML messages with link previews off, in the rate limiter's broadcast lane (answers
    to readers go first), as paid broadcasts if `paid`."""

    def __init__(self, bot: Bot, *, paid: bool = False) -> None:
        self.bot = bot
        self.paid = paid

    async def send(
        self,
        chat_id: int,
        text: str,
        *,
        html: bool = True,
        thread_id: int | None = None,
        silent: bool = False,
    ) -> None:
        """Send one message (HTML, or plain text), into a forum topic if thread_id is given,
        without a sound if silent (the later parts of a digest); returns only once Telegram
        accepted it."""
        try:
            await self.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML if html else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                message_thread_id=thread_id,
                disable_notification=silent,
                allow_paid_broadcast=self.paid or None,
                rate_limit_args={"lane": BROADCAST},
            )
        except Forbidden as exc:
            raise RecipientGone(f"delivery: {exc.message}") from exc
        except ChatMigrated as exc:
            raise ChatMoved(exc.new_chat_id) from exc
        except BadRequest as exc:
            message = exc.message.lower()
            if any(marker in message for marker in _GONE):
                raise RecipientGone(f"delivery: {exc.message}") from exc
            if "can't parse entities" in message:
                raise MessageRejected(f"delivery: {exc.message}") from exc
            if "thread not found" in message:
                raise ThreadGone(f"delivery: {exc.message}") from exc
            raise DeliveryError(f"delivery: {exc.message}") from exc
        except NetworkError as exc:
            # TimedOut, connection errors and 5xx: no answer from Telegram itself.
            raise TelegramUnreachable(f"delivery: {failure_of(exc)}") from exc
        except TelegramError as exc:
            # RetryAfter beyond the rate limiter's retries, and anything unforeseen.
            raise DeliveryRetry(f"delivery: {type(exc).__name__}: {exc.message}") from exc

    async def probe(self) -> None:
        """Ask Telegram who the bot is (getMe): the cheapest call, to learn whether it answers
        again; raises TelegramUnreachable if not."""
        try:
            # A short timeout: an answer to getMe takes milliseconds, and a probe that hangs
            # must not keep Telegram counted as down once it answers again.
            await self.bot.get_me(
                read_timeout=PROBE_TIMEOUT,
                connect_timeout=PROBE_TIMEOUT,
                write_timeout=PROBE_TIMEOUT,
                pool_timeout=PROBE_TIMEOUT,
            )
        except TelegramError as exc:
            raise TelegramUnreachable(f"probe: {failure_of(exc)}") from exc
