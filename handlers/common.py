"""What every handler shares: the chat's language, replying in it, the admin guard,
callback-data prefixes."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Hashable, Sequence
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode

from bot.adapter.context import BotContext
from bot.models import Topic
from bot.text.shaping import pack
from bot.text.texts import t

CB_TOPIC = "topic:"
CB_REGION_ONLY = "region-only"
CB_LANGUAGE = "language"  # /start's 🇮🇩/🇬🇧 button: switch to the other language
CB_DONE = "onboarding-done"
CB_DIGEST_NOW = "digest-now"
CB_STOP = "stop:"  # stop:yes / stop:no
logger = logging.getLogger(__name__)
Callback = Callable[[Update, BotContext], Awaitable[None]]


def chat_id_of(update: Update) -> int:
    """The id of the chat the update came from."""
    assert update.effective_chat is not None
    return update.effective_chat.id


def thread_of(update: Update) -> int | None:
    """The forum topic the update came from, or None outside forum topics; replies and
    digests must go back into it, or they land in the group's General topic."""
    message = update.effective_message
    if message is not None and message.is_topic_message:
        return message.message_thread_id
    return None


def language_of(update: Update, context: BotContext) -> str:
    """The chat's language, or the default for a chat that never started the bot."""
    if update.effective_chat is not None:
        subscriber = context.services.subscribers.get(update.effective_chat.id)
        if subscriber:
            return subscriber.language
    return context.settings.default_language


def zone_of(update: Update, context: BotContext) -> ZoneInfo:
    """The chat's timezone, or the default for a chat that never started the bot."""
    subscriber = context.services.subscribers.get(chat_id_of(update))
    return ZoneInfo(subscriber.timezone if subscriber else context.settings.default_timezone)


def topic_names(topics: Sequence[Topic], lang: str) -> str:
    """ "Kaltim, Pendidikan": the names a reader of `lang` sees and may type (never slugs)."""
    return ", ".join(topic.label(lang) for topic in topics)


async def reply_unknown_topics(update: Update, context: BotContext, names: Sequence[str]) -> None:
    """Say which topic names were not found, and list the ones there are."""
    await reply(
        update,
        context,
        "unknown_topics",
        names=", ".join(names),
        topics=topic_names(context.services.topics.all(), language_of(update, context)),
    )


async def send_html(update: Update, context: BotContext, html: str) -> None:
    """Send HTML to the update's chat, split between parts if it is long, previews off."""
    for message in pack(html.split("\n\n")):
        await context.bot.send_message(
            chat_id_of(update),
            message,
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            message_thread_id=thread_of(update),
        )


async def reply(update: Update, context: BotContext, key: str, **fields: object) -> None:
    """Answer with the text `key` in the chat's language."""
    await send_html(update, context, t(language_of(update, context), key, **fields))


async def refuse_arguments(update: Update, context: BotContext) -> bool:
    """For commands that take no arguments: answer with usage and return True if some came."""
    if not context.args:
        return False
    command = (update.effective_message.text or "").split()[0].split("@")[0]
    await reply(update, context, "no_args", command=command)
    return True


def is_admin(update: Update, context: BotContext) -> bool:
    """True when the update comes from a user listed in ADMIN_IDS (checked on every call)."""
    user = update.effective_user
    return user is not None and user.id in context.settings.admin_ids


def admin_only(callback: Callback) -> Callback:
    """Run callback only for a user listed in ADMIN_IDS."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BotContext) -> None:
        if not is_admin(update, context):
            user = update.effective_user
            logger.info("Refused an admin command from user_id=%s", user.id if user else None)
            await reply(update, context, "admin_only")
            return
        await callback(update, context)

    return guarded


async def may_configure(update: Update, context: BotContext) -> bool:
    """In a group, only its admins may change what Warta sends there; True if this user may.
    A check only: it changes nothing (see configured_from).

    Private chats are their own user's. A group admin posting anonymously arrives as the
    group itself (sender_chat), and counts as an admin.
    """
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message
    allowed = bool(message and message.sender_chat and message.sender_chat.id == chat.id)
    if not allowed and user is not None:
        member = await context.bot.get_chat_member(chat.id, user.id)
        allowed = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    return allowed


def configured_from(update: Update, context: BotContext) -> None:
    """An admin is configuring Warta from here: in a forum, this topic becomes the one the
    chat's digests go to (the admins read them where they set them up)."""
    chat = update.effective_chat
    if chat is not None and chat.is_forum:
        context.services.subscribers.set_thread(chat.id, thread_of(update))


def cooled_down(
    command: str, state: Callable[[Update, BotContext], Hashable] | None = None
) -> Callable[[Callback], Callback]:
    """Run callback at most once per cool-down in a chat (bot.services.command_budget.COOLDOWNS);
    a repeat within it gets a polite "try again in N seconds", unless `state` (what the answer
    depends on) changed since. Admins are trusted: no cool-down."""

    def wrap(callback: Callback) -> Callback:
        @functools.wraps(callback)
        async def guarded(update: Update, context: BotContext) -> None:
            left = (
                0
                if is_admin(update, context)
                else context.services.limits.cooldown_left(
                    chat_id_of(update), command, state(update, context) if state else None
                )
            )
            if left:
                await reply(update, context, "cooldown", command=f"/{command}", seconds=left)
                return
            await callback(update, context)

        return guarded

    return wrap


def group_admins_only(callback: Callback) -> Callback:
    """Run callback only for a group's admins (anyone in a private chat)."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BotContext) -> None:
        if await may_configure(update, context):
            configured_from(update, context)
            await callback(update, context)
            return
        text = t(language_of(update, context), "group_admins_only")
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await send_html(update, context, text)

    return guarded
