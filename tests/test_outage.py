"""Telegram down: its front answering 502 (nginx's HTML page) or hanging, at the due time and
mid-run. Delivery pauses and probes instead of postponing every chat; when Telegram answers
again every digest goes out once, in due order; readers' commands are fetched at once; the
log holds one line when the outage begins and one when it ends, no tracebacks; a long outage
is told to the admins once. The probe interval is set small (TELEGRAM_PROBE_SECONDS), and the
tests wait on the fake's calls, never on the clock (bench/bench_outage.py measures seconds)."""

import asyncio
import logging

import pytest

from bot.app import shutdown, stop_delivery
from storage import feeds as feed_store
from storage import outbox as outbox_store
from tests.support.chats import ADMIN_ID, services_of
from tests.support.feedgen import kaltim_entries, rss
from tests.support.running import is_digest, run_bot, stop_bot

pytestmark = pytest.mark.timeout(60)

CHATS = list(range(610_001, 610_041))  # more than the 24 chats sent to at once


@pytest.fixture
async def outage_app(make_settings, build_bot, feed_host, clock):
    """The bot with probes 50 ms apart at most, CHATS following kaltim, two stories stored."""
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    app = await build_bot(make_settings(telegram_probe_seconds="0.05"), clock=clock)
    async with app:
        services = services_of(app)
        feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
        await services.ingest.poll_all()
        for chat_id in CHATS:
            services.subscribers.subscribe(chat_id, ["kaltim"])
        yield app
    await shutdown(app)


def digests(api) -> list[dict]:
    return [m for m in api.sent_messages() if "Ringkasan Warta" in m["text"]]


def outage_lines(caplog) -> tuple[list[str], list[str]]:
    messages = [r.getMessage() for r in caplog.records]
    return (
        [m for m in messages if m.startswith("Telegram does not answer")],
        [m for m in messages if m.startswith("Telegram answers again")],
    )


def assert_no_tracebacks(caplog) -> None:
    traced = [r.getMessage() for r in caplog.records if r.exc_info or r.exc_text]
    assert traced == [], traced
    assert "JSONDecodeError" not in caplog.text and "Traceback" not in caplog.text


async def test_a_502_at_the_due_time_holds_the_run_until_telegram_answers_then_each_goes_once(
    outage_app, telegram_api, clock, caplog
):
    caplog.set_level(logging.INFO)
    services = services_of(outage_app)
    telegram_api.go_down(502)
    clock.advance(hours=13, minutes=5)  # 07:05 WITA: every reader is due
    run = asyncio.create_task(services.digests.send_due())
    # Several probes failed: the outage is known, and the run waits rather than postponing.
    await telegram_api.wait_for(lambda c: c.method == "getMe" and c.status == 502, count=3)
    tried = {c.params["chat_id"] for c in telegram_api.calls("sendMessage")}
    assert len(tried) <= services.outbox.concurrency  # only the chats already in hand
    pending = outbox_store.pending_for(services.core.db, CHATS[0])
    assert [m.attempts for m in pending] == [0]  # not counted against the chat
    assert not run.done()

    telegram_api.come_back()
    summary = await run
    assert (summary.sent, summary.failed, summary.waiting) == (len(CHATS), 0, 0)
    sent = digests(telegram_api)
    assert sorted(m["chat_id"] for m in sent) == CHATS  # every reader, none twice
    # In due order: the chats in hand when Telegram went down (the first due) went first
    # when it came back, and the rest after them.
    due_order = [
        row["chat_id"] for row in services.core.db.query("SELECT chat_id FROM outbox ORDER BY id")
    ]
    in_hand = services.outbox.concurrency
    assert {m["chat_id"] for m in sent[:in_hand]} == set(due_order[:in_hand])
    assert tried <= set(due_order[:in_hand])
    began, ended = outage_lines(caplog)
    assert len(began) == 1 and len(ended) == 1, (began, ended)
    assert "Bad Gateway" in began[0]
    assert_no_tracebacks(caplog)
    assert not telegram_api.sent_messages(ADMIN_ID)  # a short outage is not worth a message


async def test_a_hang_mid_run_is_waited_out_and_nothing_is_sent_twice(
    outage_app, telegram_api, clock, caplog
):
    caplog.set_level(logging.INFO)
    services = services_of(outage_app)
    clock.advance(hours=13, minutes=5)
    telegram_api.delay_next("sendMessage", 0.05, count=len(CHATS))  # a run that takes a while
    run = asyncio.create_task(services.digests.send_due())
    await telegram_api.wait_for(is_digest, count=10)
    telegram_api.hang()  # mid-run: calls reach the front and wait there, unanswered
    await telegram_api.wait_hung(count=3)
    telegram_api.come_back()  # the hung calls get the front's 504: they never reached Telegram
    summary = await run
    assert (summary.sent, summary.failed, summary.waiting) == (len(CHATS), 0, 0)
    assert sorted(m["chat_id"] for m in digests(telegram_api)) == CHATS
    assert telegram_api.outage_answers >= 3
    assert_no_tracebacks(caplog)


async def test_a_long_outage_is_told_to_the_admins_once_when_telegram_answers_again(
    outage_app, telegram_api, clock, caplog
):
    caplog.set_level(logging.INFO)
    services = services_of(outage_app)
    telegram_api.go_down(502)
    clock.advance(hours=13, minutes=5)
    run = asyncio.create_task(services.digests.send_due())
    await telegram_api.wait_for(lambda c: c.method == "getMe" and c.status == 502, count=2)
    clock.advance(minutes=16)  # the service clock: OUTAGE_ALERT_MINUTES is 15
    telegram_api.come_back()
    await run
    [alert] = await telegram_api.wait_for(
        lambda c: c.method == "sendMessage" and c.params.get("chat_id") == ADMIN_ID
    )
    assert "tidak dapat dihubungi selama sekitar 16 menit" in alert.params["text"]
    assert len(telegram_api.sent_messages(ADMIN_ID)) == 1
    began, ended = outage_lines(caplog)
    assert len(began) == 1 and len(ended) == 1
    assert "after 960 s" in ended[0]


async def test_readers_commands_are_fetched_as_soon_as_getupdates_works_again(
    make_settings, build_bot, telegram_api, caplog
):
    caplog.set_level(logging.INFO)
    app = await build_bot(make_settings(telegram_probe_seconds="0.05"))
    async with app:
        await run_bot(app)
        try:
            telegram_api.go_down(502)
            # The long poll keeps asking, a short pause apart (PTB's own loop would wait 1 s,
            # then ever longer, up to 30 s): five failed polls come quickly.
            await telegram_api.wait_for(
                lambda c: c.method == "getUpdates" and c.status == 502, count=5
            )
            telegram_api.push_text(4242, "/help")  # typed while Telegram is down
            polls_before = len(telegram_api.calls("getUpdates"))
            telegram_api.come_back()
            [answer] = await telegram_api.wait_for(
                lambda c: c.method == "sendMessage" and c.params.get("chat_id") == 4242
            )
            # The first poll that Telegram answered brought the command (one given up at
            # that very moment, as the probe's answer came too, may have brought it first:
            # an update is confirmed by the next poll, so it comes again, and is run once).
            answered = [
                c
                for c in telegram_api.calls("getUpdates")[polls_before:]
                if c.status == 200 and c.time < answer.time
            ]
            assert answered and all(c.result for c in answered)
        finally:
            await stop_bot(app)
    await shutdown(app)
    assert "/digest" in answer.params["text"]
    assert len(telegram_api.sent_messages(4242)) == 1  # answered once
    began, ended = outage_lines(caplog)
    assert len(began) == 1 and len(ended) == 1
    assert_no_tracebacks(caplog)
    assert "Unhandled error" not in caplog.text


async def test_one_chats_own_server_errors_are_not_an_outage(
    outage_app, telegram_api, clock, caplog
):
    caplog.set_level(logging.INFO)
    services = services_of(outage_app)
    unlucky = CHATS[5]
    telegram_api.fail_next(
        "sendMessage", status=502, description="Bad Gateway", chat_id=unlucky, count=3
    )
    clock.advance(hours=13, minutes=5)
    summary = await services.digests.send_due()
    assert (summary.sent, summary.failed, summary.reasons) == (len(CHATS) - 1, 1, {"later": 1})
    assert outage_lines(caplog) == ([], [])


async def test_stopping_during_an_outage_leaves_the_waiting_digests_for_the_next_start(
    outage_app, telegram_api, clock
):
    services = services_of(outage_app)
    await run_bot(outage_app)
    stopped = False
    try:
        telegram_api.go_down(502)
        clock.advance(hours=13, minutes=5)
        await services.digests.queue_due()
        await telegram_api.wait_for(lambda c: c.method == "getMe" and c.status == 502, count=2)
        await stop_bot(outage_app)  # SIGTERM, systemctl stop: during the outage
        stopped = True
    finally:
        if not stopped:
            await stop_bot(outage_app)
    # What run_polling's post_stop does: the couriers waiting for Telegram let go at once.
    async with asyncio.timeout(5):
        await stop_delivery(outage_app)
    # Nothing was sent, nothing given up or postponed: every digest waits, as it was.
    assert digests(telegram_api) == []
    waiting = [m for c in CHATS for m in outbox_store.pending_for(services.core.db, c)]
    assert len(waiting) == len(CHATS) and {m.attempts for m in waiting} == {0}
