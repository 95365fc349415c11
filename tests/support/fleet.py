"""A database of many subscribers whose morning digest is due right now, with news waiting:
for the kill-and-restart test and bench/bench_delivery.py, which then start the real bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.runtime.workers import PreparePool
from bot.services.container import Services
from storage import feeds as feed_store


async def prepare_fleet(
    db_path: Path, chat_ids: list[int], feed_url: str, pool: PreparePool | None = None
) -> int:
    """Subscribe every chat to kaltim, with a digest time a minute ago (WITA) and created a day
    ago, so all are due at once when the bot starts; poll feed_url for the news (with `pool`,
    the test session's worker pool, instead of starting one). Returns the number of items
    stored."""
    now = datetime.now(UTC)
    yesterday = now - timedelta(days=1)
    settings = Settings.from_env(
        {
            "DATABASE_PATH": str(db_path),
            "SEED_DEFAULT_FEEDS": "false",
            "ALLOW_PRIVATE_FEED_URLS": "true",
        }
    )
    services = Services.open(settings, clock=lambda: yesterday, pool=pool)
    core = services.core
    due = (now - timedelta(minutes=1)).astimezone(ZoneInfo("Asia/Makassar")).strftime("%H:%M")
    with core.db.atomic():
        for chat_id in chat_ids:
            services.subscribers.subscribe(chat_id, ["kaltim"])
            services.subscribers.set_schedule(chat_id, due)
    core.clock = lambda: datetime.now(UTC)
    feed_store.add_feed(core.db, feed_url, core.now())
    try:
        await services.start()
        summary = await services.ingest.poll_all()
    finally:
        await services.aclose()
    return summary.new
