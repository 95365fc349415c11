"""Warta's admins' figures: /stats (subscribers, feeds, items, the last digest run, the most
reported stories) with its chart. Checks ADMIN_IDS on every call (admin_only)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.text.texts import format_count, format_decimal, format_moment, plural, t
from handlers.common import (
    admin_only,
    chat_id_of,
    language_of,
    refuse_arguments,
    reply,
    send_html,
    zone_of,
)

logger = logging.getLogger(__name__)


def _uptime(lang: str, uptime: timedelta) -> str:
    minutes = int(uptime.total_seconds() // 60)
    days, hours = minutes // 1440, minutes // 60 % 24
    if days:
        return t(lang, "uptime_days", days=days, hours=hours)
    if hours:
        return t(lang, "uptime_hours", hours=hours, minutes=minutes % 60)
    return t(lang, "uptime_minutes", minutes=minutes)


@admin_only
async def stats(update: Update, context: BotContext) -> None:
    """/stats: subscribers, feeds, items, items per topic in the last 7 days."""
    if await refuse_arguments(update, context):
        return
    figures = context.services.admin.stats()
    lang = language_of(update, context)
    topics = "\n".join(
        f"{topic.name}: {format_count(lang, count)}" for topic, count in figures.per_topic
    )
    parts = [
        t(
            lang,
            "stats",
            subscribers=figures.subscribers,
            active=figures.active,
            paused=figures.paused,
            feeds=figures.feeds,
            items=figures.items,
            topics=topics or "-",
        )
        + t(
            lang,
            "stats_upkeep",
            uptime=_uptime(lang, figures.uptime),
            size=format_decimal(lang, figures.database_bytes / 2**20),
            oldest=format_moment(lang, figures.oldest_item_at, zone_of(update, context))
            if figures.oldest_item_at
            else "-",
            days=plural(lang, "n_days", figures.retain_days),
        )
    ]
    parts.append(_last_run(lang, context.services.outbox.last_run(), zone_of(update, context)))
    parts.append(await context.services.top.render_top(lang=lang, tz=zone_of(update, context)))
    await send_html(update, context, "\n\n".join(parts))
    # The chart follows (a month of counts to read, a PNG to draw): the admin's next commands
    # are answered meanwhile rather than behind it, as a chat's commands go in order.
    context.application.create_task(_send_chart(update, context, lang), update=update)


def _last_run(lang: str, run, tz: ZoneInfo) -> str:
    """/stats' paragraph on the last scheduled digest run (a RunSummary, or None)."""
    if run is None:
        return t(lang, "stats_no_run")
    reasons = ", ".join(
        f"{t(lang, 'reason_' + kind)} {format_count(lang, count)}"
        for kind, count in sorted(run.reasons.items())
    )
    started = datetime.fromisoformat(run.started_at)
    text = t(
        lang,
        "stats_last_run",
        when=format_moment(lang, started, tz),
        due=plural(lang, "n_chats", run.due),
        sent=run.sent,
        empty=run.empty,
        failed=run.failed,
        reasons=f" ({reasons})" if reasons else "",
    )
    messages = plural(lang, "n_messages", run.messages)
    # A rate over a fraction of a second says nothing (three messages in 30 ms).
    if run.seconds >= 1:
        text += t(
            lang,
            "stats_run_pace",
            messages=messages,
            seconds=format_decimal(lang, run.seconds),
            rate=format_decimal(lang, run.messages / run.seconds),
        )
    else:
        text += t(lang, "stats_run_quick", messages=messages)
    if run.dropped:
        text += t(lang, "stats_run_dropped", dropped=plural(lang, "n_chats", run.dropped))
    if run.waiting:
        text += t(lang, "stats_run_waiting", waiting=run.waiting)
    return text


async def _send_chart(update: Update, context: BotContext, lang: str) -> None:
    """/stats' chart; if it cannot be drawn the admin is told, and the figures above stand."""
    try:
        png, data = await context.services.admin.stats_chart(zone_of(update, context).key, lang)
    except (TimeoutError, ValueError, RuntimeError, MemoryError):
        logger.exception("The /stats chart could not be drawn")
        await reply(update, context, "stats_chart_failed")
        return
    totals = " · ".join(
        f"{name} {format_count(lang, sum(values))}" for name, values in data.per_topic
    )
    zone = datetime.now(zone_of(update, context)).tzname()  # WITA, WIB, WIT as readers say it
    caption = t(
        lang,
        "stats_chart_caption",
        days=plural(lang, "n_days", len(data.days)),
        topics=totals or "-",
        messages=sum(data.messages),
        zone=zone,
    )
    await context.bot.send_photo(
        chat_id_of(update),
        InputFile(png, filename="warta-statistik.png"),
        caption=caption,
        parse_mode=ParseMode.HTML,
    )


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [CommandHandler("stats", stats)]
