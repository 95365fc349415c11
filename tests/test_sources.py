"""/addfeed of any page and /addsite of a domain find the site's own source, through the real
bot: a feed the page names, a WordPress /feed/ nothing links to, a news sitemap named in
robots.txt (or a sitemap index leading to one), Google News last, and one clear answer for a
site with nothing. The sites are tests/fixtures/sites/, served by the loopback feed host (the
`sites` fixture answers for every name)."""

import gzip
import json
from pathlib import Path

import pytest

from bot.feeds.discover import MAX_REQUESTS
from storage import feeds as feed_store
from tests.support.chats import ADMIN_ID, Chat, services_of
from tests.test_discover import fixture

pytestmark = pytest.mark.timeout(30)
GOOGLE = Path(__file__).parent / "fixtures" / "googlenews"
HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"


def serve(host, path: str, name: str, site: str, content_type: str = XML) -> str:
    """Serve fixture `name` at `path`, its {site} filled in."""
    return host.add(path, fixture(name, site), content_type=content_type)


def only_feed(app):
    feeds = services_of(app).admin.feeds()
    assert len(feeds) == 1, feeds
    return feeds[0]


def stored_items(app) -> list[dict]:
    return list(
        services_of(app).core.db.query(
            "SELECT title, link, summary FROM items ORDER BY published_at DESC"
        )
    )


async def test_addfeed_of_a_home_page_follows_the_feed_it_names(app, admin, feed_host):
    site = feed_host.url("").rstrip("/")
    serve(feed_host, "/", "home_names_feed.html", site, HTML)
    serve(feed_host, "/rss/terkini.xml", "terkini.xml", site)
    answer = await admin.say(f"/addfeed {site}/")
    assert "lewat feed RSS milik situsnya sendiri" in answer and "2 berita" in answer
    assert f"{site}/rss/terkini.xml" in answer
    feed = only_feed(app)
    assert (feed.url, feed.kind) == (f"{site}/rss/terkini.xml", "feed")
    assert stored_items(app)[0]["title"].startswith("Banjir Rendam 300 Rumah di Sempaja")
    # The named feed was enough: no comments feed, no guessing of usual addresses.
    assert [r.path for r in feed_host.requests()] == ["/", "/rss/terkini.xml"]
    assert "feed RSS" in await admin.say("/feeds")  # how each outlet is followed


async def test_addfeed_finds_a_wordpress_feed_nothing_links_to(app, admin, feed_host):
    site = feed_host.url("").rstrip("/")
    serve(feed_host, "/", "home_wordpress_unlinked.html", site, HTML)
    serve(feed_host, "/feed/", "wordpress_feed.xml", site, "application/rss+xml; charset=UTF-8")
    answer = await admin.say(f"/addfeed {site}/")
    assert "feed RSS" in answer and f"{site}/feed/" in answer and "2 berita" in answer
    assert only_feed(app).url == f"{site}/feed/"
    titles = [item["title"] for item in stored_items(app)]
    assert titles == [
        "Jalan MT Haryono Diperlebar Mulai Desember",
        "Investor Jepang Lirik Kawasan Industri Kariangau",
    ]


async def test_addsite_follows_the_news_sitemap_robots_txt_names(app, admin, reader, sites):
    site = f"http://etamtoday.example:{sites.port}"
    serve(sites, "/", "home_no_feed.html", site, HTML)
    serve(sites, "/robots.txt", "robots_news.txt", site, "text/plain")
    serve(sites, "/sitemaps/news.xml", "news_sitemap.xml", site)
    answer = await admin.say("/addsite etamtoday.example")
    assert "lewat peta situs berita (news sitemap) milik situsnya sendiri" in answer
    assert "Etam Today" in answer and "3 berita" in answer
    feed = only_feed(app)
    assert (feed.url, feed.kind, feed.site) == (
        f"{site}/sitemaps/news.xml",
        "sitemap",
        "etamtoday.example",
    )
    items = stored_items(app)
    assert [item["link"] for item in items][0] == (
        f"{site}/daerah/samarinda/pemkot-samarinda-tambah-armada-sampah"
    )
    assert items[1]["title"] == "Pemprov Kaltim & Anhui Sepakati Kerja Sama Hilirisasi Industri"
    assert all(item["summary"] == "" for item in items)  # the lead is read from the page
    # The usual feed addresses were tried first, within the bound, and Google was not asked.
    assert 2 < len(sites.requests()) <= MAX_REQUESTS
    assert sites.requests("/rss/search") == []
    # A sitemap is polled like a feed: a conditional GET, and nothing new.
    await admin.say_until("/pollnow", "feed diambil")
    again = sites.requests("/sitemaps/news.xml")[-1]
    assert again.headers.get("If-None-Match") and len(stored_items(app)) == 3
    # What a reader gets from it: the news sitemap's titles, tagged from the headline.
    await reader.say("/start")
    await reader.say("/subscribe kaltim")
    assert "Pemkot Samarinda Tambah 12 Armada" in await reader.say("/digest")


async def test_a_sitemap_index_is_followed_to_its_news_sitemap(app, admin, sites, clock):
    site = f"http://kaltimkini.example:{sites.port}"
    serve(sites, "/", "home_no_feed.html", site, HTML)
    serve(sites, "/robots.txt", "robots_index.txt", site, "text/plain")
    serve(sites, "/sitemap_index.xml", "sitemap_index.xml", site)
    serve(sites, "/news-sitemap.xml", "news_sitemap.xml", site)
    serve(sites, "/post-sitemap.xml", "plain_sitemap.xml", site)
    answer = await admin.say("/addsite kaltimkini.example")
    assert "peta situs berita" in answer and "3 berita" in answer
    assert only_feed(app).url == f"{site}/sitemap_index.xml"  # the index: its children move
    assert sites.requests("/post-sitemap.xml") == []  # the news sitemap is named as such
    # A new story in the news sitemap: the next poll reads the index and, through it, the
    # news sitemap again (conditionally), and stores the one new item.
    body = fixture("news_sitemap.xml", site).replace(
        b"<url>",
        (
            f"<url><loc>{site}/daerah/bontang/kapal-tanker-kandas</loc><news:news>"
            "<news:publication><news:name>Etam Today</news:name><news:language>id</news:language>"
            "</news:publication><news:publication_date>2026-11-25T17:40:00+08:00"
            "</news:publication_date><news:title>Kapal Tanker Kandas di Perairan Bontang"
            "</news:title></news:news></url><url>"
        ).encode(),
        1,
    )
    sites.add("/news-sitemap.xml", body, content_type=XML)
    clock.advance(minutes=15)
    await admin.say_until("/pollnow", "feed diambil")
    assert len(stored_items(app)) == 4
    assert stored_items(app)[0]["title"] == "Kapal Tanker Kandas di Perairan Bontang"
    asked = sites.requests("/news-sitemap.xml")
    assert len(asked) == 2 and asked[-1].headers.get("If-None-Match")


async def test_a_windows_1252_page_leads_to_a_feed_with_a_blank_line_before_xml(
    app, admin, feed_host
):
    site = feed_host.url("").rstrip("/")
    serve(feed_host, "/index.php", "home_cp1252.html", site, "text/html")
    # Old PHP sites send their feed as text/html too.
    serve(feed_host, "/rss.php", "rss_blank_line_cp1252.xml", site, "text/html")
    answer = await admin.say(f"/addfeed {site}/index.php")
    assert "feed RSS" in answer and "1 berita" in answer
    assert stored_items(app)[0]["title"] == (
        "Bupati Kutim Resmikan Pasar Induk Sangatta – “Pedagang Tak Lagi Berjualan di Jalan”"
    )


async def test_a_site_with_nothing_gets_one_clear_answer_and_nothing_is_added(app, admin, sites):
    site = f"http://sepi.example:{sites.port}"
    serve(sites, "/", "home_no_feed.html", site, HTML)
    sites.add(
        "/rss/search?q=site:sepi.example&hl=id&gl=ID&ceid=ID:id",
        (GOOGLE / "site_no_results.xml").read_bytes(),
    )
    answers = await admin.send("/addsite sepi.example")
    assert len(answers) == 1
    assert "tidak menemukan sumber berita di sepi.example" in answers[0]
    assert "Tidak ada yang ditambahkan" in answers[0]
    assert services_of(app).admin.feeds() == []
    # Bounded: the home page, the probes, then the one Google News search.
    assert len(sites.requests()) <= 1 + MAX_REQUESTS + 1
    # A page of an address without a site name (an IP): the same answer, and no Google.
    before = len(sites.requests("/rss/search"))
    answer = await admin.say(f"/addfeed {sites.url('/')}")
    assert "tidak menemukan sumber berita" in answer
    assert len(sites.requests("/rss/search")) == before and services_of(app).admin.feeds() == []


async def test_a_page_that_never_ends_and_a_page_of_50_mb_are_passed_over(app, admin, sites):
    site = f"http://berat.example:{sites.port}"
    # The home page drips a byte a second (the fetch deadline is cut to 1 s here); /feed/ is
    # 50 MB once inflated (the cap stops it at 5 MB); /rss is the WordPress feed.
    services_of(app).ingest.fetch_deadline = 1.0
    sites.drip("/", fixture("home_wordpress_unlinked.html", site), interval=1.0, content_type=HTML)
    huge = b"<html><head><title>x</title></head><body>" + b"<p>kabar</p>" * 4_500_000
    sites.add(
        "/feed/",
        gzip.compress(huge, compresslevel=1, mtime=0),
        content_type=HTML,
        headers={"Content-Encoding": "gzip"},
    )
    serve(sites, "/rss", "wordpress_feed.xml", site, "application/rss+xml")
    answer = await admin.say("/addsite berat.example")
    assert "feed RSS" in answer and f"{site}/rss" in answer
    assert only_feed(app).url == f"{site}/rss"


async def test_discovery_never_connects_to_a_private_address(
    make_settings, build_bot, clock, telegram_api, feed_host
):
    from bot.app import shutdown

    site = feed_host.url("").rstrip("/")
    serve(feed_host, "/", "home_names_feed.html", site, HTML)
    app = await build_bot(make_settings(allow_private_feed_urls="false"), clock=clock)
    async with app:
        admin = Chat(app, telegram_api, ADMIN_ID)
        services_of(app).sources.google_news_search = feed_host.url("/rss/search")
        answer = await admin.say(f"/addfeed {site}/")
        assert "gagal ditambahkan" in answer and "ditolak" in answer
        # A site name that resolves to a private address: refused at the first hop, so no
        # usual address is tried and Google is not asked.
        services_of(app).sources.site_address = f"http://localhost:{feed_host.port}/"
        answer = await admin.say("/addsite kabar.example")
        assert "gagal ditambahkan" in answer and "ditolak" in answer
        assert feed_host.requests() == []
        assert feed_store.count_feeds(services_of(app).core.db) == 0
    await shutdown(app)


async def test_addsite_of_a_listed_outlet_moves_it_to_the_sites_own_feed(app, admin, sites, clock):
    db = services_of(app).core.db
    google = f"{sites.url('/rss/search')}?q=site:suarabpp.example&hl=id&gl=ID&ceid=ID:id"
    feed_store.add_site_feeds_if_missing(
        db, [("suarabpp.example", google, "Suara Balikpapan", "Suara Balikpapan")], clock.now
    )
    site = f"http://suarabpp.example:{sites.port}"
    serve(sites, "/", "home_wordpress_unlinked.html", site, HTML)
    serve(sites, "/feed/", "wordpress_feed.xml", site, "application/rss+xml")
    answer = await admin.say("/addsite suarabpp.example")
    assert "Feed 1 (Suara Balikpapan) kini diikuti lewat feed RSS" in answer
    feed = only_feed(app)
    assert (feed.id, feed.url, feed.kind, feed.outlet) == (
        1,
        f"{site}/feed/",
        "feed",
        "Suara Balikpapan",
    )
    assert feed.site_checked_at == clock.now and len(stored_items(app)) == 2
    # Asked again: it is listed with that feed already.
    assert "sudah terdaftar dengan id 1" in await admin.say("/addsite suarabpp.example")


async def test_addsite_of_a_listed_outlet_with_nothing_of_its_own_keeps_google(
    app, admin, sites, clock
):
    db = services_of(app).core.db
    google = f"{sites.url('/rss/search')}?q=site:niaga.example&hl=id&gl=ID&ceid=ID:id"
    feed_store.add_site_feeds_if_missing(
        db, [("niaga.example", google, "Niaga Asia", "Niaga Asia")], clock.now
    )
    serve(sites, "/", "home_no_feed.html", f"http://niaga.example:{sites.port}", HTML)
    answer = await admin.say("/addsite niaga.example")
    assert answer == (
        "Niaga Asia (feed 1) tetap diikuti lewat Google News: Warta belum "
        "menemukan feed RSS atau peta situs berita di niaga.example."
    )
    feed = only_feed(app)
    assert (feed.url, feed.kind, feed.site_checked_at) == (google, "googlenews", clock.now)


async def test_a_site_waiting_at_start_is_looked_at_and_loses_nothing(app, sites, clock):
    services = services_of(app)
    db = services.core.db
    google = f"{sites.url('/rss/search')}?q=site:etamtoday.example&hl=id&gl=ID&ceid=ID:id"
    feed_store.add_site_feeds_if_missing(
        db, [("etamtoday.example", google, "Etam Today", "Etam Today")], clock.now
    )
    # The site cannot be reached yet (nothing served): its Google News stand-in stays, and it
    # is looked at again at the next start.
    assert await services.sources.check_sites() == 0
    assert [(f.url, f.kind, f.site_checked_at) for f in feed_store.list_feeds(db)] == [
        (google, "googlenews", None)
    ]
    site = f"http://etamtoday.example:{sites.port}"
    serve(sites, "/", "home_no_feed.html", site, HTML)
    serve(sites, "/robots.txt", "robots_news.txt", site, "text/plain")
    serve(sites, "/sitemaps/news.xml", "news_sitemap.xml", site)
    clock.advance(minutes=1)
    assert await services.sources.check_sites() == 1
    feed = only_feed(app)
    assert (feed.kind, feed.url, feed.outlet) == (
        "sitemap",
        f"{site}/sitemaps/news.xml",
        "Etam Today",
    )
    assert feed.site_checked_at == clock.now and len(stored_items(app)) == 3
    assert feed_store.sites_to_check(db) == []  # once: the next start leaves it alone


async def test_addfeed_of_a_page_moves_the_sites_google_stand_in_to_its_feed(
    app, admin, sites, clock
):
    db = services_of(app).core.db
    google = f"{sites.url('/rss/search')}?q=site:suarabpp.example&hl=id&gl=ID&ceid=ID:id"
    feed_store.add_site_feeds_if_missing(
        db, [("suarabpp.example", google, "Suara Balikpapan", "Suara Balikpapan")], clock.now
    )
    site = f"http://suarabpp.example:{sites.port}"
    serve(sites, "/", "home_wordpress_unlinked.html", site, HTML)
    serve(sites, "/feed/", "wordpress_feed.xml", site, "application/rss+xml")
    answer = await admin.say(f"/addfeed {site}/")
    assert "Feed 1 (Suara Balikpapan) kini diikuti lewat feed RSS" in answer
    assert only_feed(app).url == f"{site}/feed/"
    # Followed by its own feed now: /addsite of it is a duplicate, and nothing is fetched.
    before = len(sites.requests())
    assert "sudah terdaftar dengan id 1" in await admin.say("/addsite suarabpp.example")
    assert len(sites.requests()) == before


def test_a_database_from_before_m016_gets_its_google_searches_looked_at(tmp_path, clock):
    from sqlite_utils import Database

    from storage.db import open_database
    from storage.migrations import MIGRATIONS

    path = tmp_path / "lama.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m016_feed_kind_and_site")
    google = "https://news.google.com/rss/search?q=site:Niaga.Asia&hl=id&gl=ID&ceid=ID:id"
    feed_store.add_feed(old, "https://kaltim.tribunnews.com/rss", clock.now)
    feed_store.add_feed(old, google, clock.now)
    old.close()
    db = open_database(path)
    tribun, niaga = feed_store.list_feeds(db)
    assert (tribun.kind, tribun.site) == ("feed", None)
    assert (niaga.kind, niaga.site, niaga.site_checked_at) == ("googlenews", "niaga.asia", None)
    assert [feed.id for feed in feed_store.sites_to_check(db)] == [niaga.id]
    db.close()


async def test_start_up_never_waits_for_a_site_and_keeps_its_stand_in(
    make_settings, build_bot, telegram_api, feed_host, clock
):
    from bot.app import shutdown, startup
    from bot.feeds.fetch import new_client
    from tests.support.chats import READER_ID, Finished

    app = await build_bot(make_settings(), clock=clock)
    services = services_of(app)

    async def loopback(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    previous, services.core.http = services.core.http, new_client(resolver=loopback)
    await previous.aclose()
    services.sources.site_address = f"http://{{domain}}:{feed_host.port}/"
    google = f"{feed_host.url('/rss/search')}?q=site:lambat.example&hl=id&gl=ID&ceid=ID:id"
    feed_store.add_site_feeds_if_missing(
        services.core.db, [("lambat.example", google, "Lambat", "Lambat")], clock.now
    )
    feed_host.drip(
        "/", "<html><head></head><body></body></html>", interval=60, content_type=HTML
    )  # a byte a minute
    looked = Finished(services.sources, "check_sites")
    async with app:
        await startup(app)
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            telegram_api.push_text(READER_ID, "/help")
            await telegram_api.wait_for(
                lambda c: c.method == "sendMessage" and c.params.get("chat_id") == READER_ID
            )
            await telegram_api.wait_for(lambda c: feed_host.requests("/") != [])
            assert looked.count == 0  # answered while the site's home page still hangs
            await feed_host.stop()  # the site goes down mid-look: every request now fails
            await looked.wait(timeout=20)
            [feed] = feed_store.list_feeds(services.core.db)
            assert (feed.url, feed.kind, feed.site_checked_at) == (google, "googlenews", None)
        finally:
            await app.updater.stop()
            await app.stop()
    await shutdown(app)


async def test_a_page_naming_a_json_feed_is_followed_by_it(app, admin, feed_host, clock):
    site = feed_host.url("").rstrip("/")
    feed_host.add(
        "/",
        '<html><head><link rel="alternate" type="application/feed+json" '
        'title="Kabar JSON" href="/feed.json"></head><body></body></html>',
        content_type=HTML,
    )
    feed_host.add(
        "/feed.json",
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "Kabar JSON",
                "items": [
                    {
                        "id": "1",
                        "url": f"{site}/berita/1",
                        "title": "Banjir di Sempaja",
                        "content_text": "SAMARINDA - Banjir merendam 300 rumah.",
                        "date_published": "2026-11-25T08:00:00+08:00",
                    }
                ],
            }
        ),
        content_type="application/feed+json",
    )
    answer = await admin.say(f"/addfeed {site}/")
    assert "feed RSS" in answer and "1 berita" in answer and f"{site}/feed.json" in answer
    [item] = stored_items(app)
    assert (item["title"], item["summary"]) == (
        "Banjir di Sempaja",
        "SAMARINDA - Banjir merendam 300 rumah.",
    )


async def test_addfeed_of_a_home_page_finds_the_news_sitemap_robots_txt_names(app, admin, sites):
    site = f"http://etamtoday.example:{sites.port}"
    serve(sites, "/", "home_no_feed.html", site, HTML)
    serve(sites, "/robots.txt", "robots_news.txt", site, "text/plain")
    serve(sites, "/sitemaps/news.xml", "news_sitemap.xml", site)
    answer = await admin.say(f"/addfeed {site}/")
    assert "peta situs berita" in answer and "3 berita" in answer
    assert (only_feed(app).url, only_feed(app).site) == (
        f"{site}/sitemaps/news.xml",
        "etamtoday.example",
    )
