"""TelegramSender: the only code that sends digest messages, translating PTB's errors into
Warta's, by what the outbox should do next:

- RecipientGone: blocked, kicked, deleted chat: pause it, stop trying.
- ChatMoved: a group became a supergroup: move the subscription, send again.
- MessageRejected: Telegram could not parse our HTML: send it again as plain text.
- ThreadGone: the forum topic was deleted: send to the group's main thread.
- DeliveryRetry: network, timeout, 5xx, flood: keep it, try again later.
- DeliveryError: any other refusal; trying again would not help.
"""

from __future__ import annotations

import logging

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TelegramError

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
