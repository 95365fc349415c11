"""A topic followed later (issue 22): its first digest reaches back a day like a new reader's,
and what it offered is not offered again, through the real bot over loopback.

The bug this pins: the digest kept one "offered up to item N" mark per chat, so a reader who
followed Kerja Sama Luar Negeri after a Kaltim digest got none of that topic's items stored
before it, though they were from the same day and never shown to them.
"""

import re
from datetime import datetime, timedelta

import pytest

from storage import feeds as feed_store
from tests.support.chats import READER_ID, services_of
from tests.support.feedgen import Entry, kaltim_entries, rss, utc

pytestmark = pytest.mark.timeout(60)

LINK = re.compile(r'href="([^"]+)"')
PARTNERS = [
    ("Jepang", "vokasi perikanan"),
    ("Korea Selatan", "pabrik baterai"),
    ("Australia", "beasiswa peternakan"),
    ("Jerman", "energi surya"),
    ("Belanda", "pengelolaan air"),
    ("Singapura", "pelabuhan digital"),
    ("Tiongkok", "kereta cepat"),
]


def cooperation_entries(start: datetime, *, prefix: str = "kerjasama") -> list[Entry]:
    """National stories of cooperation with another country (tagged foreign_cooperation, not
    kaltim), an hour apart from `start` on."""
    return [
        Entry(
            title=f"Indonesia dan {country} Teken Kerja Sama {sector.title()}",
            link=f"https://nasional.example/{prefix}/{n}",
            summary=(
                f"Pemerintah RI dan {country} menandatangani nota kesepahaman kerja sama "
                f"{sector} senilai {n + 3} juta dolar di Jakarta."
            ),
            published=start + timedelta(hours=n),
        )
        for n, (country, sector) in enumerate(PARTNERS)
    ]


async def store_news(app, feed_host, entries: list[Entry]) -> None:
    """Serve the entries in one feed and poll it in."""
    services = services_of(app)
    feed_host.add("/berita.xml", rss(entries))
    if not feed_store.list_feeds(services.core.db):
        feed_store.add_feed(services.core.db, feed_host.url("/berita.xml"), services.core.now())
    await services.ingest.poll_all(force=True)


async def digest(app, telegram_api, reader, how: str) -> list[str]:
    """The reader's digest: asked for with /digest, or the scheduled one of the moment."""
    before = len(telegram_api.sent_messages(READER_ID))
    if how == "/digest":
        await reader.say("/digest")
    else:
        await services_of(app).digests.send_due()
    return [m["text"] for m in telegram_api.sent_messages(READER_ID)[before:]]


@pytest.mark.parametrize("how", ["/digest", "scheduled"])
async def test_a_topic_followed_later_brings_its_day_and_repeats_none(
    app, reader, feed_host, telegram_api, clock, how
):
    await reader.say("/subscribe kaltim")  # Wednesday 18.00 WITA; digests at 07.00 WITA
    clock.now = utc(2026, 11, 25, 22, 30)
    # The day's news, stored before the reader follows cooperation: Kaltim stories, seven
    # cooperation stories of the last hours, and one from two days ago (out of reach).
    old = cooperation_entries(utc(2026, 11, 23, 20, 0), prefix="lama")[:1]
    await store_news(
        app,
        feed_host,
        kaltim_entries(4, start=utc(2026, 11, 25, 21, 0))
        + cooperation_entries(utc(2026, 11, 25, 12, 0))
        + old,
    )
    clock.now = utc(2026, 11, 25, 23, 0, 5)  # Thursday 07.00 WITA
    first = await digest(app, telegram_api, reader, how)
    assert first and "Kerja Sama" not in "\n".join(first)  # Kaltim only: 4 stories
    assert "4 berita" in first[0]

    clock.now = utc(2026, 11, 25, 23, 10)
    assert "Kerja Sama Luar Negeri" in await reader.say("/subscribe foreign_cooperation")
    if how == "scheduled":
        clock.now = utc(2026, 11, 26, 23, 0, 5)  # Friday 07.00 WITA
    second = "\n".join(await digest(app, telegram_api, reader, how))
    shown = set(LINK.findall(second))
    # The topic's unshown items of the last 24 hours come: the default five of seven, the
    # rest counted and within reach of /latest; nothing of Kaltim again, nothing older.
    assert "<b>Kerja Sama Luar Negeri</b>" in second
    assert len(shown) == 5 and all("/kerjasama/" in link for link in shown), shown
    assert "+2 berita lain — /latest kerja sama luar negeri" in second
    assert "/lama/" not in second

    # The digest after that repeats none of them, shown or counted.
    if how == "scheduled":
        clock.now = utc(2026, 11, 27, 23, 0, 5)
        assert await digest(app, telegram_api, reader, how) == []  # empty: not sent
    else:
        clock.advance(minutes=20)
        assert "Belum ada berita baru" in "\n".join(await digest(app, telegram_api, reader, how))
    # New news of both topics still comes after their own marks.
    clock.advance(hours=1)
    await store_news(
        app, feed_host, cooperation_entries(clock.now - timedelta(hours=8), prefix="baru")[:2]
    )
    if how == "scheduled":
        clock.now = utc(2026, 11, 28, 23, 0, 5)
    third = "\n".join(await digest(app, telegram_api, reader, how))
    assert {link.rsplit("/", 2)[1] for link in LINK.findall(third)} == {"baru"}


async def test_unfollowing_and_following_again_reaches_back_but_repeats_nothing_shown(
    app, reader, feed_host, telegram_api, clock
):
    await reader.say("/subscribe kaltim foreign_cooperation")
    clock.advance(hours=2)
    await store_news(app, feed_host, cooperation_entries(clock.now - timedelta(hours=8)))
    clock.advance(minutes=5)
    first = "\n".join(await digest(app, telegram_api, reader, "/digest"))
    assert len(set(LINK.findall(first))) == 5
    await reader.say("/unsubscribe foreign_cooperation")
    await reader.say("/subscribe foreign_cooperation")
    clock.advance(minutes=20)
    again = "\n".join(await digest(app, telegram_api, reader, "/digest"))
    # The two counted but never shown come now; the five shown never again.
    assert set(LINK.findall(again)) == {
        link
        for link in (e.link for e in cooperation_entries(clock.now))
        if link not in set(LINK.findall(first))
    }


def test_a_database_from_before_m015_keeps_each_chats_mark_on_its_topics(tmp_path, clock):
    """The one mark per chat becomes each followed topic's, and a digest waiting across the
    upgrade marks only the topics it was composed from once it is sent."""
    from sqlite_utils import Database

    from storage import outbox as outbox_store
    from storage import subscribers as subscriber_store
    from storage.db import open_database, to_iso
    from storage.migrations import MIGRATIONS

    path = tmp_path / "lama.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m015_offered_per_topic")
    subscriber_store.create_subscriber(
        old, 7, language="id", timezone="Asia/Makassar", digest_times=("07:00",), now=clock.now
    )
    for slug in ("kaltim", "education"):
        old.execute(
            "INSERT INTO topics (slug, name, created_at) VALUES (?, ?, ?)",
            [slug, slug.title(), to_iso(clock.now)],
        )
    old.execute("INSERT INTO subscriber_topics (chat_id, topic_slug) VALUES (7, 'kaltim')")
    old.execute("UPDATE subscribers SET offered_through = 40 WHERE chat_id = 7")
    old.execute(
        """INSERT INTO outbox (chat_id, due_at, seq, text, item_ids, created_at, next_try_at,
                               offered_through)
           VALUES (7, ?, 0, 'Ringkasan', '[]', ?, ?, 55)""",
        [to_iso(clock.now)] * 3,
    )
    old.close()

    db = open_database(path)  # m015 applied
    [kaltim] = subscriber_store.get_subscriber(db, 7).marks
    assert (kaltim.slug, kaltim.followed_at, kaltim.offered_through) == ("kaltim", clock.now, 40)
    subscriber_store.add_topics(db, 7, ["education"], clock.now)  # followed after the upgrade
    [waiting] = outbox_store.pending_for(db, 7)
    outbox_store.mark_sent(db, [(waiting, 7)], clock.now)
    marks = {m.slug: m.offered_through for m in subscriber_store.get_subscriber(db, 7).marks}
    assert marks == {"kaltim": 55, "education": None}
    db.close()
