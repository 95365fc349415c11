"""Callback data is whatever a client sends (up to 64 bytes), not only what the bot's buttons
hold: every button pattern is tapped with forged data through the real bot, and each gets a
clear answer or a redrawn keyboard, never the error handler's apology (issue 27: a huge page
number in search data raised an unhandled OverflowError)."""

import pytest

from tests.support.chats import READER_ID, services_of
from tests.support.feedgen import flood_entries, rss

pytestmark = pytest.mark.timeout(30)
APOLOGY = "gangguan"  # the error handler's "Maaf, terjadi gangguan …"


def answers(telegram_api) -> list[dict]:
    return [c.params for c in telegram_api.calls("answerCallbackQuery")]


@pytest.fixture
async def searched(app, admin, reader, feed_host, clock, telegram_api) -> int:
    """A reader's /cari with two pages; the id of the message with its buttons."""
    entries = flood_entries(7, start=clock.now)
    feed_host.add("/banjir.xml", rss(entries))
    await admin.say(f"/addfeed {feed_host.url('/banjir.xml')}")
    assert "7 berita" in await reader.say("/cari banjir")
    return telegram_api.sent_messages(READER_ID)[-1]["message_id"]


@pytest.mark.parametrize(
    "data",
    [
        "cari:1:" + "9" * 30,  # past SQLite's 64-bit integers once multiplied by the page size
        "cari:" + "9" * 40 + ":1",
        "cari:1:99999",
        "cari:1:-1",
        "cari:1:٣",  # a digit int() reads, but not one of ours
        "cari:1",
        "cari:1:2:3",
        "cari:",
        "cari:x:y",
    ],
)
async def test_a_forged_search_page_is_answered_clearly(searched, reader, telegram_api, data):
    before = telegram_api.message(READER_ID, searched)["text"]
    await reader.tap(searched, data)
    assert answers(telegram_api)[-1].get("text", "").startswith("Pencarian ini sudah kedaluwarsa")
    assert telegram_api.message(READER_ID, searched)["text"] == before  # the page stays
    assert not any(APOLOGY in text for text in telegram_api.sent_texts(READER_ID))


async def test_the_real_next_page_still_turns(searched, reader, telegram_api):
    await reader.tap(searched, "cari:1:1")
    assert "halaman 2 dari 2" in telegram_api.message(READER_ID, searched)["text"]


@pytest.mark.parametrize("data", ["cap:²", "cap:" + "9" * 60, "cap:-3", "cap:", "cap:semua!"])
async def test_a_forged_cap_button_redraws_the_choices(app, reader, telegram_api, data):
    await reader.say("/setelan")
    shown = telegram_api.sent_messages(READER_ID)[-1]["message_id"]
    await reader.tap(shown, data)
    assert answers(telegram_api), data
    markup = telegram_api.message(READER_ID, shown)["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in markup[0]] == ["3", "✅ 5", "10", "semua"]
    assert not any(APOLOGY in text for text in telegram_api.sent_texts(READER_ID))


@pytest.mark.parametrize("typed", ["/setelan ²", "/setelan " + "9" * 50])
async def test_a_cap_typed_with_odd_digits_shows_the_choices(app, reader, telegram_api, typed):
    answer = await reader.say(typed)
    assert APOLOGY not in answer
    assert telegram_api.sent_messages(READER_ID)[-1].get("reply_markup")


@pytest.mark.parametrize(
    "data", ["topic:" + "x" * 58, "topic:", "topic:kaltim'--", "stop:" + "9" * 59, "stop:"]
)
async def test_forged_topic_and_stop_buttons_change_nothing(app, reader, telegram_api, data):
    await reader.say("/subscribe kaltim")
    await reader.say("/topics")
    shown = telegram_api.sent_messages(READER_ID)[-1]["message_id"]
    await reader.tap(shown, data)
    assert answers(telegram_api)
    assert services_of(app).subscribers.lookup(READER_ID).topics == ("kaltim",)
    assert not any(APOLOGY in text for text in telegram_api.sent_texts(READER_ID))
