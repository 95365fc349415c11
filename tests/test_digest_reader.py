"""The digest a Kaltim reader reads to the end (issue 12), through the real bot over loopback:
capped and ranked topics, silent later parts, offered items reachable through /latest, and
nothing shown twice."""

import re
from datetime import timedelta

import pytest

from bot.feeds.outlets import outlet_for
from storage import feeds as feed_store
from tests.support.chats import READER_ID, Chat, services_of
from tests.support.feedgen import Entry, kaltim_entries, rss
from tests.support.newsday import OUTLETS, day_of_news

pytestmark = pytest.mark.timeout(60)

LINK = re.compile(r'href="([^"]+)"')


def stories_of(html: str) -> list[str]:
    """The story blocks of a digest or /latest message, in order."""
    return [block for block in html.split("\n\n") if block.startswith("▪️")]


def outlets_in(block: str) -> int:
    """How many outlets a story block names: its own and the "also" links."""
    return len(LINK.findall(block))


def sections_of(messages: list[str]) -> dict[str, list[str]]:
    """Topic heading -> its story blocks, across the messages of one digest."""
    sections: dict[str, list[str]] = {}
    current = None
    for message in messages:
        for block in message.split("\n\n"):
            heading = re.fullmatch(r"<b>([^<]+?)</b>(?: \(lanjutan\))?", block)
            if heading:
                current = sections.setdefault(heading.group(1), [])
            elif block.startswith("▪️") and current is not None:
                current.append(block)
    return sections


async def publish_day(app, feed_host, when, day):
    """Serve a day of news from eight outlets and poll it in."""
    services = services_of(app)
    for outlet, entries in enumerate(day_of_news(when, day=day)):
        path = f"/{OUTLETS[outlet][0]}.xml"
        feed_host.add(path, rss(entries, title=OUTLETS[outlet][1]))
        if day == 0:
            feed_store.add_feed(services.core.db, feed_host.url(path), when)
    await services.ingest.poll_all()


async def scheduled_digest(app, telegram_api, *chat_ids):
    """Run the digest job once; per chat, the messages it sent there, with their params."""
    before = {chat_id: len(telegram_api.sent_messages(chat_id)) for chat_id in chat_ids}
    services = services_of(app)
    await services.digests.send_due()
    return [telegram_api.sent_messages(chat_id)[before[chat_id] :] for chat_id in chat_ids]


async def latest_pages(chat: Chat, topic: str) -> str:
    """Every page of /latest for a topic, joined."""
    pages, command = [], f"/latest {topic}"
    for _ in range(100):
        page = await chat.say(command)
        pages.append(page)
        following = re.search(r"Berita sebelumnya: (/latest [^<]+)", page)
        if not following:
            return "\n".join(pages)
        command = following.group(1)
    raise AssertionError("/latest never ended")


async def test_a_day_of_300_items_makes_a_short_ranked_digest(
    app, reader, feed_host, clock, telegram_api, measured
):
    """Done when (issue 12): Kaltim + Pendidikan after a day of 300 items from 8 feeds."""
    await reader.say("/subscribe kaltim pendidikan")
    uncapped = Chat(app, telegram_api, READER_ID + 1)  # the same-run baseline: no cap
    await uncapped.say("/subscribe kaltim pendidikan")
    await uncapped.say("/setelan semua")
    clock.advance(hours=12, minutes=55)  # 06:55 WITA the next morning
    await publish_day(app, feed_host, clock.now, day=0)
    db = services_of(app).core.db
    assert db.table("items").count == 300
    clock.advance(minutes=5, seconds=5)  # 07:00:05 WITA

    messages, baseline = await scheduled_digest(app, telegram_api, READER_ID, READER_ID + 1)
    measured(
        f"digest of a 300-item day (Kaltim + Pendidikan): {len(messages)} message(s) with "
        f"the default cap of 5, {len(baseline)} with no cap (same run)"
    )
    assert 1 <= len(messages) <= 2 < len(baseline)
    assert not messages[0].get("disable_notification")  # the first part rings ...
    assert all(m.get("disable_notification") for m in messages[1:])  # ... the rest are silent
    assert not baseline[0].get("disable_notification")
    assert all(m.get("disable_notification") for m in baseline[1:])
    texts = [m["text"] for m in messages]
    assert re.search(
        r"Ringkasan Warta</b> · Kamis, 26 November · 07\.00 WITA · 10 berita "
        r"dari \d+ media",
        texts[0],
    )
    assert texts[-1].endswith("Atur: /topics · /schedule · /pause")

    sections = sections_of(texts)
    assert set(sections) == {"Kaltim", "Pendidikan"}
    for blocks in sections.values():
        assert len(blocks) == 5  # the default cap
        counts = [outlets_in(block) for block in blocks]
        assert counts == sorted(counts, reverse=True)  # more outlets first
    assert "Banjir Rendam" in sections["Kaltim"][0] and outlets_in(sections["Kaltim"][0]) == 4
    assert "Beasiswa Guru" in sections["Pendidikan"][0]
    more = re.findall(r"\+(\d+) berita lain — (/latest \w+)", "\n".join(texts))
    assert [command for _, command in more] == ["/latest kaltim", "/latest pendidikan"]

    shown = {link for text in texts for link in LINK.findall(text)}
    on_topics = {
        row["link"]
        for row in db.query(
            """SELECT DISTINCT i.link FROM items i JOIN item_topics it ON it.item_id = i.id
           WHERE it.topic_slug IN ('kaltim', 'education')"""
        )
    }
    reachable = set(LINK.findall(await latest_pages(reader, "kaltim")))
    reachable |= set(LINK.findall(await latest_pages(reader, "pendidikan")))
    assert on_topics - shown and not (on_topics - shown) - reachable

    # The next day: a new day of news; yesterday's offered items are not brought up again.
    clock.advance(hours=23, minutes=50)
    await publish_day(app, feed_host, clock.now, day=1)
    clock.advance(minutes=10)
    [sent] = await scheduled_digest(app, telegram_api, READER_ID)
    second = [m["text"] for m in sent]
    assert 1 <= len(second) <= 2
    again = {link for text in second for link in LINK.findall(text)}
    assert again and not again & shown
    assert all("/d1/" in link for link in again), again


def keyboard_of(message: dict) -> dict[str, str]:
    """Button label -> callback data of a message's inline keyboard."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows for button in row}


@pytest.fixture
async def schools(app, admin, feed_host, clock):
    """One outlet's morning: a Samarinda school story (Kaltim and Pendidikan), a newer national
    school story (Pendidikan only), and a Kaltim road story (Kaltim only)."""
    entries = [
        Entry(
            "Guru SD Negeri 7 Samarinda Ikuti Pelatihan Literasi",
            "https://kabar.example/sd7-samarinda",
            "Sebanyak 30 guru SD Negeri 7 Samarinda, Kalimantan Timur, ikut pelatihan literasi.",
            published=clock.now - timedelta(hours=3),
        ),
        Entry(
            "Kemendikdasmen Umumkan Jadwal SPMB 2027 untuk Sekolah Negeri",
            "https://kabar.example/spmb",
            "Sistem penerimaan murid baru jenjang SD, SMP dan SMA dibuka Juni.",
            published=clock.now - timedelta(hours=1),
        ),
        Entry(
            "Pemprov Kaltim Perbaiki Jalan Poros Samarinda–Bontang",
            "https://kabar.example/jalan-poros",
            "Perbaikan jalan poros di Kalimantan Timur dikebut sebelum Natal.",
            published=clock.now - timedelta(hours=2),
        ),
    ]
    feed_host.add("/sekolah.xml", rss(entries, title="Kabar Kaltim"))
    assert "ditambahkan" in await admin.say(f"/addfeed {feed_host.url('/sekolah.xml')}")


async def test_local_school_news_is_filed_under_the_subject_and_ranked_first(schools, reader):
    await reader.say("/subscribe kaltim pendidikan")
    sections = sections_of(await reader.send("/digest"))
    kaltim, education = sections["Kaltim"], sections["Pendidikan"]
    assert len(kaltim) == 1 and "Jalan Poros" in kaltim[0]  # what no subject took
    assert len(education) == 2
    assert "SD Negeri 7 Samarinda" in education[0]  # local before national, though older
    assert "SPMB 2027" in education[1]


async def test_wilayah_narrows_subjects_to_the_readers_regions(schools, reader):
    await reader.say("/subscribe kaltim pendidikan")
    answer = await reader.say("/wilayah")
    assert "hanya memuat berita Kaltim" in answer
    digest = await reader.say("/digest")
    assert "SD Negeri 7 Samarinda" in digest and "Jalan Poros" in digest
    assert "SPMB 2027" not in digest  # education, but not from Kaltim
    assert "dari mana saja" in await reader.say("/wilayah")


async def test_wilayah_without_a_region_says_what_to_do(reader):
    await reader.say("/subscribe pendidikan")
    assert "Ikuti dulu topik wilayah" in await reader.say("/wilayah")
    assert not services_of(reader.app).subscribers.get(READER_ID).region_only


async def test_only_kaltim_button_on_the_topics_keyboard(schools, reader, telegram_api):
    await reader.say("/subscribe kaltim pendidikan")
    await reader.send("/topics")
    shown = telegram_api.sent_messages(READER_ID)[-1]
    await reader.tap(shown["message_id"], keyboard_of(shown)["📍 Hanya berita Kaltim"])
    edited = telegram_api.message(READER_ID, shown["message_id"])
    assert "✅ 📍 Hanya berita Kaltim" in keyboard_of(edited)
    assert "SPMB 2027" not in await reader.say("/digest")


async def test_admin_defined_region(app, admin, reader, feed_host, clock):
    await admin.say("/addtopic samarinda Samarinda")
    await admin.say("/topic samarinda include Samarinda")
    assert "wilayah" in await admin.say("/region samarinda")
    feed_host.add(
        "/kota.xml",
        rss(
            [
                Entry(
                    "Guru SD Negeri 9 Samarinda Ikuti Pelatihan Numerasi",
                    "https://kabar.example/sd9",
                    "Guru SD Negeri 9 Samarinda belajar numerasi.",
                    published=clock.now - timedelta(hours=1),
                ),
                Entry(
                    "Guru SMP Negeri 2 Balikpapan Ikuti Pelatihan Numerasi",
                    "https://kabar.example/smp2",
                    "Guru SMP Negeri 2 Balikpapan belajar numerasi.",
                    published=clock.now - timedelta(hours=1),
                ),
            ]
        ),
    )
    await admin.say(f"/addfeed {feed_host.url('/kota.xml')}")
    await reader.say("/subscribe samarinda pendidikan")
    await reader.say("/wilayah")
    digest = await reader.say("/digest")
    assert "SD Negeri 9 Samarinda" in digest and "Balikpapan" not in digest


async def test_cap_is_chosen_with_buttons(app, admin, reader, feed_host, clock, telegram_api):
    feed_host.add("/banyak.xml", rss(kaltim_entries(8, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/banyak.xml')}")
    await reader.say("/subscribe kaltim")
    await reader.send("/setelan")
    shown = telegram_api.sent_messages(READER_ID)[-1]
    assert list(keyboard_of(shown)) == ["3", "✅ 5", "10", "semua"]
    await reader.tap(shown["message_id"], keyboard_of(shown)["3"])
    assert list(keyboard_of(telegram_api.message(READER_ID, shown["message_id"]))) == [
        "✅ 3",
        "5",
        "10",
        "semua",
    ]
    digest = await reader.say("/digest")
    assert len(stories_of(digest)) == 3
    assert "+5 berita lain — /latest kaltim" in digest
    assert "Belum ada berita baru" in await reader.say("/digest")  # the 5 were offered
    assert "Berita 8:" in await reader.say("/latest kaltim")  # ... and are reachable


async def test_a_wrong_cap_gets_the_buttons(reader, telegram_api):
    await reader.send("/setelan 7")
    shown = telegram_api.sent_messages(READER_ID)[-1]
    assert "Berapa berita per topik" in shown["text"] and "semua" in keyboard_of(shown)


async def test_english_digest_has_english_names_and_plurals(schools, reader):
    await reader.say("/subscribe kaltim")
    await reader.say("/language en")
    digest = await reader.say("/digest")
    assert "<b>East Kalimantan</b>" in digest
    assert "2 stories from 1 outlet" in digest
    assert "Settings: /topics · /schedule · /pause" in digest


async def test_admin_names_a_feeds_outlet(schools, admin, reader):
    assert "Tribun Kaltim" in await admin.say("/feedname 1 Tribun Kaltim")
    await reader.say("/subscribe kaltim")
    digest = await reader.say("/digest")
    assert "<i>Tribun Kaltim · " in digest and "Kabar Kaltim" not in digest
    assert "/feedname" in await admin.say("/feedname satu Tribun")


@pytest.mark.parametrize(
    "url, outlet",
    [
        ("https://kaltim.antaranews.com/rss/ekonomi.xml", "ANTARA Kaltim"),
        ("https://www.cnnindonesia.com/nasional/rss", "CNN Indonesia"),
        ("https://kaltim.tribunnews.com/rss", "Tribun Kaltim"),
        ("https://blog.example/feed", None),
    ],
)
def test_outlet_registry_names_the_default_feeds(url, outlet):
    assert outlet_for(url) == outlet


async def test_times_are_shown_with_wib_wita_wit(reader):
    assert "pukul 07.00 WITA" in await reader.say("/schedule")
    assert "pukul 06.30 dan 19.00 WITA" in await reader.say("/schedule 06.30,19.00")
    answer = await reader.say("/timezone WIB")
    assert "Asia/Jakarta" in answer and "WIB" in answer  # /timezone alone names the IANA zone
    shown = await reader.say("/schedule")
    assert "WIB" in shown and "Asia/" not in shown
    await reader.say("/timezone Asia/Jayapura")
    assert "WIT" in await reader.say("/resume")


async def test_done_before_an_evening_digest_says_today(reader, telegram_api):
    await reader.send("/start")
    welcome = telegram_api.sent_messages(READER_ID)[-1]
    await reader.say("/schedule 19.00")  # it is 18.00 WITA
    await reader.tap(welcome["message_id"], keyboard_of(welcome)["Kaltim"])
    await reader.tap(welcome["message_id"], keyboard_of(welcome)["Selesai ✔️"])
    assert "hari ini pukul 19.00 WITA" in telegram_api.sent_messages(READER_ID)[-1]["text"]


async def test_a_big_backlog_is_counted_not_shown(app, admin, reader, feed_host, clock):
    """Composing reads a bounded number of items per topic (30 per story shown), and counts
    the rest: a backlog far beyond that still makes one short message with the right count."""
    feed_host.add("/banjir.xml", rss(kaltim_entries(400, start=clock.now, prefix="Arsip")))
    await admin.say(f"/addfeed {feed_host.url('/banjir.xml')}")
    await reader.say("/subscribe kaltim")
    await reader.say("/setelan 3")  # reads at most 90 of the 400
    messages = await reader.send("/digest")
    assert len(messages) == 1 and len(stories_of(messages[0])) == 3
    assert "+397 berita lain — /latest kaltim" in messages[0]
    assert "Arsip 1:" in messages[0]  # the newest, all else equal
    assert "Belum ada berita baru" in await reader.say("/digest")


async def test_latest_merges_one_storys_reports(app, admin, reader, feed_host, clock):
    reports = [
        (
            "Tribun Kaltim",
            "Kebakaran Hanguskan 12 Rumah di Sungai Kunjang",
            "Si jago merah menghanguskan 12 rumah di Loa Bakung, Sungai Kunjang, Samarinda.",
        ),
        (
            "ANTARA Kaltim",
            "12 Rumah di Loa Bakung Samarinda Terbakar",
            "Kebakaran melanda permukiman di Loa Bakung, Sungai Kunjang, Samarinda; 12 rumah "
            "hangus.",
        ),
    ]
    for number, (outlet, title, summary) in enumerate(reports):
        feed_host.add(
            f"/{number}.xml",
            rss(
                [
                    Entry(
                        title,
                        f"https://o{number}.example/kebakaran",
                        summary,
                        published=clock.now - timedelta(hours=number + 1),
                    )
                ],
                title=outlet,
            ),
        )
        await admin.say(f"/addfeed {feed_host.url(f'/{number}.xml')}")
    latest = await reader.say("/latest kaltim")
    assert len(stories_of(latest)) == 1 and "Juga diberitakan:" in latest
    assert "1 berita terbaru: Kaltim" in latest  # the header counts what it shows


async def test_done_with_a_weekly_digest_names_its_day(reader, telegram_api):
    """A weekly schedule on a Thursday evening: the next digest is Monday's, named by its
    date, not "besok" (weekday and weekly times are read as such, not as plain clock times)."""
    await reader.send("/start")
    welcome = telegram_api.sent_messages(READER_ID)[-1]
    await reader.say("/schedule mingguan senin 07.00")  # it is Thursday, 18.00 WITA
    await reader.tap(welcome["message_id"], keyboard_of(welcome)["Kaltim"])
    await reader.tap(welcome["message_id"], keyboard_of(welcome)["Selesai ✔️"])
    done = telegram_api.sent_messages(READER_ID)[-1]["text"]
    assert "Senin, 30 November pukul 07.00 WITA" in done
