"""Every user-facing string, per language, and the helpers that fill them in safely and write
times, dates, numbers and lists as each language does. The words themselves live in
bot/text/locales/; this module holds none, so a new language is a new locale file.

Replies are sent with HTML parse mode, so `t()` escapes every field it is given; a field that
is already HTML (built by the digest renderer) is passed wrapped in `Html`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from bot.models import ScheduleSlot
from bot.text.locales import english, indonesian

DEFAULT = "id"
TEXTS = {"id": indonesian.TEXTS, "en": english.TEXTS}


class Html(str):
    """A string that is already safe HTML and must not be escaped again."""


# Fields that name a thing rather than count it: a feed's id is typed back (/removefeed 1234),
# so it is never grouped like a count.
IDENTIFIERS = frozenset({"id"})


def t(lang: str, key: str, **fields: object) -> str:
    """The text for key in lang, with escaped fields filled in; a number field (but an id) is
    written as the language writes numbers (format_number). An unknown language gets
    Indonesian; an unknown key is a KeyError (tests/test_locales.py keeps the two locales'
    keys the same, so a reader never gets a text in the other language by accident)."""
    template = TEXTS.get(lang, TEXTS[DEFAULT])[key]
    return template.format(**{name: _field(lang, name, value) for name, value in fields.items()})


def _field(lang: str, name: str, value: object) -> str:
    if isinstance(value, Html):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and name not in IDENTIFIERS:
        return format_number(lang, value)
    return html.escape(str(value), quote=False)


def has_text(key: str) -> bool:
    """True when the default language has a text for key."""
    return key in TEXTS[DEFAULT]


def word_list(lang: str, key: str) -> list[str]:
    """A comma-separated text as its words, in order: day_names[0] is Monday."""
    return t(lang, key).split(",")


@cache
def accepted_words(key: str) -> frozenset[str]:
    """What a reader may type for one meaning (`key` a comma-separated list, e.g. off_words),
    in any language: readers mix them, so "/schedule off" works in an Indonesian chat."""
    return frozenset(
        word.strip().casefold() for texts in TEXTS.values() for word in texts[key].split(",")
    )


def join_words(lang: str, parts: Sequence[str]) -> str:
    """ "07.00, 12.00 dan 19.00" / "07:00, 12:00 and 19:00"."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])}{t(lang, 'list_and')}{parts[-1]}"


def format_time_of_day(lang: str, hhmm: str) -> str:
    """A stored "07:00" as the language writes it (Indonesian papers write 07.00)."""
    return hhmm.replace(":", t(lang, "clock_separator"))


def format_clock(lang: str, moment: datetime) -> str:
    """07.00 in Indonesian, 07:00 in English."""
    return format_time_of_day(lang, moment.strftime("%H:%M"))


def format_decimal(lang: str, value: float) -> str:
    """One decimal, with the decimal comma in Indonesian: 7,9 / 7.9; 1.234,5 / 1,234.5."""
    return format_number(lang, value, places=1)


def format_number(lang: str, value: float, places: int | None = None) -> str:
    """Every count and figure a reader sees, as the language writes it (issue 22): digits
    grouped by three (Indonesian 12.345, English 12,345), the decimal comma in Indonesian
    (2,5 / 2.5; 1.234,5 / 1,234.5), never exponent notation. `places` fixes the decimals;
    without it, an int has none and a float as many as it needs, up to six. The separators
    are the locale's words `thousands_separator` and `decimal_separator`."""
    if not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and places is None:
        places = 0
    text = f"{abs(value):,.{6 if places is None else places}f}"
    if places is None:
        text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", t(lang, "thousands_separator"))
    sign = "-" if value < 0 and text.strip("0.,") else ""
    return sign + whole + (t(lang, "decimal_separator") + fraction if fraction else "")


def format_count(lang: str, count: int) -> str:
    """A count as the language writes it: 12.345 / 12,345 (format_number of an int)."""
    return format_number(lang, count)


def format_date(lang: str, moment: datetime, *, weekday: bool = True, year: bool = True) -> str:
    """Rabu, 25 November 2026 / Wednesday, 25 November 2026 (without the year if asked)."""
    day = word_list(lang, "day_names")[moment.weekday()] + ", " if weekday else ""
    tail = f" {moment.year}" if year else ""
    return f"{day}{moment.day} {word_list(lang, 'month_names')[moment.month - 1]}{tail}"


def format_moment(lang: str, moment: datetime | None, tz: ZoneInfo) -> str:
    """25 Nov 2026 07.00 WITA, in the given zone; "belum pernah" / "never" for None."""
    if moment is None:
        return t(lang, "never")
    local = moment.astimezone(tz)
    return (
        f"{format_short_date(lang, local)} {local.year} {format_clock(lang, local)} "
        f"{local.tzname()}"
    )


def format_short_date(lang: str, moment: datetime) -> str:
    """25 Nov / 25 Agu."""
    return f"{moment.day} {word_list(lang, 'month_names')[moment.month - 1][:3]}"


def plural(lang: str, key: str, count: int) -> str:
    """ "1 story" / "3 stories": the text `key_one` for one, `key_other` otherwise (in
    Indonesian both say the same)."""
    return t(lang, f"{key}_one" if count == 1 else f"{key}_other", n=count)


def zone_label(zone: ZoneInfo | str, moment: datetime | None = None) -> str:
    """What readers call the zone: WIB, WITA, WIT; the IANA name for zones without a lettered
    abbreviation (tzdata gives some only as "+07")."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    abbreviation = (moment or datetime.now(UTC)).astimezone(tz).tzname() or ""
    return abbreviation if abbreviation.isalpha() else str(tz.key)


def every_day(times: Sequence[str]) -> bool:
    """True when every digest time is a daily one (the texts then say "every day")."""
    return all(ScheduleSlot.from_entry(entry).every_day for entry in times)


def describe_times(lang: str, times: Sequence[str]) -> str:
    """07.00 dan 19.00 / 07:00 and 19:00; times on some days or weekly say so:
    "07.00 (Senin–Jumat) dan 07.00 (mingguan, setiap Senin)"."""
    slots = [ScheduleSlot.from_entry(entry) for entry in times]
    daily = all(slot.every_day for slot in slots)
    return join_words(lang, [_describe_slot(lang, slot, daily) for slot in slots])


def _describe_slot(lang: str, slot: ScheduleSlot, daily: bool) -> str:
    clock = format_time_of_day(lang, f"{slot.hour:02d}:{slot.minute:02d}")
    if daily:
        return clock
    names = word_list(lang, "day_names")
    if slot.weekly:
        days = ", ".join(names[d - 1] for d in slot.days)
        return f"{clock} ({t(lang, 'schedule_weekly', day=days)})"
    if slot.every_day:
        return f"{clock} ({t(lang, 'schedule_every_day')})"
    days = list(slot.days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{clock} ({names[days[0] - 1]}–{names[days[-1] - 1]})"
    return f"{clock} ({', '.join(names[d - 1] for d in days)})"


# A stored error's detail is shown up to this long: it comes from outside (a server's answer,
# or a restored file's row), so it is bounded as well as escaped.
MAX_FAILURE_DETAIL = 300


def describe_failure(lang: str, kind: str | None, detail: str | None) -> str:
    """A stored feed failure (see bot.errors.failure_kind) in words an admin can act on, as
    HTML: the detail escaped (and shortened) however it is shown, with a kind or without one
    (an older row, or a kind this Warta has no words for)."""
    detail = (detail or "")[:MAX_FAILURE_DETAIL]
    if not kind or not has_text(f"fail_{kind}"):
        return html.escape(detail, quote=False)
    return t(lang, f"fail_{kind}", status=detail, detail=detail)
