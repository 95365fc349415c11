"""/stats for an operator: uptime, database size and the oldest item kept, and a chart (PNG)
of items per topic per day and digest messages per day whose data match the text."""

import json
import struct
import zlib
from datetime import timedelta

import pytest

from bot.digest.chart import PNG_KEY
from bot.text.texts import format_decimal
from storage import deliveries
from tests.support.chats import ADMIN_ID, READER_ID, services_of
from tests.support.feedgen import Entry, rss

pytestmark = pytest.mark.timeout(60)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunks(data: bytes) -> dict[bytes, list[bytes]]:
    """The chunks of a PNG by type, having checked the signature and every CRC."""
    assert data.startswith(PNG_SIGNATURE)
    chunks: dict[bytes, list[bytes]] = {}
    at = len(PNG_SIGNATURE)
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.setdefault(kind, []).append(body)
        at += 12 + length
    assert b"IEND" in chunks
    return chunks


def samarinda(n: int, published) -> Entry:
    return Entry(
        f"Banjir surut di Samarinda Ulu, warga kembali ke rumah ({n})",
        f"https://kabar.example/banjir/{n}",
        summary="Warga Kota Samarinda, Kalimantan Timur, mulai membersihkan rumah.",
        published=published,
    )


async def test_stats_shows_upkeep_figures_and_a_chart_matching_the_text(
    app, admin, reader, telegram_api, feed_host, clock
):
    now = clock.now
    entries = [
        samarinda(1, now - timedelta(days=20)),
        samarinda(2, now - timedelta(days=20)),
        samarinda(3, now - timedelta(days=2)),
        samarinda(4, now - timedelta(hours=1)),
    ]
    await admin.say(f"/addfeed {feed_host.add('/kabar.xml', rss(entries))}")
    # The reader gets today's digest through the bot; two earlier messages are arranged.
    await reader.say("/start")
    await reader.say("/subscribe kaltim")
    await reader.say("/digest")
    db = services_of(app).core.db
    ids = [row["id"] for row in db.query("SELECT id FROM items ORDER BY published_at")]
    deliveries.mark_sent(db, READER_ID, ids[:1], now - timedelta(days=19))
    deliveries.mark_sent(db, READER_ID, ids[1:2], now - timedelta(days=19, hours=-2))
    clock.advance(days=2, hours=3, minutes=10)

    text = await admin.say("/stats")

    assert "Aktif selama 2 hari 3 jam" in text
    list(db.query("PRAGMA wal_checkpoint(TRUNCATE)"))
    size = services_of(app).settings.database_path.stat().st_size
    assert f"Basis data: {format_decimal('id', size / 2**20)} MB" in text
    assert (
        "Berita tertua yang disimpan: 5 Nov 2026" in text and "(berita disimpan 90 hari)" in text
    )
    await telegram_api.wait_for("sendPhoto")  # the chart follows the figures
    photos = telegram_api.sent_photos(ADMIN_ID)
    assert len(photos) == 1
    png = photos[0]["photo"].content
    assert 10_000 < len(png) < 1_000_000
    chunks = png_chunks(png)
    width, height = struct.unpack(">II", chunks[b"IHDR"][0][:8])
    assert (width, height) == (1000, 750)
    data = json.loads(
        next(
            body.split(b"\x00", 1)[1]
            for body in chunks[b"tEXt"]
            if body.startswith(PNG_KEY.encode())
        )
    )
    # 30 local days ending today (27 Nov WITA); the items on the days they were published.
    assert len(data["days"]) == 30 and data["days"][-1] == "2026-11-27"
    kaltim = data["topics"]["Kaltim"]
    assert sum(kaltim) == 4
    assert kaltim[data["days"].index("2026-11-05")] == 2
    assert kaltim[data["days"].index("2026-11-23")] == 1
    assert kaltim[data["days"].index("2026-11-25")] == 1
    # One digest message today, two 19 days before; the text says the same totals.
    assert sum(data["messages"]) == 3
    assert data["messages"][data["days"].index("2026-11-25")] == 1
    caption = photos[0]["caption"]
    assert "Kaltim 4" in caption and "Pesan ringkasan terkirim: 3" in caption
    assert "30 hari terakhir" in caption and "WITA" in caption


async def test_stats_in_english_labels_the_chart_in_english(app, admin, telegram_api):
    await admin.say("/language en")
    text = await admin.say("/stats")
    assert "Up for 0 min" in text and "Oldest item kept: -" in text
    await telegram_api.wait_for("sendPhoto")
    caption = telegram_api.sent_photos(ADMIN_ID)[0]["caption"]
    assert (
        caption.startswith("Chart of the last 30 days")
        and "Digest messages delivered: 0" in caption
    )
