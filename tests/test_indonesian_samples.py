"""Real Tempo feed snapshots through the real ingestion path: loopback HTTP, feedparser, cleaning,
tagging and a SQLite file (samples in ../shared/corpus/indonesian, see its SOURCE.md)."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import feeds as feed_store
from storage.db import from_iso

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TEMPO = SHARED / "corpus" / "indonesian" / "tempo-rss"

pytestmark = [
    pytest.mark.timeout(30),
    pytest.mark.skipif(
        not TEMPO.is_dir(),
        reason=f"{TEMPO} is absent (the shared corpus sits beside the project, in ../shared)",
    ),
]

SAMPLES = sorted(TEMPO.glob("*/*.xml")) if TEMPO.is_dir() else []
# A tag (<p>, </b>, <br/>) or an entity (&amp; &#8220; &nbsp;) left over after cleaning.
LEFTOVER_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


async def poll(services, feed_host, path: str, sample: str):
    """Serve a sample at `path` (replacing what was there), add the feed once, poll it."""
    url = feed_host.add_file(path, TEMPO / sample)
    db = services.core.db
    feed = feed_store.get_feed_by_url(db, url) or feed_store.add_feed(db, url, services.core.now())
    return await services.ingest.poll_feed(feed_store.get_feed(db, feed.id))


def stored(services) -> dict[str, dict]:
    """Stored items by link."""
    rows = services.core.db.query("SELECT * FROM items ORDER BY id")
    return {row["link"]: row for row in rows}


async def test_titles_links_and_utc_times(services, feed_host):
    result = await poll(services, feed_host, "/ekonomi.xml", "55e06cb4/free-ekonomi.xml")
    assert (result.error, result.found, result.new) == (None, 9, 9)
    items = stored(services)
    first = items["https://www.tempo.co/ekonomi/transportasi-publik-angkutan-umum-bumn-2253201"]
    assert first["title"] == "Cara Korporasi Mendorong Pemakaian Angkutan Umum"
    # <pubDate>Sat, 06 Jun 2026 14:00:00 +0700</pubDate>
    assert from_iso(first["published_at"]) == datetime(2026, 6, 6, 7, 0, tzinfo=UTC)
    rupiah = items[
        "https://www.tempo.co/ekonomi/strategi-bi-dan-kemenkeu-untuk-stabilkan-rupiah-2253235"
    ]
    assert rupiah["title"] == "Strategi BI dan Kemenkeu untuk Stabilkan Rupiah"
    assert from_iso(rupiah["published_at"]) == datetime(2026, 6, 6, 5, 34, 15, tzinfo=UTC)
    assert rupiah["summary"].startswith("Bank Indonesia dan Kementerian Keuangan menyiapkan")


async def test_old_format_with_url_guids(services, feed_host):
    result = await poll(services, feed_host, "/lama.xml", "62b120e4/free-ekonomi.xml")
    assert (result.error, result.new) == (None, 20)
    link = (
        "https://satu.tempo.co/ekonomi/"
        "harta-ma-mun-pejabat-polri-yang-jadi-anak-buah-bahlil-di-esdm-1815301"
    )
    item = stored(services)[link]
    assert item["title"] == "Harta Ma'mun, Pejabat Polri yang jadi Anak Buah Bahlil di ESDM"
    assert item["item_key"] == f"link:{link}"
    # <pubDate>Thu, 26 Jun 2025 10:41:03 +0700</pubDate>
    assert from_iso(item["published_at"]) == datetime(2025, 6, 26, 3, 41, 3, tzinfo=UTC)


@pytest.mark.parametrize("sample", SAMPLES, ids=[f"{p.parent.name}-{p.stem}" for p in SAMPLES])
async def test_every_sample_is_stored_clean(services, feed_host, sample):
    expected = sample.read_bytes().count(b"<item>")
    result = await poll(services, feed_host, "/sample.xml", str(sample.relative_to(TEMPO)))
    if expected == 0:
        assert result.error and result.new == 0
        return
    assert (result.error, result.new, result.skipped) == (None, expected, 0)
    for row in stored(services).values():
        assert row["link"].startswith(("https://www.tempo.co/", "https://satu.tempo.co/"))
        assert row["title"].strip() and row["summary"].strip()
        assert not LEFTOVER_MARKUP.search(row["title"] + "\n" + row["summary"]), row["link"]


async def test_empty_document_is_a_failure_that_keeps_the_stored_items(services, feed_host):
    await poll(services, feed_host, "/ekonomi.xml", "55e06cb4/free-ekonomi.xml")
    result = await poll(services, feed_host, "/ekonomi.xml", "023b80f2/free-ekonomi.xml")
    assert result.error and "empty" in result.error
    [feed] = feed_store.list_feeds(services.core.db)
    assert feed.last_error == result.error and feed.error_count == 1
    assert feed.item_count == 9 and len(stored(services)) == 9


async def test_reused_guids_do_not_hide_the_next_days_stories(services, feed_host):
    # Regression: tempo-rss 8f5bbd41 numbers 9 new stories 1..9, as 55e06cb4 did the day before.
    day1 = await poll(services, feed_host, "/ekonomi.xml", "55e06cb4/free-ekonomi.xml")
    day2 = await poll(services, feed_host, "/ekonomi.xml", "8f5bbd41/free-ekonomi.xml")
    assert (day1.new, day2.new) == (9, 9)
    items = stored(services)
    assert len(items) == 18 and len({row["title"] for row in items.values()}) == 18
    assert "8 Pinjaman Daring Masuk Pengawasan Khusus OJK" in {r["title"] for r in items.values()}


async def test_new_guids_for_old_stories_do_not_double_them(services, feed_host):
    # Regression: tempo-rss 8f5bbd41 free-wawancara re-numbers 7 stories of the day before and
    # adds 2 (the Maruarar Sirait interview, 2253396 and 2253334).
    day1 = await poll(services, feed_host, "/wawancara.xml", "55e06cb4/free-wawancara.xml")
    day2 = await poll(services, feed_host, "/wawancara.xml", "8f5bbd41/free-wawancara.xml")
    assert (day1.new, day2.found, day2.new) == (9, 9, 2)
    items = stored(services)
    assert len(items) == 11
    newest = [link for link in items if link.endswith(("-2253396", "-2253334"))]
    assert len(newest) == 2
