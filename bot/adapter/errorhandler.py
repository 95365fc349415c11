"""The one error handler: log the failure with its traceback, and tell the chat, politely and
without details, that something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.adapter.context import BotContext
from bot.text.texts import t

logger = logging.getLogger(__name__)


async def error_handler(update: object, context: BotContext) -> None:
    """Log the error; answer the chat if there is one (update is None for jobs)."""
    chat = update.effective_chat if isinstance(update, Update) else None
    logger.error(
        "Unhandled error while handling %s chat_id=%s",
        "an update" if update is not None else "a job", chat.id if chat else None,
        exc_info=context.error,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    language = context.settings.default_language
    subscriber = context.services.subscribers.get(update.effective_chat.id)
    if subscriber:
        language = subscriber.language
    try:
        message = update.effective_message
        thread = message.message_thread_id if message and message.is_topic_message else None
        await context.bot.send_message(update.effective_chat.id, t(language, "error"),
                                       message_thread_id=thread)
    except TelegramError:
        logger.warning("Could not tell chat_id=%d about the error", update.effective_chat.id)
