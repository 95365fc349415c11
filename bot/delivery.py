"""TelegramSender: the only code that sends digest messages, translating PTB's errors into
Warta's (RecipientGone for a chat that is gone, DeliveryError for the rest)."""

from __future__ import annotations

import logging

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.errors import DeliveryError, RecipientGone

logger = logging.getLogger(__name__)

# Telegram's wording for a chat that no longer exists; 400 like a formatting error, but final.
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "group chat was deactivated")


class TelegramSender:
    """Sends HTML messages with link previews off."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, html: str) -> None:
        """Send one message; returns only once Telegram accepted it."""
        try:
            await self.bot.send_message(
                chat_id,
                html,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except Forbidden as exc:
            raise RecipientGone(f"delivery: {exc.message}") from exc
        except ChatMigrated as exc:
            raise DeliveryError(f"delivery: chat moved to {exc.new_chat_id}") from exc
        except BadRequest as exc:
            if any(marker in exc.message.lower() for marker in _GONE):
                raise RecipientGone(f"delivery: {exc.message}") from exc
            raise DeliveryError(f"delivery: {exc.message}") from exc
        except TelegramError as exc:
            # TimedOut, NetworkError, RetryAfter beyond the rate limiter's retries: the items
            # stay unsent and go out with the next digest.
            raise DeliveryError(f"delivery: {type(exc).__name__}: {exc.message}") from exc
