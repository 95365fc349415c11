"""Warta's admins' commands for feeds and figures. Each checks ADMIN_IDS on every call
(admin_only)."""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.errors import (
    DuplicateFeed,
    FeedParseError,
    FetchError,
    TooManyFeeds,
    UsageError,
    failure_kind,
)
from bot.models import Feed
from bot.shaping import masked_url
from bot.texts import (
    Html,
    describe_failure,
    format_clock,
    format_decimal,
    format_short_date,
    plural,
    t,
)
from handlers.common import (
    admin_only,
    chat_id_of,
    cooled_down,
    language_of,
    refuse_arguments,
    reply,
    send_html,
)

logger = logging.getLogger(__name__)
MAX_OPML_BYTES = 1024 * 1024


def _when(lang: str, moment: datetime | None, tz: ZoneInfo) -> str:
    if moment is None:
        return t(lang, "never")
    local = moment.astimezone(tz)
    day = f"{format_short_date(lang, local)} {local.year}"
    return f"{day} {format_clock(lang, local)} {local.tzname()}"


def _uptime(lang: str, uptime: timedelta) -> str:
    minutes = int(uptime.total_seconds() // 60)
    days, hours = minutes // 1440, minutes // 60 % 24
    if days:
        return t(lang, "uptime_days", days=days, hours=hours)
    if hours:
        return t(lang, "uptime_hours", hours=hours, minutes=minutes % 60)
    return t(lang, "uptime_minutes", minutes=minutes)


def _tz(update: Update, context: BotContext) -> ZoneInfo:
    subscriber = context.services.subscribers.get(chat_id_of(update))
    return ZoneInfo(subscriber.timezone if subscriber else context.settings.default_timezone)


async def _adding(update: Update, context: BotContext, adding: Awaitable[tuple[Feed, int]],
                  failed: str, **fields: str) -> tuple[Feed, int] | None:
    """Await an add of a feed or site; None after telling the admin why it was not added."""
    try:
        return await adding
    except DuplicateFeed as exc:
        await reply(update, context, "addfeed_duplicate", id=exc.feed_id, title=exc.title)
    except (FetchError, FeedParseError) as exc:
        logger.info("Feed refused %s: %s", masked_url(" ".join(fields.values())), exc)
        reason = Html(describe_failure(language_of(update, context), *failure_kind(exc)))
        await reply(update, context, failed, reason=reason, **fields)
    return None


@admin_only
async def add_feed(update: Update, context: BotContext) -> None:
    """/addfeed <url>: fetch it now; store it and its items only if it is a working feed."""
    if len(context.args or []) != 1:
        await reply(update, context, "addfeed_usage")
        return
    url = context.args[0]
    added = await _adding(update, context, context.services.ingest.add_feed(url),
                          "addfeed_failed", url=url)
    if added is None:
        return
    feed, count = added
    await reply(update, context, "addfeed_ok", id=feed.id,
                title=feed.title or masked_url(feed.url), count=count)


@admin_only
async def add_site(update: Update, context: BotContext) -> None:
    """/addsite <domain>: follow a site without a feed through a Google News search."""
    if len(context.args or []) != 1:
        await reply(update, context, "addsite_usage")
        return
    domain = context.services.admin.site_domain(context.args[0])
    if domain is None:
        await reply(update, context, "addsite_bad_domain", text=context.args[0])
        return
    added = await _adding(update, context, context.services.admin.add_site(domain),
                          "addsite_failed", domain=domain)
    if added is None:
        return
    feed, count = added
    if count == 0:
        await reply(update, context, "addsite_empty", id=feed.id, domain=domain)
        return
    lang = language_of(update, context)
    await reply(update, context, "addsite_ok", id=feed.id, outlet=feed.title,
                count=plural(lang, "n_items", count))


@admin_only
async def remove_feed(update: Update, context: BotContext) -> None:
    """/removefeed <id>."""
    args = context.args or []
    if len(args) != 1 or not args[0].isdigit():
        await reply(update, context, "removefeed_usage")
        return
    feed = context.services.admin.remove_feed(int(args[0]))
    if feed is None:
        await reply(update, context, "removefeed_missing", id=args[0])
        return
    await reply(update, context, "removefeed_ok", id=feed.id,
                title=feed.title or masked_url(feed.url))


@admin_only
async def list_feeds(update: Update, context: BotContext) -> None:
    """/feeds: id, title, URL, last success, last error, items stored."""
    if await refuse_arguments(update, context):
        return
    lang, tz = language_of(update, context), _tz(update, context)
    feeds = context.services.admin.feeds()
    if not feeds:
        await reply(update, context, "feeds_empty")
        return
    lines = [t(lang, "feeds_header", count=len(feeds))]
    for feed in feeds:
        error = t(lang, "none")
        if feed.last_error:
            reason = describe_failure(lang, feed.last_error_kind, feed.last_error)
            error = Html(f"{reason} ({_when(lang, feed.last_error_at, tz)})")
        if not feed.is_enabled:
            state = t(lang, "feed_disabled")
        elif feed.failing_since:
            state = t(lang, "feed_failing", since=_when(lang, feed.failing_since, tz))
        else:
            state = t(lang, "feed_ok")
        lines.append(t(
            lang, "feed_line", id=feed.id, title=feed.title or "-", url=masked_url(feed.url),
            state=Html(state), success=_when(lang, feed.last_success_at, tz),
            items=feed.item_count, recent=feed.recent_count, error=error,
        ))
    await send_html(update, context, "\n\n".join(lines))


@admin_only
async def import_opml(update: Update, context: BotContext) -> None:
    """/importopml as the caption of an OPML file, or in reply to one: add every feed in it."""
    message = update.effective_message
    document = message.document or (
        message.reply_to_message.document if message.reply_to_message else None
    )
    if document is None:
        await reply(update, context, "importopml_usage")
        return
    # No size, no download: the bytes are read into memory whole.
    if document.file_size is None or document.file_size > MAX_OPML_BYTES:
        await reply(update, context, "importopml_too_large")
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    admin = context.services.admin
    try:
        feeds = admin.read_opml(data)
    except TooManyFeeds as exc:
        await reply(update, context, "importopml_too_many", limit=exc.limit)
        return
    except FeedParseError:
        await reply(update, context, "importopml_bad_file")
        return
    await reply(update, context, "importopml_started",
                count=plural(language_of(update, context), "n_feeds", len(feeds)))
    result = await admin.import_feeds(feeds)
    failed = "".join(f"\n• {url}: {reason}" for url, reason in result.failed[:10])
    await reply(update, context, "importopml_done", added=len(result.added),
                duplicate=len(result.duplicate), failed=len(result.failed), details=failed)


@admin_only
async def export_opml(update: Update, context: BotContext) -> None:
    """/exportopml: the feed list as an OPML file."""
    if await refuse_arguments(update, context):
        return
    data, count = context.services.admin.export_opml()
    lang = language_of(update, context)
    await context.bot.send_document(
        chat_id_of(update), InputFile(data, filename="warta-feeds.opml"),
        caption=t(lang, "exportopml_caption", count=plural(lang, "n_feeds", count)),
    )


@admin_only
@cooled_down("pollnow")
async def poll_now(update: Update, context: BotContext) -> None:
    """/pollnow: poll every feed and report feeds polled, new items and failures."""
    if await refuse_arguments(update, context):
        return
    await reply(update, context, "pollnow_started")
    summary = await context.services.ingest.poll_all(force=True)
    lang = language_of(update, context)
    details = Html("".join(
        f"\n• {html.escape(r.title or masked_url(r.url), quote=False)}: "
        f"{describe_failure(lang, r.error_kind, r.error_detail)}"
        for r in summary.errors[:10]
    ))
    await reply(update, context, "pollnow_done", feeds=summary.feeds, new=summary.new,
                errors=len(summary.errors), details=details)


@admin_only
async def stats(update: Update, context: BotContext) -> None:
    """/stats: subscribers, feeds, items, items per topic in the last 7 days."""
    if await refuse_arguments(update, context):
        return
    figures = context.services.admin.stats()
    lang = language_of(update, context)
    topics = "\n".join(f"{topic.name}: {count}" for topic, count in figures.per_topic)
    parts = [t(
        lang, "stats", subscribers=figures.subscribers, active=figures.active,
        paused=figures.paused, feeds=figures.feeds, items=figures.items, topics=topics or "-",
    ) + t(lang, "stats_upkeep", uptime=_uptime(lang, figures.uptime),
          size=format_decimal(lang, figures.database_bytes / 2**20),
          oldest=_when(lang, figures.oldest_item_at, _tz(update, context))
          if figures.oldest_item_at else "-",
          days=plural(lang, "n_days", figures.retain_days))]
    parts.append(_last_run(lang, context.services.digests.last_run(), _tz(update, context)))
    parts.append(context.services.top.render_top(lang=lang, tz=_tz(update, context)))
    await send_html(update, context, "\n\n".join(parts))
    await _send_chart(update, context, lang)


def _last_run(lang: str, run, tz: ZoneInfo) -> str:
    """/stats' paragraph on the last scheduled digest run (a RunSummary, or None)."""
    if run is None:
        return t(lang, "stats_no_run")
    reasons = ", ".join(
        f"{t(lang, 'reason_' + kind)} {count}" for kind, count in sorted(run.reasons.items())
    )
    text = t(
        lang, "stats_last_run", when=_when(lang, datetime.fromisoformat(run.started_at), tz),
        due=plural(lang, "n_chats", run.due), sent=run.sent, empty=run.empty,
        failed=run.failed, reasons=f" ({reasons})" if reasons else "",
    )
    messages = plural(lang, "n_messages", run.messages)
    # A rate over a fraction of a second says nothing (three messages in 30 ms).
    if run.seconds >= 1:
        text += t(lang, "stats_run_pace", messages=messages,
                  seconds=format_decimal(lang, run.seconds),
                  rate=format_decimal(lang, run.messages / run.seconds))
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
        png, data = await context.services.admin.stats_chart(_tz(update, context).key, lang)
    except (TimeoutError, ValueError, RuntimeError, MemoryError):
        logger.exception("The /stats chart could not be drawn")
        await reply(update, context, "stats_chart_failed")
        return
    totals = " · ".join(f"{name} {sum(values)}" for name, values in data.per_topic)
    zone = datetime.now(_tz(update, context)).tzname()  # WITA, WIB, WIT as readers say it
    caption = t(lang, "stats_chart_caption", days=plural(lang, "n_days", len(data.days)),
                topics=totals or "-",
                messages=sum(data.messages), zone=zone)
    await context.bot.send_photo(chat_id_of(update),
                                 InputFile(png, filename="warta-statistik.png"),
                                 caption=caption, parse_mode=ParseMode.HTML)


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
        CommandHandler("addfeed", add_feed),
        CommandHandler("addsite", add_site),
        CommandHandler("removefeed", remove_feed),
        CommandHandler("feeds", list_feeds),
        CommandHandler("importopml", import_opml),
        MessageHandler(filters.Document.ALL & filters.CaptionRegex(r"^/importopml(@\w+)?\b"),
                       import_opml),
        CommandHandler("exportopml", export_opml),
        CommandHandler("pollnow", poll_now),
        CommandHandler("stats", stats),
        CommandHandler("feedname", name_feed),
    ]
