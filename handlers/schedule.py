"""/schedule, /timezone, /language, /pause and /resume."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.errors import TooManyDigestTimes, UsageError
from bot.text.texts import Html, describe_times, every_day, format_clock, t, zone_label
from handlers.common import (
    chat_id_of,
    configured_from,
    group_admins_only,
    may_configure,
    refuse_arguments,
    reply,
)


async def schedule(update: Update, context: BotContext) -> None:
    """Show the digest times, or set them: /schedule 07:00,19:00 or /schedule off."""
    services = context.services
    chat_id = chat_id_of(update)
    subscriber = services.subscribers.lookup(chat_id)
    lang = subscriber.language
    if context.args and not await may_configure(update, context):
        await reply(update, context, "group_admins_only")
        return
    if not context.args:
        if not subscriber.digest_times:
            await reply(update, context, "schedule_show_off")
            return
        paused = t(lang, "schedule_paused_note") if subscriber.is_paused else ""
        shown = "schedule_show" if every_day(subscriber.digest_times) else "schedule_show_days"
        await reply(
            update,
            context,
            shown,
            times=describe_times(lang, subscriber.digest_times),
            timezone=zone_label(subscriber.timezone),
            paused=Html(paused),
        )
        return
    configured_from(update, context)
    try:
        times = services.subscribers.set_schedule(chat_id, " ".join(context.args))
    except TooManyDigestTimes as exc:
        await reply(update, context, "schedule_too_many", limit=exc.limit)
        return
    except UsageError:
        await reply(update, context, "schedule_usage")
        return
    if not times:
        await reply(update, context, "schedule_off")
        return
    await reply(
        update,
        context,
        "schedule_set" if every_day(times) else "schedule_set_days",
        times=describe_times(lang, times),
        timezone=zone_label(subscriber.timezone),
    )


async def set_timezone(update: Update, context: BotContext) -> None:
    """/timezone Asia/Makassar (WIB, WITA and WIT are understood too)."""
    services = context.services
    chat_id = chat_id_of(update)
    subscriber = services.subscribers.lookup(chat_id)
    if not context.args:
        zone = subscriber.timezone
        await reply(update, context, "timezone_show", timezone=f"{zone} ({zone_label(zone)})")
        return
    if not await may_configure(update, context):
        await reply(update, context, "group_admins_only")
        return
    configured_from(update, context)
    if len(context.args) > 1:
        await reply(update, context, "timezone_invalid", name=" ".join(context.args))
        return
    try:
        zone = services.subscribers.set_timezone(chat_id, context.args[0])
    except UsageError:
        await reply(update, context, "timezone_invalid", name=context.args[0])
        return
    now = datetime.now(ZoneInfo(zone))
    await reply(
        update,
        context,
        "timezone_set",
        timezone=zone,
        now=format_clock(subscriber.language, now),
        zone=zone_label(zone),
    )


@group_admins_only
async def set_language(update: Update, context: BotContext) -> None:
    """/language id or /language en."""
    if len(context.args or []) != 1:
        await reply(update, context, "language_usage")
        return
    try:
        context.services.subscribers.set_language(chat_id_of(update), context.args[0])
    except UsageError:
        await reply(update, context, "language_usage")
        return
    await reply(update, context, "language_set")  # in the new language


@group_admins_only
async def pause(update: Update, context: BotContext) -> None:
    """Stop scheduled digests, keeping the topics."""
    if await refuse_arguments(update, context):
        return
    changed = context.services.subscribers.pause(chat_id_of(update))
    await reply(update, context, "paused" if changed else "already_paused")


@group_admins_only
async def resume(update: Update, context: BotContext) -> None:
    """Restart scheduled digests."""
    if await refuse_arguments(update, context):
        return
    services = context.services
    changed = services.subscribers.resume(chat_id_of(update))
    subscriber = services.subscribers.lookup(chat_id_of(update))
    if not subscriber.digest_times:
        await reply(update, context, "schedule_show_off")
        return
    await reply(
        update,
        context,
        "resumed" if changed else "not_paused",
        times=describe_times(subscriber.language, subscriber.digest_times),
        timezone=zone_label(subscriber.timezone),
    )


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("schedule", schedule),
        CommandHandler("timezone", set_timezone),
        CommandHandler("language", set_language),
        CommandHandler("pause", pause),
        CommandHandler("resume", resume),
    ]
