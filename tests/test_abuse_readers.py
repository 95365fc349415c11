"""What one reader can send must not stop Warta for the others: oversized commands, floods of
commands, edits of old commands, commands meant for other bots, and heavy admin commands.

The bot is the real Application with flood protection on (as in production), started so that
updates are processed concurrently from its update queue, as under long polling. Reply times
are compared with a quiet baseline measured in the same test, never with a fixed time alone.
"""

import time
from datetime import timedelta

import pytest

from bot.config import is_valid_timezone
from bot.errors import UnknownTopic
from bot.models import Item
from bot.services.command_budget import BURST, COOLDOWNS
from bot.services.subscribers import resolve_topics
from storage import feeds as feed_store
from storage import items as item_store
from tests.support.chats import ADMIN_ID, Chat, services_of
from tests.support.factories import message_update, to_update

pytestmark = pytest.mark.timeout(90)
ATTACKER, OTHER = 4_040, 5_050
LONG_LATEST = "/latest " + " ".join("a" for _ in range(2_000))  # 4 KB of one-letter words


def enqueue(app, chat_id: int, text: str, **kwargs) -> None:
    update = message_update(chat_id, text, user_id=kwargs.pop("user_id", chat_id), **kwargs)
    app.update_queue.put_nowait(to_update(update, app.bot))


async def answer_time(app, api, chat_id: int, text: str = "/help") -> float:
    """Seconds from putting `text` in the queue to the bot's answer reaching the fake API."""
    before = len(api.sent_messages(chat_id))
    started = time.perf_counter()
    enqueue(app, chat_id, text)
    await api.wait_for(lambda c: len(api.sent_messages(chat_id)) > before, timeout=60)
    return time.perf_counter() - started


async def quiet_baseline(app, api) -> float:
    return min([await answer_time(app, api, OTHER) for _ in range(3)])


async def test_a_flood_of_long_commands_does_not_hold_up_another_reader(guarded, telegram_api):
    quiet = await quiet_baseline(guarded, telegram_api)
    for n in range(200):
        enqueue(guarded, ATTACKER, LONG_LATEST if n % 2 else "/latest")
    for _ in range(20):
        enqueue(guarded, ATTACKER, "/subscribe " + "x " * 2_000)
    during = await answer_time(guarded, telegram_api, OTHER)
    assert during < quiet + 1.0, f"/help took {during:.2f} s during the flood, {quiet:.2f} s quiet"
    # A chat's commands are taken in order: the attacker's burst, then its one warning (the
    # test's clock stands still, so its budget never refills: nothing can follow).
    await telegram_api.wait_until(
        lambda: any("Pelan-pelan" in text for text in telegram_api.sent_texts(ATTACKER)),
        timeout=30,
    )
    # The attacker got its burst of answers and one request to slow down, nothing more.
    answers = telegram_api.sent_texts(ATTACKER)
    assert len(answers) <= BURST + 1
    assert sum("Pelan-pelan" in text for text in answers) == 1
    assert services_of(guarded).subscribers.get(ATTACKER) is None or not (
        services_of(guarded).subscribers.get(ATTACKER).topics
    )


async def test_a_long_command_gets_its_usage_line_at_once(app, telegram_api):
    reader = Chat(app, telegram_api, OTHER)
    answer = await reader.say(LONG_LATEST)
    assert "/latest" in answer and "&lt;topik&gt;" in answer  # the usage line of /latest
    answer = await reader.say("/subscribe " + "kaltim " * 300)
    assert "/subscribe" in answer
    assert not services_of(app).subscribers.get(OTHER) or not (
        services_of(app).subscribers.get(OTHER).topics
    )
    answer = await reader.say("/pause " + "x" * 3_000)  # no usage text of its own
    assert "terlalu panjang" in answer


def test_topic_resolution_is_linear_in_the_number_of_words(app):
    topics = services_of(app).core.topics()

    def cost(words: int) -> float:
        # CPU time, which a parallel run or a busy machine does not stretch as it does wall time.
        started = time.process_time()
        with pytest.raises(UnknownTopic):
            resolve_topics(["q"] * words, topics)
        return time.process_time() - started

    small = min(cost(500) for _ in range(3))
    large = min(cost(5_000) for _ in range(3))
    # Ten times the words: about ten times the work (it was cubic: a thousand times).
    assert large < small * 40


async def test_a_chat_over_its_budget_is_told_once_then_ignored(guarded, telegram_api, clock):
    reader = Chat(guarded, telegram_api, ATTACKER)
    answers = [await reader.say("/help") for _ in range(BURST + 5)]
    assert all(a.startswith("<b>Berita</b>") for a in answers[:BURST])
    assert "Pelan-pelan" in answers[BURST]
    assert answers[BURST + 1 :] == [""] * 4
    # Another chat is not affected; and the budget comes back with time.
    assert (await Chat(guarded, telegram_api, OTHER).say("/help")).startswith("<b>")
    clock.advance(seconds=30)
    assert (await reader.say("/help")).startswith("<b>Berita</b>")


async def test_expensive_commands_have_a_cool_down(guarded, telegram_api, clock):
    reader = Chat(guarded, telegram_api, ATTACKER)
    await reader.say("/subscribe kaltim")
    first = await reader.say("/latest")
    assert "baru saja" not in first
    again = await reader.say("/latest")
    assert f"/latest baru saja dijalankan. Silakan coba lagi dalam {COOLDOWNS['latest']}" in again
    clock.advance(seconds=COOLDOWNS["latest"])
    assert "baru saja" not in await reader.say("/latest")


async def test_an_edited_command_is_not_run_again(app, telegram_api):
    admin = Chat(app, telegram_api, ADMIN_ID)
    before = len(telegram_api.sent_messages(ADMIN_ID))
    edited = message_update(ADMIN_ID, "/addfeed https://example.com/rss", user_id=ADMIN_ID)
    edited = {"edited_message": {**edited["message"], "edit_date": 1_790_000_000}}
    await app.process_update(to_update(edited, app.bot))
    assert len(telegram_api.sent_messages(ADMIN_ID)) == before
    assert feed_store.list_feeds(services_of(app).core.db) == []
    assert "/digest – kirim ringkasan" in await admin.say("/help")  # the chat itself still works


async def test_in_a_group_only_commands_meant_for_warta_are_answered(app, telegram_api):
    group = Chat(app, telegram_api, -100_777, user_id=OTHER)
    ours = app.bot.username
    assert await group.say("/ban@OtherBot spammer") == ""
    assert await group.say("/warn") == ""  # a bare command Warta does not know: another bot's
    assert "/help" in await group.say(f"/warn@{ours}")
    assert "/digest – kirim ringkasan" in await group.say(f"/help@{ours}")
    assert "/help" in await Chat(app, telegram_api, OTHER).say("/warn")  # private: ours


async def test_a_very_long_timezone_gets_the_usage_line(app, telegram_api):
    assert not is_valid_timezone("Asia/" + "x" * 300)  # was an uncaught OSError
    answer = await Chat(app, telegram_api, OTHER).say("/timezone " + "Asia/" + "x" * 300)
    assert "<code>/timezone WITA</code>" in answer


def seed_items(app, count: int) -> None:
    """`count` stored items of the last days, half of them about Kaltim schools."""
    services = services_of(app)
    db, now = services.core.db, services.core.now()
    feed = feed_store.add_feed(db, "https://kabar.example/rss", now, title="Kabar")
    items = [
        Item(
            f"k{n}",
            f"Sekolah di Samarinda ke-{n} dapat bantuan" if n % 2 else f"Berita {n}",
            f"https://kabar.example/{n}",
            "Pemerintah Provinsi Kalimantan Timur menyalurkan bantuan pendidikan. " * 8,
            now - timedelta(minutes=n % 5_000),
        )
        for n in range(count)
    ]
    item_store.insert_new(db, feed.id, items, now)


@pytest.mark.parametrize("command", ["/retag 7", "/topic education include sekolah"])
async def test_heavy_admin_commands_do_not_hold_up_readers(guarded, telegram_api, command):
    seed_items(guarded, 2_000)
    quiet = await quiet_baseline(guarded, telegram_api)
    before = len(telegram_api.sent_messages(ADMIN_ID))
    enqueue(guarded, ADMIN_ID, command)
    during = await answer_time(guarded, telegram_api, OTHER)
    # The admin's command was still running when the reader was answered.
    assert len(telegram_api.sent_messages(ADMIN_ID)) == before
    await telegram_api.wait_for(
        lambda c: len(telegram_api.sent_messages(ADMIN_ID)) > before, timeout=60
    )
    assert during < quiet + 1.0, f"/help took {during:.2f} s beside {command}"
