"""Every user-facing string, per language, and the helper that fills them in safely.

Replies are sent with HTML parse mode, so `t()` escapes every field it is given; a field that
is already HTML (built by the digest renderer) is passed wrapped in `Html`.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.locales import english, indonesian

DEFAULT = "id"
TEXTS = {"id": indonesian.TEXTS, "en": english.TEXTS}


class Html(str):
    """A string that is already safe HTML and must not be escaped again."""


def t(lang: str, key: str, **fields: object) -> str:
    """The text for key in lang, with escaped fields filled in. An unknown language gets
    Indonesian; an unknown key is a KeyError (tests/test_locales.py keeps the two locales'
    keys the same, so a reader never gets a text in the other language by accident)."""
    template = TEXTS.get(lang, TEXTS[DEFAULT])[key]
    safe = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in fields.items()
    }
    return template.format(**safe)


def has_text(key: str) -> bool:
    """True when the default language has a text for key."""
    return key in TEXTS[DEFAULT]


def format_clock(lang: str, moment: datetime) -> str:
    """07.00 in Indonesian (the dot is how Indonesian papers write the time), 07:00 in English."""
    return moment.strftime("%H.%M" if lang == "id" else "%H:%M")






def format_decimal(lang: str, value: float) -> str:
    """One decimal, with the decimal comma in Indonesian: 7,9 / 7.9."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "id" else text


def format_time_of_day(lang: str, hhmm: str) -> str:
    """A stored "07:00" as the language writes it."""
    return hhmm.replace(":", ".") if lang == "id" else hhmm


def format_date(lang: str, moment: datetime, *, weekday: bool = True, year: bool = True) -> str:
    """Rabu, 25 November 2026 / Wednesday, 25 November 2026 (without the year if asked)."""
    day = DAYS[lang][moment.weekday()] + ", " if weekday else ""
    tail = f" {moment.year}" if year else ""
    return f"{day}{moment.day} {MONTHS[lang][moment.month - 1]}{tail}"


def plural(lang: str, key: str, count: int) -> str:
    """"1 story" / "3 stories": the text `key_one` for one, `key_other` otherwise (in
    Indonesian both say the same)."""
    return t(lang, f"{key}_one" if count == 1 else f"{key}_other", n=count)


def zone_label(zone: ZoneInfo | str, moment: datetime | None = None) -> str:
    """What readers call the zone: WIB, WITA, WIT; the IANA name for zones without a lettered
    abbreviation (tzdata gives some only as "+07")."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    abbreviation = (moment or datetime.now(UTC)).astimezone(tz).tzname() or ""
    return abbreviation if abbreviation.isalpha() else str(tz.key)


def format_short_date(lang: str, moment: datetime) -> str:
    """25 Nov."""
    return f"{moment.day} {MONTHS[lang][moment.month - 1][:3]}"


DAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "id": [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}







def describe_failure(lang: str, kind: str | None, detail: str | None) -> str:
    """A stored feed failure (see bot.errors.failure_kind) in words an admin can act on."""
    if not kind:
        return detail or ""
    return t(lang, f"fail_{kind}", status=detail or "", detail=detail or "")
