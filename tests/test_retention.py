"""Retention: a year of daily polls, time injected through the clock, never waited. Items older
than RETAIN_DAYS go with their tags and deliveries, their keys stay as tombstones, and the
database levels off instead of growing for ever."""

from datetime import timedelta

import pytest

from bot.models import DigestChunk
from storage import deliveries
from storage import outbox as outbox_store
from storage.db import to_iso
from storage.feeds import add_feed
from tests.support.feedgen import Entry, kaltim_entries, rss

pytestmark = pytest.mark.timeout(300)

PER_DAY = 10
DAYS = 365
READER = 4242


def file_size(services) -> int:
    """The database file's size once the WAL is folded into it."""
    list(services.core.db.query("PRAGMA wal_checkpoint(TRUNCATE)"))
    return services.settings.database_path.stat().st_size


def count(services, sql: str) -> int:
    return next(services.core.db.query(sql))["n"]


async def test_a_year_of_daily_polls_keeps_the_database_bounded(
    services, clock, feed_host, measured
):
    db = services.core.db
    add_feed(db, feed_host.url("/harian.xml"), clock.now)
    services.subscribers.get_or_create(READER)
    start = clock.now
    # A feed that keeps listing one old profile page, as many Kaltim sites do ("Tentang Kami").
    evergreen = Entry(
        "Profil Kota Samarinda, Ibu Kota Kalimantan Timur",
        "https://kabar.example/profil-samarinda",
        summary="Samarinda adalah ibu kota Provinsi Kalimantan Timur.",
        published=start,
    )
    items, sizes, new_per_day = {}, {}, []
    for day in range(1, DAYS + 1):
        clock.advance(days=1)
        today = kaltim_entries(PER_DAY, start=clock.now, prefix=f"Hari{day}")
        feed_host.add("/harian.xml", rss([*today, evergreen]))
        summary = await services.ingest.poll_all(force=True)
        assert not summary.errors, summary.errors
        new_per_day.append(summary.new)
        # The reader is sent every other day's news, so deliveries pile up like in real use.
        if day % 2:
            ids = [
                row["id"]
                for row in db.query(
                    "SELECT id FROM items WHERE fetched_at >= ?", [to_iso(clock.now)]
                )
            ]
            deliveries.mark_sent(db, READER, ids, clock.now)
        await services.upkeep.prune()
        if day in (100, 200, 300, DAYS):
            items[day] = count(services, "SELECT count(*) AS n FROM items")
            sizes[day] = file_size(services)

    # Every day brought its PER_DAY stories; the old profile page only on the first day, never
    # again. (Ten a day, not a newsroom's hundreds: the year is what is tested, not the volume.)
    assert new_per_day[0] == PER_DAY + 1 and set(new_per_day[1:]) == {PER_DAY}
    # The item count stops at RETAIN_DAYS worth of news (today's and the 90 days before:
    # the batch fetched exactly 90 days ago goes tomorrow), and the file stops growing.
    kept = (90 + 1) * PER_DAY
    assert items[100] == items[200] == items[300] == items[DAYS] == kept
    assert sizes[DAYS] <= sizes[200] * 1.05, sizes
    oldest = to_iso(clock.now - timedelta(days=91))
    assert count(services, f"SELECT count(*) AS n FROM items WHERE published_at < '{oldest}'") == 0
    # Tags and deliveries went with their items.
    assert count(services, "SELECT count(*) AS n FROM item_topics") == kept
    assert 0 < count(services, "SELECT count(*) AS n FROM deliveries") <= kept // 2 + PER_DAY
    # The tombstones are bounded too: the stories that left the feed are forgotten after
    # another 90 days, the one still listed is remembered.
    tombstones = count(services, "SELECT count(*) AS n FROM item_tombstones")
    assert tombstones <= kept + 1
    assert (
        count(
            services,
            "SELECT count(*) AS n FROM item_tombstones WHERE item_key LIKE '%profil-samarinda%'",
        )
        == 1
    )
    # The search index holds exactly the kept items (FTS5 raises when it disagrees).
    services.core.db.execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")
    assert (
        count(services, "SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH 'hari*'")
        == kept
    )
    measured(
        f"retention: {DAYS} days × {PER_DAY} items, RETAIN_DAYS=90: items "
        f"{items[100]}/{items[200]}/{items[DAYS]} on days 100/200/{DAYS}; file "
        f"{sizes[100] // 1024}/{sizes[200] // 1024}/{sizes[DAYS] // 1024} KiB; "
        f"{tombstones} tombstones"
    )


async def test_an_old_item_waiting_in_the_outbox_stays_until_its_message_is_sent(
    services, clock, feed_host
):
    # A digest composed just before the bot went down for long: its message still names an
    # item that has meanwhile passed RETAIN_DAYS. Sending it later must still record it.
    db = services.core.db
    add_feed(db, feed_host.url("/lama.xml"), clock.now)
    feed_host.add("/lama.xml", rss(kaltim_entries(2, start=clock.now, prefix="Lama")))
    await services.ingest.poll_all(force=True)
    services.subscribers.get_or_create(READER)
    first = next(db.query("SELECT min(id) AS id FROM items"))["id"]
    outbox_store.queue_digest(
        db, READER, clock.now, [DigestChunk("Ringkasan", (first,))], thread_id=None, now=clock.now
    )
    clock.advance(days=100)

    assert (await services.upkeep.prune()).items == 1  # the other one went
    assert [row["id"] for row in db.query("SELECT id FROM items")] == [first]
    (message,) = outbox_store.pending_for(db, READER)
    outbox_store.mark_sent(db, [(message, READER)], clock.now)
    assert deliveries.count_sent(db, READER) == 1
    assert (await services.upkeep.prune()).items == 1
    assert count(services, "SELECT count(*) AS n FROM items") == 0
    assert count(services, "SELECT count(*) AS n FROM deliveries") == 0
