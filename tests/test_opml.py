"""Feed lists in and out as OPML: through the bot (a file in the chat) and the command line."""

import asyncio
from pathlib import Path

import pytest

from bot.errors import FeedParseError
from bot.feeds.opml import OpmlFeed, parse_opml, write_opml
from storage import feeds as feed_store
from tests.support.chats import ADMIN_ID, services_of
from tests.support.factories import document_update, to_update
from tests.support.feedgen import Entry, rss
from tests.support.running import run_main

SHARED_OPML = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpus"
    / "indonesian"
    / "plenary-awesome-rss-feeds"
    / "Indonesia.opml"
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<opml version="1.0"><body><outline text="&lol4;" xmlUrl="https://x.example/rss"/></body></opml>"""

pytestmark = pytest.mark.timeout(30)


def opml_of(*urls: str) -> bytes:
    return write_opml([OpmlFeed(url, f"Kanal {n}") for n, url in enumerate(urls)])


def test_round_trip_keeps_urls_and_titles():
    feeds = [
        OpmlFeed("https://kaltim.antaranews.com/rss/terkini.xml", "ANTARA Kaltim & Co"),
        OpmlFeed("https://kaltimpost.jawapos.com/rss", ""),
    ]
    back = parse_opml(write_opml(feeds))
    assert back == [feeds[0], OpmlFeed(feeds[1].url, feeds[1].url)]


def test_reads_a_real_nested_opml_list():
    if not SHARED_OPML.exists():
        pytest.skip("../shared/corpus/indonesian not found: the OPML sample lives beside the repo")
    feeds = parse_opml(SHARED_OPML.read_bytes())
    assert [f.url for f in feeds][:2] == [
        "https://www.republika.co.id/rss/",
        "https://www.tribunnews.com/rss",
    ]
    assert len(feeds) == 4 and feeds[1].title == "Tribunnews.com"


@pytest.mark.parametrize(
    "data",
    [b"", b"<rss></rss>", b"<opml><body>", BILLION_LAUGHS],
    ids=["empty", "not-opml", "broken", "billion-laughs"],
)
def test_bad_documents_are_refused(data):
    with pytest.raises(FeedParseError):
        parse_opml(data)


async def send_document(app, api, data: bytes, caption: str | None) -> list[str]:
    api.add_file("opml-1", data)
    before = len(api.sent_messages(ADMIN_ID))
    update = document_update(ADMIN_ID, "opml-1", file_size=len(data), caption=caption)
    await app.process_update(to_update(update, app.bot))
    return [m["text"] for m in api.sent_messages(ADMIN_ID)[before:]]


async def test_import_from_a_file_sent_with_the_caption(app, telegram_api, feed_host, clock):
    good = feed_host.add("/baik.xml", rss([Entry("Samarinda", "https://kabar.example/1")]))
    existing = feed_host.add("/ada.xml", rss([Entry("Bontang", "https://kabar.example/2")]))
    await services_of(app).ingest.add_feed(existing)
    data = opml_of(good, existing, feed_host.url("/hilang.xml"))
    answers = await send_document(app, telegram_api, data, "/importopml")
    assert "1 ditambahkan, 1 sudah ada, 1 gagal" in answers[-1] and "HTTP 404" in answers[-1]
    urls = {f.url for f in feed_store.list_feeds(services_of(app).core.db)}
    assert urls == {good, existing}


async def test_import_without_a_file_gets_usage(app, admin, reader):
    assert "Kirim berkas OPML" in await admin.say("/importopml")
    assert "hanya untuk admin" in await reader.say("/importopml")


async def test_export_sends_the_list_as_a_file(app, admin, telegram_api, feed_host):
    url = feed_host.add(
        "/baik.xml", rss([Entry("Samarinda", "https://kabar.example/1")], title="Kabar Baik")
    )
    await admin.say(f"/addfeed {url}")
    await admin.send("/exportopml")
    [sent] = telegram_api.sent_documents(ADMIN_ID)
    upload = sent["document"]
    assert upload.filename == "warta-feeds.opml"
    assert parse_opml(upload.content) == [OpmlFeed(url, "Kabar Baik")]


@pytest.mark.slow
async def test_command_line_import_and_export(tmp_path, feed_host):
    good = feed_host.add("/baik.xml", rss([Entry("Samarinda", "https://kabar.example/1")]))
    path = tmp_path / "in.opml"
    path.write_bytes(opml_of(good, "http://127.0.0.1:9/rss"))
    result = await asyncio.to_thread(
        run_main, ["feeds", "import", str(path)], tmp_path, ALLOW_PRIVATE_FEED_URLS="false"
    )
    assert "0 added, 0 duplicate, 2 failed" in result.stdout  # private addresses refused
    result = await asyncio.to_thread(
        run_main, ["feeds", "import", str(path)], tmp_path, ALLOW_PRIVATE_FEED_URLS="true"
    )
    assert "added      " + good in result.stdout
    out = tmp_path / "out.opml"
    result = await asyncio.to_thread(run_main, ["feeds", "export", str(out)], tmp_path)
    assert result.returncode == 0 and [f.url for f in parse_opml(out.read_bytes())] == [good]
