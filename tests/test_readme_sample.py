"""README's sample digest is what the bot really sends: this test makes it through the real
bot and compares it with the block between the sample-digest markers in README.md. To refresh
the README after a deliberate change, run this test with WARTA_WRITE_SAMPLE=1."""

import os
import re
from datetime import timedelta
from pathlib import Path

from bot.digest.render import html_to_plain
from tests.support.chats import READER_ID
from tests.support.feedgen import Entry, rss

README = Path(__file__).resolve().parents[1] / "README.md"
MARKERS = re.compile(
    r"(<!-- sample-digest -->\n```text\n)(.*?)(```\n<!-- /sample-digest -->)", re.S
)

# Own texts in the shape of a Kaltim morning: (outlet, path, title, snippet, minutes before).
REPORTS = [
    (
        "Tribun Kaltim",
        "banjir-sempaja",
        "Banjir Rendam 300 Rumah di Sempaja, BPBD Samarinda Buka Posko",
        "TRIBUNKALTIM.CO, SAMARINDA - Hujan deras sejak Rabu malam merendam 300 "
        "rumah di Sempaja Selatan. BPBD Samarinda membuka posko di masjid setempat.",
        50,
    ),
    (
        "ANTARA Kaltim",
        "banjir-samarinda",
        "300 Rumah di Sempaja Samarinda Terendam Banjir",
        "Samarinda (ANTARA) - Sebanyak 300 rumah di Sempaja Selatan terendam setelah hujan "
        "deras; BPBD Samarinda membuka posko pengungsian.",
        40,
    ),
    (
        "Kaltim Post",
        "banjir-posko",
        "BPBD Samarinda Buka Posko untuk Korban Banjir Sempaja",
        "SAMARINDA, Kaltimpost.id - Banjir setinggi lutut merendam 300 rumah di Sempaja. BPBD "
        "membuka posko dan dapur umum.",
        30,
    ),
    (
        "ANTARA Kaltim",
        "jalan-poros",
        "Jalan Poros Samarinda–Bontang Rampung Diperbaiki Sebelum Natal",
        "Samarinda (ANTARA) - Dinas PUPR Kaltim menuntaskan perbaikan 12 titik jalan "
        "poros Samarinda–Bontang menjelang libur Natal.",
        95,
    ),
    (
        "Kaltim Post",
        "pasar-segiri",
        "Harga Cabai di Pasar Segiri Naik Jadi Rp80 Ribu",
        "SAMARINDA, Kaltimpost.id - Harga cabai rawit di Pasar Segiri Samarinda naik dua kali "
        "lipat dalam sepekan.",
        120,
    ),
    (
        "Tribun Kaltim",
        "pelabuhan-kariangau",
        "Terminal Peti Kemas Kariangau Balikpapan Tambah Dua Crane",
        "TRIBUNKALTIM.CO, BALIKPAPAN - Terminal peti kemas Kariangau menambah dua "
        "crane untuk mempercepat bongkar muat.",
        140,
    ),
    (
        "Kaltim Post",
        "beasiswa-guru",
        "Disdikbud Kaltim Buka Beasiswa S1 untuk 500 Guru Honorer",
        "SAMARINDA, Kaltimpost.id - Dinas Pendidikan dan Kebudayaan Kaltim membuka beasiswa S1 "
        "bagi 500 guru honorer sekolah dasar.",
        70,
    ),
    (
        "Nomor Satu Kaltim",
        "beasiswa-honorer",
        "500 Guru Honorer Kaltim Dapat Beasiswa S1",
        "SAMARINDA, NOMORSATUKALTIM - Sebanyak 500 guru honorer sekolah dasar di Kaltim mendapat "
        "beasiswa S1 dari Disdikbud Kaltim.",
        60,
    ),
    (
        "detikcom",
        "spmb-2027",
        "Kemendikdasmen Umumkan Jadwal SPMB 2027 untuk Sekolah Negeri",
        "Jakarta - Sistem penerimaan murid baru jenjang SD, SMP dan SMA dibuka Juni 2027.",
        80,
    ),
]


async def sample_digest(app, reader, admin, feed_host, clock) -> str:
    """The digest a reader following Kaltim and Pendidikan with 3 stories per topic gets at
    07.00 WITA, as Telegram shows it."""
    clock.advance(hours=13)  # Thursday 07.00 WITA
    outlets: dict[str, list[Entry]] = {}
    for outlet, path, title, snippet, minutes in REPORTS:
        host = outlet.split()[0].lower()
        outlets.setdefault(outlet, []).append(
            Entry(
                title,
                f"https://{host}.example/{path}",
                snippet,
                published=clock.now - timedelta(minutes=minutes),
            )
        )
    for number, (outlet, entries) in enumerate(outlets.items()):
        feed_host.add(f"/{number}.xml", rss(entries, title=outlet))
        await admin.say(f"/addfeed {feed_host.url(f'/{number}.xml')}")
    await reader.say("/subscribe kaltim pendidikan")
    await reader.say("/setelan 3")
    return "\n".join(html_to_plain(text) for text in await reader.send("/digest"))


async def test_readme_sample_is_what_the_bot_sends(app, reader, admin, feed_host, clock):
    sample = await sample_digest(app, reader, admin, feed_host, clock) + "\n"
    readme = README.read_text(encoding="utf-8")
    if os.environ.get("WARTA_WRITE_SAMPLE"):
        README.write_text(
            MARKERS.sub(lambda m: m.group(1) + sample + m.group(3), readme), encoding="utf-8"
        )
        readme = README.read_text(encoding="utf-8")
    found = MARKERS.search(readme)
    assert found, "README.md has no sample-digest block"
    assert found.group(2) == sample
    assert READER_ID
