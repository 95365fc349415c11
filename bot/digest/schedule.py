"""Reading the digest times a reader types: "07.00,19.00", "07.00 senin-jumat, 19.00 sabtu",
"mingguan senin 07.00". Day and weekly words come from the locales, in both languages."""

from __future__ import annotations

import re

from bot.models import ScheduleSlot
from bot.text.texts import TEXTS, accepted_words, word_list

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_DAYS: dict[str, int] = {
    name: number
    for lang in TEXTS
    for number, name in enumerate(word_list(lang, "schedule_day_words"), start=1)
}
_WEEKLY = accepted_words("schedule_weekly_words")
_DASHES = str.maketrans({"–": "-", "—": "-"})


def parse_schedule(text: str) -> tuple[str, ...]:
    """The stored entries (see ScheduleSlot) of what the reader typed, sorted, deduplicated.

    Groups are separated by commas; in a group, the times share its days ("07.00 12.00
    senin-jumat"); a group without days is every day; "mingguan" makes its times weekly
    (on Monday unless a day is named). Raises ValueError for anything else.
    """
    entries: set[str] = set()
    for group in text.translate(_DASHES).casefold().split(","):
        if not group.strip():
            continue
        times: list[tuple[int, int]] = []
        days: set[int] = set()
        weekly = False
        for token in group.split():
            if token in _WEEKLY:
                weekly = True
            elif m := _TIME.fullmatch(token):
                times.append((int(m.group(1)), int(m.group(2))))
            else:
                days |= _day_range(token)
        if not times:
            raise ValueError(group)
        chosen = tuple(sorted(days)) if days else ((1,) if weekly else tuple(range(1, 8)))
        for hour, minute in times:
            entries.add(
                ScheduleSlot.from_entry(ScheduleSlot(hour, minute, chosen, weekly).entry).entry
            )
    if not entries:
        raise ValueError(text)
    return tuple(sorted(entries, key=lambda e: (e.startswith("w"), e.removeprefix("w"))))


def _day_range(token: str) -> set[int]:
    """{1} for "senin", {1..5} for "senin-jumat", {6, 7, 1} for "sabtu-senin"."""
    first, _, last = token.partition("-")
    if first not in _DAYS or (last and last not in _DAYS):
        raise ValueError(token)
    start, end = _DAYS[first], _DAYS[last or first]
    span = (end - start) % 7
    return {(start - 1 + k) % 7 + 1 for k in range(span + 1)}
