"""Scheduled jobs on PTB's JobQueue; each only calls a service."""

from __future__ import annotations

from bot.context import BotContext

JOB_POLL = "poll-feeds"
JOB_DIGESTS = "send-digests"


async def poll_feeds_job(context: BotContext) -> None:
    """Poll the feeds that are due (every FEED_POLL_INTERVAL seconds, and once at start)."""
    services = context.services
    summary = await services.ingest.poll_all()
    assert services.sender is not None
    await services.admin.alert_admins(summary, services.sender)


async def send_digests_job(context: BotContext) -> None:
    """Send the digests whose time has come."""
    services = context.services
    assert services.sender is not None
    await services.digests.send_due(services.sender)
