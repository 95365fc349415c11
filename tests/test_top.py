"""/top and /stats: the stories the most outlets reported in the last 24 hours."""

from datetime import timedelta

import pytest

from tests.support.feedgen import Entry, rss

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def three_outlets(app, admin, feed_host, clock):
    """A flood in Sempaja told by three outlets, a fire by two, and stories only one told."""
    now = clock.now

    def entry(slug, title, summary, minutes):
        return Entry(title, f"https://{slug}", summary, published=now - timedelta(minutes=minutes))

    feeds = {
        "Kabar Kaltim": [
            entry(
                "kabar.example/banjir",
                "Banjir Rendam 12 RT di Sempaja Samarinda",
                "Banjir setinggi 80 sentimeter merendam 12 RT di Sempaja sejak Selasa malam.",
                30,
            ),
            entry(
                "kabar.example/pasar",
                "Harga Cabai di Pasar Segiri Turun",
                "Pedagang Pasar Segiri menyebut pasokan dari Sulawesi melimpah.",
                50,
            ),
            entry(
                "kabar.example/kebakaran",
                "Kebakaran Hanguskan 7 Rumah di Jalan Gerilya",
                "Api melalap 7 rumah di Jalan Gerilya, Sungai Pinang, Rabu dini hari.",
                70,
            ),
        ],
        "Antara Kaltim": [
            entry(
                "antara.example/banjir",
                "Banjir 80 Sentimeter Rendam Sempaja, 12 RT Terdampak",
                "BPBD Samarinda mencatat 12 RT di Sempaja terendam banjir 80 sentimeter.",
                20,
            ),
            entry(
                "antara.example/kebakaran",
                "7 Rumah di Jalan Gerilya Samarinda Terbakar",
                "Kebakaran di Jalan Gerilya Sungai Pinang menghanguskan 7 rumah warga.",
                60,
            ),
        ],
        "Tribun Kaltim": [
            entry(
                "tribun.example/banjir",
                "Sempaja Terendam Banjir, 12 RT Terdampak",
                "Sebanyak 12 RT di Sempaja Samarinda terendam banjir 80 sentimeter.",
                10,
            ),
            entry(
                "tribun.example/bola",
                "Borneo FC Tundukkan Persib 2-1",
                "Borneo FC menang 2-1 di Stadion Segiri.",
                40,
            ),
        ],
    }
    for number, (title, entries) in enumerate(feeds.items()):
        feed_host.add(f"/feed{number}.xml", rss(entries, title=title))
        await admin.say(f"/addfeed {feed_host.url(f'/feed{number}.xml')}")


async def test_top_lists_the_most_reported_stories_first(three_outlets, reader):
    answer = await reader.say("/top")
    assert "Paling banyak diberitakan" in answer
    flood, fire = answer.index("3 media"), answer.index("2 media")
    assert flood < answer.index("Sempaja") < fire < answer.index("Gerilya")
    assert "Cabai" not in answer and "Borneo FC" not in answer  # one outlet each
    assert answer.count("Juga diberitakan") == 2


async def test_stats_shows_the_most_reported_too(three_outlets, admin):
    stats = await admin.say("/stats")
    assert "Paling banyak diberitakan" in stats and "3 media" in stats


async def test_top_says_so_when_no_story_was_told_twice(app, reader, admin, feed_host, clock):
    feed_host.add(
        "/satu.xml",
        rss(
            [
                Entry(
                    "Harga Cabai di Pasar Segiri Turun",
                    "https://kabar.example/pasar",
                    "Pasokan melimpah.",
                    published=clock.now,
                )
            ]
        ),
    )
    await admin.say(f"/addfeed {feed_host.url('/satu.xml')}")
    assert "Belum ada berita yang diberitakan lebih dari satu media" in await reader.say("/top")
    await reader.say("/language en")
    assert "No story was reported by more than one outlet" in await reader.say("/top")


async def test_news_older_than_a_day_is_not_top(three_outlets, reader, clock):
    clock.advance(hours=25)
    assert "Belum ada berita" in await reader.say("/top")
