"""Issue 24's new ways in, tried as an outsider would (review of discovery, news sitemaps,
JSON Feed and leads): through the real bot over loopback HTTP, what a reader, an admin or the
log would see."""

import logging

import pytest

from tests.support.chats import services_of

pytestmark = pytest.mark.timeout(30)
HTML = "text/html; charset=UTF-8"
SECRET = "sandi-rahasia"


def relative_feed(kind: str) -> tuple[str, str]:
    """A feed whose item links are relative to the feed's own address (as many CMS write
    them), in `kind` ("rss", "json" or "sitemap"), and its content type."""
    title = "Banjir Rendam Ratusan Rumah di Samarinda Ulu Kalimantan Timur"
    if kind == "json":
        return (
            '{"version": "https://jsonfeed.org/version/1.1", "title": "Kabar Samarinda",'
            f' "items": [{{"id": "1", "url": "/berita/banjir-samarinda", "title": "{title}",'
            ' "date_published": "2026-11-26T08:00:00+08:00"}]}',
            "application/feed+json",
        )
    if kind == "sitemap":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            "<url><loc>/berita/banjir-samarinda</loc><news:news><news:publication>"
            "<news:name>Kabar Samarinda</news:name><news:language>id</news:language>"
            "</news:publication><news:publication_date>2026-11-26T08:00:00+08:00"
            f"</news:publication_date><news:title>{title}</news:title></news:news></url>"
            "</urlset>",
            "application/xml",
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Kabar Samarinda</title>'
        f"<item><title>{title}</title><link>/berita/banjir-samarinda</link>"
        "<pubDate>Thu, 26 Nov 2026 08:00:00 +0800</pubDate></item></channel></rss>",
        "application/rss+xml",
    )


@pytest.mark.parametrize("kind", ["rss", "json", "sitemap"])
async def test_a_feed_address_with_credentials_never_shows_them_to_readers_or_the_log(
    app, admin, reader, feed_host, caplog, kind
):
    """An admin follows a members' edition with its password in the address, from its home
    page: the feed is found at a usual address, and its relative item links are the site's.
    The password is the admin's secret: not in any reader's digest, nor in a log line."""
    caplog.set_level(logging.DEBUG)
    body, content_type = relative_feed(kind)
    path = {"rss": "/rss.xml", "json": "/feed.json", "sitemap": "/sitemap-news.xml"}[kind]
    feed_host.add(path, body, content_type=content_type)
    feed_host.add(
        "/", "<html><head><title>Kabar</title></head><body></body></html>", content_type=HTML
    )
    site = feed_host.url("/").replace("http://", f"http://redaksi:{SECRET}@")
    if kind == "json":  # named by the page, as WordPress plugins do
        feed_host.add(
            "/",
            '<html><head><link rel="alternate" type="application/feed+json" href="/feed.json">'
            "</head><body></body></html>",
            content_type=HTML,
        )
    answer = await admin.say(f"/addfeed {site}")
    assert "1 berita" in answer, answer
    assert SECRET not in answer

    await reader.say("/start")
    await reader.say("/subscribe kaltim")
    digest = await reader.say("/digest")
    assert "Banjir Rendam Ratusan Rumah" in digest
    assert SECRET not in digest and "redaksi:" not in digest
    # Warta's own log lines (httpx's and httpcore's, which name every URL, are kept quiet in
    # production: bot/logs.py).
    own = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "storage"))]
    assert not [line for line in own if SECRET in line]
    stored = list(services_of(app).core.db.query("SELECT link FROM items"))
    assert stored and all(SECRET not in row["link"] for row in stored)


HOSTILE_TITLE = (
    'Banjir &lt;script&gt;alert(1)&lt;/script&gt; &lt;a href="javascript:x"&gt;Samarinda'
    "&lt;/a&gt; &amp;amp; Tenggarong &amp;lt;b&amp;gt;"
)
HOSTILE_LEAD = (
    "<html><body><article><h1>Banjir di Samarinda</h1>"
    "<p>SAMARINDA - Warga Samarinda Ulu &lt;b onclick=alert(1)&gt;mengungsi&lt;/b&gt; setelah "
    "banjir &lt;a href=&quot;javascript:alert(2)&quot;&gt;setinggi pinggang&lt;/a&gt; merendam "
    "ratusan rumah &amp;lt;i&amp;gt; pada Senin pagi, kata lurah setempat kepada wartawan.</p>"
    "</article></body></html>"
)


@pytest.fixture
def lead_bot(make_settings, clock, build_bot):
    """The bot with leads read, on the day the items are from."""
    from datetime import UTC, datetime

    clock.now = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
    return build_bot(make_settings(read_leads="true"), clock=clock)


async def test_markup_in_a_news_title_or_a_lead_reaches_readers_as_text(
    lead_bot, telegram_api, feed_host
):
    """A news sitemap's title and an article page's lead written to inject markup: every
    message that shows them (digest, /cari, /latest) shows them as the text they are, and
    Telegram (the fake Bot API parses HTML as strictly) accepts each one."""
    from bot.app import shutdown
    from tests.support.chats import Chat

    app = await lead_bot
    async with app:
        page = feed_host.add("/berita/banjir", HOSTILE_LEAD, content_type=HTML)
        sitemap = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"<url><loc>{page}</loc><news:news><news:publication>"
            "<news:name>Kabar &lt;b&gt;Kaltim&lt;/b&gt;</news:name></news:publication>"
            "<news:publication_date>2026-11-26T08:00:00+08:00</news:publication_date>"
            f"<news:title>{HOSTILE_TITLE}</news:title></news:news></url></urlset>"
        )
        feed_host.add("/sitemap-news.xml", sitemap, content_type="application/xml")
        admin = Chat(app, telegram_api, 1001)
        reader = Chat(app, telegram_api, 2002)
        answer = await admin.say(f"/addfeed {feed_host.url('/sitemap-news.xml')}")
        assert "1 berita" in answer, answer
        await reader.say("/start")
        await reader.say("/subscribe kaltim")
        digest = await reader.say("/digest")
        # The title's markup is taken out by the cleaner, as any feed's; the outlet's name
        # is kept as the text it is.
        assert "Banjir Samarinda &amp; Tenggarong</a>" in digest
        assert "Kabar &lt;b&gt;Kaltim&lt;/b&gt;" in digest
        assert "Warga Samarinda Ulu mengungsi setelah banjir setinggi pinggang" in digest
        for shown in (digest, await reader.say("/cari banjir"), await reader.say("/latest")):
            assert "Tenggarong" in shown, shown
            assert "<script" not in shown and "alert(" not in shown, shown
            assert "javascript" not in shown and "<b onclick" not in shown, shown
    await shutdown(app)


async def test_a_redirect_to_another_site_asks_that_site_s_robots_txt(lead_bot, feed_host):
    """A title-only feed's links go through a link shortener that lets every crawler in; the
    articles live on a site whose robots.txt keeps WartaBot out. Its pages are never asked
    for: each redirect's target is a page of a site, whose own rules hold."""
    from bot.app import shutdown
    from tests.support.feed_host import FeedHost
    from tests.test_leads import PAGES, title_only_feed

    app = await lead_bot
    async with app, FeedHost() as outlet:
        outlet.add("/robots.txt", "User-agent: WartaBot\nDisallow: /\n", content_type="text/plain")
        outlet.add(
            "/berita/ruang-kelas",
            (PAGES / "tribun_kaltim.html").read_bytes(),
            content_type="text/html",
        )
        feed_host.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        short = feed_host.redirect("/s/x7Kq2", outlet.url("/berita/ruang-kelas"), status=302)
        title = "Disdikbud Balikpapan Tambah 40 Ruang Kelas Baru untuk SMP Negeri"
        feed_host.add(
            "/feed/", title_only_feed([(title, short, "Thu, 26 Nov 2026 09:12:00 +0800")])
        )
        services = services_of(app)
        _, found = await services.ingest.add_feed(feed_host.url("/feed/"))
        assert found == 1
        assert outlet.requests("/robots.txt"), "the article's site was not asked"
        assert outlet.requests("/berita/ruang-kelas") == []
        (item,) = services.core.db.query("SELECT title, summary FROM items")
        assert item["title"] == title and item["summary"] == ""
    await shutdown(app)


def news_sitemap(site: str, n: int) -> str:
    """A news sitemap of one story (story n)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{site}/berita/{n}</loc><news:news><news:publication>"
        "<news:name>Kabar Kaltim</news:name></news:publication><news:publication_date>"
        f"2026-11-25T08:{n:02d}:00+08:00</news:publication_date><news:title>Banjir {n} di "
        "Samarinda Ulu</news:title></news:news></url></urlset>"
    )


def sitemap_index(site: str, child: str) -> str:
    """A sitemap index naming one news sitemap."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site}{child}</loc></sitemap></sitemapindex>"
    )


async def test_an_index_naming_new_sitemaps_at_every_poll_is_remembered_within_bounds(
    services, feed_host, clock
):
    """A sitemap index that names a fresh news sitemap address at every poll (a cache-buster
    in the query) would have the bot remember each address's validators for ever. The newest
    are remembered (the site sees conditional requests), the oldest forgotten (an unconditional
    request again, nothing lost)."""
    remembered = services.ingest.sitemaps_remembered = 3  # a thousand, in production
    site = feed_host.url("").rstrip("/")
    for n in range(remembered + 2):
        feed_host.add(f"/news-sitemap.xml?v={n}", news_sitemap(site, n), content_type="text/xml")
    feed_host.add(
        "/index.xml", sitemap_index(site, "/news-sitemap.xml?v=0"), content_type="text/xml"
    )
    await services.ingest.add_feed(feed_host.url("/index.xml"))
    for n in range(1, remembered + 1):
        feed_host.add(
            "/index.xml", sitemap_index(site, f"/news-sitemap.xml?v={n}"), content_type="text/xml"
        )
        clock.advance(minutes=15)
        await services.ingest.poll_all(force=True)
    # The last one named is remembered: asked again, conditionally.
    last = f"/news-sitemap.xml?v={remembered}"
    clock.advance(minutes=15)
    await services.ingest.poll_all(force=True)
    asked = [r for r in feed_host.requests() if r.path == last]
    assert len(asked) == 2 and asked[-1].headers.get("If-None-Match")
    # The first one was forgotten: named again, it is asked for whole, and nothing is lost.
    feed_host.add(
        "/index.xml", sitemap_index(site, "/news-sitemap.xml?v=0"), content_type="text/xml"
    )
    clock.advance(minutes=15)
    await services.ingest.poll_all(force=True)
    asked = [r for r in feed_host.requests() if r.path == "/news-sitemap.xml?v=0"]
    assert len(asked) == 2 and not asked[-1].headers.get("If-None-Match")
    titles = {row["title"] for row in services.core.db.query("SELECT title FROM items")}
    assert len(titles) == remembered + 1


async def test_hostile_sitemaps_fail_alone_and_cost_little(services, feed_host):
    """An index naming itself, one naming five hundred sitemaps, a sitemap declaring the
    billion laughs, a gzip file served as .xml.gz, and a body that inflates past the cap: each
    is refused or read within its bounds, asking the site for little, and the next feed reads."""
    import gzip

    from bot.errors import FeedParseError, FetchError

    site = feed_host.url("").rstrip("/")
    feed_host.add("/self.xml", sitemap_index(site, "/self.xml"), content_type="text/xml")
    many = "".join(f"<sitemap><loc>{site}/s{n}.xml</loc></sitemap>" for n in range(500))
    feed_host.add(
        "/many.xml",
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{many}</sitemapindex>',
        content_type="text/xml",
    )
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        + news_sitemap(site, 1).split("\n", 1)[1].replace("Banjir 1", "&c;")
    )
    feed_host.add("/laughs.xml", laughs, content_type="text/xml")
    feed_host.add(
        "/news.xml.gz",
        gzip.compress(news_sitemap(site, 2).encode()),
        content_type="application/gzip",
    )
    feed_host.add(
        "/bomb.xml", b"<urlset>" + b" " * (40 * 1024 * 1024), content_type="text/xml", gzip=True
    )
    for path in ("/self.xml", "/many.xml", "/laughs.xml", "/news.xml.gz", "/bomb.xml"):
        with pytest.raises((FetchError, FeedParseError)):
            await services.ingest.add_feed(feed_host.url(path))
    assert len(feed_host.requests("/self.xml")) == 2  # the index, and itself once as a child
    children = [r.path for r in feed_host.requests() if r.path[:2] == "/s" and r.path[2].isdigit()]
    assert children == ["/s0.xml", "/s1.xml", "/s2.xml"]  # three of the five hundred
    assert list(services.core.db.query("SELECT title FROM items")) == []
    feed_host.add("/good.xml", news_sitemap(site, 3), content_type="text/xml")
    _, found = await services.ingest.add_feed(feed_host.url("/good.xml"))
    assert found == 1
