"""What readers' watch words may cost the bot (issue 27), through the real bot: a list inside a
phrase is refused with a clear answer, a list on its own is one term for everyone (25 chats
with 20 list-naming watches each grow the bot by a few megabytes, not 500), and the matcher is
built and run off the event loop, so /help is answered while thousands of watches compile."""

import asyncio
import tracemalloc
from datetime import timedelta

import pytest

from storage import alerts as alert_store
from storage import feeds as feed_store
from tests.support.chats import READER_ID, Chat, services_of
from tests.support.feedgen import Entry, rss

pytestmark = pytest.mark.timeout(60)

MB = 1024 * 1024


def letters(n: int) -> str:
    """A made-up word of 16 letters, one for each n."""
    return "".join("bcdfghjklmnprstv"[(n >> (4 * i)) % 16] + "a" for i in range(8))


async def publish(services, feed_host, clock, *entries: Entry) -> None:
    """Serve these entries on a feed of their own and poll it, as the poll job does."""
    feed_host.add("/berita.xml", rss(list(entries), title="Berita Kaltim"))
    if not feed_store.list_feeds(services.core.db):
        feed_store.add_feed(services.core.db, feed_host.url("/berita.xml"), clock.now)
    await services.ingest.poll_all(force=True)


async def test_watches_cost_the_bot_little_whatever_readers_type(
    app, telegram_api, feed_host, clock
):
    services = services_of(app)
    services.outbox.chat_gap = 0.0
    chats = [Chat(app, telegram_api, 7000 + n) for n in range(25)]
    # Each list entry inside a phrase was a key of its own, per reader: refused, saying how.
    phrases = ", ".join(f'"kata{n} @negara_asing"' for n in range(20))
    answer = await chats[0].say(f"/pantau {phrases}")
    assert "tidak bisa dipakai" in answer and "@negara_asing harus berdiri sendiri" in answer
    assert "/pantau @negara_asing banjir" in answer
    assert alert_store.list_watches(services.core.db, chats[0].chat_id) == []
    assert "must stand on its own" in await Chat(app, telegram_api, 7999).say(
        "/language en"
    ) + await Chat(app, telegram_api, 7999).say('/pantau "banjir @negara_asing"')

    # The same list on its own, beside a word: accepted, twenty watches in every chat.
    for chat in chats:
        words = ", ".join(f"@negara_asing kata{chat.chat_id}x{n}" for n in range(20))
        assert "Siap!" in await chat.say(f"/pantau {words}")
        assert len(alert_store.list_watches(services.core.db, chat.chat_id)) == 20

    # Made-up long words with all their derived forms (~), four watches of five at a time,
    # until the chat's bound says no.
    greedy = [Chat(app, telegram_api, 8000 + n) for n in range(10)]
    for chat in greedy:
        answers = [
            await chat.say(
                "/pantau "
                + ", ".join(
                    " ".join(
                        "~" + letters(chat.chat_id * 128 + n * 20 + k * 5 + w) for w in range(5)
                    )
                    for k in range(4)
                )
            )
            for n in range(5)
        ]
        assert "Siap!" in answers[0]
        assert "terlalu banyak atau terlalu panjang" in answers[-1]
        assert len(alert_store.list_watches(services.core.db, chat.chat_id)) < 20

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        await publish(
            services,
            feed_host,
            clock,
            Entry(
                "Kaltim dan Jepang Teken Kerja Sama kata7003x4",
                "https://berita.example/jepang",
                "Pemprov Kaltim menandatangani kerja sama dengan Jepang.",
                published=clock.now,
            ),
        )
        await services.alerts.run()  # the matcher of all 500 watches is built here
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # 35 chats, 10 of them with the costliest watches their bound lets them have (15 MB
    # for 25 such chats, measured while writing this test).
    assert peak - before < 30 * MB, f"{(peak - before) / MB:.1f} MB"
    await services.outbox.drain()
    [alert] = [text for text in telegram_api.sent_texts(7003) if text.startswith("🔔")]
    assert "Kerja Sama kata7003x4" in alert
    assert not [text for text in telegram_api.sent_texts(7004) if text.startswith("🔔")]


async def test_help_is_answered_while_the_watch_matcher_is_built(app, reader, feed_host, clock):
    services = services_of(app)
    db = services.core.db
    # Five hundred readers with twenty two-word watches each: the matcher takes a good part of
    # a second to build, which used to happen on the event loop.
    for chat_id in range(10_000, 10_500):
        services.subscribers.get_or_create(chat_id)
        alert_store.add_watches(
            db, chat_id, [f"banjir w{chat_id}x{n}" for n in range(20)], clock.now
        )
    await publish(
        services,
        feed_host,
        clock,
        Entry(
            "Banjir Rendam Sempaja",
            "https://berita.example/banjir",
            "Air naik semalam.",
            published=clock.now - timedelta(minutes=1),
        ),
    )

    run = asyncio.create_task(services.alerts.run())
    answer = await reader.say("/help")
    assert "/cari" in answer
    assert not run.done()  # answered while the matcher was still being built
    await run


async def test_when_every_readers_watches_fill_the_bound_new_ones_wait(
    app, reader, telegram_api, feed_host, clock
):
    services = services_of(app)
    assert "Siap!" in await reader.say("/pantau banjir samarinda")
    await publish(
        services,
        feed_host,
        clock,
        Entry(
            "Banjir Rendam Sempaja",
            "https://berita.example/banjir",
            "Air naik semalam.",
            published=clock.now,
        ),
    )
    await services.alerts.run()  # the matcher is built, and counts its keys
    services.alerts.max_total_keys = (await services.alerts.matcher()).keys + 15
    other = Chat(app, telegram_api, 7500)
    assert "Siap!" in await other.say("/pantau longsor")
    answer = await other.say("/pantau jembatan ambruk")
    assert "daftar pantauan Warta sedang penuh" in answer and "jembatan ambruk" in answer
    assert alert_store.list_watches(services.core.db, 7500) == ["longsor"]
    assert "Siap!" in await reader.say("/pantau banjir")  # a term already held costs nothing
    await other.say("/language en")
    assert "watch list is full" in await other.say("/pantau jembatan ambruk")


async def test_a_watch_stored_before_lists_had_to_stand_alone_is_skipped_not_fatal(
    app, reader, telegram_api, feed_host, clock
):
    services = services_of(app)
    services.outbox.chat_gap = 0.0
    services.subscribers.get_or_create(READER_ID)
    # Stored by an older Warta, which let a list sit inside a phrase.
    alert_store.add_watches(services.core.db, READER_ID, ['"banjir @wilayah_kaltim"'], clock.now)
    assert "Siap!" in await reader.say("/pantau longsor")
    await publish(
        services,
        feed_host,
        clock,
        Entry(
            "Longsor di Jalan Poros",
            "https://berita.example/longsor",
            "Jalan tertutup tanah.",
            published=clock.now,
        ),
    )
    await services.alerts.run()
    await services.outbox.drain()
    [alert] = [text for text in telegram_api.sent_texts(READER_ID) if text.startswith("🔔")]
    assert "Longsor di Jalan Poros" in alert
