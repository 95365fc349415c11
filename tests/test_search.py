"""/cari through the real bot: words, prefixes, phrases, filters, pages that edit in place,
and bad searches answered in the reader's language."""

from datetime import timedelta

import pytest

from tests.support.chats import READER_ID, services_of
from tests.support.feedgen import Entry, flood_entries, rss

pytestmark = pytest.mark.timeout(30)


def keyboard_of(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows for button in row}


@pytest.fixture
async def archive(app, admin, feed_host, clock):
    """Two outlets' feeds: investment and cooperation news from Kaltim, and floods."""
    hour = timedelta(hours=1)
    kabar = [
        Entry(
            "Investasi Smelter di Kutai Timur Capai Rp12 Triliun",
            "https://kabar.example/smelter",
            "Penanaman modal asing naik tajam tahun ini.",
            published=clock.now - 1 * hour,
        ),
        Entry(
            "Pemkot Balikpapan Teken Kerja Sama dengan Kota Kembar di Jepang",
            "https://kabar.example/kembar",
            "Kerja sama di bidang pendidikan dan pariwisata.",
            published=clock.now - 2 * hour,
        ),
        Entry(
            "Sama-sama Kerja Bakti di Samarinda",
            "https://kabar.example/kerja-bakti",
            "Warga bergotong royong membersihkan parit.",
            published=clock.now - 3 * hour,
        ),
        Entry(
            "Warga Türkiye Kunjungi IKN",
            "https://kabar.example/turkiye",
            "Rombongan wisatawan datang pekan ini.",
            published=clock.now - 4 * hour,
        ),
    ]
    antara = [
        Entry(
            "Investasinya Mengalir ke Kawasan Industri Kariangau",
            "https://antara.example/kariangau",
            "Balikpapan menarik investor baru.",
            published=clock.now - 5 * hour,
        ),
        Entry(
            "Bursa Saham Asia Dibuka Menguat",
            "https://antara.example/bursa",
            "Investasi di pasar modal regional meningkat.",
            published=clock.now - 6 * hour,
        ),
    ]
    feed_host.add("/kabar.xml", rss(kabar, title="Kabar Kaltim"))
    feed_host.add("/antara.xml", rss(antara, title="Antara Kaltim"))
    await admin.say(f"/addfeed {feed_host.url('/kabar.xml')}")
    await admin.say(f"/addfeed {feed_host.url('/antara.xml')}")


async def test_prefix_finds_affixed_forms_newest_first(archive, reader):
    answer = await reader.say("/cari investasi*")
    assert "3 berita" in answer
    smelter = answer.index("Investasi Smelter")
    assert smelter < answer.index("Investasinya Mengalir") < answer.index("Bursa Saham")
    plain = await reader.say("/cari investasi")
    assert "Investasinya Mengalir" not in plain  # without the star, only the word itself


async def test_phrase_in_quotes_needs_the_words_together(archive, reader):
    answer = await reader.say('/cari "kerja sama"')
    assert "Kota Kembar" in answer
    assert "Kerja Bakti" not in answer  # both words, but not as the phrase
    both = await reader.say("/cari kerja sama")
    assert "Kota Kembar" in both and "Kerja Bakti" in both


async def test_case_and_diacritics_do_not_matter(archive, reader):
    assert "Türkiye" in await reader.say("/cari TURKIYE")
    assert "Türkiye" in await reader.say("/cari türkiye")


async def test_topic_and_outlet_filters(archive, reader):
    by_outlet = await reader.say("/cari investasi* media:antara")
    assert "Investasinya Mengalir" in by_outlet and "Smelter" not in by_outlet
    by_topic = await reader.say("/cari investasi* topik:kaltim")
    assert "Smelter" in by_topic and "Kariangau" in by_topic
    assert "Bursa Saham Asia" not in by_topic  # not a Kaltim story
    unknown = await reader.say("/cari investasi topik:olahraga")
    assert "olahraga" in unknown and "tidak ditemukan" in unknown


async def test_pages_turn_in_place(app, reader, admin, feed_host, clock, telegram_api):
    entries = flood_entries(12, start=clock.now)
    feed_host.add("/banjir.xml", rss(entries))
    await admin.say(f"/addfeed {feed_host.url('/banjir.xml')}")
    first = await reader.say("/cari banjir")
    assert "12 berita" in first and "halaman 1 dari 3" in first
    assert "Kelurahan 1 " in first and "Kelurahan 5 " in first and "Kelurahan 6 " not in first
    shown = telegram_api.sent_messages(READER_ID)[-1]
    assert list(keyboard_of(shown)) == ["Berikutnya »"]

    await reader.tap(shown["message_id"], keyboard_of(shown)["Berikutnya »"])
    second = telegram_api.message(READER_ID, shown["message_id"])
    assert "Kelurahan 6 " in second["text"] and "Kelurahan 1 " not in second["text"]
    assert list(keyboard_of(second)) == ["« Sebelumnya", "Berikutnya »"]
    assert len(telegram_api.sent_messages(READER_ID)) == 1  # edited, not sent anew

    await reader.tap(shown["message_id"], keyboard_of(second)["Berikutnya »"])
    third = telegram_api.message(READER_ID, shown["message_id"])
    assert "Kelurahan 12 " in third["text"] and list(keyboard_of(third)) == ["« Sebelumnya"]


@pytest.mark.parametrize(
    "words",
    [
        'banjir" OR "x',
        "NEAR(banjir kaltim)",
        "banjir AND",
        "-banjir",
        "col:banjir",
        '"""',
        "banjir*)",
        "^banjir",
        "{title}: banjir",
    ],
)
async def test_fts5_syntax_is_never_run(archive, reader, words):
    answer = await reader.say(f"/cari {words}")
    assert "gangguan" not in answer  # the generic apology of the error handler
    assert answer  # a result, none, or usage: always a clear answer


@pytest.mark.parametrize(
    ("words", "indonesian", "english"),
    [
        ("", "Tulis kata yang dicari", "Type the words"),
        ("x" * 201, "terlalu panjang", "too long"),
        ("a b c d e f g h i", "terlalu banyak", "too many words"),
        ("in*", "paling sedikit 3 huruf", "at least 3 letters"),
        ("!!! ???", "Tulis kata yang dicari", "Type the words"),
        # Issue 27: each starred word is a union of every word it begins; three are refused.
        ("ban* kal* sam*", "paling banyak 2", "at most 2 starred"),
    ],
)
async def test_bad_searches_get_a_clear_answer_in_both_languages(
    reader, words, indonesian, english
):
    await reader.say("/start")
    assert indonesian in await reader.say(f"/cari {words}")
    await reader.say("/language en")
    assert english in await reader.say(f"/cari {words}")


async def test_no_match_says_so(archive, reader):
    assert "Tidak ada berita yang cocok" in await reader.say("/cari gempa")


async def test_new_items_are_searchable_as_they_are_stored(archive, reader, feed_host, clock):
    feed_host.add(
        "/kabar.xml",
        rss(
            [
                Entry(
                    "Longsor di Jalan Poros Samarinda–Bontang",
                    "https://kabar.example/longsor",
                    "Jalan ditutup.",
                    published=clock.now,
                )
            ],
            title="Kabar Kaltim",
        ),
    )
    await services_of(reader.app).ingest.poll_all(force=True)
    answer = await reader.say("/cari samarinda-bontang")
    assert "Longsor" in answer


async def test_outlet_filter_takes_wildcards_literally(archive, reader):
    assert "Tidak ada berita yang cocok" in await reader.say("/cari investasi* media:%")
    assert "Investasinya Mengalir" in await reader.say("/cari investasi* media:ANTARA")


def test_a_database_from_before_m013_indexes_each_new_item_once(tmp_path, clock):
    """Stories stored by the old row trigger and stories stored since (one statement per feed)
    are each found once, and the index agrees with the items after a prune."""
    from sqlite_utils import Database

    from bot.models import Item
    from storage import feeds as feed_store
    from storage import items as item_store
    from storage.db import open_database
    from storage.migrations import MIGRATIONS

    def story(n: int) -> Item:
        return Item(
            key=f"k{n}",
            title=f"Banjir Samarinda hari ke-{n}",
            link=f"https://kabar.example/{n}",
            summary="Air merendam rumah warga.",
            published_at=clock.now - timedelta(days=200 - n),
        )

    path = tmp_path / "lama.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m013_index_new_items_per_feed")
    feed = feed_store.add_feed(old, "https://kabar.example/rss", clock.now)
    item_store.insert_new(old, feed.id, [story(1), story(2)], clock.now - timedelta(days=150))
    old.close()

    db = open_database(path)  # m013 applied
    item_store.insert_new(db, feed.id, [story(3), story(4)], clock.now)

    def found() -> int:
        return db.execute(
            "SELECT count(*) FROM items_fts WHERE items_fts MATCH 'banjir'"
        ).fetchone()[0]

    assert found() == 4
    item_store.prune_items(
        db,
        clock.now - timedelta(days=90),
        clock.now,
        forget_tombstones_before=clock.now - timedelta(days=90),
    )
    assert found() == 2
    db.execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")  # raises if not
    db.close()


async def test_a_word_typed_many_times_is_searched_once(archive, reader):
    # Issue 27: eight copies of one prefix were eight unions of the same words, and eight
    # words is the most a search may have.
    answer = await reader.say("/cari " + " ".join(["investasi*"] * 8 + ["kawasan"] * 4))
    assert "1 berita" in answer and "Investasinya Mengalir" in answer


async def test_a_search_past_its_deadline_gets_a_polite_answer_and_its_pages_too(
    app, reader, admin, feed_host, clock, telegram_api
):
    entries = flood_entries(12, start=clock.now, path="b")
    feed_host.add("/banjir.xml", rss(entries))
    await admin.say(f"/addfeed {feed_host.url('/banjir.xml')}")
    assert "12 berita" in await reader.say("/cari banjir")
    shown = telegram_api.sent_messages(READER_ID)[-1]

    search = services_of(app).search
    search.deadline = 0.0  # every search now runs out of time: SQLite stops it at once
    answer = await reader.say("/cari banjir samarinda")
    assert "terlalu luas" in answer and "gangguan" not in answer
    await reader.tap(shown["message_id"], keyboard_of(shown)["Berikutnya »"])
    [tapped] = telegram_api.calls("answerCallbackQuery")[-1:]
    assert "terlalu luas" in tapped.params["text"]
    assert "Kelurahan 1 " in telegram_api.message(READER_ID, shown["message_id"])["text"]


async def test_more_than_two_thousand_matches_are_not_counted_further(
    app, reader, clock, telegram_api
):
    # Issue 27: counting (and sorting) 40,000 matches of a common word was the costliest
    # search; a reader is told "more than 2,000" and pages through the newest.
    from bot.models import Item
    from storage import feeds as feed_store
    from storage import items as item_store

    db = services_of(app).core.db
    feed = feed_store.add_feed(db, "https://kabar.example/rss", clock.now, title="Kabar")
    item_store.insert_new(
        db,
        feed.id,
        [
            Item(
                f"k{n}",
                f"Banjir di Kelurahan {n}",
                f"https://kabar.example/{n}",
                "Air merendam rumah warga.",
                clock.now - timedelta(minutes=n),
            )
            for n in range(1, 2_052)
        ],
        clock.now,
    )
    answer = await reader.say("/cari banjir")
    assert "Lebih dari 2.000 berita" in answer and "halaman 1" in answer
    assert "Kelurahan 1</a>" in answer and "Kelurahan 5</a>" in answer
    shown = telegram_api.sent_messages(READER_ID)[-1]
    assert list(keyboard_of(shown)) == ["Berikutnya »"]
    narrower = await reader.say("/cari banjir kelurahan 2000")
    assert "1 berita" in narrower and "Kelurahan 2000</a>" in narrower


def test_m014_rebuilds_the_index_with_prefix_entries_and_keeps_every_item(tmp_path, clock):
    """A database from before m014: its items are all found after the rebuild, by words and by
    three-letter prefixes, and new items are indexed as before."""
    from sqlite_utils import Database

    from bot.models import Item
    from storage import feeds as feed_store
    from storage import items as item_store
    from storage import search as search_store
    from storage.db import open_database
    from storage.migrations import MIGRATIONS

    def story(n: int) -> Item:
        return Item(
            key=f"k{n}",
            title=f"Pembangunan Jembatan ke-{n} di Samarinda",
            link=f"https://kabar.example/{n}",
            summary="Warga menyambut baik.",
            published_at=clock.now - timedelta(hours=n),
        )

    path = tmp_path / "lama.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m014_search_prefix_index")
    feed = feed_store.add_feed(old, "https://kabar.example/rss", clock.now, title="Kabar")
    item_store.insert_new(old, feed.id, [story(n) for n in range(1, 31)], clock.now)
    old.close()

    db = open_database(path)
    item_store.insert_new(db, feed.id, [story(31)], clock.now)
    [schema] = db.execute("SELECT sql FROM sqlite_master WHERE name = 'items_fts'").fetchone()
    assert "prefix='2 3'" in schema
    assert search_store.search_items(db, '"jem"*', limit=5)[0] == 31
    assert search_store.search_items(db, '"pembangunan" "samarinda"', limit=5)[0] == 31
    db.close()
