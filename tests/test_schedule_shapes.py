"""/schedule with days (07.00 senin-jumat, 19.00 sabtu) and the weekly digest
(mingguan senin 07.00: the week's most reported stories per topic)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage import feeds as feed_store
from storage import subscribers as subscriber_store
from tests.support.chats import READER_ID, services_of
from tests.support.feedgen import Entry, kaltim_entries, rss

pytestmark = pytest.mark.timeout(30)
WITA = ZoneInfo("Asia/Makassar")


def digests_to(api) -> list[str]:
    return [t for t in api.sent_texts(READER_ID) if "Ringkasan Warta" in t]


async def test_weekday_times_skip_the_weekend(app, reader, feed_host, clock, telegram_api):
    # The clock starts on Wednesday 25 November 2026, 18:00 WITA.
    services = services_of(app)
    feed_host.add("/kabar.xml", rss(kaltim_entries(2, start=clock.now)))
    feed_store.add_feed(services.core.db, feed_host.url("/kabar.xml"), clock.now)
    await services.ingest.poll_all()
    await reader.say("/subscribe kaltim")
    answer = await reader.say("/schedule 07.00 senin-jumat, 19.00 sabtu")
    assert "07.00 (Senin–Jumat)" in answer and "19.00 (Sabtu)" in answer
    assert "setiap hari" not in answer
    stored = subscriber_store.get_subscriber(services.core.db, READER_ID).digest_times
    assert stored == ("07:00@12345", "19:00@6")

    async def at(day: int, hour: int) -> int:
        """Run the scheduled check on `day` November 2026 at hour:05 WITA; digests so far."""
        clock.now = datetime(2026, 11, day, hour, 5, tzinfo=WITA).astimezone(UTC)
        await services.digests.send_due()
        return len(digests_to(telegram_api))

    async def publish(prefix: str) -> None:
        feed_host.add("/kabar.xml", rss(kaltim_entries(1, start=clock.now, prefix=prefix)))
        await services.ingest.poll_all(force=True)

    assert await at(26, 7) == 1  # Thursday 07.05: the two stories
    await publish("Jumat")
    assert await at(27, 7) == 2  # Friday 07.05
    await publish("Sabtu")
    assert await at(28, 7) == 2  # Saturday 07.05: no weekday digest ...
    assert await at(28, 19) == 3  # ... but Saturday 19.05 has one
    await publish("Minggu")
    assert await at(29, 7) == 3 and await at(29, 19) == 3  # Sunday: nothing
    assert await at(30, 7) == 4  # Monday 07.05
    assert "Minggu 1:" in digests_to(telegram_api)[-1]
    assert services.outbox.last_run().dropped == 0  # no day counts as "missed"


async def test_weekly_digest_brings_the_weeks_most_reported_stories(
    app, reader, admin, feed_host, clock, telegram_api
):
    now = clock.now
    flood = [
        (
            "kabar",
            "Banjir Rendam 12 RT di Sempaja Samarinda",
            "Banjir setinggi 80 sentimeter merendam 12 RT di Sempaja sejak Selasa malam.",
        ),
        (
            "antara",
            "Banjir 80 Sentimeter Rendam Sempaja, 12 RT Terdampak",
            "BPBD Samarinda mencatat 12 RT di Sempaja terendam banjir 80 sentimeter.",
        ),
    ]
    for number, (outlet, title, summary) in enumerate(flood):
        entries = [
            Entry(
                title,
                f"https://{outlet}.example/banjir",
                summary,
                published=now - timedelta(hours=1),
            )
        ]
        if outlet == "kabar":
            entries.append(
                Entry(
                    "Harga Cabai di Pasar Segiri Samarinda Turun",
                    "https://kabar.example/cabai",
                    "Pasokan melimpah.",
                    published=now - timedelta(hours=2),
                )
            )
        feed_host.add(f"/f{number}.xml", rss(entries, title=outlet.title()))
        await admin.say(f"/addfeed {feed_host.url(f'/f{number}.xml')}")
    await reader.say("/subscribe kaltim")
    assert "Sempaja" in await reader.say("/digest")  # read on Wednesday already
    answer = await reader.say("/schedule mingguan senin 07.00")
    # One pair of brackets each: the day with its time, the time zone once.
    assert "(waktu WITA) pukul 07.00 (mingguan, setiap Senin)." in answer

    services = services_of(app)
    clock.now = now + timedelta(days=4, hours=13, minutes=5)  # Monday 30 November, 07:05 WITA
    await services.digests.send_due()
    texts = telegram_api.sent_texts(READER_ID)
    intro = next(i for i, text in enumerate(texts) if "Ringkasan mingguan" in text)
    weekly = texts[intro + 1]
    assert "Ringkasan Warta" in weekly and "Sempaja" in weekly and "Juga diberitakan" in weekly
    clock.advance(days=1)  # Tuesday: no weekly digest
    await services.digests.send_due()
    assert len(telegram_api.sent_texts(READER_ID)) == len(texts)


@pytest.mark.parametrize("words", ["07.00 kamisan", "senin", "25.00 senin", "mingguan"])
async def test_unreadable_schedules_are_explained_in_both_languages(reader, words):
    await reader.say("/start")
    answer = await reader.say(f"/schedule {words}")
    assert "Format jam tidak dikenali" in answer and "senin-jumat" in answer
    await reader.say("/language en")
    assert "monday-friday" in await reader.say(f"/schedule {words}")
    subscriber = services_of(reader.app).subscribers.get(READER_ID)
    assert subscriber.digest_times == ("07:00",)  # unchanged
