"""Scheduled jobs on PTB's JobQueue; each only calls a service."""

from __future__ import annotations

import asyncio

from bot.adapter.context import BotContext

JOB_POLL = "poll-feeds"
JOB_DIGESTS = "queue-digests"
JOB_PRUNE = "prune-items"
JOB_BACKUP = "backup"
JOB_SITES = "look-at-sites"


async def poll_feeds_job(context: BotContext) -> None:
    """Poll the feeds that are due (every FEED_POLL_INTERVAL seconds, and once at start)."""
    services = context.services
    summary = await services.ingest.poll_all()
    await services.admin.alert_admins(summary)
    await services.alerts.run()  # urgent news goes out now, not at the next minute's check


async def check_sites_job(context: BotContext) -> None:
    """Look for the own feed or news sitemap of each site followed through Google News until
    now (the bundled outlets, once after the first start); the poll goes on meanwhile."""
    await context.services.sources.check_sites()


async def queue_digests_job(context: BotContext) -> None:
    """Compose the digests whose time has come into the outbox (every minute, and at start to
    catch up a time missed while the bot was down), and the urgent alerts of items not matched
    yet (at start: those a killed process stored but never matched). The delivery task sends
    them."""
    await context.services.digests.queue_due()
    await context.services.alerts.run()


async def prune_items_job(context: BotContext) -> None:
    """Delete items older than RETAIN_DAYS (once a day, and a minute after start), in short
    batches that let readers in between."""
    await context.services.upkeep.prune()


async def backup_job(context: BotContext) -> None:
    """Write the daily backup to BACKUP_DIR, in a thread: the loop keeps answering."""
    upkeep = context.services.upkeep
    await asyncio.to_thread(upkeep.daily_backup, upkeep.core.now())
