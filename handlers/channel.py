"""/channel @name ...: a channel admin sets up Warta for a channel, from a private chat.

A channel has no one to type commands in it, so its settings are changed from the admin's own
chat with the bot. Every call checks again, with Telegram, that the channel exists, that Warta
may post in it, and that the user is one of its admins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.errors import TooManyDigestTimes, UnknownTopic, UsageError
from bot.text.texts import accepted_words, describe_times, t, zone_label
from handlers.common import language_of, reply, reply_unknown_topics, topic_names

logger = logging.getLogger(__name__)

_ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
# What an admin may do after the channel name; the words for each, in every language, are the
# texts "channel_action_<action>".
CHANNEL_ACTIONS = (
    "topics",
    "schedule",
    "timezone",
    "language",
    "digest",
    "pause",
    "resume",
    "stop",
)
_ACTIONS = {
    word: action
    for action in CHANNEL_ACTIONS
    for word in accepted_words(f"channel_action_{action}")
}


async def channel(update: Update, context: BotContext) -> None:
    """/channel @name [action args]: show or change what Warta posts in a channel."""
    if update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
        await reply(update, context, "channel_private_only")
        return
    args = context.args or []
    if not args:
        await reply(update, context, "channel_usage")
        return
    channel_id = await _channel_the_user_admins(update, context, args[0])
    if channel_id is None:
        return
    # Paused when Telegram refused a post? Warta has just been confirmed able to post.
    context.services.subscribers.resume_if_gone(channel_id)
    action = _ACTIONS.get(args[1].casefold()) if len(args) > 1 else "show"
    if action is None:
        await reply(update, context, "channel_usage")
        return
    await _act(update, context, channel_id, args[0], action, args[2:])


async def _channel_the_user_admins(update: Update, context: BotContext, name: str) -> int | None:
    """The channel's id if it exists, Warta may post there and the user is its admin; else
    explain which of these is missing and return None."""
    target: int | str = int(name) if name.lstrip("-").isdigit() else "@" + name.lstrip("@")
    try:
        chat = await context.bot.get_chat(target)
        if chat.type != ChatType.CHANNEL:
            await reply(update, context, "channel_not_channel", name=name)
            return None
        me = await context.bot.get_chat_member(chat.id, context.bot.id)
        if me.status not in _ADMINS or not getattr(me, "can_post_messages", False):
            await reply(update, context, "channel_bot_not_admin", name=name)
            return None
        user = update.effective_user
        member = await context.bot.get_chat_member(chat.id, user.id if user else 0)
    except (BadRequest, Forbidden) as exc:
        logger.info("Channel %s not usable: %s", name, exc.message)
        await reply(update, context, "channel_not_found", name=name)
        return None
    if member.status not in _ADMINS:
        await reply(update, context, "channel_admins_only", name=name)
        return None
    return chat.id


async def _act(
    update: Update, context: BotContext, channel_id: int, name: str, action: str, args: list[str]
) -> None:
    subscribers = context.services.subscribers
    if action == "stop":
        subscribers.stop(channel_id)
        await reply(update, context, "channel_stopped", name=name)
        return
    if action == "digest":
        await _digest(update, context, channel_id, name)
        return
    try:
        _SETTINGS[action](subscribers, channel_id, args)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    except TooManyDigestTimes as exc:
        await reply(update, context, "schedule_too_many", limit=exc.limit)
        return
    except UsageError:
        await reply(update, context, f"channel_usage_{action}")
        return
    await _show(update, context, channel_id, name)


# What each setting action calls on the subscriber service, with the channel's id and the
# words after the action; each raises UsageError (or a subclass) on bad arguments.
_SETTINGS: dict[str, Callable[..., object]] = {
    # Showing a channel's settings registers it: /channel @name is a channel's /start.
    "show": lambda service, chat, args: service.get_or_create(chat),
    "topics": lambda service, chat, args: service.set_topics(chat, args),
    "schedule": lambda service, chat, args: service.set_schedule(chat, " ".join(args)),
    "timezone": lambda service, chat, args: service.set_timezone(chat, " ".join(args)),
    "language": lambda service, chat, args: service.set_language(chat, " ".join(args)),
    "pause": lambda service, chat, args: service.pause(chat),
    "resume": lambda service, chat, args: service.resume(chat),
}


async def _digest(update: Update, context: BotContext, channel_id: int, name: str) -> None:
    services = context.services
    try:
        outcome = await services.digests.send_now(channel_id)
    except UsageError:
        await reply(update, context, "channel_usage_topics")
        return
    if outcome.failure is not None:
        await reply(update, context, "channel_digest_failed", name=name)
    elif outcome.messages:
        await reply(update, context, "channel_digest_sent", name=name)
    else:
        await reply(update, context, "channel_no_news", name=name)


async def _show(update: Update, context: BotContext, channel_id: int, name: str) -> None:
    subscribers = context.services.subscribers
    subscriber = subscribers.lookup(channel_id)
    lang = language_of(update, context)
    names = topic_names(subscribers.followed(channel_id), lang)
    times = describe_times(lang, subscriber.digest_times) if subscriber.digest_times else "-"
    await reply(
        update,
        context,
        "channel_settings",
        name=name,
        topics=names or t(lang, "no_topics"),
        times=times,
        timezone=zone_label(subscriber.timezone),
        language=t(lang, f"language_name_{subscriber.language}"),
        state=t(lang, "channel_paused" if subscriber.is_paused else "channel_active"),
    )


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [CommandHandler("channel", channel)]
