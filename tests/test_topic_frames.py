"""Issue 25 through the real bot: /testtopic says which frame took a term in or out, a rule
edit shows the words its terms matched in the last 7 days, /topic shows a topic's frames, and
migration m018 gives a stored database the bundled frames and root forms."""

import json
from datetime import timedelta

import pytest

from tests.support.feedgen import Entry, rss

pytestmark = pytest.mark.timeout(60)

PUPIL = (
    "/testtopic Pelajar SMP di Samarinda Tewas Usai Motornya Tabrak Truk\n"
    "SAMARINDA – Seorang siswa SMP meninggal dunia setelah sepeda motor yang dikendarainya "
    "menabrak truk di Jalan Ampera, Palaran, Kamis. Kepala sekolah menyebut korban dikenal "
    "rajin. Kasat Lantas Polresta Samarinda meminta orang tua mengawasi anaknya."
)
AMBASSADOR = (
    "/testtopic Dubes Jepang Kunjungi Gubernur Kaltim, Bahas Pelatihan Vokasi\n"
    "Duta Besar Jepang untuk Indonesia melakukan kunjungan kehormatan kepada Gubernur "
    "Kalimantan Timur di Samarinda, Senin. Keduanya membahas pelatihan vokasi bagi lulusan "
    "SMK agar bisa bekerja di industri Jepang."
)


def verdicts(answer: str) -> dict[str, bool]:
    """Topic name -> matched, from the lines of a /testtopic answer."""
    out = {}
    for line in answer.splitlines():
        if line.startswith(("✅ ", "▫️ ")):
            out[line.split(" ", 1)[1].split(" (")[0]] = line.startswith("✅")
    return out


async def test_a_pupil_killed_in_a_road_accident_is_kaltim_not_education(admin):
    answer = await admin.say(PUPIL)
    found = verdicts(answer)
    assert found["Kaltim"] and not found["Pendidikan"], answer
    # And says why: the accident frame took the pupil and the school out.
    assert "pelajar (tidak dihitung: bingkai korban)" in answer
    assert "SMP (tidak dihitung: bingkai sekolah korban)" in answer


async def test_an_ambassadors_visit_on_vocational_training_is_cooperation_and_education(admin):
    answer = await admin.say(AMBASSADOR)
    found = verdicts(answer)
    assert found["Kaltim"] and found["Kerja Sama Luar Negeri"] and found["Pendidikan"], answer
    assert not found["Investasi"]
    # No cooperation word: the visit frame is the evidence, with the words it saw.
    assert "bingkai kunjungan «dubes jepang» (kuat)" in answer


async def test_a_lesson_about_a_danger_is_still_schooling(admin):
    answer = await admin.say(
        "/testtopic Guru SD Ajari Murid Simulasi Gempa dan Kebakaran\n"
        "BALIKPAPAN – Guru-guru SD Negeri 005 mengajari murid cara menyelamatkan diri."
    )
    assert verdicts(answer)["Pendidikan"], answer


async def test_topic_shows_its_frames_with_their_notes(admin):
    answer = await admin.say("/topic education")
    assert "Bingkai (ubah lewat topics export/import)" in answer
    assert "• korban (mencoret istilah): Pupils, students and teachers as the victims" in answer
    assert "• akademik (menambah bukti)" in answer


@pytest.fixture
async def week(app, admin, feed_host, clock):
    """Five stories of the last days: two crimes with a perpetrator, two offices that "carry
    out" something, one fire at a street address."""
    day = timedelta(days=1)
    feed_host.add(
        "/f.xml",
        rss(
            [
                Entry(
                    "Polisi Buru Pelaku Begal",
                    "https://kabar.example/1",
                    "Pelakunya terekam kamera warga.",
                    published=clock.now - day,
                ),
                Entry(
                    "Para Pelaku Curanmor Ditangkap",
                    "https://kabar.example/2",
                    published=clock.now - 2 * day,
                ),
                Entry(
                    "Pemkot Lakukan Rapat Anggaran",
                    "https://kabar.example/3",
                    "Rapat dilakukan di Balai Kota. Evaluasi dilakukan tiap bulan.",
                    published=clock.now - 3 * day,
                ),
                Entry(
                    "Disperindag Lakukan Sidak Pasar",
                    "https://kabar.example/4",
                    "Sidak dilakukan pagi hari.",
                    published=clock.now - 3 * day,
                ),
                Entry(
                    "Rumah di Jalan Sudirman Terbakar",
                    "https://kabar.example/5",
                    "Warga berjalan kaki menjauh. Jalan rusak di depan rumah menyulitkan damkar.",
                    published=clock.now - 4 * day,
                ),
            ]
        ),
    )
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    await admin.say("/addtopic kriminal Kriminal")
    await admin.say("/addtopic infrastruktur Infrastruktur")


async def test_a_rule_edit_shows_the_words_each_new_term_matched(admin, week):
    answer = await admin.say("/topic kriminal include pelaku")
    assert "Kata yang cocok dalam berita 7 hari terakhir:" in answer
    # "pelaku" finds itself and "pelakunya", never "dilakukan" or "lakukan".
    assert "pelaku: pelaku ×2, pelakunya ×1" in answer
    assert "dilakukan" not in answer and "⚠️" not in answer
    assert "+2 berita, −0 berita" in answer


async def test_a_root_form_that_mostly_matches_other_words_is_flagged(admin, week):
    answer = await admin.say("/topic kriminal include ~pelaku")
    assert "~pelaku: dilakukan ×3, lakukan ×2, pelaku ×2, pelakunya ×1" in answer
    assert (
        "⚠️ '~pelaku' paling sering cocok dengan 'dilakukan' ×3 — maksud Anda hanya 'pelaku'?"
    ) in answer


async def test_a_street_address_is_not_the_road(admin, week):
    answer = await admin.say("/topic infrastruktur include jalan")
    # "Jalan Sudirman" is where the fire was; "berjalan" is walking; "jalan rusak" is a road.
    assert "jalan: jalan ×1" in answer
    assert "+0 berita, −0 berita" in answer  # one later sentence only: under the threshold


def test_m018_gives_stored_default_topics_root_forms_and_frames(tmp_path):
    from sqlite_utils import Database

    from storage.migrations import MIGRATIONS
    from storage.topics import list_topics

    db = Database(tmp_path / "before.db")
    MIGRATIONS.apply(db, stop_before="m018_topic_frames")
    rows = [
        ("foreign_cooperation", ["kerja sama", "sepakat", "MoU"], ["@negara_asing"]),
        ("education", ["guru", "mengajar", "kursus menjahit"], []),
        ("kesehatan", ["sepakat", "puskesmas"], []),
    ]
    for position, (slug, include, require) in enumerate(rows):
        db.execute(
            "INSERT INTO topics (slug, name, include_terms, require_terms, exclude_terms, "
            "position, created_at) VALUES (?, ?, ?, ?, '[]', ?, '2026-01-01T00:00:00Z')",
            [slug, slug.title(), json.dumps(include), json.dumps(require), position],
        )
    MIGRATIONS.apply(db)
    topics = {topic.slug: topic for topic in list_topics(db)}
    # The bundled topics' terms that relied on derivations become root forms; an admin's own
    # term and an admin's own topic are left as they are.
    assert topics["foreign_cooperation"].rule.include == ("~kerja sama", "~sepakat", "MoU")
    assert topics["education"].rule.include == ("guru", "~mengajar", "kursus menjahit")
    assert topics["kesehatan"].rule.include == ("sepakat", "puskesmas")
    assert [f.name for f in topics["education"].rule.frames] == [
        "korban",
        "sekolah korban",
        "terdampak",
        "akademik",
    ]
    assert [f.name for f in topics["foreign_cooperation"].rule.frames] == ["kunjungan"]
    assert topics["kesehatan"].rule.frames == ()
    db.close()
