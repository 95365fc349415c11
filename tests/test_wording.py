"""What readers and admins read, as the phone shows it (the HTML parsed as Telegram does): a
frame's note and a headline in a rule's preview are written once, never as escape codes, and a
feed's "<" or "&" never breaks the reply; English counts as English does; English examples use
the Indonesian words the news is matched in."""

import asyncio
from datetime import timedelta

import pytest

from bot.app import shutdown
from storage import feeds as feed_store
from tests.support.chats import ADMIN_ID, READER_ID, services_of
from tests.support.feedgen import Entry, kaltim_entries, rss
from tests.support.telegram_html import parse_html

pytestmark = pytest.mark.timeout(30)


def seen(answer: str) -> str:
    """The text as the admin's phone shows it."""
    return parse_html(answer)[0]


async def test_a_frames_note_reads_with_its_quotes(admin):
    shown = seen(await admin.say("/topic education"))
    assert '"pelajar SMA tewas usai motornya tabrak truk"' in shown
    assert "&quot;" not in shown and "&amp;" not in shown


async def test_a_rule_preview_shows_headlines_with_their_signs(app, admin, feed_host, clock):
    feed_host.add(
        "/f.xml",
        rss(
            [
                Entry(
                    "Harga Cabai <Rp40 Ribu & Bawang Turun di Pasar Segiri",
                    "https://kabar.example/1",
                    "Pedagang pasar senang.",
                    published=clock.now - timedelta(days=1),
                )
            ]
        ),
    )
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    await admin.say("/addtopic pasar Pasar")
    shown = seen(await admin.say("/topic pasar include pedagang, cabai"))
    assert "+ Harga Cabai <Rp40 Ribu & Bawang Turun di Pasar Segiri" in shown
    assert "pedagang: pedagang ×1" in shown


async def test_the_outage_over_message_counts_in_english(
    make_settings, build_bot, telegram_api, feed_host, clock
):
    """An English-speaking newsroom after a one-minute outage with one digest held back reads
    "1 minute" and "1 message", never "1 minutes" or "the 1 waiting messages"."""
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    settings = make_settings(
        telegram_probe_seconds="0.05", outage_alert_minutes="1", default_language="en"
    )
    app = await build_bot(settings, clock=clock)
    async with app:
        services = services_of(app)
        feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
        await services.ingest.poll_all()
        services.subscribers.subscribe(READER_ID, ["kaltim"])
        telegram_api.go_down(502)
        clock.advance(hours=13, minutes=5)
        run = asyncio.create_task(services.digests.send_due())
        await telegram_api.wait_for(lambda c: c.method == "getMe" and c.status == 502, count=2)
        clock.advance(minutes=1)
        telegram_api.come_back()
        await run
        [alert] = await telegram_api.wait_for(
            lambda c: c.method == "sendMessage" and c.params.get("chat_id") == ADMIN_ID
        )
    await shutdown(app)
    assert seen(alert.params["text"]) == (
        "⚠️ Telegram could not be reached for about 1 minute. Digests and alerts were held "
        "meanwhile. Sending has resumed; waiting to go out now: 1 message."
    )


async def test_english_examples_use_the_words_the_news_is_written_in(admin, reader):
    await admin.say("/language en")
    shown = seen(await admin.say("/help"))
    # Terms are matched in Indonesian news: "hospital" would never match.
    assert "/topic health include rumah sakit, puskesmas" in shown
    assert "hospital" not in shown
    await reader.say("/language en")
    shown = seen(await reader.say('/pantau "banjir @negara_asing"'))
    assert "“/pantau @negara_asing banjir”" in shown and "@negara_asing flood" not in shown


async def test_an_unknown_zone_in_english_offers_wib_wita_wit(reader):
    await reader.say("/language en")
    shown = seen(await reader.say("/timezone Samarinda"))
    assert shown == (
        "Warta doesn't know the timezone Samarinda. Type /timezone WITA, /timezone WIB or "
        "/timezone WIT, or a name such as Europe/London."
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "id",
            "Kata pantauan «a b c d e f g h i j k l» tidak bisa dipakai. Satu pantauan paling "
            "banyak berisi 5 kata.",
        ),
        (
            "en",
            "The watch words “a b c d e f g h i j k l” cannot be used. One watch can have at "
            "most 5 words.",
        ),
    ],
)
async def test_a_refused_watch_reads_as_two_sentences(reader, lang, expected):
    await reader.say(f"/language {lang}")
    assert seen(await reader.say("/pantau a b c d e f g h i j k l")) == expected
    # The other refusal, a list inside a phrase, begins its own sentence too.
    shown = seen(await reader.say('/pantau "banjir @negara_asing"'))
    assert "dipakai. Daftar @negara_asing" in shown or "used. The list @negara_asing" in shown
