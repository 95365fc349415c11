"""/start with its onboarding buttons (topics, language, "Selesai"), /help, /stop with its
confirmation, and the answer to commands the bot does not know."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.adapter.context import BotContext
from bot.text.texts import describe_times, format_clock, format_date, t, zone_label
from handlers.common import (
    CB_DIGEST_NOW,
    CB_DONE,
    CB_LANGUAGE,
    CB_STOP,
    chat_id_of,
    group_admins_only,
    language_of,
    refuse_arguments,
    reply,
    send_html,
    thread_of,
    topic_names,
)
from handlers.topics import topic_keyboard


async def start(update: Update, context: BotContext) -> None:
    """Register the chat and greet it with the topic buttons, a language button and "Selesai";
    a returning chat gets a reminder of its settings."""
    # The interface starts in DEFAULT_LANGUAGE whatever the phone's language: many readers
    # here run their phones in English but read the news in Indonesian. The button switches.
    services = context.services
    is_new = services.subscribers.get(chat_id_of(update)) is None
    subscriber = services.subscribers.get_or_create(chat_id_of(update))
    if is_new and thread_of(update) is not None:
        # Started in a forum topic: digests go there (an admin can move them later).
        services.subscribers.set_thread(subscriber.chat_id, thread_of(update))
    lang = subscriber.language
    times = describe_times(lang, subscriber.digest_times) if subscriber.digest_times else "-"
    if services.subscribers.resume_if_gone(subscriber.chat_id):
        await reply(update, context, "welcome_back")
    if is_new:
        await context.bot.send_message(
            subscriber.chat_id,
            t(lang, "start"),
            parse_mode=ParseMode.HTML,
            reply_markup=topic_keyboard(services.topics.all(), subscriber, onboarding=True),
            message_thread_id=thread_of(update),
        )
        return
    names = topic_names(services.subscribers.followed(subscriber.chat_id), lang)
    await reply(
        update,
        context,
        "start_again",
        times=times,
        timezone=zone_label(subscriber.timezone),
        topics=names or t(lang, "no_topics"),
    )


@group_admins_only
async def switch_language(update: Update, context: BotContext) -> None:
    """/start's 🇬🇧/🇮🇩 button: the other language, the greeting redrawn in it."""
    query = update.callback_query
    services = context.services
    lang = services.subscribers.toggle_language(chat_id_of(update))
    await query.answer()
    subscriber = services.subscribers.lookup(chat_id_of(update))
    await query.edit_message_text(
        t(lang, "start"),
        parse_mode=ParseMode.HTML,
        reply_markup=topic_keyboard(services.topics.all(), subscriber, onboarding=True),
    )


@group_admins_only
async def finish_onboarding(update: Update, context: BotContext) -> None:
    """ "Selesai": say when the first digest comes, and offer one now."""
    query = update.callback_query
    services = context.services
    chat_id = chat_id_of(update)
    subscriber = services.subscribers.lookup(chat_id)
    lang = subscriber.language
    if not subscriber.topics:
        await query.answer(t(lang, "onboarding_need_topic"), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    names = topic_names(services.subscribers.followed(chat_id), lang)
    when = services.subscribers.next_digest(chat_id)
    if when is None:
        text = t(lang, "onboarding_done_unscheduled", topics=names)
    else:
        text = t(
            lang,
            "onboarding_done",
            topics=names,
            day=_day(lang, when.at, when.days_ahead),
            time=format_clock(lang, when.at),
            zone=zone_label(subscriber.timezone),
        )
    button = InlineKeyboardButton(t(lang, "digest_now_button"), callback_data=CB_DIGEST_NOW)
    await context.bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup([[button]]),
        message_thread_id=thread_of(update),
    )


def _day(lang: str, at: datetime, days_ahead: int) -> str:
    """ "hari ini", "besok", or the date for a digest further off (a weekday-only schedule on
    a Friday evening, a weekly one)."""
    if days_ahead < 2:
        return t(lang, "tomorrow" if days_ahead else "today")
    return format_date(lang, at, year=False)


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
    """Ask before forgetting the chat: two buttons, delete or keep."""
    if await refuse_arguments(update, context):
        return
    lang = language_of(update, context)
    buttons = [
        [
            InlineKeyboardButton(t(lang, "stop_yes"), callback_data=f"{CB_STOP}yes"),
            InlineKeyboardButton(t(lang, "stop_no"), callback_data=f"{CB_STOP}no"),
        ]
    ]
    await context.bot.send_message(
        chat_id_of(update),
        t(lang, "stop_confirm"),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(buttons),
        message_thread_id=thread_of(update),
    )


@group_admins_only
async def confirm_stop(update: Update, context: BotContext) -> None:
    """The answer to /stop's question: forget the chat (after saying so), or keep it."""
    query = update.callback_query
    await query.answer()
    lang = language_of(update, context)
    if query.data != f"{CB_STOP}yes":
        await query.edit_message_text(t(lang, "stop_cancelled"), parse_mode=ParseMode.HTML)
        return
    try:
        await query.edit_message_text(t(lang, "stopped"), parse_mode=ParseMode.HTML)
    finally:  # forgotten even if the goodbye could not be shown
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
        CallbackQueryHandler(confirm_stop, pattern=rf"^{CB_STOP}"),
        CallbackQueryHandler(switch_language, pattern=rf"^{CB_LANGUAGE}$"),
        CallbackQueryHandler(finish_onboarding, pattern=rf"^{CB_DONE}$"),
    ]


def fallback_handlers() -> list[BaseHandler]:
    """Registered last: any other command gets a pointer to /help."""
    return [MessageHandler(filters.COMMAND, unknown_command)]
