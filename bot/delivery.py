"""TelegramSender: the only code that sends digest messages, translating PTB's errors into
Warta's, by what the outbox should do next:

- RecipientGone: blocked, kicked, deleted chat: pause it, stop trying.
- ChatMoved: a group became a supergroup: move the subscription, send again.
- MessageRejected: Telegram could not parse our HTML: send it again as plain text.
- ThreadGone: the forum topic was deleted: send to the group's main thread.
- DeliveryRetry: network, timeout, 5xx, flood: keep it, try again later.
- DeliveryError: any other refusal; trying again would not help.

Also the HTTP connections every Bot API call goes out on (telegram_request).
"""

from __future__ import annotations

import itertools
import logging
import math

import httpx
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.errors import (
    ChatMoved,
    DeliveryError,
    DeliveryRetry,
    MessageRejected,
    RecipientGone,
    ThreadGone,
)
from bot.ratelimit import BROADCAST

logger = logging.getLogger(__name__)

# Telegram's wording for a chat that no longer exists; 400 like a formatting error, but final.
_GONE = (
    "chat not found", "user is deactivated", "bot was kicked", "group chat was deactivated",
    "not enough rights to send", "need administrator rights in the channel chat",
)
# Connections per pool (see SpreadTransport): a few, however many calls are in flight.
CONNECTIONS_PER_POOL = 4
# PTB's default, for all pools together.
MAX_CONNECTIONS = 256


def telegram_request(in_flight: int) -> HTTPXRequest:
    """PTB's HTTP client for Bot API calls, spread over enough pools for `in_flight` calls at
    once (SpreadTransport says why)."""
    pools = max(1, math.ceil(in_flight / CONNECTIONS_PER_POOL))
    return HTTPXRequest(httpx_kwargs={"transport": SpreadTransport(pools, MAX_CONNECTIONS)})


class SpreadTransport(httpx.AsyncBaseTransport):
    """Sends each request through the next of several connection pools, in turn.

    httpcore's pool looks at every connection it holds, twice per request, probing the socket
    of each idle one (and, for each idle one, counts the idle ones again): the cost of a call
    grows with the connections open, quadratically with the idle ones (encode/httpcore#1035,
    not merged in httpcore 1.0.9). With paid broadcasts 250 calls are in flight, and that
    bookkeeping was most of the bot's CPU; in pools of a few connections each it is small.
    """

    def __init__(self, pools: int, max_connections: int) -> None:
        # One TLS context for all (making one reads the CA bundle: about 20 ms each).
        tls = httpx.create_ssl_context()
        limits = httpx.Limits(max_connections=max_connections)
        self._pools = [httpx.AsyncHTTPTransport(verify=tls, limits=limits)
                       for _ in range(pools)]
        self._turns = itertools.cycle(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request through the next pool."""
        return await next(self._turns).handle_async_request(request)

    async def aclose(self) -> None:
        """Close every pool's connections."""
        for pool in self._pools:
            await pool.aclose()


class TelegramSender:
    """Sends HTML messages with link previews off, in the rate limiter's broadcast lane (answers
    to readers go first), as paid broadcasts if `paid`."""

    def __init__(self, bot: Bot, *, paid: bool = False) -> None:
        self.bot = bot
        self.paid = paid

    async def send(
        self, chat_id: int, text: str, *, html: bool = True, thread_id: int | None = None,
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
            # TimedOut, connection errors and 5xx: Telegram may be back in a moment.
            raise DeliveryRetry(f"delivery: {type(exc).__name__}: {exc.message}") from exc
        except TelegramError as exc:
            # RetryAfter beyond the rate limiter's retries, and anything unforeseen.
            raise DeliveryRetry(f"delivery: {type(exc).__name__}: {exc.message}") from exc
