"""/digest (the digest now) and /latest (the newest items, sent or not)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.errors import UnknownTopic, UsageError
from bot.texts import t
from handlers.common import (
    chat_id_of,
    cooled_down,
    refuse_arguments,
    reply,
    reply_unknown_topics,
    send_html,
)


@cooled_down("digest")
async def digest(update: Update, context: BotContext) -> None:
    """Send the digest of new items now, or say there is nothing new."""
    if await refuse_arguments(update, context):
        return
    services = context.services
    try:
        outcome = await services.digests.send_now(chat_id_of(update), services.sender)
    except UsageError:
        await reply(update, context, "need_topics")
        return
    if outcome.failure == "blocked":
        return  # the chat blocked us between its command and our answer; it is now paused
    if outcome.failure is not None:
        await reply(update, context, "digest_later" if outcome.failure == "later" else "error")
    elif not outcome.messages:
        await reply(update, context, "no_new_items")


@cooled_down("latest")
async def latest(update: Update, context: BotContext) -> None:
    """/latest [topic]: the 10 newest items of that topic, or of the chat's topics."""
    services = context.services
    chat_id = chat_id_of(update)
    try:
        topics, items = services.digests.latest(chat_id, context.args or [])
    except UsageError:
        await reply(update, context, "need_topics")
        return
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    subscriber, _ = services.subscribers.ensure(chat_id)
    lang = subscriber.language
    scope = ", ".join(x.name for x in topics) if context.args else t(lang, "latest_all")
    if not items:
        await reply(update, context, "latest_none", scope=scope)
        return
    for message in services.digests.render_latest(
        items, header=t(lang, "latest_header", scope=scope), lang=lang,
        tz=ZoneInfo(subscriber.timezone),
    ):
        await send_html(update, context, message)


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [CommandHandler("digest", digest), CommandHandler("latest", latest)]
