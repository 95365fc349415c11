"""/digest (the digest now) and /latest (the newest items, sent or not)."""

from __future__ import annotations

from collections.abc import Hashable
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.errors import UnknownTopic, UsageError
from bot.models import DeliveryFailure
from bot.text.texts import plural, t
from handlers.common import (
    CB_DIGEST_NOW,
    chat_id_of,
    configured_from,
    cooled_down,
    may_configure,
    refuse_arguments,
    reply,
    reply_unknown_topics,
    send_html,
)


def _digest_state(update: Update, context: BotContext) -> Hashable:
    """What a /digest answers from besides the news: the chat's topics and settings. A reader
    who just changed them gets a different digest, so the cool-down lets it through."""
    subscriber = context.services.subscribers.get(chat_id_of(update))
    if subscriber is None:
        return None
    return subscriber.topics, subscriber.digest_cap, subscriber.region_only


@cooled_down("digest", _digest_state)
async def digest(update: Update, context: BotContext) -> None:
    """Send the digest of new items now, or say there is nothing new. In a group only its
    admins may: a member's /digest would use up the group's scheduled one."""
    if await refuse_arguments(update, context):
        return
    if not await may_configure(update, context):
        await reply(update, context, "digest_group_members")
        return
    configured_from(update, context)
    await _send_digest(update, context)


async def digest_now(update: Update, context: BotContext) -> None:
    """The "Kirim ringkasan sekarang" button after onboarding."""
    await update.callback_query.answer()
    if not await may_configure(update, context):
        await reply(update, context, "digest_group_members")
        return
    configured_from(update, context)
    await _send_digest(update, context)


async def _send_digest(update: Update, context: BotContext) -> None:
    services = context.services
    try:
        outcome = await services.digests.send_now(chat_id_of(update))
    except UsageError:
        await reply(update, context, "need_topics")
        return
    if outcome.failure == DeliveryFailure.BLOCKED:
        return  # the chat blocked us between its command and our answer; it is now paused
    if outcome.failure is not None:
        later = outcome.failure == DeliveryFailure.LATER
        await reply(update, context, "digest_later" if later else "error")
    elif not outcome.messages:
        await reply(update, context, "no_new_items")


@cooled_down("latest")
async def latest(update: Update, context: BotContext) -> None:
    """/latest [topic] [page]: the newest items, merged into stories, ten items a page."""
    services = context.services
    chat_id = chat_id_of(update)
    try:
        found = services.digests.latest(chat_id, context.args or [])
    except UsageError:
        await reply(update, context, "need_topics")
        return
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    subscriber = services.subscribers.lookup(chat_id)
    lang = subscriber.language
    labels = [x.label(lang) for x in found.topics]
    scope = ", ".join(labels) if found.named else t(lang, "latest_all")
    if not found.stories:
        await reply(update, context, "latest_none", scope=scope)
        return
    command = " ".join(["/latest", *(x.lower() for x in labels if found.named)])
    header = t(
        lang, "latest_header", count=plural(lang, "n_stories", len(found.stories)), scope=scope
    )
    if found.page > 1:
        header += t(lang, "latest_page", page=found.page)
    footer = ""
    if found.has_more:
        footer = t(lang, "latest_next", command=f"{command} {found.page + 1}")
    for message in services.digests.render_latest(
        found,
        header=header,
        footer=footer,
        lang=lang,
        tz=ZoneInfo(subscriber.timezone),
    ):
        await send_html(update, context, message)


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("digest", digest),
        CallbackQueryHandler(digest_now, pattern=rf"^{CB_DIGEST_NOW}$"),
        CommandHandler("latest", latest),
    ]
