"""What a handler's or job's failure becomes: the one error handler (log the failure with its
traceback, and tell the chat, politely and without details, that something went wrong), and
before it `patient`, which waits out another process's database lock instead of failing."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.adapter.context import BotContext
from bot.errors import DatabaseBusy
from bot.runtime.patience import Patience
from bot.text.texts import t

logger = logging.getLogger(__name__)


async def error_handler(update: object, context: BotContext) -> None:
    """Log the error; answer the chat if there is one (update is None for jobs)."""
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(context.error, NetworkError) and not isinstance(context.error, BadRequest):
        # (BadRequest is a NetworkError in PTB, but Telegram answered it.)
        # Telegram did not answer (a timeout, a refused connection, its front's 5xx): the
        # chat cannot be told either, and an outage is logged once by the Uplink, not here
        # with a traceback for every handler and job it touched.
        logger.info(
            "%s chat_id=%s failed: Telegram did not answer (%s)",
            "An update" if update is not None else "A job",
            chat.id if chat else None,
            type(context.error).__name__,
        )
        return
    logger.error(
        "Unhandled error while handling %s chat_id=%s",
        "an update" if update is not None else "a job",
        chat.id if chat else None,
        exc_info=context.error,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    await _tell(update, context, "error")


def patient(
    callback: Callable[..., Awaitable[Any]], patience: float
) -> Callable[..., Awaitable[Any]]:
    """A handler (or job) callback that, when another process holds the database's write lock,
    waits for it, yielding to the event loop, and runs again: its write was one transaction,
    rolled back whole, so the reader's change is applied once. Past `patience` seconds the
    reader is told plainly to send it again (never the generic apology)."""

    @functools.wraps(callback)
    async def run(*args: Any) -> Any:
        waiting = Patience(patience)
        while True:
            try:
                return await callback(*args)
            except Exception as exc:
                try:
                    await waiting.wait(exc)  # raises exc itself unless it is the lock
                except DatabaseBusy:
                    update = args[0] if len(args) == 2 else None
                    logger.warning(
                        "The database stayed locked by another process for %g s; %s given up",
                        patience,
                        "an update" if update is not None else "a job",
                    )
                    if isinstance(update, Update) and update.effective_chat is not None:
                        await _tell(update, args[1], "busy_try_again")
                    return None

    return run


async def _tell(update: Update, context: BotContext, key: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    language = context.settings.default_language
    subscriber = context.services.subscribers.get(chat.id)
    if subscriber:
        language = subscriber.language
    try:
        message = update.effective_message
        thread = message.message_thread_id if message and message.is_topic_message else None
        await context.bot.send_message(chat.id, t(language, key), message_thread_id=thread)
    except TelegramError:
        logger.warning("Could not tell chat_id=%d about the error", chat.id)
