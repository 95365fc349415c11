"""Scheduled runs through the outbox: Telegram's errors mid-run, the catch-up grace, a /digest
racing the run, and commands answered while thousands of messages wait to go."""

import asyncio
import time

import pytest

from bot.app import SEND_BURST, shutdown
from storage import deliveries as delivery_store
from storage import feeds as feed_store
from tests.support.chats import ADMIN_ID, READER_ID, Chat, Finished, services_of
from tests.support.feedgen import kaltim_entries, rss
from tests.support.running import is_digest, run_bot, stop_bot

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def morning(app, feed_host, clock):
    """Five readers following kaltim, two stories stored; clock at 18:00 WITA the day before."""
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    services = services_of(app)
    feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
    await services.ingest.poll_all()
    readers = [READER_ID + n for n in range(5)]
    for chat_id in readers:
        services.subscribers.subscribe(chat_id, ["kaltim"])
    return services, readers


def digests_to(api, chat_id) -> list[str]:
    return [t for t in api.sent_texts(chat_id) if "Ringkasan Warta" in t]


async def test_server_errors_leave_the_message_for_a_later_run(morning, clock, telegram_api):
    services, readers = morning
    unlucky = readers[2]
    telegram_api.fail_next(
        "sendMessage", status=502, description="Bad Gateway", chat_id=unlucky, count=3
    )
    clock.advance(hours=13, minutes=5)  # 07:05 WITA
    summary = await services.digests.send_due()
    assert (summary.due, summary.sent, summary.failed) == (5, 4, 1)
    assert summary.reasons == {"later": 1} and summary.waiting == 1
    assert digests_to(telegram_api, unlucky) == []
    assert all(len(digests_to(telegram_api, c)) == 1 for c in readers if c != unlucky)

    clock.advance(minutes=1)  # too soon: the message waits for its retry time
    assert (await services.digests.send_due()).messages == 0
    clock.advance(minutes=5)
    later = await services.digests.send_due()
    assert (later.sent, later.messages, later.waiting) == (1, 1, 0)
    [digest] = digests_to(telegram_api, unlucky)
    assert "Berita 1:" in digest and "Berita 2:" in digest
    assert all(len(digests_to(telegram_api, c)) == 1 for c in readers)


async def test_when_telegram_is_down_the_run_stops_early_and_loses_nothing(
    app, feed_host, clock, telegram_api
):
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    services = services_of(app)
    feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
    await services.ingest.poll_all()
    chats = list(range(600_001, 600_061))
    for chat_id in chats:
        services.subscribers.subscribe(chat_id, ["kaltim"])
    telegram_api.fail_next("sendMessage", status=502, description="Bad Gateway", count=10_000)
    clock.advance(hours=13, minutes=5)
    summary = await services.digests.send_due()
    tried = {c.params["chat_id"] for c in telegram_api.calls("sendMessage")}
    assert len(tried) < len(chats)  # it stopped instead of retrying every chat
    assert summary.sent == 0 and summary.waiting == len(chats)

    telegram_api.clear()  # Telegram is back
    clock.advance(minutes=6)
    await services.digests.send_due()
    assert {m["chat_id"] for m in telegram_api.sent_messages()} == set(chats)
    assert len(telegram_api.sent_messages()) == len(chats)


async def test_a_429_halts_every_send_for_its_retry_after(morning, clock, telegram_api, app):
    services, readers = morning
    telegram_api.fail_next(
        "sendMessage",
        status=429,
        retry_after=1,
        chat_id=readers[0],
        description="Too Many Requests: retry after 1",
    )
    clock.advance(hours=13, minutes=5)
    summary = await services.digests.send_due()
    assert summary.sent == 5 and summary.failed == 0
    calls = telegram_api.calls("sendMessage")
    flood = next(c for c in calls if c.status == 429)
    after = [c.time - flood.time for c in calls if c.time > flood.time]
    # Once the 429 was in, nobody was sent to until its retry_after had run: the whole run
    # slowed down (a few requests were already on their way when it came).
    assert all(gap < 0.2 or gap >= 1.0 for gap in after), after
    assert len([gap for gap in after if gap >= 1.0]) >= 1
    assert all(len(digests_to(telegram_api, c)) == 1 for c in readers)
    # A run that took over a second shows its pace in /stats; a quicker one just says so.
    stats = await Chat(app, telegram_api, ADMIN_ID).say("/stats")
    assert "5 pesan dalam 1," in stats and "pesan/detik)" in stats


async def test_a_chat_that_blocked_the_bot_does_not_hold_up_the_others(
    morning, clock, telegram_api
):
    services, readers = morning
    telegram_api.block_chat(readers[1])
    telegram_api.fail_next(
        "sendMessage", status=400, chat_id=readers[3], description="Bad Request: chat not found"
    )
    clock.advance(hours=13, minutes=5)
    summary = await services.digests.send_due()
    assert (summary.sent, summary.failed, summary.reasons) == (3, 2, {"blocked": 2})
    assert services.subscribers.get(readers[1]).is_paused
    assert services.subscribers.get(readers[3]).is_paused
    assert summary.waiting == 0  # their digests were given up, not kept for ever


async def test_a_digest_now_racing_the_scheduled_run_sends_each_item_once(
    morning, clock, telegram_api, app
):
    services, readers = morning
    reader = Chat(app, telegram_api, readers[0])
    telegram_api.delay_next("sendMessage", 0.3, count=3)  # both are mid-send at once
    clock.advance(hours=13, minutes=5)
    await asyncio.gather(services.digests.send_due(), reader.send("/digest"))
    texts = telegram_api.sent_texts(readers[0])
    assert sum("Berita 1:" in t for t in texts) == 1 and sum("Berita 2:" in t for t in texts) == 1
    assert delivery_store.count_sent(services.core.db, readers[0]) == 2


async def test_missed_times_older_than_the_grace_are_dropped_and_counted(
    make_settings, build_bot, feed_host, clock, telegram_api
):
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    app = await build_bot(make_settings(digest_catch_up_hours="1"), clock=clock)
    async with app:
        services = services_of(app)
        feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
        await services.ingest.poll_all()
        services.subscribers.subscribe(READER_ID, ["kaltim"])  # 07:00 WITA
        services.subscribers.subscribe(ADMIN_ID, ["kaltim"])
        services.subscribers.set_schedule(ADMIN_ID, "08:00")
        clock.advance(hours=14, minutes=30)  # back at 08:30 WITA: 07:00 is 90 minutes old
        summary = await services.digests.send_due()
        assert (summary.due, summary.sent, summary.dropped) == (1, 1, 1)
        assert digests_to(telegram_api, READER_ID) == []
        assert len(digests_to(telegram_api, ADMIN_ID)) == 1
        stats = await Chat(app, telegram_api, ADMIN_ID).say("/stats")
        assert "tidak dikirim susulan: 1 obrolan" in stats
        # The dropped chat's news is not lost: it comes with its next digest.
        clock.advance(hours=23)  # 07:30 WITA the next day
        await services.digests.send_due()
        assert "Berita 1:" in digests_to(telegram_api, READER_ID)[0]
    await shutdown(app)


NEWCOMER = 9_000_001


@pytest.mark.slow
async def test_commands_are_answered_while_a_big_run_is_sending(
    make_settings, build_bot, feed_host, clock, telegram_api
):
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    app = await build_bot(make_settings(), clock=clock, digest_check_interval=0.1)
    services = services_of(app)
    feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
    chats = list(range(800_001, 800_091))
    for chat_id in chats:
        services.subscribers.subscribe(chat_id, ["kaltim"])
    telegram_api.rate_limit()  # 30 messages/s: 90 digests take about 3 s
    polls = Finished(services.ingest, "poll_all")
    async with app:
        await run_bot(app)
        try:
            await polls.reach(1)  # the start-up poll stored the stories
            clock.advance(hours=13, minutes=5)
            await telegram_api.wait_for(is_digest, count=30, timeout=15)
            asked = time.monotonic()
            telegram_api.push_text(NEWCOMER, "/start")  # a new reader, mid-run
            [answer] = await telegram_api.wait_for(
                lambda c: c.params.get("chat_id") == NEWCOMER, timeout=5
            )
            digests = [c for c in telegram_api.calls() if is_digest(c)]
            sent_by_then = len(digests)
            # Answers go first: only the burst already let through went ahead of the answer
            # (without the lanes, every chat being sent to had a message queued before it).
            # Counted from the moment the bot had the update (its next long poll began), so a
            # busy machine's slower fetching of the update is not counted as waiting in line.
            # (If the poll open when it was pushed brought it, the next may not have begun
            # yet when the answer came: then count from the push.)
            received = min(
                (c.time for c in telegram_api.calls("getUpdates") if c.time > asked), default=asked
            )
            ahead = [c for c in digests if received < c.time < answer.time]
            await telegram_api.wait_for(is_digest, count=len(chats), timeout=30)
        finally:
            await stop_bot(app)
    await shutdown(app)
    # How long the reader waited, counted in digest messages instead of seconds (which a
    # busy machine stretches): only the burst already let through went first.
    assert len(ahead) <= 2 * SEND_BURST, f"{len(ahead)} digest messages went first"
    assert sent_by_then < len(chats)  # the run was still going
    assert telegram_api.flood_refusals <= 2
