"""Killed in the middle of a poll: the real bot process (main.py) polls 30 feeds × 40 items
(five stories of each also in the next feed) and is killed with SIGKILL while feeds are still
being fetched and stored. Started again, it stores every item exactly once: no story lost, none
twice, each with its tags and its entry in the search index."""

import os
import signal
from contextlib import closing
from datetime import UTC, datetime

import pytest

from storage import feeds as feed_store
from storage.db import open_database
from tests.support.feedgen import kaltim_entries, rss
from tests.test_restart import start_bot, until

pytestmark = [pytest.mark.timeout(120), pytest.mark.slow]

FEEDS, PER_FEED, SHARED = 30, 40, 5


def counts(db_path) -> dict[str, int]:
    import sqlite3

    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "items": one("SELECT count(*) FROM items"),
            "keys": one("SELECT count(DISTINCT item_key) FROM items"),
            "indexed": one("SELECT count(*) FROM items_fts"),
            "untagged": one(
                "SELECT count(*) FROM items i WHERE NOT EXISTS "
                "(SELECT 1 FROM item_topics t WHERE t.item_id = i.id)"
            ),
            "polled": one("SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL"),
        }


async def test_killed_mid_poll_the_restarted_bot_stores_every_item_once(
    tmp_path, telegram_api, feed_host
):
    now = datetime.now(UTC)
    db_path = tmp_path / "warta.db"
    db = open_database(db_path)
    for k in range(FEEDS):
        entries = kaltim_entries(PER_FEED, start=now, prefix=f"Feed{k}") + kaltim_entries(
            SHARED, start=now, prefix=f"Feed{(k + 1) % FEEDS}"
        )
        # A few slow servers stretch the poll, so the kill lands inside it.
        feed_host.add(f"/feed{k}.xml", rss(entries, title=f"Kabar {k}"), delay=0.05 * (k % 4))
        feed_store.add_feed(db, feed_host.url(f"/feed{k}.xml"), now)
    db.close()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": telegram_api.token,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "DATABASE_PATH": str(db_path),
        "SEED_DEFAULT_FEEDS": "false",
        "ALLOW_PRIVATE_FEED_URLS": "true",
        "FEED_POLL_INTERVAL": "3600",
    }
    log = tmp_path / "bot.log"

    first = await start_bot(env, log)
    try:
        # Some feeds stored, others not yet: mid-poll.
        await until(lambda: counts(db_path)["polled"] >= 3, timeout=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    at_kill = counts(db_path)
    assert at_kill["polled"] < FEEDS, "the poll ended before the kill; the test proves nothing"

    second = await start_bot(env, log)
    try:
        await until(lambda: counts(db_path)["polled"] == FEEDS, timeout=60)
        second.send_signal(signal.SIGTERM)
        await second.wait()
    finally:
        if second.returncode is None:
            second.kill()
            await second.wait()
    after = counts(db_path)
    assert after["items"] == after["keys"] == FEEDS * PER_FEED  # every story, once
    assert after["indexed"] == after["items"] and after["untagged"] == 0
