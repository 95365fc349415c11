"""The bot running for real (long polling, job queue): digests at their time, and restarts."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import shutdown
from storage import feeds as feed_store
from tests.support.chats import READER_ID, Chat, Clock, Finished, services_of
from tests.support.feedgen import kaltim_entries, rss
from tests.support.running import is_digest, run_bot, stop_bot

pytestmark = pytest.mark.timeout(40)


async def test_scheduled_digest_arrives_once_at_its_time(
    make_settings, build_bot, telegram_api, feed_host
):
    clock = Clock(datetime(2026, 11, 25, 22, 58, tzinfo=UTC))  # 06:58 WITA on the 26th
    feed_host.add("/kabar.xml", rss(kaltim_entries(3, start=clock.now)))
    app = await build_bot(make_settings(), clock=clock, digest_check_interval=0.1)
    feed_store.add_feed(services_of(app).core.db, feed_host.url("/kabar.xml"), clock.now)
    services = services_of(app)
    polls, checks = Finished(services.ingest, "poll_all"), Finished(services.digests, "queue_due")
    async with app:
        await run_bot(app)
        try:
            telegram_api.push_text(READER_ID, "/subscribe kaltim")
            await telegram_api.wait_for(
                lambda c: c.method == "sendMessage" and "Siap" in c.params.get("text", "")
            )
            await polls.reach(1)  # the start-up poll stored the stories
            await checks.wait(3)  # several checks at 06:58: not yet
            assert not [c for c in telegram_api.calls() if is_digest(c)]

            clock.advance(minutes=2, seconds=5)  # 07:00:05 WITA
            [digest] = await telegram_api.wait_for(is_digest)
            assert digest.params["chat_id"] == READER_ID
            header = "Kamis, 26 November · 07.00 WITA · 3 berita dari 1 media"
            assert header in digest.params["text"]
            assert "Berita 3:" in digest.params["text"]
            await checks.wait(3)  # a second digest would be composed by now ...
            assert services.outbox.pending() == 0  # ... and waiting here, or sent:
            assert len([c for c in telegram_api.calls() if is_digest(c)]) == 1

            # Tomorrow at 07:00 there is nothing new: no message at all.
            clock.advance(days=1)
            await checks.wait(3)
            assert services.outbox.pending() == 0
            assert len([c for c in telegram_api.calls() if is_digest(c)]) == 1
        finally:
            await stop_bot(app)
    await shutdown(app)


@pytest.fixture
async def polled(app, reader, feed_host, clock):
    """A reader following kaltim, and two Kaltim stories stored."""
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    services = services_of(app)
    feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
    await reader.say("/subscribe kaltim")
    await services.ingest.poll_all()
    return services


async def test_paused_chat_gets_no_scheduled_digest(polled, reader, clock):
    await reader.say("/pause")
    clock.advance(hours=13, minutes=5)  # 07:05 WITA tomorrow
    assert (await polled.digests.send_due()).due == 0
    await reader.say("/resume")
    clock.advance(days=1)  # 07:05 WITA the day after
    assert (await polled.digests.send_due()).sent == 1


async def test_digest_time_missed_while_down_is_caught_up_once(polled, reader, clock):
    await reader.say("/schedule 07:00, 07:30, 08:00")
    # 18:00 WITA now; back at 08:10 WITA tomorrow, after three missed times.
    clock.now = clock.now.replace(hour=0, minute=10) + timedelta(days=1)
    first = await polled.digests.send_due()
    second = await polled.digests.send_due()
    assert (first.sent, second.due) == (1, 0)


async def test_restart_keeps_everything(make_settings, build_bot, telegram_api, feed_host, clock):
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    settings = make_settings()
    first = await build_bot(settings, clock=clock)
    async with first:
        admin = Chat(first, telegram_api, 1001)
        await admin.say(f"/addfeed {feed_host.url('/kabar.xml')}")
        reader = Chat(first, telegram_api, READER_ID)
        await reader.say("/subscribe kaltim pendidikan")
        await reader.say("/schedule 06:00,18:30")
        await reader.say("/timezone Asia/Jakarta")
        await reader.say("/language en")
        assert "Berita 1:" in await reader.say("/digest")
    await shutdown(first)

    second = await build_bot(settings, clock=clock)
    async with second:
        reader = Chat(second, telegram_api, READER_ID)
        subscriber = services_of(second).subscribers.get(READER_ID)
        assert subscriber.topics == ("kaltim", "education")
        assert subscriber.digest_times == ("06:00", "18:30")
        assert (subscriber.timezone, subscriber.language) == ("Asia/Jakarta", "en")
        assert "No new items" in await reader.say("/digest")  # nothing sent twice
        assert "Kabar Kaltim" in await Chat(second, telegram_api, 1001).say("/feeds")
        assert [t.slug for t in services_of(second).core.topics()][:1] == ["kaltim"]
    await shutdown(second)


async def test_commands_are_answered_while_a_poll_runs(
    make_settings, build_bot, telegram_api, feed_host, clock
):
    big = rss(kaltim_entries(1500, start=clock.now, prefix="Besar"))
    slow = rss(kaltim_entries(3, start=clock.now, prefix="Lambat"))
    app = await build_bot(make_settings(), clock=clock)
    db = services_of(app).core.db
    polls = Finished(services_of(app).ingest, "poll_all")
    async with app:
        await run_bot(app)
        try:
            await polls.reach(1)  # the start-up poll, with no feeds yet, is over
            feed_store.add_feed(db, feed_host.add("/besar.xml", big), clock.now)
            feed_store.add_feed(
                db,
                feed_host.drip("/lambat.xml", slow, chunk=len(slow) // 4, interval=0.7),
                clock.now,
            )
            telegram_api.push_text(1001, "/pollnow")
            await telegram_api.wait_for(lambda c: "Mengambil" in c.params.get("text", ""))
            telegram_api.push_text(READER_ID, "/start")
            [greeting] = await telegram_api.wait_for(
                lambda c: c.params.get("chat_id") == READER_ID
            )
            done = await telegram_api.wait_for(
                lambda c: "feed diambil" in c.params.get("text", ""), timeout=15
            )
            # The reader was answered while the poll was still going.
            assert greeting.time < done[0].time
            assert "2 feed diambil, 1.503 berita baru" in done[0].params["text"]
        finally:
            await stop_bot(app)
    await shutdown(app)


async def test_stats_shows_the_last_scheduled_run(polled, admin, clock, telegram_api):
    assert "Belum ada pengiriman ringkasan terjadwal" in await admin.say("/stats")
    await admin.say("/subscribe kaltim")  # the admin reads the digest too ...
    telegram_api.block_chat(1001)  # ... until blocking the bot
    clock.advance(hours=13, minutes=5)  # 07:05 WITA tomorrow
    summary = await polled.digests.send_due()
    assert (summary.due, summary.sent, summary.failed, summary.messages) == (2, 1, 1, 1)
    telegram_api.unblock_chat(1001)
    stats = await admin.say("/stats")
    assert "Pengiriman terjadwal terakhir" in stats and "26 Nov 2026 07.05 WITA" in stats
    assert "Jatuh tempo: 2 obrolan · terkirim: 1" in stats and "gagal: 1 (diblokir 1)" in stats
    assert "1 pesan dalam kurang dari 1 detik" in stats
