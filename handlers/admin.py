"""Warta's admins' commands for feeds: adding, removing, naming, listing, OPML, polling now.
Each checks ADMIN_IDS on every call (admin_only). /stats is in handlers/stats.py."""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable
from typing import TypeVar

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.adapter.context import BotContext
from bot.errors import (
    DuplicateFeed,
    FeedParseError,
    FetchError,
    NoSource,
    TooManyFeeds,
    UsageError,
    failure_kind,
)
from bot.models import FeedKind, SourceAdded
from bot.text.shaping import masked_url
from bot.text.texts import Html, describe_failure, format_moment, plural, t
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
T = TypeVar("T")
MAX_OPML_BYTES = 1024 * 1024


async def _adding(
    update: Update, context: BotContext, adding: Awaitable[T], failed: str, **fields: str
) -> T | None:
    """Await an add of a feed or site; None after telling the admin why it was not added."""
    lang = language_of(update, context)
    try:
        return await adding
    except DuplicateFeed as exc:
        await reply(update, context, "addfeed_duplicate", id=exc.feed_id, title=exc.title)
    except NoSource as exc:
        google = ""
        if exc.google is not None:
            google = t(
                lang,
                "source_none_google",
                reason=Html(describe_failure(lang, *failure_kind(exc.google))),
            )
        await reply(update, context, "source_none", site=exc.site, google=Html(google))
    except (FetchError, FeedParseError) as exc:
        logger.info("Feed refused %s: %s", masked_url(" ".join(fields.values())), exc)
        reason = Html(describe_failure(lang, *failure_kind(exc)))
        await reply(update, context, failed, reason=reason, **fields)
    return None


async def _announce(update: Update, context: BotContext, added: SourceAdded) -> None:
    """Say what now follows the outlet, naming how: its feed, its news sitemap, Google."""
    lang, feed = language_of(update, context), added.feed
    count = plural(lang, "n_items", added.count)
    if added.unchanged:
        await reply(
            update,
            context,
            "addsite_still_google",
            id=feed.id,
            outlet=feed.outlet or feed.title,
            domain=feed.site or "",
        )
        return
    if added.kind == FeedKind.GOOGLE_NEWS:
        await reply(
            update,
            context,
            "addsite_ok",
            id=feed.id,
            outlet=feed.outlet or feed.title,
            count=count,
        )
        return
    await reply(
        update,
        context,
        "source_moved" if added.switched else "source_found",
        id=feed.id,
        outlet=feed.outlet or feed.title or masked_url(feed.url),
        how=t(lang, f"kind_{added.kind}"),
        url=masked_url(feed.url),
        count=count,
    )


@admin_only
async def add_feed(update: Update, context: BotContext) -> None:
    """/addfeed <url>: a feed or news sitemap as it is; a web page is searched for its site's
    own source (Google News last). Nothing is stored unless it works."""
    if len(context.args or []) != 1:
        await reply(update, context, "addfeed_usage")
        return
    url = context.args[0]
    added = await _adding(
        update, context, context.services.sources.add_url(url), "addfeed_failed", url=url
    )
    if added is None:
        return
    if added.found or added.kind != FeedKind.FEED:
        await _announce(update, context, added)
        return
    await reply(
        update,
        context,
        "addfeed_ok",
        id=added.feed.id,
        title=added.feed.title or masked_url(added.feed.url),
        count=added.count,
    )


@admin_only
async def add_site(update: Update, context: BotContext) -> None:
    """/addsite <domain>: follow a site by its own feed or news sitemap, else through a
    Google News search restricted to it."""
    if len(context.args or []) != 1:
        await reply(update, context, "addsite_usage")
        return
    domain = context.services.admin.site_domain(context.args[0])
    if domain is None:
        await reply(update, context, "addsite_bad_domain", text=context.args[0])
        return
    added = await _adding(
        update, context, context.services.sources.add_site(domain), "addsite_failed", domain=domain
    )
    if added is not None:
        await _announce(update, context, added)


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
    await reply(
        update, context, "removefeed_ok", id=feed.id, title=feed.title or masked_url(feed.url)
    )


@admin_only
async def list_feeds(update: Update, context: BotContext) -> None:
    """/feeds: id, title, URL, last success, last error, items stored."""
    if await refuse_arguments(update, context):
        return
    lang, tz = language_of(update, context), zone_of(update, context)
    feeds = context.services.admin.feeds()
    if not feeds:
        await reply(update, context, "feeds_empty")
        return
    lines = [t(lang, "feeds_header", count=len(feeds))]
    for feed in feeds:
        error = t(lang, "none")
        if feed.last_error:
            reason = describe_failure(lang, feed.last_error_kind, feed.last_error)
            error = Html(f"{reason} ({format_moment(lang, feed.last_error_at, tz)})")
        if not feed.is_enabled:
            state = t(lang, "feed_disabled")
        elif feed.failing_since:
            state = t(lang, "feed_failing", since=format_moment(lang, feed.failing_since, tz))
        else:
            state = t(lang, "feed_ok")
        lines.append(
            t(
                lang,
                "feed_line",
                id=feed.id,
                title=feed.title or "-",
                url=masked_url(feed.url),
                kind=t(lang, f"kind_{feed.kind}"),
                state=Html(state),
                success=format_moment(lang, feed.last_success_at, tz),
                items=feed.item_count,
                recent=feed.recent_count,
                error=error,
            )
        )
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
    await reply(
        update,
        context,
        "importopml_started",
        count=plural(language_of(update, context), "n_feeds", len(feeds)),
    )
    result = await admin.import_feeds(feeds)
    failed = "".join(f"\n• {url}: {reason}" for url, reason in result.failed[:10])
    await reply(
        update,
        context,
        "importopml_done",
        added=len(result.added),
        duplicate=len(result.duplicate),
        failed=len(result.failed),
        details=failed,
    )


@admin_only
async def export_opml(update: Update, context: BotContext) -> None:
    """/exportopml: the feed list as an OPML file."""
    if await refuse_arguments(update, context):
        return
    data, count = context.services.admin.export_opml()
    lang = language_of(update, context)
    await context.bot.send_document(
        chat_id_of(update),
        InputFile(data, filename="warta-feeds.opml"),
        caption=t(lang, "exportopml_caption", count=plural(lang, "n_feeds", count)),
    )


@admin_only
async def poll_now(update: Update, context: BotContext) -> None:
    """/pollnow: poll every feed and report feeds polled, new items and failures; while one
    runs, a second /pollnow says so."""
    if await refuse_arguments(update, context):
        return
    polling = context.services.ingest.start_poll_now()
    if polling is None:
        await reply(update, context, "pollnow_running")
        return
    await reply(update, context, "pollnow_started")
    # The report comes when the poll ends; this chat's next commands are answered meanwhile.
    context.application.create_task(_report_poll(update, context, polling), update=update)


async def _report_poll(update: Update, context: BotContext, polling: Awaitable) -> None:
    summary = await polling
    lang = language_of(update, context)
    details = Html(
        "".join(
            f"\n• {html.escape(r.title or masked_url(r.url), quote=False)}: "
            f"{describe_failure(lang, r.error_kind, r.error_detail)}"
            for r in summary.errors[:10]
        )
    )
    await reply(
        update,
        context,
        "pollnow_done",
        feeds=summary.feeds,
        new=summary.new,
        errors=len(summary.errors),
        details=details,
    )


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
        MessageHandler(
            filters.Document.ALL & filters.CaptionRegex(r"^/importopml(@\w+)?\b"), import_opml
        ),
        CommandHandler("exportopml", export_opml),
        CommandHandler("pollnow", poll_now),
        CommandHandler("feedname", name_feed),
    ]
