"""Reading feed dates as Indonesian sites write them, as well as RFC 822 and ISO 8601.

feedparser 6.0.14 drops Indonesian day and month names and reads "10:00 WIB" or
"2024-02-12 10:00:00 WITA" as UTC. Pure; imports only stdlib and feedparser (last resort).
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, available_timezones

from feedparser import datetimes as feedparser_dates

# The longest date text read: the longest real one ("Kamis, 12 Desember 2024 pukul 10.00 WITA")
# is under 60 characters, and no pattern below is then given a long text to backtrack over.
MAX_DATE_CHARS = 200
WIB = timezone(timedelta(hours=7), "WIB")  # Waktu Indonesia Barat: Sumatra, Java, West Kalimantan
WITA = timezone(timedelta(hours=8), "WITA")  # Waktu Indonesia Tengah: Kaltim, Bali, Sulawesi
WIT = timezone(timedelta(hours=9), "WIT")  # Waktu Indonesia Timur: Maluku, Papua

_MONTH_NAMES = {
    "januari": 1,
    "january": 1,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "maret": 3,
    "march": 3,
    "april": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "juli": 7,
    "july": 7,
    "agustus": 8,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "october": 10,
    "november": 11,
    "nopember": 11,
    "desember": 12,
    "december": 12,
}
# Abbreviations that are not a prefix of a full name ("Agu", "Okt", "Nop" are prefixes).
_MONTH_ABBREVIATIONS = {"agt": 8, "ags": 8}
_DAY_NAMES = frozenset(
    {
        "senin",
        "sen",
        "selasa",
        "sel",
        "rabu",
        "rab",
        "kamis",
        "kam",
        "jumat",
        "jum'at",
        "jum",
        "sabtu",
        "sab",
        "minggu",
        "min",
        "mgg",
        "ahad",
        "ahd",
        "monday",
        "mon",
        "tuesday",
        "tue",
        "tues",
        "wednesday",
        "wed",
        "thursday",
        "thu",
        "thur",
        "thurs",
        "friday",
        "fri",
        "saturday",
        "sat",
        "sunday",
        "sun",
    }
)
# Hours east of UTC. US and European abbreviations are the ones RFC 822 and feedparser know.
_ZONE_HOURS = {
    "wib": 7,
    "wita": 8,
    "wit": 9,
    "z": 0,
    "ut": 0,
    "utc": 0,
    "gmt": 0,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "ast": -4,
    "adt": -3,
    "at": -4,
    "et": -5,
    "ct": -6,
    "mt": -7,
    "pt": -8,
    "met": 1,
    "mest": 2,
    "cet": 1,
    "cest": 2,
}

_WORD = r"[^\W\d_]+"
_TIME = (
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
    r"(?:[:.](?P<second>\d{2})(?:[.,]\d+)?)?"  # fractions of a second are dropped
)
_OFFSET = r"[+-]\d{1,2}(?::?\d{2})?"
_ZONE = rf"(?P<zone>{_WORD}(?:/{_WORD})?(?:{_OFFSET})?|{_OFFSET})"
# Between the date and the time: "12 Agustus 2024 10:00", "… 2024, 10:00", "… 2024 | 10:00",
# "… 2024 - 10:00", "… 2024 pukul 10.00".
_GLUE = r"(?:\s*[,|\-–—]\s*|\s+)(?:(?:pukul|pkl\.?|jam)\s+)?"
# A zone only after a time: "2013-01-27-01" is not 27 January at UTC-1.
_TAIL = rf"(?:{_GLUE}{_TIME}(?:\s*{_ZONE})?)?\s*$"
_ISO_TAIL = rf"(?:(?:T|{_GLUE}){_TIME}(?:\s*{_ZONE})?)?\s*$"  # ISO 8601 also joins with "T"
_ZONE_PARTS = re.compile(
    r"(?P<name>[^\d+-]*)(?:(?P<sign>[+-])(?P<hours>\d{1,2}):?(?P<minutes>\d{2})?)?"
)
# Strict handlers of feedparser's, each tied to its script or words; see _parse_with_feedparser.
_LOCALIZED = (
    feedparser_dates._parse_date_hungarian,
    feedparser_dates._parse_date_greek,
    feedparser_dates._parse_date_nate,
    feedparser_dates._parse_date_onblog,
)
# ISO 8601:1988 with a two-digit year: "031231", "03-12-31", "-0312", "-03-12", "03335".
_LEGACY_ISO = re.compile(r"^(?:-?\d{2}(?:-?\d{2}){0,2}|\d{5})$")
_DAY_NAME = re.compile(r"^(?P<name>[^\W\d_][\w']*)\.?\s*,?\s*")
_PATTERNS = [
    # "12 Agustus 2024 10:00 WIB", "Sen, 12 Agu 2024 10:00:00 +0700", "13 Feb, 2012", "01 Jan 04".
    re.compile(
        rf"^(?P<day>\d{{1,2}})\.?[\s-]*(?P<month>{_WORD})\.?,?[\s-]*(?P<year>\d{{4}}|\d{{2}})"
        rf"(?!\d){_TAIL}",
        re.IGNORECASE,
    ),
    # "Aug 30 2012 17:26:16 +0200" (JavaScript's Date.toString), "Agustus 12, 2024".
    re.compile(
        rf"^(?P<month>{_WORD})\.?\s*(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){_TAIL}",
        re.IGNORECASE,
    ),
    # asctime: "Jan  4 16:29:06 2004", "Jul 15 01:16:00 +0000 2012".
    re.compile(
        rf"^(?P<month>{_WORD})\s+(?P<day>\d{{1,2}})\s+{_TIME}(?:\s*{_ZONE})?\s+(?P<year>\d{{4}})$",
        re.IGNORECASE,
    ),
    # Numbers: "13/08/2024 09:15 WIB", "13.08.2024", "2024-02-12T10:00:00+08:00", "2006/09/15";
    # a three-digit month is Google's "2003-012-31".
    re.compile(
        rf"^(?P<first>\d{{1,4}})(?P<sep>[/.-])(?P<middle>\d{{1,3}})(?P=sep)(?P<last>\d{{1,4}})"
        rf"{_ISO_TAIL}",
        re.IGNORECASE,
    ),
    # W3C-DTF's reduced precision: "2003-12", "2003".
    re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2}))?$"),
]


def parse_date(text: str, *, assume: tzinfo = WIB) -> datetime | None:
    """The instant a feed date names, as a timezone-aware UTC datetime; None if unreadable.

    Reads Indonesian and English day and month names, full or abbreviated (day names are
    optional and ignored), times with colons or dots, numeric dates day first (13/08/2024) or
    year first (ISO 8601, 2006/09/15), and zones WIB, WITA, WIT (UTC+7, +8, +9), UTC/GMT,
    the RFC 822 US abbreviations and numeric offsets. A date without a time is midnight.

    A date without a zone is read in `assume`, WIB by default: that is what Indonesian
    national sites mean by a bare "10:00". feedparser's convention is UTC; pass `assume=UTC`
    for it. What this grammar cannot read goes to feedparser's strict handlers (Greek,
    Hungarian, Korean, two-digit ISO 8601), which read a missing zone as UTC.
    """
    if not text or not text.strip() or len(text) > MAX_DATE_CHARS:
        return None
    flat = " ".join(text.split())
    return _parse_own(flat, assume) or _parse_with_feedparser(flat)


def _parse_own(text: str, assume: tzinfo) -> datetime | None:
    """The Indonesian-aware grammar; None when no pattern fits or a value is out of range."""
    day_name = _DAY_NAME.match(text)
    if day_name and day_name.group("name").lower() in _DAY_NAMES:
        text = text[day_name.end() :]
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return _build(match.groupdict(), assume)
    return None


def _build(parts: dict[str, str | None], assume: tzinfo) -> datetime | None:
    """A UTC datetime from the matched parts, or None when a part is not a valid value."""
    ymd = _year_month_day(parts)
    zone = _zone(parts.get("zone"), assume)
    if ymd is None or zone is None:
        return None
    try:
        moment = datetime(
            *ymd,
            int(parts.get("hour") or 0),
            int(parts.get("minute") or 0),
            int(parts.get("second") or 0),
            tzinfo=zone,
        )
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # 31 February, 25 o'clock, a shift past year 9999
        return None


def _year_month_day(parts: dict[str, str | None]) -> tuple[int, int, int] | None:
    """(year, month, day) from either the named parts or the three numbers of a numeric date."""
    if parts.get("first"):
        first, middle, last = parts["first"], parts["middle"], parts["last"]
        if len(first) == 4 and len(last) <= 2:
            return int(first), int(middle), int(last)
        if len(last) == 4 and len(first) <= 2:
            # Day first, as Indonesia writes it; a month-first US date is not guessed at.
            return int(last), int(middle), int(first)
        return None  # two-digit years are ambiguous here ("03-12-31"): feedparser decides
    month_text = parts.get("month") or "1"
    month = int(month_text) if month_text.isdigit() else _month(month_text)
    if month is None:
        return None
    year = int(parts["year"] or 0)
    if len(parts["year"] or "") == 2:
        year += 2000 if year < 50 else 1900  # RFC 2822 section 4.3
    return year, month, int(parts.get("day") or 1)


def _month(word: str) -> int | None:
    """The month a name or abbreviation stands for: "Agustus", "Agu", "Agt", "Okt", "Nop"."""
    word = word.lower().rstrip(".")
    if word in _MONTH_NAMES:
        return _MONTH_NAMES[word]
    if word in _MONTH_ABBREVIATIONS:
        return _MONTH_ABBREVIATIONS[word]
    if len(word) >= 3:
        for name, number in _MONTH_NAMES.items():
            if name.startswith(word):
                return number
    return None


def _zone(text: str | None, assume: tzinfo) -> tzinfo | None:
    """The zone a name and/or offset stands for ("WITA", "+0700", "GMT-01:01"); None if unknown."""
    if not text:
        return assume
    match = _ZONE_PARTS.fullmatch(text)
    if match is None:
        return None
    name, sign = match.group("name"), match.group("sign")
    if "/" in name:
        # "Asia/Makassar", "Etc/GMT"; an offset after one is a trap ("Etc/GMT-7" is UTC+7).
        return None if sign else _named_zone(name)
    base = _ZONE_HOURS.get(name.lower()) if name else 0
    if base is None or (sign and base != 0):
        return None  # unknown, or an offset after a zone that has one ("WIB+07:00")
    offset = timedelta(hours=base)
    if sign:
        hours, minutes = int(match.group("hours")), int(match.group("minutes") or 0)
        if hours > 23 or minutes > 59:
            return None
        offset += (-1 if sign == "-" else 1) * timedelta(hours=hours, minutes=minutes)
    return timezone(offset)


def _named_zone(name: str) -> tzinfo | None:
    """An IANA zone such as Asia/Makassar, or None."""
    # Looked up in the list first: ZoneInfo("America/Argentina") opens a directory and raises
    # IsADirectoryError, which a feed must not be able to trigger.
    return ZoneInfo(name) if name in _iana_zones() else None


@functools.cache
def _iana_zones() -> frozenset[str]:
    """The names of the IANA time zones installed (tzdata is a dependency)."""
    return frozenset(available_timezones())


def _parse_with_feedparser(text: str) -> datetime | None:
    """feedparser's handlers for localized dates and two-digit ISO 8601; a UTC 9-tuple each.

    Its lenient W3C-DTF, RFC 822 and generic ISO 8601 handlers are left out on purpose: they
    read "10:00 WIB" as UTC, drop the time of "10:00:00 WITA" and accept "25:14:55".
    """
    handlers = list(_LOCALIZED)
    if _LEGACY_ISO.match(text):
        handlers.append(feedparser_dates._parse_date_iso8601)
    for handler in handlers:
        try:
            parsed = handler(text)
            if parsed:
                return datetime(*parsed[:6], tzinfo=UTC)
        except (KeyError, OverflowError, ValueError, AttributeError, TypeError):
            continue  # the exceptions feedparser's own dispatcher skips, plus a bad tuple
    return None
