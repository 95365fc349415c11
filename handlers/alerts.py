"""/pantau and /lepas (watch words), /segera (a topic sent at once), /senyap (quiet hours).

Anyone in a chat may look; in a group, only its admins may change (as /schedule).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.errors import InputError, RuleError, UnknownTopic
from bot.text.texts import format_time_of_day, t
from handlers.common import (
    chat_id_of,
    configured_from,
    language_of,
    may_configure,
    reply,
    reply_unknown_topics,
)


def _arguments(update: Update) -> str:
    """Everything after the command, as typed (quotes and commas matter here)."""
    return (update.effective_message.text or "").partition(" ")[2].strip()


async def _may_change(update: Update, context: BotContext) -> bool:
    if await may_configure(update, context):
        configured_from(update, context)
        return True
    await reply(update, context, "group_admins_only")
    return False


async def watch(update: Update, context: BotContext) -> None:
    """/pantau banjir samarinda: add watch words; /pantau alone lists them."""
    alerts, chat_id, text = context.services.alerts, chat_id_of(update), _arguments(update)
    if not text:
        words = alerts.watches(chat_id)
        if not words:
            await reply(update, context, "watch_none")
            return
        await reply(
            update,
            context,
            "watch_list",
            count=len(words),
            limit=alerts.max_watches,
            words="\n".join(f"• {w}" for w in words),
            example=words[0],
        )
        return
    if not await _may_change(update, context):
        return
    try:
        added, known = alerts.watch(chat_id, text)
    except RuleError as exc:
        lang = language_of(update, context)
        await reply(
            update,
            context,
            "watch_bad",
            words=text,
            reason=t(lang, f"rule_{exc.code}", **exc.fields),
        )
        return
    except InputError as exc:
        await reply(update, context, exc.key, **exc.fields)
        return
    await reply(
        update, context, "watch_added" if added else "watch_known", words=", ".join(added or known)
    )


async def unwatch(update: Update, context: BotContext) -> None:
    """/lepas banjir samarinda: remove one watch."""
    if not await _may_change(update, context):
        return
    try:
        words = context.services.alerts.unwatch(chat_id_of(update), _arguments(update))
    except InputError as exc:
        await reply(update, context, exc.key, **exc.fields)
        return
    await reply(update, context, "unwatch_done", words=words)


async def urgent(update: Update, context: BotContext) -> None:
    """/segera kaltim: the topic's items at once (again: back to the digest only)."""
    alerts, chat_id = context.services.alerts, chat_id_of(update)
    if not context.args:
        topics = alerts.urgent_topics(chat_id)
        await reply(update, context, "urgent_usage")
        if topics:
            await reply(update, context, "urgent_list", topics=", ".join(x.name for x in topics))
        return
    if not await _may_change(update, context):
        return
    try:
        topic, on = alerts.toggle_urgent(chat_id, context.args)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    except InputError as exc:
        await reply(update, context, exc.key, **exc.fields)
        return
    await reply(update, context, "urgent_on" if on else "urgent_off", topic=topic.name)


async def quiet(update: Update, context: BotContext) -> None:
    """/senyap 22.00-05.00, /senyap mati, or /senyap to see them."""
    services, chat_id, text = context.services, chat_id_of(update), _arguments(update)
    if text:
        if not await _may_change(update, context):
            return
        try:
            value = services.alerts.set_quiet_hours(chat_id, text)
        except InputError as exc:
            await reply(update, context, exc.key, **exc.fields)
            return
    else:
        value = services.alerts.quiet_hours(chat_id)
    subscriber = services.subscribers.lookup(chat_id)
    if value is None:
        await reply(update, context, "quiet_off" if text else "quiet_none")
        return
    lang = subscriber.language
    start, end = (format_time_of_day(lang, part) for part in value.split("-"))
    await reply(
        update,
        context,
        "quiet_set" if text else "quiet_show",
        start=start,
        end=end,
        zone=subscriber.timezone,
    )


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("pantau", watch),
        CommandHandler("lepas", unwatch),
        CommandHandler("segera", urgent),
        CommandHandler("senyap", quiet),
    ]
