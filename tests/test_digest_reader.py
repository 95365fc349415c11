"""The digest a Kaltim reader reads to the end (issue 12), through the real bot over loopback:
capped and ranked topics, silent later parts, offered items reachable through /latest, and
nothing shown twice."""

import re

import pytest

from storage import feeds as feed_store
from tests.conftest import READER_ID, Chat, services_of
from tests.feedgen import rss
from tests.newsday import OUTLETS, day_of_news

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
    await services.digests.send_due(services.sender)
    return [telegram_api.sent_messages(chat_id)[before[chat_id]:] for chat_id in chat_ids]


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


async def test_a_day_of_300_items_makes_a_short_ranked_digest(app, reader, feed_host, clock,
                                                               telegram_api, measured):
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
    measured(f"digest of a 300-item day (Kaltim + Pendidikan): {len(messages)} messages with "
             f"the default cap of 5, {len(baseline)} with no cap (same run)")
    assert 1 <= len(messages) <= 2 < len(baseline)
    assert not messages[0].get("disable_notification")  # the first part rings ...
    assert all(m.get("disable_notification") for m in messages[1:])  # ... the rest are silent
    texts = [m["text"] for m in messages]
    assert re.search(r"Ringkasan Warta</b> · Kamis, 26 November · 07\.00 WITA · 10 berita "
                     r"dari \d+ media", texts[0])
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
    on_topics = {row["link"] for row in db.query(
        """SELECT DISTINCT i.link FROM items i JOIN item_topics it ON it.item_id = i.id
           WHERE it.topic_slug IN ('kaltim', 'education')""")}
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
