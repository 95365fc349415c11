"""/topics with its toggle keyboard, /subscribe and /unsubscribe."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.errors import UnknownTopic
from bot.models import Topic
from bot.texts import t
from handlers.common import (
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


def topic_keyboard(topics: list[Topic], followed: tuple[str, ...]) -> InlineKeyboardMarkup:
    """One button per topic, ✅ on the followed ones; two to a row."""
    buttons = [
        InlineKeyboardButton(
            f"✅ {topic.name}" if topic.slug in followed else topic.name,
            callback_data=f"{CB_TOPIC}{topic.slug}",
        )
        for topic in topics
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


async def show_topics(update: Update, context: BotContext) -> None:
    """The topics as a keyboard that toggles subscriptions in place."""
    if await refuse_arguments(update, context):
        return
    services = context.services
    subscriber, _ = services.subscribers.ensure(chat_id_of(update))
    topics = services.core.topics()
    if not topics:
        await reply(update, context, "topics_empty")
        return
    await context.bot.send_message(
        chat_id_of(update),
        t(subscriber.language, "topics_header"),
        parse_mode=ParseMode.HTML,
        reply_markup=topic_keyboard(topics, subscriber.topics),
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
    subscriber, _ = services.subscribers.ensure(chat_id)
    try:
        await query.edit_message_reply_markup(
            topic_keyboard(services.core.topics(), subscriber.topics)
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():  # a double tap changes nothing
            raise


@group_admins_only
async def subscribe(update: Update, context: BotContext) -> None:
    """/subscribe kaltim pendidikan: follow topics by slug or display name."""
    topics = context.services.core.topics()
    if not context.args:
        await reply(update, context, "subscribe_usage", topics=topic_names(topics))
        return
    try:
        added = context.services.subscribers.subscribe(chat_id_of(update), context.args)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    await reply(update, context, "subscribed", topics=", ".join(topic.name for topic in added))


@group_admins_only
async def unsubscribe(update: Update, context: BotContext) -> None:
    """/unsubscribe investasi: stop following topics."""
    services = context.services
    topics = services.core.topics()
    chat_id = chat_id_of(update)
    lang = language_of(update, context)
    if not context.args:
        subscriber, _ = services.subscribers.ensure(chat_id)
        mine = [topic for topic in topics if topic.slug in subscriber.topics]
        mine_text = topic_names(mine) or t(lang, "no_topics")
        await reply(update, context, "unsubscribe_usage", topics=mine_text)
        return
    try:
        removed = services.subscribers.unsubscribe(chat_id, context.args)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    subscriber, _ = services.subscribers.ensure(chat_id)
    current = [topic.name for topic in topics if topic.slug in subscriber.topics]
    await reply(
        update, context, "unsubscribed", topics=", ".join(topic.name for topic in removed),
        current=", ".join(current) or t(lang, "no_topics"),
    )


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("topics", show_topics),
        CallbackQueryHandler(toggle_topic, pattern=rf"^{CB_TOPIC}"),
        CommandHandler("subscribe", subscribe),
        CommandHandler("unsubscribe", unsubscribe),
    ]
