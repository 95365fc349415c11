"""/setelan: how many stories per topic a digest shows; /wilayah: subjects narrowed
to the reader's regions."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.errors import UsageError
from bot.models import CAP_CHOICES, DEFAULT_CAP, Subscriber
from bot.text.texts import t
from handlers.common import (
    chat_id_of,
    group_admins_only,
    language_of,
    refuse_arguments,
    reply,
    thread_of,
)

CB_CAP = "cap:"


def cap_label(lang: str, cap: int) -> str:
    """ "5" or "semua"."""
    return str(cap) if cap else t(lang, "cap_all")


def current_cap(subscriber: Subscriber) -> int:
    """The chat's stories per topic (the default when it never chose)."""
    return DEFAULT_CAP if subscriber.digest_cap is None else subscriber.digest_cap


def cap_keyboard(subscriber: Subscriber) -> InlineKeyboardMarkup:
    """3 · 5 · 10 · semua, the current choice ticked."""
    lang, cap = subscriber.language, current_cap(subscriber)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"✅ {cap_label(lang, choice)}" if choice == cap else cap_label(lang, choice),
                    callback_data=f"{CB_CAP}{choice}",
                )
                for choice in CAP_CHOICES
            ]
        ]
    )


@group_admins_only
async def show_settings(update: Update, context: BotContext) -> None:
    """/setelan: the cap buttons; /setelan 10 or /setelan semua sets it directly."""
    services = context.services
    chat_id = chat_id_of(update)
    if context.args:
        try:
            cap = services.subscribers.set_cap(chat_id, " ".join(context.args))
        except UsageError:
            subscriber = services.subscribers.lookup(chat_id)
            await _send_keyboard(update, context, subscriber)
            return
        await reply(update, context, "cap_set" if cap else "cap_set_all", cap=cap)
        return
    subscriber = services.subscribers.lookup(chat_id)
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
    subscriber = services.subscribers.lookup(chat_id)
    lang = subscriber.language
    try:
        await query.edit_message_text(
            t(lang, "cap_header", cap=cap_label(lang, current_cap(subscriber))),
            parse_mode=ParseMode.HTML,
            reply_markup=cap_keyboard(subscriber),
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


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("setelan", show_settings),
        CallbackQueryHandler(choose_cap, pattern=rf"^{CB_CAP}"),
        CommandHandler("wilayah", region_only),
    ]
