"""A day of news from eight outlets, made in code for the digest tests (texts of our own, in the
shape of Kaltim and national reports): distinct local and education stories, national stories
no topic takes, and a few events several outlets covered."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.feedgen import Entry

OUTLETS = [
    ("tribun", "Tribun Kaltim"),
    ("antara", "ANTARA Kaltim"),
    ("kaltimpost", "Kaltim Post"),
    ("nomorsatu", "Nomor Satu Kaltim"),
    ("ibp", "inibalikpapan"),
    ("detik", "detikNews"),
    ("kompas", "Kompas"),
    ("cnn", "CNN Indonesia"),
]
SUBJECTS = [
    "matematika",
    "bahasa Inggris",
    "IPA",
    "sejarah",
    "seni budaya",
    "olahraga",
    "informatika",
    "geografi",
    "ekonomi",
    "biologi",
    "fisika",
    "kimia",
    "sosiologi",
]
SPORTS = ["Persija", "Persib", "Arema", "Bali United", "PSM", "Persebaya", "Dewa United"]

# Events several outlets reported, each told in its own words: (outlets, title, summary).
SHARED = [
    (
        4,
        "Banjir Rendam {n} Rumah di Sempaja Samarinda",
        "Hujan deras sejak Senin malam membuat {n} rumah di Sempaja, Samarinda Utara, terendam "
        "hingga selutut. BPBD Samarinda mendirikan posko pengungsian.",
    ),
    (
        3,
        "Disdikbud Kaltim Salurkan Beasiswa Guru Honorer {n} Orang",
        "Dinas Pendidikan dan Kebudayaan Kaltim menyalurkan beasiswa S1 bagi {n} guru honorer "
        "sekolah dasar di Samarinda dan Balikpapan.",
    ),
    (
        2,
        "SMA Negeri {n} Balikpapan Juara Olimpiade Sains Nasional",
        "Siswa SMA Negeri {n} Balikpapan meraih medali emas olimpiade sains nasional bidang "
        "kimia di Jakarta.",
    ),
]


def shared_entries(outlet: int, when: datetime, day: int) -> list[Entry]:
    """This outlet's reports of the shared events it covered."""
    entries = []
    for number, (covered, title, summary) in enumerate(SHARED):
        if outlet < covered:
            n = 10 + day * 7 + number
            entries.append(
                Entry(
                    title.format(n=n) + ("" if outlet == 0 else f" ({OUTLETS[outlet][1]})"),
                    f"https://{OUTLETS[outlet][0]}.example/d{day}/bersama-{number}",
                    summary.format(n=n),
                    published=when - timedelta(minutes=40 + outlet),
                )
            )
    return entries


PLACES = [
    "Sempaja",
    "Loa Bakung",
    "Sungai Pinang",
    "Karang Asam",
    "Lempake",
    "Sambutan",
    "Palaran",
    "Bukuan",
    "Gunung Kelua",
    "Air Hitam",
    "Temindung",
    "Rapak Dalam",
    "Mesjid",
    "Tenggarong",
    "Bontang Baru",
    "Sangatta",
    "Penajam",
    "Klandasan",
    "Gunung Samarinda",
    "Sepinggan",
    "Manggar",
    "Batakan",
    "Kariangau",
    "Muara Rapak",
]
WORKS = [
    "Perbaikan drainase",
    "Pengaspalan jalan",
    "Pembangunan posyandu",
    "Renovasi pasar",
    "Pemasangan lampu jalan",
    "Pembangunan jembatan kayu",
    "Normalisasi parit",
    "Pembangunan balai warga",
    "Perbaikan trotoar",
    "Pembangunan sumur bor",
    "Pengerukan sungai",
    "Penanaman mangrove",
]


def local_entries(outlet: int, count: int, when: datetime, day: int) -> list[Entry]:
    """Distinct Kaltim works, each its own place, work and contract number."""
    entries = []
    for n in range(1, count + 1):
        place = PLACES[(n * 5 + outlet * 7 + day * 3) % len(PLACES)]
        work = WORKS[(n + outlet * 5 + day) % len(WORKS)]
        code = f"{OUTLETS[outlet][0][:3].upper()}-{day}{n:02d}"
        entries.append(
            Entry(
                f"{work} {place} Kontrak {code} Rp{n * 113 + outlet * 17 + day} Juta",
                f"https://{OUTLETS[outlet][0]}.example/d{day}/lokal-{n}",
                f"{work} di {place}, Kalimantan Timur, nomor kontrak {code}, dimulai pekan ini "
                f"oleh pemerintah kota.",
                published=when - timedelta(minutes=n * 4 + outlet),
            )
        )
    return entries


def education_entries(outlet: int, count: int, when: datetime, day: int) -> list[Entry]:
    """Distinct school stories: odd ones in Samarinda (Kaltim too), even ones national."""
    entries = []
    for n in range(1, count + 1):
        subject = SUBJECTS[(n + outlet) % len(SUBJECTS)]
        school = 100 + outlet * 20 + n + day * 300
        place = "SD Negeri {s} Samarinda" if n % 2 else "SMP Negeri {s} Kota Bekasi"
        where = place.format(s=school)
        entries.append(
            Entry(
                f"Guru {where} Ikuti Pelatihan Kurikulum {subject.title()} Paket K{school}",
                f"https://{OUTLETS[outlet][0]}.example/d{day}/sekolah-{n}",
                f"Sebanyak {school % 40 + 5} guru {where} mengikuti pelatihan pembelajaran "
                f"{subject} paket K{school} selama tiga hari.",
                published=when - timedelta(minutes=n * 3 + outlet),
            )
        )
    return entries


def national_entries(outlet: int, count: int, when: datetime, day: int) -> list[Entry]:
    """Distinct football results: on no default topic."""
    entries = []
    for n in range(1, count + 1):
        home, away = SPORTS[n % len(SPORTS)], SPORTS[(n + outlet + 1) % len(SPORTS)]
        code = f"L{outlet}{n:02d}{day}"
        entries.append(
            Entry(
                f"Laga {code}: {home} Tahan {away} di Pekan {n + day * 40}",
                f"https://{OUTLETS[outlet][0]}.example/d{day}/bola-{n}",
                f"Pertandingan {code} berakhir {n % 4}-{outlet % 3} di pekan {n + day * 40}.",
                published=when - timedelta(minutes=n * 5 + outlet),
            )
        )
    return entries


def day_of_news(when: datetime, *, day: int = 0) -> list[list[Entry]]:
    """Per outlet, its feed's entries for one day: 300 items in all."""
    feeds = []
    for outlet in range(len(OUTLETS)):
        per_outlet = 38 if outlet < 4 else 37
        shared = shared_entries(outlet, when, day)
        local = local_entries(outlet, 12, when, day)
        school = education_entries(outlet, 8, when, day)
        rest = per_outlet - len(shared) - len(local) - len(school)
        feeds.append([*shared, *local, *school, *national_entries(outlet, rest, when, day)])
    return feeds
