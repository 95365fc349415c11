"""The digest times a reader types (bot/digest/schedule.py): what is read, what is refused."""

import pytest

from bot.digest.schedule import parse_schedule
from bot.models import ScheduleSlot


@pytest.mark.parametrize(
    ("typed", "entries"),
    [
        ("07:00,19.30", ("07:00", "19:30")),
        ("7.00 19:30", ("07:00", "19:30")),
        ("07.00 senin-jumat, 19.00 sabtu", ("07:00@12345", "19:00@6")),
        ("07.00 Jumat–Senin", ("07:00@1567",)),
        ("mingguan senin 07.00", ("w07:00@1",)),
        ("weekly friday 17:00, 07:00", ("07:00", "w17:00@5")),
        ("mingguan 07.00", ("w07:00@1",)),
    ],
)
def test_schedules_in_readers_words(typed, entries):
    assert parse_schedule(typed) == entries
    assert all(ScheduleSlot.from_entry(e).entry == e for e in entries)


@pytest.mark.parametrize("typed", ["senin", "07.00 kamisan", "24.00", "07.60 senin", ","])
def test_unreadable_schedules_are_refused(typed):
    with pytest.raises(ValueError):
        parse_schedule(typed)
