"""/start, /help, /stop, and the answer to commands the bot does not know."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.models import ScheduleSlot
from bot.texts import DAYS, format_time_of_day, t
from handlers.common import (
    chat_id_of,
    group_admins_only,
    language_of,
    refuse_arguments,
    reply,
    send_html,
    thread_of,
)


def describe_times(language: str, times: tuple[str, ...]) -> str:
    """07.00 dan 19.00 / 07:00 and 19:00; times on some days or weekly say so:
    "07.00 (Senin–Jumat) dan 07.00 (mingguan, setiap Senin)"."""
    slots = [ScheduleSlot.from_entry(entry) for entry in times]
    daily = all(slot.every_day for slot in slots)
    shown = [_describe_slot(language, slot, daily) for slot in slots]
    joiner = " dan " if language == "id" else " and "
    return joiner.join([", ".join(shown[:-1]), shown[-1]]) if len(shown) > 1 else shown[0]


def every_day(times: tuple[str, ...]) -> bool:
    """True when every digest time is a daily one (the texts then say "every day")."""
    return all(ScheduleSlot.from_entry(entry).every_day for entry in times)


def _describe_slot(language: str, slot: ScheduleSlot, daily: bool) -> str:
    clock = format_time_of_day(language, f"{slot.hour:02d}:{slot.minute:02d}")
    if daily:
        return clock
    names = DAYS.get(language, DAYS["id"])
    if slot.weekly:
        days = ", ".join(names[d - 1] for d in slot.days)
        return f"{clock} ({t(language, 'schedule_weekly', day=days)})"
    if slot.every_day:
        return f"{clock} ({t(language, 'schedule_every_day')})"
    days = list(slot.days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{clock} ({names[days[0] - 1]}–{names[days[-1] - 1]})"
    return f"{clock} ({', '.join(names[d - 1] for d in days)})"


async def start(update: Update, context: BotContext) -> None:
    """Register the chat and greet it; a returning chat gets a reminder of its settings."""
    # The interface starts in DEFAULT_LANGUAGE whatever the phone's language: many readers
    # here run their phones in English but read the news in Indonesian. /language switches.
    subscriber, is_new = context.services.subscribers.ensure(chat_id_of(update))
    if is_new and thread_of(update) is not None:
        # Started in a forum topic: digests go there (an admin can move them later).
        context.services.subscribers.set_thread(subscriber.chat_id, thread_of(update))
    lang = subscriber.language
    times = describe_times(lang, subscriber.digest_times) if subscriber.digest_times else "-"
    if context.services.subscribers.resume_if_gone(subscriber.chat_id):
        await reply(update, context, "welcome_back")
    if is_new:
        await reply(update, context, "start", times=times, timezone=subscriber.timezone)
        return
    names = [x.name for x in context.services.core.topics() if x.slug in subscriber.topics]
    await reply(
        update, context, "start_again", times=times, timezone=subscriber.timezone,
        topics=", ".join(names) or t(lang, "no_topics"),
    )


async def show_help(update: Update, context: BotContext) -> None:
    """Every command, one line each; admins also see theirs."""
    lang = language_of(update, context)
    text = t(lang, "help")
    user = update.effective_user
    if user and user.id in context.settings.admin_ids:
        text += t(lang, "help_admin")
    await send_html(update, context, text)


@group_admins_only
async def stop(update: Update, context: BotContext) -> None:
    """Forget the chat, after saying so (the reply is sent in the chat's language first)."""
    if await refuse_arguments(update, context):
        return
    try:
        await reply(update, context, "stopped")
    finally:  # forgotten even if the goodbye could not be delivered
        context.services.subscribers.stop(chat_id_of(update))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point to /help."""
    await reply(update, context, "unknown_command")


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("start", start),
        CommandHandler("help", show_help),
        CommandHandler("stop", stop),
    ]


def fallback_handlers() -> list[BaseHandler]:
    """Registered last: any other command gets a pointer to /help."""
    return [MessageHandler(filters.COMMAND, unknown_command)]
