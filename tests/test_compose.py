"""bot.digest.compose, pure: which stories a digest shows, under which topic, in which order."""

from datetime import UTC, datetime, timedelta

from bot.digest.compose import Candidates, compose_digest
from bot.models import StoredItem, Topic, TopicKind

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
KALTIM = Topic("kaltim", "Kaltim", kind=TopicKind.REGION)
EDUCATION = Topic("education", "Pendidikan")
INVESTMENT = Topic("investment", "Investasi")


def item(
    number: int, title: str, *, outlet: str = "Kaltim Post", hours: float = 0, local: bool = False
) -> StoredItem:
    return StoredItem(
        id=number,
        feed_id=hash(outlet) % 1000,
        source=outlet,
        title=title,
        link=f"https://kaltimpost.id/{number}",
        summary="",
        published_at=T0 + timedelta(hours=hours),
        is_local=local,
    )


def titles(sections) -> dict[str, list[str]]:
    return {s.topic.slug: [story.primary.title for story in s.stories] for s in sections}


def test_a_story_on_two_subjects_is_filed_once_under_the_narrower():
    scholarship = item(1, "Beasiswa Anhui untuk guru dan investasi hilirisasi Kaltim")
    school = item(2, "PPDB SMA Samarinda dibuka pekan depan", hours=1)
    factories = [item(n, f"Investasi pabrik {n} di Balikpapan", hours=n) for n in (3, 4, 5)]
    sections = compose_digest(
        {
            "education": Candidates([scholarship, school], 2),
            "investment": Candidates([scholarship, *factories], 4),
        },
        [INVESTMENT, EDUCATION],
    )
    assert titles(sections) == {
        "investment": [
            "Investasi pabrik 5 di Balikpapan",
            "Investasi pabrik 4 di Balikpapan",
            "Investasi pabrik 3 di Balikpapan",
        ],
        "education": [
            "PPDB SMA Samarinda dibuka pekan depan",
            "Beasiswa Anhui untuk guru dan investasi hilirisasi Kaltim",
        ],
    }


def test_a_region_holds_only_what_no_followed_subject_took():
    school = item(1, "Guru honorer Kutai Kartanegara terima insentif", local=True)
    flood = item(2, "Banjir rendam Jalan Pramuka Samarinda", local=True, hours=1)
    sections = compose_digest(
        {"kaltim": Candidates([school, flood], 2), "education": Candidates([school], 1)},
        [KALTIM, EDUCATION],
    )
    assert titles(sections) == {
        "kaltim": ["Banjir rendam Jalan Pramuka Samarinda"],
        "education": ["Guru honorer Kutai Kartanegara terima insentif"],
    }


def test_more_outlets_then_local_then_newest_and_the_cap_counts_the_rest():
    national = item(1, "Kemendikbud ubah jadwal ujian nasional", hours=3)
    local = item(2, "Disdik Kaltim buka sekolah rakyat di Berau", hours=1, local=True)
    older_local = item(3, "Unmul wisuda 2.000 lulusan", local=True)
    widely = [
        item(10, "Pendaftaran Beasiswa Kaltim Tuntas 2026 resmi dibuka", outlet="Kaltim Post"),
        item(
            11,
            "Pendaftaran Beasiswa Kaltim Tuntas 2026 resmi dibuka hari ini",
            outlet="Tribun Kaltim",
        ),
    ]
    sections = compose_digest(
        {"education": Candidates([national, local, older_local, *widely], 9)},
        [EDUCATION],
        cap=3,
    )
    [section] = sections
    assert [s.primary.title for s in section.stories] == [
        "Pendaftaran Beasiswa Kaltim Tuntas 2026 resmi dibuka",
        "Disdik Kaltim buka sekolah rakyat di Berau",
        "Unmul wisuda 2.000 lulusan",
    ]
    # Nine candidates in all, four items shown (one story of two reports and two others).
    assert section.more == 5


def test_topics_with_nothing_to_show_have_no_section():
    assert compose_digest({"education": Candidates([], 0)}, [EDUCATION, INVESTMENT]) == []
