"""Outlets are shown by name, never by their feed's URL (issue 27): a feed added as
https://user:password@host/rss with an empty title showed its password in /cari, digests and
alerts, and `media:` ran a LIKE over the URL, so the password could be recovered a character
at a time. Through the real bot: the reader's /cari, /digest and alerts, the admin's
/feedname; and the one function that decides the name, on its own."""

import pytest

from storage import feeds as feed_store
from storage.outlets import outlet_name
from tests.support.chats import READER_ID, Chat, services_of
from tests.support.feedgen import Entry, rss

SECRET = "s3cretPw"


@pytest.mark.parametrize(
    ("outlet", "title", "url", "shown"),
    [
        (
            "Tribun Kaltim",
            "Tribunkaltim.co: Terkini",
            "https://kaltim.tribunnews.com/rss",
            "Tribun Kaltim",
        ),
        (None, "Kabar Kaltim", "https://kabar.example/rss", "Kabar Kaltim"),
        (
            "",
            "  ",
            f"https://user:{SECRET}@Www.Kabar.Example:8443/rss?key={SECRET}",
            "kabar.example",
        ),
        (None, "", f"http://{SECRET}@[::1]:80/rss", "[::1]"),
        (None, "", f"https://user:{SECRET}@/rss", "?"),
    ],
)
def test_outlet_name_is_never_the_url(outlet, title, url, shown):
    assert outlet_name(outlet, title, url) == shown


@pytest.fixture
async def secret_feed(app, feed_host, clock):
    """A feed behind credentials, with no title: a flood (watched) and a park (for the
    digest)."""
    services = services_of(app)
    services.outbox.chat_gap = 0.0
    feed_host.add(
        "/rahasia.xml",
        rss(
            [
                Entry(
                    "Banjir Rendam Sempaja",
                    "https://kabar.example/banjir",
                    "Air setinggi satu meter merendam rumah warga Samarinda.",
                    published=clock.now,
                ),
                Entry(
                    "Pemkot Samarinda Resmikan Taman di Tepi Mahakam",
                    "https://kabar.example/taman",
                    "Taman baru di Samarinda dibuka untuk umum.",
                    published=clock.now,
                ),
            ],
            title="",
        ),
    )
    url = feed_host.url("/rahasia.xml").replace("http://", f"http://warta:{SECRET}@")
    feed = feed_store.add_feed(services.core.db, url, clock.now)
    services.subscribers.subscribe(READER_ID, ["kaltim"])
    services.alerts.watch(READER_ID, "banjir")
    await services.ingest.poll_all(force=True)
    return services, feed


async def test_a_feeds_password_never_reaches_a_reader(secret_feed, reader, admin, telegram_api):
    services, feed = secret_feed
    assert SECRET in feed.url and feed_store.get_feed(services.core.db, feed.id).title == ""
    await services.alerts.run()
    await services.outbox.drain()
    found = await reader.say("/cari banjir")
    assert "Banjir Rendam Sempaja" in found and "127.0.0.1" in found
    await reader.say("/digest")
    await reader.say("/latest")
    texts = telegram_api.sent_texts(READER_ID)
    assert any(text.startswith("🔔") and "127.0.0.1" in text for text in texts)
    assert any("Ringkasan Warta" in text and "127.0.0.1" in text for text in texts)
    for text in texts:
        assert SECRET not in text and "warta:" not in text, text

    # media: matches the name readers see, so it cannot test the URL's characters.
    assert "Banjir Rendam" in await reader.say("/cari banjir media:127.0.0")
    for guess in (SECRET, "s3c", "warta:", "rahasia.xml"):
        assert "Banjir Rendam" not in await reader.say(f"/cari banjir media:{guess}")


async def test_feedname_is_what_cari_and_alerts_show(
    secret_feed, reader, admin, telegram_api, feed_host, clock
):
    services, feed = secret_feed
    assert "Kabar Rahasia" in await admin.say(f"/feedname {feed.id} Kabar Rahasia")
    await services.alerts.run()
    await services.outbox.drain()
    [alert] = [text for text in telegram_api.sent_texts(READER_ID) if text.startswith("🔔")]
    assert "Kabar Rahasia" in alert and "127.0.0.1" not in alert
    found = await reader.say("/cari banjir media:rahasia")
    assert "Banjir Rendam Sempaja" in found and "Kabar Rahasia" in found
    assert "127.0.0.1" not in found
    english = Chat(reader.app, telegram_api, 7777)
    await english.say("/language en")
    assert "Kabar Rahasia" in await english.say("/cari banjir outlet:Kabar")
