"""Another process holding SQLite's write lock (an operator's `sqlite3` session, a long foreign
write): a second connection holds BEGIN IMMEDIATE while readers type. The event loop never
waits for the lock: /help, /latest and taps are answered meanwhile; every change typed during
the lock is applied once it is free, or, past the patience, the reader is asked plainly to send
it again; messages Telegram accepted meanwhile are recorded once; Warta's own long writes
(retention) go in batches that let readers in between."""

import asyncio
import sqlite3
from contextlib import contextmanager
from datetime import timedelta

import pytest

from bot.app import shutdown
from storage import feeds as feed_store
from storage import outbox as outbox_store
from tests.support.chats import READER_ID, Chat, services_of
from tests.support.feedgen import kaltim_entries, rss

pytestmark = pytest.mark.timeout(60)

SUBSCRIBERS = list(range(620_001, 620_011))


@contextmanager
def write_lock(path):
    """Another connection holds the database's write lock for the block."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
        other.execute("COMMIT")
    finally:
        other.close()


async def test_readers_are_answered_during_another_writers_lock_and_their_changes_applied_after(
    app, telegram_api, settings, feed_host, clock
):
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    services = services_of(app)
    feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
    await services.ingest.poll_all()
    reader = Chat(app, telegram_api, READER_ID)
    await reader.say("/subscribe kaltim")
    await reader.send("/topics")
    keyboard = telegram_api.sent_messages(READER_ID)[-1]["message_id"]

    with write_lock(settings.database_path):
        subscribing = [
            asyncio.create_task(
                Chat(app, telegram_api, chat_id).say("/subscribe kaltim pendidikan")
            )
            for chat_id in SUBSCRIBERS
        ]
        tapping = asyncio.create_task(reader.tap(keyboard, "topic:education"))
        # While the lock is held: reading commands are answered, at once.
        assert "/digest" in await reader.say("/help")
        assert "Berita 2:" in await reader.say("/latest")
        # The changes wait for the lock, without an answer yet (and without the apology).
        assert not any(task.done() for task in subscribing) and not tapping.done()
        assert all(telegram_api.sent_messages(chat_id) == [] for chat_id in SUBSCRIBERS)
    answers = await asyncio.gather(*subscribing)
    await tapping
    assert all(answer.startswith("Siap!") for answer in answers), answers
    for chat_id in SUBSCRIBERS:
        assert set(services.subscribers.get(chat_id).topics) == {"kaltim", "education"}
    assert set(services.subscribers.get(READER_ID).topics) == {"kaltim", "education"}
    assert "gangguan" not in " ".join(telegram_api.sent_texts())


async def test_past_the_patience_the_reader_is_asked_to_send_it_again(
    make_settings, build_bot, telegram_api, settings
):
    app = await build_bot(settings, lock_patience=0.2)
    async with app:
        reader = Chat(app, telegram_api, READER_ID)
        with write_lock(settings.database_path):
            answer = await reader.say("/subscribe kaltim")
        assert "kirim ulang" in answer and "gangguan" not in answer
        assert services_of(app).subscribers.get(READER_ID) is None  # nothing half-done
        assert (await reader.say("/subscribe kaltim")).startswith("Siap!")  # now it works
    await shutdown(app)


async def test_messages_accepted_during_the_lock_are_recorded_once_it_is_free(
    app, telegram_api, settings, feed_host, clock
):
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    services = services_of(app)
    feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
    await services.ingest.poll_all()
    for chat_id in SUBSCRIBERS:
        services.subscribers.subscribe(chat_id, ["kaltim"])
    clock.advance(hours=13, minutes=5)
    await services.digests.queue_due()  # composed into the outbox; not sent yet
    with write_lock(settings.database_path):
        drain = asyncio.create_task(services.outbox.drain())
        # Telegram takes the messages; the bot cannot record them yet, and waits.
        await telegram_api.wait_for("sendMessage", count=3)
        assert not drain.done()
        assert "/digest" in await Chat(app, telegram_api, READER_ID).say("/help")
    result = await drain
    assert result.messages == len(SUBSCRIBERS)
    digests = [m["chat_id"] for m in telegram_api.sent_messages() if "Ringkasan" in m["text"]]
    assert sorted(digests) == SUBSCRIBERS  # each once: recorded, not sent again
    assert outbox_store.count_pending(services.core.db) == 0


async def test_retention_deletes_in_batches_that_let_readers_in(
    app, telegram_api, feed_host, clock
):
    feed_host.add("/lama.xml", rss(kaltim_entries(120, start=clock.now - timedelta(days=200))))
    services = services_of(app)
    feed_store.add_feed(services.core.db, feed_host.url("/lama.xml"), clock.now)
    clock.advance(days=-200)
    await services.ingest.poll_all()
    clock.advance(days=200)
    services.upkeep.batch = 1  # 120 short transactions instead of one long one
    reader = Chat(app, telegram_api, READER_ID)
    answered_at: list[int] = []

    async def ask_meanwhile() -> None:
        await reader.say("/help")
        answered_at.append(services.upkeep.batches)

    asking = asyncio.create_task(ask_meanwhile())
    result = await services.upkeep.prune()
    await asking
    assert result.items == 120 and result.kept == 0
    # The reader was answered while retention went on, between two of its batches.
    [batches_by_then] = answered_at
    assert 0 < batches_by_then < services.upkeep.batches, (
        batches_by_then,
        services.upkeep.batches,
    )
