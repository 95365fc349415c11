"""/topics with its toggle keyboard, /subscribe and /unsubscribe."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.errors import UnknownTopic, UsageError
from bot.models import Subscriber, Topic
from bot.text.texts import t
from handlers.common import (
    CB_DONE,
    CB_LANGUAGE,
    CB_REGION_ONLY,
    CB_TOPIC,
    chat_id_of,
    group_admins_only,
    language_of,
    refuse_arguments,
    reply,
    reply_unknown_topics,
    thread_of,
    topic_names,
)


def topic_keyboard(
    topics: list[Topic], subscriber: Subscriber, *, onboarding: bool = False
) -> InlineKeyboardMarkup:
    """One button per topic, ✅ on the followed ones, two to a row; then "Hanya berita
    Kaltim" when there are regions; at /start also the language and "Selesai"."""
    lang, followed = subscriber.language, subscriber.topics
    buttons = [
        InlineKeyboardButton(
            f"✅ {topic.label(lang)}" if topic.slug in followed else topic.label(lang),
            callback_data=f"{CB_TOPIC}{topic.slug}",
        )
        for topic in topics
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    regions = [t for t in topics if t.is_region]
    if regions:
        mine = [t for t in regions if t.slug in followed] or regions
        label = t(lang, "region_only_button", regions=" · ".join(r.label(lang) for r in mine))
        rows.append(
            [
                InlineKeyboardButton(
                    f"✅ {label}" if subscriber.region_only else label,
                    callback_data=CB_REGION_ONLY,
                )
            ]
        )
    if onboarding:
        rows.append(
            [
                InlineKeyboardButton(t(lang, "language_button"), callback_data=CB_LANGUAGE),
                InlineKeyboardButton(t(lang, "done_button"), callback_data=CB_DONE),
            ]
        )
    return InlineKeyboardMarkup(rows)


async def show_topics(update: Update, context: BotContext) -> None:
    """The topics as a keyboard that toggles subscriptions in place."""
    if await refuse_arguments(update, context):
        return
    services = context.services
    subscriber = services.subscribers.lookup(chat_id_of(update))
    topics = services.topics.all()
    if not topics:
        await reply(update, context, "topics_empty")
        return
    await context.bot.send_message(
        chat_id_of(update),
        t(subscriber.language, "topics_header"),
        parse_mode=ParseMode.HTML,
        reply_markup=topic_keyboard(topics, subscriber),
        message_thread_id=thread_of(update),
    )


@group_admins_only
async def toggle_topic(update: Update, context: BotContext) -> None:
    """A tap on the /topics keyboard: follow or unfollow, then redraw the keyboard."""
    query = update.callback_query
    services = context.services
    chat_id = chat_id_of(update)
    slug = (query.data or "").removeprefix(CB_TOPIC)
    try:
        services.subscribers.toggle(chat_id, slug)
    except UnknownTopic:
        pass  # deleted since the keyboard was drawn: redrawing drops its button
    await query.answer()
    await redraw_keyboard(update, context)


async def redraw_keyboard(update: Update, context: BotContext) -> None:
    """Draw the tapped topics keyboard again with the chat's current choices."""
    query = update.callback_query
    services = context.services
    subscriber = services.subscribers.lookup(chat_id_of(update))
    markup = query.message.reply_markup if query.message else None
    onboarding = bool(
        markup
        and any(
            button.callback_data == CB_DONE for row in markup.inline_keyboard for button in row
        )
    )
    try:
        await query.edit_message_reply_markup(
            topic_keyboard(services.topics.all(), subscriber, onboarding=onboarding)
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():  # a double tap changes nothing
            raise


@group_admins_only
async def toggle_region_only(update: Update, context: BotContext) -> None:
    """ "Hanya berita Kaltim" on the keyboard: narrow subjects to the followed regions."""
    query = update.callback_query
    try:
        context.services.subscribers.toggle_region_only(chat_id_of(update))
    except UsageError:
        lang = language_of(update, context)
        await query.answer(t(lang, "region_only_need_region"), show_alert=True)
        return
    await query.answer()
    await redraw_keyboard(update, context)


@group_admins_only
async def subscribe(update: Update, context: BotContext) -> None:
    """/subscribe kaltim pendidikan: follow topics by slug or display name."""
    topics = context.services.topics.all()
    if not context.args:
        await reply(
            update,
            context,
            "subscribe_usage",
            topics=topic_names(topics, language_of(update, context)),
        )
        return
    try:
        added = context.services.subscribers.subscribe(chat_id_of(update), context.args)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    lang = language_of(update, context)
    await reply(update, context, "subscribed", topics=topic_names(added, lang))


@group_admins_only
async def unsubscribe(update: Update, context: BotContext) -> None:
    """/unsubscribe investasi: stop following topics."""
    services = context.services
    chat_id = chat_id_of(update)
    lang = language_of(update, context)
    if not context.args:
        mine_text = topic_names(services.subscribers.followed(chat_id), lang)
        mine_text = mine_text or t(lang, "no_topics")
        await reply(update, context, "unsubscribe_usage", topics=mine_text)
        return
    try:
        removed = services.subscribers.unsubscribe(chat_id, context.args)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    current = topic_names(services.subscribers.followed(chat_id), lang)
    await reply(
        update,
        context,
        "unsubscribed",
        topics=topic_names(removed, lang),
        current=current or t(lang, "no_topics"),
    )


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("topics", show_topics),
        CallbackQueryHandler(toggle_topic, pattern=rf"^{CB_TOPIC}"),
        CallbackQueryHandler(toggle_region_only, pattern=rf"^{CB_REGION_ONLY}$"),
        CommandHandler("subscribe", subscribe),
        CommandHandler("unsubscribe", unsubscribe),
    ]
