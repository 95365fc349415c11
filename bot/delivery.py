"""TelegramSender: the only code that sends digest messages, translating PTB's errors into
Warta's (RecipientGone for a chat that is gone, DeliveryError for the rest)."""

from __future__ import annotations

import logging

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.errors import ChatMoved, DeliveryError, MessageRejected, RecipientGone

logger = logging.getLogger(__name__)

# Telegram's wording for a chat that no longer exists; 400 like a formatting error, but final.
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "group chat was deactivated")


class TelegramSender:
    """Sends HTML messages with link previews off."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, text: str, *, html: bool = True) -> None:
        """Send one message (HTML, or plain text); returns only once Telegram accepted it."""
        try:
            await self.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML if html else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
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
            raise DeliveryError(f"delivery: {exc.message}") from exc
        except TelegramError as exc:
            # TimedOut, NetworkError, RetryAfter beyond the rate limiter's retries: the items
            # stay unsent and go out with the next digest.
            raise DeliveryError(f"delivery: {type(exc).__name__}: {exc.message}") from exc
