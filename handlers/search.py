"""/cari: search past news, with page buttons that edit the results in place; /top: the
stories most outlets reported."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.errors import InputError, UnknownTopic
from bot.text.texts import t
from handlers.common import (
    chat_id_of,
    language_of,
    refuse_arguments,
    reply,
    reply_unknown_topics,
    send_html,
    thread_of,
)

CB_SEARCH = "cari:"
# Callback data is whatever a client sends, not only what our buttons hold: the numbers are
# bounded before use (a forged page number of 30 digits overflowed SQLite's integers, issue 27).
# A search id fits SQLite's 64 bits; 10,000 pages of results is more than any search shows.
_PAGE_DATA = re.compile(rf"{CB_SEARCH}([0-9]{{1,18}}):([0-9]{{1,4}})")


def _keyboard(page, lang: str) -> InlineKeyboardMarkup | None:
    """Sebelumnya / Berikutnya under a page of results (a SearchPage), where there is one."""
    buttons = [
        InlineKeyboardButton(t(lang, key), callback_data=f"{CB_SEARCH}{page.search_id}:{number}")
        for key, number, shown in (
            ("search_previous", page.page - 1, page.has_previous),
            ("search_next", page.page + 1, page.has_next),
        )
        if shown
    ]
    return InlineKeyboardMarkup([buttons]) if buttons else None


async def search(update: Update, context: BotContext) -> None:
    """/cari <words>: the first page of items matching the words, newest first."""
    text = (update.effective_message.text or "").partition(" ")[2]
    try:
        page = await context.services.search.search(chat_id_of(update), text)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    except InputError as exc:
        await reply(update, context, exc.key, **exc.fields)
        return
    await context.bot.send_message(
        chat_id_of(update),
        page.html,
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        reply_markup=_keyboard(page, language_of(update, context)),
        message_thread_id=thread_of(update),
    )


async def turn_page(update: Update, context: BotContext) -> None:
    """A tap on Sebelumnya / Berikutnya: the other page, in the same message."""
    query = update.callback_query
    lang = language_of(update, context)
    wanted = _PAGE_DATA.fullmatch(query.data or "")
    try:
        if wanted is None:
            raise InputError("search_expired")  # not data our buttons hold
        search_id, page_number = int(wanted[1]), int(wanted[2])
        page = await context.services.search.page(chat_id_of(update), search_id, page_number)
    except UnknownTopic:
        # An old button: a topic of the search was deleted since.
        await query.answer(t(lang, "search_expired"), show_alert=True)
        return
    except InputError as exc:  # forgotten, forged, or too costly a search
        await query.answer(t(lang, exc.key, **exc.fields), show_alert=True)
        return
    await query.answer()
    try:
        await query.edit_message_text(
            page.html,
            parse_mode=ParseMode.HTML,
            reply_markup=_keyboard(page, lang),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():  # a double tap changes nothing
            raise


async def top(update: Update, context: BotContext) -> None:
    """/top: the stories most outlets reported in the last 24 hours."""
    if await refuse_arguments(update, context):
        return
    subscriber = context.services.subscribers.lookup(chat_id_of(update))
    html = await context.services.top.render_top(
        lang=subscriber.language, tz=ZoneInfo(subscriber.timezone)
    )
    await send_html(update, context, html)


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("cari", search),
        CommandHandler("top", top),
        CallbackQueryHandler(turn_page, pattern=rf"^{CB_SEARCH}"),
    ]
