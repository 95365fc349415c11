"""Builders of small RSS documents for tests (fixtures of our own, made in code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape


@dataclass
class Entry:
    """One <item>; `summary` is HTML, escaped into the XML as feeds do."""

    title: str
    link: str
    summary: str = ""
    guid: str | None = None
    published: datetime | None = None


def rss(entries: list[Entry], *, title: str = "Kabar Kaltim") -> str:
    """An RSS 2.0 document with these entries."""
    items = []
    for entry in entries:
        parts = [f"<title>{escape(entry.title)}</title>", f"<link>{escape(entry.link)}</link>"]
        if entry.summary:
            parts.append(f"<description>{escape(entry.summary)}</description>")
        if entry.guid:
            parts.append(f'<guid isPermaLink="false">{escape(entry.guid)}</guid>')
        if entry.published:
            parts.append(f"<pubDate>{format_datetime(entry.published)}</pubDate>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://kabar.example/</link>"
        f"<description>Berita</description>{''.join(items)}</channel></rss>"
    )


STREETS = [
    "Antasari",
    "Juanda",
    "Pahlawan",
    "Cendana",
    "Wahid Hasyim",
    "Ahmad Yani",
    "Slamet Riyadi",
    "Gatot Subroto",
    "Suryanata",
    "Kadrie Oening",
    "Siradj Salman",
]
WORKS = ["aspal", "drainase", "trotoar", "lampu jalan", "jembatan", "gorong-gorong"]


def kaltim_entries(count: int, *, start: datetime, prefix: str = "Berita") -> list[Entry]:
    """`count` distinct Samarinda stories (tagged kaltim by the default rules), a minute apart.

    Each names its own street, kind of work and budget, so story clustering keeps them apart;
    `prefix` keeps the stories of two calls apart too.
    """
    entries = []
    for n in range(1, count + 1):
        street = STREETS[(n + len(prefix)) % len(STREETS)]
        work = WORKS[(n * 7 + len(prefix)) % len(WORKS)]
        code = f"{prefix[:3].upper()}{n:03d}"
        entries.append(
            Entry(
                title=f"{prefix} {n}: Paket {code}, {work} Jalan {street} Samarinda",
                link=f"https://kabar.example/{prefix.lower()}/{n}",
                summary=(
                    f"Paket {code} senilai Rp{n * 37 + len(prefix)} juta untuk {work} di "
                    f"Jalan {street}, Kota Samarinda, Kalimantan Timur, dimulai pekan ini."
                ),
                published=start - timedelta(minutes=n),
            )
        )
    return entries


def flood_entries(count: int, *, start: datetime, path: str = "banjir") -> list[Entry]:
    """`count` reports of floods in Samarinda's neighbourhoods, a minute apart before `start`
    (what a /cari for "banjir" finds, several pages of it)."""
    return [
        Entry(
            f"Banjir Rendam Kelurahan {n} di Samarinda",
            f"https://kabar.example/{path}/{n}",
            "Air setinggi lutut.",
            published=start - timedelta(minutes=n),
        )
        for n in range(1, count + 1)
    ]


def utc(*args: int) -> datetime:
    """A UTC datetime."""
    return datetime(*args, tzinfo=UTC)
