"""Feed dates as Indonesian sites write them, and feedparser's date vectors (bot.feeds.dates)."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.feeds.dates import WIB, WIT, WITA, parse_date

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
VECTORS = SHARED / "corpus" / "feedparser" / "derived" / "date_strings.tsv"


def utc(text: str) -> datetime:
    """ "2024-08-12T03:00:00Z" as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Indonesian day and month names, full and abbreviated; no zone means WIB.
        ("Senin, 12 Agustus 2024 10:00", "2024-08-12T03:00:00Z"),
        ("Sen, 12 Agu 2024 10:00:00 +0700", "2024-08-12T03:00:00Z"),
        ("05 Agustus 2019", "2019-08-04T17:00:00Z"),
        ("Selasa, 13/08/2024 09:15 WIB", "2024-08-13T02:15:00Z"),
        ("Rabu, 14 Agt 2024 | 10.30 WIT", "2024-08-14T01:30:00Z"),
        ("Kamis, 15 Agustus 2024 - 08:00 WIB", "2024-08-15T01:00:00Z"),
        ("Jum'at, 16 Agustus 2024 pukul 14.05 WITA", "2024-08-16T06:05:00Z"),
        ("Jumat, 16 Agustus 2024, 14:05 WITA", "2024-08-16T06:05:00Z"),
        ("Sabtu, 1 Juni 2024 06:00 WITA", "2024-05-31T22:00:00Z"),
        ("Minggu, 5 Mei 2024 19:00 WIB", "2024-05-05T12:00:00Z"),
        ("Ahad, 3 Maret 2024 07:00 WIB", "2024-03-03T00:00:00Z"),
        ("1 Januari 2024 00:00 WIB", "2023-12-31T17:00:00Z"),
        ("29 Februari 2024 12:00 WIB", "2024-02-29T05:00:00Z"),
        ("3 Pebruari 2020 12:00 WIB", "2020-02-03T05:00:00Z"),
        ("10 Okt 2023 12:00 WIB", "2023-10-10T05:00:00Z"),
        ("10 Oktober 2023 12.00.30 WIB", "2023-10-10T05:00:30Z"),
        ("12 Nop 2023 08:00 WIB", "2023-11-12T01:00:00Z"),
        ("12 Nov 2023 08:00 WIB", "2023-11-12T01:00:00Z"),
        ("12 Nopember 2023 08:00 WIB", "2023-11-12T01:00:00Z"),
        ("1 Des 2023 23.59 WITA", "2023-12-01T15:59:00Z"),
        ("17 Agus. 2023 10:00 WIB", "2023-08-17T03:00:00Z"),
        ("SENIN, 12 AGUSTUS 2024 10:00 WIB", "2024-08-12T03:00:00Z"),
        # WITA and WIT: the zones feedparser reads as UTC or drops.
        ("2024-02-12 10:00:00 WITA", "2024-02-12T02:00:00Z"),
        ("2024-02-12 10:00 WIB", "2024-02-12T03:00:00Z"),
        ("2024-02-12 10:00 WIT", "2024-02-12T01:00:00Z"),
        ("Mon, 12 Aug 2024 10:00 WIB", "2024-08-12T03:00:00Z"),
        ("Mon, 12 Aug 2024 10:00:00 WITA", "2024-08-12T02:00:00Z"),
        ("2024-02-12 10:00 Asia/Makassar", "2024-02-12T02:00:00Z"),
        ("Kamis, 15 Okt 2024, 07:00:00 GMT+7", "2024-10-15T00:00:00Z"),
        ("15 Okt 2024 07:00 UTC+08:00", "2024-10-14T23:00:00Z"),
        # Numeric dates: day first unless the year leads; no zone means WIB.
        ("13/08/2024", "2024-08-12T17:00:00Z"),
        ("13.08.2024 09.15", "2024-08-13T02:15:00Z"),
        ("13-08-2024 09:15 WITA", "2024-08-13T01:15:00Z"),
        ("2024/08/13 09:15", "2024-08-13T02:15:00Z"),
        # ISO 8601 and RFC 822 with explicit zones.
        ("2024-08-12T10:00:00+07:00", "2024-08-12T03:00:00Z"),
        ("2024-08-12T10:00:00Z", "2024-08-12T10:00:00Z"),
        ("2024-08-12 10:00:00", "2024-08-12T03:00:00Z"),
        ("Sat, 06 Jun 2026 14:00:00 +0700", "2026-06-06T07:00:00Z"),
        ("Thu, 26 Jun 2025 11:04:03 GMT", "2025-06-26T11:04:03Z"),
        ("  Sat,   06 Jun 2026\n14:00:00 +0700 ", "2026-06-06T07:00:00Z"),
    ],
)
def test_indonesian_dates(text, expected):
    assert parse_date(text) == utc(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "kemarin",
        "Senin",
        "baru saja",
        "32 Agustus 2024",
        "12 Agustus 2024 25:00",
        "31/02/2024",
        "12 Foo 2024 10:00 WIB",
        "12 Agustus 2024 10:00 XYZ",
        "12 Agustus 2024 10:00 Mars/Olympus",
        "12 Agustus 2024 10:00 America/Argentina",  # a folder of tzdata, not a zone
        "12/08/24",
        "Sun, 16 Dec 2012 11:47:32 +24:00",
    ],
)
def test_unreadable_dates_are_none(text):
    assert parse_date(text) is None


def test_result_is_aware_utc():
    moment = parse_date("Selasa, 13/08/2024 09:15 WITA")
    assert moment.tzinfo is UTC and moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("assume", "expected"),
    [
        (WIB, "2024-08-12T03:00:00Z"),
        (WITA, "2024-08-12T02:00:00Z"),
        (WIT, "2024-08-12T01:00:00Z"),
        (UTC, "2024-08-12T10:00:00Z"),
        (timezone(timedelta(hours=-3)), "2024-08-12T13:00:00Z"),
    ],
)
def test_a_date_without_zone_is_read_in_the_assumed_zone(assume, expected):
    assert parse_date("12 Agustus 2024 10:00", assume=assume) == utc(expected)


def test_an_explicit_zone_beats_the_assumed_one():
    assert parse_date("12 Agustus 2024 10:00 WITA", assume=UTC) == utc("2024-08-12T02:00:00Z")


# --- feedparser's vectors (upstream tests/test_date_parsers.py) --------------------------------

# The vectors were written per feedparser helper; one parser for all of them cannot honour
# both "03335" (ISO 8601 ordinal: 2003, day 335) and "22013" (W3C-DTF: a year too long).
CONTRADICTIONS = {
    "22013": "a two-digit-year ordinal date like 03335 (2022, day 13); W3C-DTF alone rejects it",
}


def _vectors() -> list:
    if not VECTORS.exists():
        reason = f"{VECTORS} is absent (the shared corpus sits beside the project, in ../shared)"
        return [pytest.param("", "", "", marks=pytest.mark.skip(reason=reason), id="no-corpus")]
    cases = []
    for number, line in enumerate(VECTORS.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith(("#", "parser_family\t")):
            continue
        family, text, expected, note = line.split("\t")
        marks = []
        if text in CONTRADICTIONS and expected == "NONE":
            marks = [pytest.mark.xfail(strict=True, reason=CONTRADICTIONS[text])]
        cases.append(pytest.param(family, text, expected, marks=marks, id=f"{number}-{family}"))
    return cases


@pytest.mark.parametrize(("family", "text", "expected"), _vectors())
def test_feedparser_date_vectors(family, text, expected):
    # feedparser reads a date without a zone as UTC, and the vectors expect that.
    got = parse_date(text, assume=UTC)
    if expected == "NONE":
        assert got is None, f"{family} {text!r} should not parse"
    else:
        assert got == utc(expected), f"{family} {text!r}"


def test_all_73_vectors_are_there():
    if not VECTORS.exists():
        pytest.skip(f"{VECTORS} is absent (the shared corpus sits beside the project)")
    lines = VECTORS.read_text(encoding="utf-8").splitlines()
    assert len([x for x in lines if x and not x.startswith(("#", "parser_family\t"))]) == 73
