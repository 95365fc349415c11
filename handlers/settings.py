"""/setelan: how many stories per topic a digest shows; /wilayah: subjects narrowed
to the reader's regions; and the admins' /region and /topicname."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.errors import UnknownTopic, UsageError
from bot.models import CAP_CHOICES, DEFAULT_CAP, Subscriber
from bot.texts import t
from handlers.common import (
    admin_only,
    chat_id_of,
    group_admins_only,
    language_of,
    refuse_arguments,
    reply,
    reply_unknown_topics,
    thread_of,
)

CB_CAP = "cap:"
OFF_WORDS = ("off", "mati", "tidak")


def cap_label(lang: str, cap: int) -> str:
    """"5" or "semua"."""
    return str(cap) if cap else t(lang, "cap_all")


def current_cap(subscriber: Subscriber) -> int:
    """The chat's stories per topic (the default when it never chose)."""
    return DEFAULT_CAP if subscriber.digest_cap is None else subscriber.digest_cap


def cap_keyboard(subscriber: Subscriber) -> InlineKeyboardMarkup:
    """3 · 5 · 10 · semua, the current choice ticked."""
    lang, cap = subscriber.language, current_cap(subscriber)
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(
            f"✅ {cap_label(lang, choice)}" if choice == cap else cap_label(lang, choice),
            callback_data=f"{CB_CAP}{choice}",
        )
        for choice in CAP_CHOICES
    ]])


@group_admins_only
async def show_settings(update: Update, context: BotContext) -> None:
    """/setelan: the cap buttons; /setelan 10 or /setelan semua sets it directly."""
    services = context.services
    chat_id = chat_id_of(update)
    if context.args:
        try:
            cap = services.subscribers.set_cap(chat_id, " ".join(context.args))
        except UsageError:
            subscriber, _ = services.subscribers.ensure(chat_id)
            await _send_keyboard(update, context, subscriber)
            return
        await reply(update, context, "cap_set" if cap else "cap_set_all", cap=cap)
        return
    subscriber, _ = services.subscribers.ensure(chat_id)
    await _send_keyboard(update, context, subscriber)


async def _send_keyboard(update: Update, context: BotContext, subscriber: Subscriber) -> None:
    lang = subscriber.language
    await context.bot.send_message(
        subscriber.chat_id,
        t(lang, "cap_header", cap=cap_label(lang, current_cap(subscriber))),
        parse_mode=ParseMode.HTML,
        reply_markup=cap_keyboard(subscriber),
        message_thread_id=thread_of(update),
    )


@group_admins_only
async def choose_cap(update: Update, context: BotContext) -> None:
    """A tap on a cap button: store it, tick it."""
    query = update.callback_query
    services = context.services
    chat_id = chat_id_of(update)
    try:
        services.subscribers.set_cap(chat_id, (query.data or "").removeprefix(CB_CAP))
    except UsageError:
        pass  # a button from an older keyboard: redrawing shows the valid ones
    await query.answer()
    subscriber, _ = services.subscribers.ensure(chat_id)
    lang = subscriber.language
    try:
        await query.edit_message_text(
            t(lang, "cap_header", cap=cap_label(lang, current_cap(subscriber))),
            parse_mode=ParseMode.HTML, reply_markup=cap_keyboard(subscriber),
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():  # a double tap changes nothing
            raise


@group_admins_only
async def region_only(update: Update, context: BotContext) -> None:
    """/wilayah: subjects show only news from the followed regions, or from anywhere again."""
    if await refuse_arguments(update, context):
        return
    try:
        on, regions = context.services.subscribers.toggle_region_only(chat_id_of(update))
    except UsageError:
        await reply(update, context, "wilayah_need_region")
        return
    lang = language_of(update, context)
    names = " · ".join(region.label(lang) for region in regions)
    await reply(update, context, "wilayah_on" if on else "wilayah_off", regions=names)


@admin_only
async def set_region(update: Update, context: BotContext) -> None:
    """/region samarinda: the topic is a place; /region samarinda off: a subject again."""
    args = context.args or []
    if len(args) not in (1, 2) or (len(args) == 2 and args[1].lower() not in OFF_WORDS):
        await reply(update, context, "region_usage")
        return
    kind = "subject" if len(args) == 2 else "region"
    try:
        topic = context.services.topics.set_kind(args[0], kind)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    await reply(update, context, f"{kind}_set", name=topic.name)


@admin_only
async def set_topic_name(update: Update, context: BotContext) -> None:
    """/topicname education Education: a topic's name for English readers."""
    args = context.args or []
    if len(args) < 2:
        await reply(update, context, "topicname_usage")
        return
    try:
        topic = context.services.topics.set_english_name(args[0], " ".join(args[1:]))
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    except UsageError:
        await reply(update, context, "topicname_usage")
        return
    await reply(update, context, "topicname_set", name=topic.name, name_en=topic.name_en)


@admin_only
async def name_feed(update: Update, context: BotContext) -> None:
    """/feedname 3 Tribun Kaltim: the outlet name shown with that feed's items."""
    args = context.args or []
    if len(args) < 2 or not args[0].isdigit() or len(args[0]) > 9:
        await reply(update, context, "feedname_usage")
        return
    try:
        feed = context.services.admin.name_feed(int(args[0]), " ".join(args[1:]))
    except UsageError:
        await reply(update, context, "feedname_usage")
        return
    if feed is None:
        await reply(update, context, "removefeed_missing", id=args[0])
        return
    await reply(update, context, "feedname_set", id=feed.id, outlet=feed.outlet or "")


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("setelan", show_settings),
        CallbackQueryHandler(choose_cap, pattern=rf"^{CB_CAP}"),
        CommandHandler("wilayah", region_only),
        CommandHandler("region", set_region),
        CommandHandler("topicname", set_topic_name),
        CommandHandler("feedname", name_feed),
    ]
