"""Admins at work are not a flood (issue 22), through the real bot running with flood
protection on, updates taken from its queue as under long polling.

The bug this pins: the per-chat budget (a burst of 10, then one command every 3 s, then
silence after one warning) and the cool-downs applied to the admins in ADMIN_IDS, so an admin
setting up a newsroom's topics got ten answers, one "slow down", and then nothing.
"""

import re

import pytest

from bot.services.command_budget import BURST, COOLDOWNS
from storage import feeds as feed_store
from tests.support.chats import ADMIN_ID, Chat, services_of
from tests.support.factories import message_update, to_update
from tests.support.feedgen import kaltim_entries, rss

pytestmark = pytest.mark.timeout(90)
READER = 6_060


def enqueue(app, chat_id: int, text: str) -> None:
    """A message as long polling delivers it: into the running bot's update queue."""
    app.update_queue.put_nowait(to_update(message_update(chat_id, text, user_id=chat_id), app.bot))


def newsroom_setup(topics: int) -> list[tuple[str, str]]:
    """An admin setting up topics, two commands each: (command, what its answer says)."""
    commands = []
    for n in range(topics):
        commands.append((f"/addtopic kota{n} Kota {n}", f"<b>Kota {n}</b> (kota{n}) dibuat"))
        commands.append(
            (f"/topic kota{n} include kelurahan{n}, camat{n}", f"Aturan topik kota{n} diperbarui")
        )
    return commands


async def test_an_admins_hundred_commands_are_all_answered_in_order(
    guarded, telegram_api, feed_host, clock
):
    # A week of stored items, so every /topic edit previews its effect in a worker thread
    # (its answer takes longer than an /addtopic's) while the next commands arrive.
    feed = feed_host.add("/kabar.xml", rss(kaltim_entries(300, start=clock.now)))
    feed_store.add_feed(services_of(guarded).core.db, feed, clock.now)
    await services_of(guarded).ingest.poll_all()
    commands = newsroom_setup(50)
    for command, _ in commands:
        enqueue(guarded, ADMIN_ID, command)
    await telegram_api.wait_until(
        lambda: len(telegram_api.sent_messages(ADMIN_ID)) >= len(commands), timeout=60
    )
    answers = telegram_api.sent_texts(ADMIN_ID)
    assert len(answers) == len(commands) == 100
    assert not any("Pelan-pelan" in a or "baru saja" in a for a in answers)
    for (command, expected), answer in zip(commands, answers, strict=True):
        assert expected in answer, f"{command!r} was answered with {answer[:80]!r}"
    assert len(services_of(guarded).core.topics()) == 4 + 50


async def test_a_readers_hundred_commands_are_still_throttled(guarded, telegram_api):
    for _ in range(100):
        enqueue(guarded, READER, "/help")
    # The burst, one request to slow down, then nothing: wait until the bot has taken all
    # hundred (the next command, from another chat, is answered after them).
    enqueue(guarded, READER + 1, "/help")
    await telegram_api.wait_until(lambda: telegram_api.sent_messages(READER + 1))
    await telegram_api.wait_until(lambda: len(telegram_api.sent_messages(READER)) >= BURST + 1)
    answers = telegram_api.sent_texts(READER)
    assert len(answers) == BURST + 1
    assert all(a.startswith("<b>Berita</b>") for a in answers[:BURST])
    assert "Pelan-pelan" in answers[BURST]


async def test_admins_have_no_cool_down_and_a_second_pollnow_says_it_runs(
    guarded, telegram_api, feed_host, clock
):
    admin = Chat(guarded, telegram_api, ADMIN_ID)
    await admin.say("/subscribe kaltim")
    for _ in range(3):
        for command in ("/digest", "/latest"):
            assert "baru saja" not in await admin.say(command)
    # A slow site keeps the poll going while the admin asks again.
    slow = rss(kaltim_entries(3, start=clock.now, prefix="Lambat"))
    feed_store.add_feed(
        services_of(guarded).core.db, feed_host.add("/lambat.xml", slow, delay=2), clock.now
    )
    started = await admin.say("/pollnow")
    assert "Mengambil semua feed" in started
    assert "masih berjalan" in await admin.say("/pollnow")
    # The admin's chat is answered while its poll runs (the report has not come yet).
    assert "<b>Berita</b>" in await admin.say("/help")
    assert not any("feed diambil" in text for text in telegram_api.sent_texts(ADMIN_ID))
    await telegram_api.wait_until(
        lambda: any("feed diambil" in text for text in telegram_api.sent_texts(ADMIN_ID)),
        timeout=30,
    )
    reports = [text for text in telegram_api.sent_texts(ADMIN_ID) if "feed diambil" in text]
    assert reports == ["Selesai: 1 feed diambil, 3 berita baru, 0 gagal."]
    assert len(feed_host.requests("/lambat.xml")) == 1  # polled once, not twice
    # Once it is over, the next /pollnow polls again.
    assert "feed diambil" in await admin.say_until("/pollnow", "feed diambil")


async def test_a_readers_digest_right_after_changing_topics_is_not_refused(
    guarded, telegram_api, clock
):
    reader = Chat(guarded, telegram_api, READER)
    await reader.say("/subscribe kaltim")
    assert "baru saja" not in await reader.say("/digest")
    refused = await reader.say("/digest")
    assert re.search(rf"/digest baru saja dijalankan\. .* {COOLDOWNS['digest']} detik", refused)
    await reader.say("/subscribe pendidikan")
    assert "baru saja" not in await reader.say("/digest")  # a different digest now
    assert "baru saja" in await reader.say("/digest")  # the same one: cooled down again
    clock.advance(seconds=COOLDOWNS["digest"])
    assert "baru saja" not in await reader.say("/digest")
