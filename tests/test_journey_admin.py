"""An admin's journey: feeds in and out, topics defined and edited, and others refused."""

from datetime import timedelta

import pytest

from storage import feeds as feed_store
from tests.support.chats import ADMIN_ID, READER_ID, services_of
from tests.support.feedgen import Entry, rss

pytestmark = pytest.mark.timeout(30)


def feed_count(app) -> int:
    return feed_store.count_feeds(services_of(app).core.db)


async def test_addfeed_reports_title_and_items(app, admin, feed_host, clock):
    entries = [
        Entry(
            f"Kabar {n} dari Balikpapan",
            f"https://kabar.example/{n}",
            "Kota Balikpapan.",
            published=clock.now - timedelta(hours=n),
        )
        for n in range(1, 4)
    ]
    feed_host.add("/bpp.xml", rss(entries, title="Kabar Balikpapan"))
    answer = await admin.say(f"/addfeed {feed_host.url('/bpp.xml')}")
    assert "Kabar Balikpapan" in answer and "3 berita" in answer
    listing = await admin.say("/feeds")
    assert "Kabar Balikpapan" in listing and feed_host.url("/bpp.xml") in listing
    assert "Berita: 3" in listing


async def test_addfeed_duplicate_is_reported_not_added(app, admin, feed_host):
    url = feed_host.add("/x.xml", rss([Entry("Satu", "https://kabar.example/1")]))
    await admin.say(f"/addfeed {url}")
    # The same feed written differently: scheme case, a trailing slash, a tracking parameter.
    variant = "HTTP://" + url.removeprefix("http://") + "/?utm_source=whatsapp"
    answer = await admin.say(f"/addfeed {variant}")
    assert "sudah terdaftar" in answer
    assert feed_count(app) == 1


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (lambda host: host.url("/tidak-ada.xml"), "HTTP 404"),
        (lambda host: host.add("/kosong.xml", b""), "bukan feed"),
        (lambda host: host.add("/rusak.xml", b"", status=500), "HTTP 500"),
    ],
    ids=["404", "empty", "server-error"],
)
async def test_addfeed_failure_says_why_and_stores_nothing(app, admin, feed_host, arrange, reason):
    url = arrange(feed_host)
    answer = await admin.say(f"/addfeed {url}")
    assert "gagal ditambahkan" in answer and reason in answer
    assert feed_count(app) == 0


async def test_addfeed_timeout_is_reported(app, admin, feed_host):
    url = feed_host.drip(
        "/lambat.xml", rss([Entry("Satu", "https://kabar.example/1")]), interval=5
    )
    # A server dripping a byte every 5 s would hold the real 30 s deadline; shorten it here.
    services_of(app).ingest.fetch_deadline = 1.0
    answer = await admin.say(f"/addfeed {url}")
    assert "tidak menjawab" in answer
    assert feed_count(app) == 0


async def test_private_addresses_refused_unless_allowed(
    make_settings, build_bot, clock, telegram_api, feed_host
):
    from bot.app import shutdown
    from tests.support.chats import Chat

    url = feed_host.add("/lokal.xml", rss([Entry("Satu", "https://kabar.example/1")]))
    app = await build_bot(make_settings(allow_private_feed_urls="false"), clock=clock)
    async with app:
        admin = Chat(app, telegram_api, ADMIN_ID)
        for target in (url, "http://localhost:9/feed", "http://10.1.2.3/rss", "ftp://x.example/"):
            answer = await admin.say(f"/addfeed {target}")
            assert "gagal ditambahkan" in answer and "ditolak" in answer, target
        assert feed_store.count_feeds(services_of(app).core.db) == 0
    await shutdown(app)


async def test_removefeed_removes_feed_and_items(app, admin, feed_host):
    url = feed_host.add("/x.xml", rss([Entry("Samarinda", "https://kabar.example/1")]))
    await admin.say(f"/addfeed {url}")
    answer = await admin.say("/removefeed 1")
    assert "dihapus" in answer
    assert feed_count(app) == 0
    assert services_of(app).core.db.table("items").count == 0
    assert "Tidak ada feed" in await admin.say("/removefeed 1")
    assert "/removefeed 3" in await admin.say("/removefeed satu")


async def test_topic_edits_change_tagging_of_new_items(app, admin, reader, feed_host, clock):
    answer = await admin.say("/addtopic kesehatan Kesehatan")
    assert "Kesehatan" in answer
    answer = await admin.say("/topic kesehatan include rumah sakit, puskesmas, dbd")
    assert "puskesmas" in answer and "diperbarui" in answer
    answer = await admin.say("/topic kesehatan exclude hewan")
    assert "exclude: hewan" in answer

    feed_host.add(
        "/sehat.xml",
        rss(
            [
                Entry(
                    "Kasus DBD Naik, Puskesmas Sempaja Siaga",
                    "https://kabar.example/dbd",
                    published=clock.now - timedelta(hours=1),
                ),
                Entry(
                    "Rumah Sakit Hewan Dibuka",
                    "https://kabar.example/hewan",
                    published=clock.now - timedelta(hours=1),
                ),
            ]
        ),
    )
    await admin.say(f"/addfeed {feed_host.url('/sehat.xml')}")
    await reader.say("/subscribe kesehatan")
    digest = await reader.say("/digest")
    assert "Kasus DBD Naik" in digest and "Rumah Sakit Hewan" not in digest

    shown = await admin.say("/topic kesehatan")
    assert "rumah sakit, puskesmas, dbd" in shown
    answer = await admin.say("/topic kesehatan remove dbd, tidakada")
    assert "tidakada" in answer and "include: rumah sakit, puskesmas" in answer


async def test_topic_bad_input_gets_usage(admin):
    assert "Format" in await admin.say("/topic")
    assert "Format" in await admin.say("/topic kaltim include")
    assert "Format" in await admin.say("/topic kaltim tambah samarinda")
    assert "tidak ditemukan" in await admin.say("/topic olahraga")
    assert "tidak dapat dipakai" in await admin.say("/addtopic Bad-Slug! Nama")
    assert "sudah ada" in await admin.say("/addtopic kaltim Kaltim Lagi")


async def test_deltopic_removes_topic_and_subscriptions(app, admin, reader):
    await reader.say("/subscribe investasi kaltim")
    assert "dihapus" in await admin.say("/deltopic investment")
    assert services_of(app).subscribers.get(READER_ID).topics == ("kaltim",)
    assert "tidak ditemukan" in await admin.say("/deltopic investment")


async def test_testtopic_explains_each_topic(admin):
    answer = await admin.say(
        "/testtopic Pemprov Kaltim teken kerja sama beasiswa dengan Provinsi Anhui, Tiongkok"
    )
    assert "✅ Kaltim" in answer
    assert "✅ Kerja Sama Luar Negeri" in answer
    assert "✅ Pendidikan" in answer
    assert "▫️ Investasi" in answer


async def test_non_admin_is_refused_and_nothing_changes(app, reader, feed_host):
    url = feed_host.add("/x.xml", rss([Entry("Satu", "https://kabar.example/1")]))
    for command in (
        f"/addfeed {url}",
        "/removefeed 1",
        "/feeds",
        "/addtopic a Aa",
        "/deltopic kaltim",
        "/topic kaltim include pasar",
        "/testtopic x",
        "/pollnow",
        "/stats",
    ):
        answer = await reader.say(command)
        assert "hanya untuk admin" in answer, command
    assert feed_count(app) == 0
    assert [t.slug for t in services_of(app).core.topics()] == [
        "kaltim",
        "foreign_cooperation",
        "education",
        "investment",
    ]
    assert "pasar" not in services_of(app).topics.topic("kaltim").rule.include


async def test_pollnow_and_stats(app, admin, feed_host, clock):
    good = feed_host.add(
        "/baik.xml",
        rss([Entry("Samarinda Cerah", "https://kabar.example/1", published=clock.now)]),
    )
    await admin.say(f"/addfeed {good}")
    feed_host.add(
        "/baik.xml",
        rss(
            [
                Entry("Samarinda Cerah", "https://kabar.example/1", published=clock.now),
                Entry("Balikpapan Hujan", "https://kabar.example/2", published=clock.now),
            ]
        ),
    )
    answer = await admin.say_until("/pollnow", "feed diambil")
    assert "1 feed diambil, 1 berita baru, 0 gagal" in answer
    feed_host.remove("/baik.xml")
    answer = await admin.say_until("/pollnow", "feed diambil")
    assert "1 gagal" in answer and "HTTP 404" in answer
    listing = await admin.say("/feeds")
    assert "HTTP 404" in listing and "Berita: 2" in listing  # a failed poll loses nothing

    stats = await admin.say("/stats")
    assert "Feed: 1" in stats and "Berita tersimpan: 2" in stats and "Kaltim: 2" in stats


async def test_addfeed_bad_arguments_get_usage(app, admin):
    assert "Sertakan alamat feed" in await admin.say("/addfeed")
    assert "Sertakan alamat feed" in await admin.say("/addfeed satu dua")
    assert feed_count(app) == 0


async def test_help_shows_admin_commands_to_admins(admin):
    answer = await admin.say("/help")
    assert "/addfeed" in answer and "/testtopic" in answer and "/stats" in answer


async def test_unexpected_error_gets_an_apology_not_a_traceback(app, reader, telegram_api, caplog):
    await reader.send("/topics")
    shown = telegram_api.sent_messages(READER_ID)[-1]
    button = shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    telegram_api.fail_next(
        "editMessageReplyMarkup", status=400, description="Bad Request: something unexpected"
    )
    before = len(telegram_api.sent_messages(READER_ID))
    await reader.tap(shown["message_id"], button)
    [apology] = telegram_api.sent_texts(READER_ID)[before:]
    assert "terjadi gangguan" in apology
    assert "Traceback" not in apology and "Bad Request" not in apology
    assert "Something unexpected" in caplog.text  # the details go to the log
