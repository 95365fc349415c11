"""Watch words (bot/tagging/watch.py): what a reader types, what it matches, what is
refused."""

import pytest

from bot.errors import RuleError
from bot.tagging.watch import WatchMatcher, parse_watches, word_frequencies


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("banjir samarinda", ["banjir samarinda"]),
        ("Banjir,  PPDB ,", ["Banjir", "PPDB"]),
        ('"jalan poros" longsor', ['"jalan poros" longsor']),
        ("“jalan poros”", ['"jalan poros"']),
        ("banjir, BANJIR", ["banjir"]),
        ("investasi*", ["investasi*"]),
    ],
)
def test_watches_are_stored_in_one_form(typed, stored):
    assert parse_watches(typed) == stored


@pytest.mark.parametrize("typed", ["investasi*x", "a*", "a b c d e f", "@negara"])
def test_watches_that_cannot_match_are_refused(typed):
    with pytest.raises(RuleError):
        parse_watches(typed)


MATCHER = WatchMatcher(
    [
        (1, "banjir samarinda"),
        (2, "PPDB"),
        (3, '"jalan poros"'),
        (4, "investasi*"),
        (5, "~kerja sama"),
        (6, "banjir"),
        (6, "longsor"),
        (7, "kerja sama"),
    ]
)


@pytest.mark.parametrize(
    ("title", "text", "chats"),
    [
        ("Banjir Rendam Sempaja", "Warga Samarinda mengungsi.", {1, 6}),
        ("Banjir di Balikpapan", "", {6}),
        ("Pendaftaran PPDB-nya Dibuka", "", {2}),
        ("Longsor Tutup Jalan Poros", "", {3, 6}),
        ("Jalan desa jadi poros kegiatan", "", set()),
        ("Investasinya Naik", "", {4}),
        # A plain word matches itself and its inflections; "~" asks for every derivation.
        ("Pemkot Bekerja Sama dengan Jepang", "", {5}),
        ("Kerja samanya berlanjut", "", {5, 7}),
        ("Samarinda Cerah", "Tidak ada banjirnya", {1, 6}),
        ("Pasar Ramai", "Harga stabil.", set()),
    ],
)
def test_one_matcher_answers_for_every_reader(title, text, chats):
    assert set(MATCHER.match(title, text)) == chats


def test_a_reader_is_alerted_once_per_item_with_its_first_matching_watch():
    assert MATCHER.match("Banjir dan Longsor", "")[6] in {"banjir", "longsor"}


def test_word_frequencies_change_which_term_is_looked_up_not_who_is_alerted():
    # Issue 27: a two-word watch is looked at when its rarest term occurs; which term that is
    # must never change whom an item reaches.
    watches = [
        (1, "samarinda banjir"),
        (2, "banjir sempaja"),
        (3, '"jalan poros" longsor'),
        (4, "samarinda investasi*"),
        (5, "@wilayah_kaltim banjir"),
    ]
    texts = [
        ("Banjir Rendam Sempaja, Samarinda", "Warga mengungsi."),
        ("Longsor di Jalan Poros Samarinda-Bontang", "Arus lalu lintas tersendat."),
        ("Samarinda Tarik Investasinya", "Investor datang."),
        ("Banjir di Kota Lain", "Tidak ada yang lain."),
    ]
    common = word_frequencies(texts * 50 + [("banjir samarinda", "")] * 400)
    plain = WatchMatcher(watches)
    weighed = WatchMatcher(watches, frequencies=common)
    expected = [
        {1: "samarinda banjir", 2: "banjir sempaja", 5: "@wilayah_kaltim banjir"},
        {3: '"jalan poros" longsor'},
        {4: "samarinda investasi*"},
        {},
    ]
    assert plain.match_all(texts) == weighed.match_all(texts) == expected
