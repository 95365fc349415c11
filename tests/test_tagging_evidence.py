"""Evidence instead of a single hit (issue 11): where a term occurs, datelines, enumerations,
venues, Indonesian parties abroad, fraud and metaphors, thresholds; and the cost of
adversarial text (bot.tagging.tagger, bot.tagging.structure, bot.tagging.normalize)."""

import time

import pytest

from bot.models import Topic, TopicRule
from bot.tagging.defaults import default_topics
from bot.tagging.gazetteer import Gazetteer
from bot.tagging.normalize import sentences
from bot.tagging.structure import split_dateline
from bot.tagging.tagger import Tagger


@pytest.fixture(scope="module")
def tagger():
    return Tagger(default_topics())


def one(term: str, threshold: float = 2.0) -> Tagger:
    return Tagger([Topic("t", "T", TopicRule(include=(term,), threshold=threshold))])


# --- Where a term occurs ------------------------------------------------------------------------


def test_a_headline_word_is_strong_a_later_body_word_weak():
    tagger = one("banjir")
    assert tagger.tag("Banjir di Kota", "") == ("t",)  # headline: 3
    assert tagger.tag("Warga Mengungsi", "Banjir datang malam hari.") == ("t",)  # first: 2
    assert tagger.tag("Warga Mengungsi", "Hujan turun. Banjir datang malam hari.") == ()  # 1


def test_distinct_terms_add_up_and_a_repeated_term_counts_once():
    tagger = Tagger([Topic("t", "T", TopicRule(include=("banjir", "rob"), threshold=3))])
    assert tagger.tag("Warga Mengungsi", "Hujan turun. Banjir dan rob datang.") == ()
    assert tagger.tag("Warga Mengungsi", "Banjir dan rob datang. Hujan turun.") == ("t",)
    # A term the body comes back to is its subject: it weighs as the first sentence (2),
    # once, however often it comes back (issue 25).
    assert tagger.tag("Warga Mengungsi", "Hujan turun. Banjir lagi. Banjir lagi.") == ()
    [match] = tagger.explain("Warga Mengungsi", "Hujan turun. Banjir lagi. Banjir lagi.")
    assert match.score == 2 and {e.where for e in match.evidence} == {"echo"}


def test_two_terms_on_the_same_words_count_once():
    # "pendidikan" is matched by both pendidik* and ~mendidik (both stem to "didik").
    tagger = Tagger([Topic("t", "T", TopicRule(include=("pendidik*", "~mendidik")))])
    [match] = tagger.explain("Rapat", "Rapat dimulai. Anggaran pendidikan naik.")
    assert len(match.evidence) == 2 and match.score == 1 and not match.matched


def test_a_sentence_with_an_amount_weighs_as_the_first_one():
    tagger = one("penanaman modal")
    text = "Gubernur hadir. Ia berharap penanaman modal baru senilai Rp40 triliun."
    assert tagger.tag("Hidrogen Hijau", text) == ("t",)
    assert tagger.tag("Hidrogen Hijau", "Gubernur hadir. Ia berharap penanaman modal.") == ()


def test_threshold_is_per_topic():
    text = "Hujan turun. Banjir datang."
    assert one("banjir", threshold=1).tag("Warga", text) == ("t",)
    assert one("banjir", threshold=4).tag("Banjir di Kota", "") == ()


@pytest.mark.parametrize(
    ("title", "body", "education"),
    [
        # Issue 11: one incidental word is weak; a headline word or several are strong.
        ("Tabrakan di Jalan Poros", "Truk menabrak tiga motor. Dua korban masih pelajar.", False),
        (
            "Banjir Rob Ancam Pesisir",
            "Bupati meminta warga waspada usai melantik guru PPPK.",
            False,
        ),
        ("Investor Lirik Kariangau", "Investor datang. Ada usulan fasilitas pendidikan.", False),
        ("Dua Pelajar Luka-luka dalam Tabrakan", "Polisi memeriksa sopir truk.", False),
        ("Guru Honorer Belum Terima Insentif", "Para guru meminta dana dicairkan.", True),
        ("Ruang Kelas Rusak", "Ruang kelas SD rusak. Siswa belajar di perpustakaan.", True),
    ],
)
def test_incidental_education_words(tagger, title, body, education):
    assert ("education" in tagger.tag(title, body)) is education


# --- Datelines, enumerations, venues, streets ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("Balikpapan (ANTARA) - Harga naik.", "Balikpapan (ANTARA) - "),
        ("SAMARINDA, DISWAY – Banjir.", "SAMARINDA, DISWAY – "),
        ("TRIBUNKALTIM.CO, BALIKPAPAN – Harga.", "TRIBUNKALTIM.CO, BALIKPAPAN – "),
        ("BALIKPAPAN – Harga.", "BALIKPAPAN – "),
        ("Samarinda, Kaltimtoday.co - Wali kota.", "Samarinda, Kaltimtoday.co - "),
        ("Tanjung Selor (ANTARA) - Pemprov.", "Tanjung Selor (ANTARA) - "),
        ("JAKARTA, KOMPAS.com – Menteri.", "JAKARTA, KOMPAS.com – "),
        ("Pemerintah Kota Samarinda - menurut dia.", ""),  # title case needs its outlet
        ("Harga cabai naik - kata pedagang.", ""),
    ],
)
def test_dateline_forms(text, dateline):
    assert split_dateline(text)[0] == dateline


def test_a_dateline_place_is_weak_and_nothing_beside_another_province(tagger):
    assert "kaltim" not in tagger.tag("Dua Rumah Terbakar", "SAMARINDA – Api cepat membesar.")
    assert "kaltim" in tagger.tag(
        "Dua Rumah Terbakar", "SAMARINDA – Api membesar di Sempaja. Warga membantu."
    )
    [match] = [
        m
        for m in tagger.explain(
            "Banjir Rendam Nunukan", "BALIKPAPAN – Banjir merendam rumah di Nunukan, Kaltara."
        )
        if m.slug == "kaltim"
    ]
    assert [(e.where, e.weight) for e in match.evidence] == [("dateline", 0.0)]


def test_a_kaltim_venue_of_another_provinces_story_is_weak(tagger):
    title = "Kaltara Teken Kesepakatan Listrik di Balikpapan"
    assert "kaltim" not in tagger.tag(title, "Tanjung Selor (ANTARA) - Pemprov Kaltara teken.")
    assert "kaltim" in tagger.tag("Pemkot Teken Kesepakatan Listrik di Balikpapan", "")


def test_a_place_in_an_enumeration_is_weak(tagger):
    body = "Siswa dari sembilan provinsi, di antaranya Aceh, Kaltim, Kalsel dan Papua, hadir."
    assert "kaltim" not in tagger.tag("Kemah Kebangsaan di Bogor", body)
    assert "kaltim" in tagger.tag("Hujan Lebat", "Samarinda, Balikpapan dan Bontang diguyur.")


# --- Cooperation: said other ways, and who the parties are --------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "cooperation"),
    [
        ("Kaltim dan Sabah Sepakati Jalur Kapal", "Kesepakatan dicapai di Samarinda.", True),
        ("JICA Hibahkan Alat Pemantau Banjir", "Pemkot Samarinda menerima alat itu.", True),
        ("Pemkab Kutim Jalin Partnership dengan USAID", "", True),
        (
            "Proyek Sampah Dikerjasamakan dengan Perusahaan Jepang",
            "Pemkot menyiapkan lahan.",
            True,
        ),
        ("Kaltim Gandeng UNICEF Tekan Stunting", "", True),
        ("Indonesia dan Tiongkok Gelar Pertemuan Bilateral", "", True),
        # An Indonesian mission abroad is not a foreign party.
        (
            "KJRI Kota Kinabalu dan Disdik Kaltim Kerja Sama",
            "Layanan untuk anak pekerja migran Indonesia di Sabah.",
            False,
        ),
        (
            "Dubes RI untuk Malaysia Dorong Kerja Sama Antardaerah",
            "Dubes bertemu gubernur.",
            False,
        ),
        # Two foreign parties among themselves are not our cooperation.
        (
            "Jepang dan Filipina Teken Perjanjian Pertahanan",
            "Perjanjian diteken di Manila.",
            False,
        ),
        ("Harga Minyak Turun Setelah OPEC Tambah Produksi", "OPEC dan sekutunya sepakat.", False),
        # Trade figures and tourists only name a country.
        ("Wisatawan Asal Malaysia ke Derawan Naik", "Pemkab Berau menyiapkan paket.", False),
    ],
)
def test_cooperation(tagger, title, body, cooperation):
    assert ("foreign_cooperation" in tagger.tag(title, body)) is cooperation


@pytest.mark.parametrize(
    ("title", "investment"),
    [
        ("Polisi Bongkar Penipuan Investasi Bodong di Samarinda", False),
        ("Modus Investasi Kripto, Warga Tertipu", False),
        ("Tips Investasi Reksa Dana untuk Pemula", False),
        ("Pemkab Lakukan Investasi Serius dalam Kesehatan", False),
        ("Wali Kota: Investasi Terbaik adalah Pendidikan", False),
        ("Realisasi Investasi Kaltim Capai Rp23 Triliun", True),
        ("Pertamina Investasikan Rp100 Triliun untuk Kilang", True),
    ],
)
def test_fraud_tips_and_metaphors_are_not_investment(tagger, title, investment):
    assert ("investment" in tagger.tag(title, "")) is investment


# --- Cost: linear in the text, whatever it repeats ----------------------------------------------

# Half a megabyte, ten times a long article: a quadratic step in the text would already cost
# hundreds of times a linear one, so the bounds below cannot miss one.
SIZE = 500_000


def fill(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def seconds(function) -> float:
    """CPU seconds the call takes: unlike wall time, not stretched when other processes (a
    parallel test run, a busy machine) take the core, so the ratios compare like with like."""
    start = time.process_time()
    function()
    return time.process_time() - start


@pytest.fixture(scope="module")
def uncapped():
    return Tagger(default_topics(), max_chars=None)


@pytest.fixture(scope="module")
def plain_seconds(uncapped):
    plain = fill("Warga kota Samarinda antre membeli minyak goreng di pasar pagi ini, kata dia. ")
    return min(seconds(lambda: uncapped.tag("", plain)) for _ in range(2))


@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    "unit",
    [
        "jl. ",
        "Jl. Samarinda ",
        ".",
        "dolar AS ",
        "Samarinda, Kaltara, Jepang, ",
        "kerja sama ",
        "a",
    ],
    ids=[
        "abbreviations",
        "streets",
        "dots",
        "ignored phrases",
        "enumeration",
        "terms",
        "one word",
    ],
)
def test_adversarial_text_costs_what_plain_text_of_its_size_costs(uncapped, plain_seconds, unit):
    # Measured against the same size of plain news text in the same run: a quadratic step
    # would take hundreds of times longer, not a few. Text that is a term every other word
    # ("kerja sama kerja sama …") records a million occurrences, so it may cost a few times
    # more than prose; the better of two runs, so a burst of load on a shared machine does
    # not decide.
    text = fill(unit)
    cost = min(seconds(lambda: uncapped.tag("", text)) for _ in range(2))
    assert cost < 5 * plain_seconds


@pytest.mark.timeout(120)
def test_sentence_splitting_is_linear_in_abbreviations():
    small, large = fill("jl. ")[: SIZE // 4], fill("jl. ")
    # Four times the text may cost four times the time (with room for noise), not sixteen.
    assert seconds(lambda: sentences(large)) < 8 * seconds(lambda: sentences(small))


@pytest.mark.timeout(120)
def test_a_very_long_text_is_tagged_on_its_beginning(tagger):
    news = "Pemprov Kaltim teken kerja sama dengan Jepang. " * 40
    huge = news + fill("Warga antre di pasar. ")
    assert tagger.tag("", huge) == tagger.tag("", news)
    assert seconds(lambda: tagger.tag("", huge)) < 20 * seconds(
        lambda: tagger.tag("", huge[:50_000])
    )


def test_tag_and_explain_agree_on_the_real_shaped_set(tagger):
    import json
    from pathlib import Path

    from bot.ops.evaluation import predict

    path = Path(__file__).resolve().parent / "fixtures" / "tagging_real_shapes.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        explained = tuple(
            m.slug for m in tagger.explain(record["title"], record["summary"]) if m.matched
        )
        assert tagger.tag(record["title"], record["summary"]) == explained, record["id"]
        assert predict(record, tagger) is not None


def test_every_place_and_strength_has_words_in_both_languages():
    from bot.tagging.tagger import WEIGHTS
    from bot.text.texts import TEXTS

    for lang in ("id", "en"):
        for where in WEIGHTS:
            assert f"where_{where}" in TEXTS[lang], (lang, where)
        for strength in range(4):
            assert f"strength_{strength}" in TEXTS[lang], (lang, strength)


# --- Issue 25: addresses, generic sentences, places in passing, frames as data ---------------


@pytest.mark.parametrize(
    ("title", "body", "road"),
    [
        ("Kebakaran di Jalan Sudirman", "", False),  # where it happened
        ("Warung di Jalan Jenderal Sudirman Ludes", "", False),
        ("Jalan Rusak Parah di Kubar", "", True),  # a road story
        ("Pengendara Dibegal", "Warga dibegal di jalan poros Samarinda–Bontang.", False),
        ("Pemkot Tertibkan PKL", "Pedagang berjualan di trotoar Jl. Ahmad Yani.", False),
        ("Tol Ditambah", "Pengelola jalan tol menambah lajur baru.", True),
        ("Lalu Lintas Padat", "Antrean panjang di Jalan Tol Balikpapan–Samarinda.", True),
        ("Rapat Berjalan Alot", "Perjalanan dinas gubernur ke Jakarta.", False),
    ],
)
def test_a_street_address_is_where_it_happened_not_a_road(title, body, road):
    assert (one("jalan").tag(title, body) == ("t",)) is road


def test_what_a_generic_sentence_says_after_its_copula_is_an_aside():
    tagger = one("emas")
    assert tagger.tag("Diam Itu Emas", "") == ()  # the headline's copula: weighs 1
    assert tagger.tag("Harga Emas Naik", "") == ("t",)
    # A place before the copula makes the sentence a story's: "emas" counts there.
    assert tagger.tag("Kukar Merupakan Penghasil Emas", "") == ("t",)
    [match] = tagger.explain("Diam Itu Emas", "")
    assert [(e.where, e.weight) for e in match.evidence] == [("aside", 1.0)]


def test_a_home_place_in_passing_does_not_make_a_story_home_news():
    tagger = Tagger(default_topics())
    national = (
        "Program Makan Bergizi Diperluas",
        "Jakarta - Badan Gizi Nasional memperluas "
        "program. Dapur umum dibangun di Sumatera. Di Samarinda dan Balikpapan dapur "
        "sudah beroperasi sejak Januari.",
    )
    assert "kaltim" not in tagger.tag(*national)
    # The same body in a story set in Kaltim (its dateline) counts.
    local = (
        "Program Makan Bergizi Diperluas",
        "SAMARINDA – Badan Gizi Nasional memperluas "
        "program. Dapur umum dibangun di Sumatera. Di Samarinda dan Balikpapan dapur "
        "sudah beroperasi sejak Januari.",
    )
    assert "kaltim" in tagger.tag(*local)


def test_an_admins_topic_can_have_frames_of_its_own():
    from bot.models import Frame

    rule = TopicRule(
        include=("korban",),
        threshold=2,
        frames=(
            Frame("lalu lintas", "out", (("kecelakaan",),), ("korban",)),
            Frame("bencana alam", "in", (("gempa", "banjir"), ("mengungsi",))),
        ),
    )
    tagger = Tagger([Topic("b", "Bencana", rule)])
    assert tagger.tag("Korban Gempa Bertambah", "") == ("b",)
    assert tagger.tag("Korban Kecelakaan Bertambah", "") == ()
    assert tagger.tag("Warga Mengungsi", "Banjir datang, warga mengungsi ke masjid.") == ("b",)
    [match] = tagger.explain("Korban Kecelakaan Bertambah", "")
    assert [(e.term, e.frame) for e in match.evidence] == [("korban", "-lalu lintas")]


def test_frames_go_out_and_back_through_the_topics_file():
    import tomllib

    from bot.tagging.defaults import topics_from_toml, topics_to_toml

    topics = default_topics()
    assert topics_from_toml(tomllib.loads(topics_to_toml(topics))) == topics
    assert {f.name for t in topics for f in t.rule.frames} >= {"korban", "kunjungan"}


def test_the_tagger_names_no_list_of_its_own():
    # Which list is home, which are the other provinces and the foreign parties is data
    # (gazetteer.toml [structure]), not code (issue 23).
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "bot" / "tagging" / "tagger.py").read_text()
    for name in ("wilayah_kaltim", "provinsi_lain", "negara_asing", "pihak_indonesia"):
        assert f'"{name}"' not in source


def test_a_gazetteer_without_structure_has_no_structure_rules():
    gazetteer = Gazetteer(lists={"kota": ("Samarinda",)}, street_words=frozenset({"jalan"}))
    tagger = Tagger([Topic("j", "J", TopicRule(include=("jalan",)))], gazetteer=gazetteer)
    # No road kinds, titles or prepositions: only a capitalised name after "jalan" in a
    # sentence makes an address.
    assert tagger.tag("", "Warga di jalan poros mengungsi.") == ("j",)
    assert tagger.tag("", "Warga di Jalan Sudirman mengungsi.") == ()
    assert tagger.tag("Jalan Ditutup", "") == ("j",)
