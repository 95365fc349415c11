"""What an admin reads in /topic, as the phone shows it (the HTML parsed as Telegram does): a
frame's note and a headline in a rule's preview are written once, never as escape codes, and a
feed's "<" or "&" never breaks the reply."""

from datetime import timedelta

import pytest

from tests.support.feedgen import Entry, rss
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
