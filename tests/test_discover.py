"""The pure parts of finding a site's own source, on documents in the shapes real outlets use
(tests/fixtures/sites/, each with a Description/Expect comment): the feed links of a page's
head, the Sitemap lines of robots.txt, telling a feed, a news sitemap, a sitemap index and a
page apart, and reading news sitemaps, indexes and JSON Feeds."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import FeedParseError
from bot.feeds.discover import feed_links, robots_sitemaps, site_root
from bot.feeds.document import Kind, kind_of, parse_document
from bot.feeds.jsonfeed import parse_json_feed
from bot.feeds.lead import decode_page
from bot.feeds.sitemap import MAX_ENTRIES, parse_sitemap, pick_children

SITES = Path(__file__).parent / "fixtures" / "sites"
SITE = "https://kabar.example"


def fixture(name: str, site: str = SITE) -> bytes:
    """A fixture with its {site} (scheme and host) and {host} filled in."""
    host = site.split("://", 1)[1]
    return (
        (SITES / name)
        .read_bytes()
        .replace(b"{site}", site.encode())
        .replace(b"{host}", host.encode())
    )


def test_a_page_names_its_feed_in_the_head_and_comment_feeds_and_apis_are_not_feeds():
    page = decode_page(fixture("home_names_feed.html"), "text/html; charset=UTF-8")
    # The relative href is resolved; the comments feed, the REST and oEmbed links, and the
    # RSS link in the body's navigation (not a <link> tag) are left out.
    assert feed_links(page, f"{SITE}/") == [f"{SITE}/rss/terkini.xml"]


def test_a_wordpress_page_without_feed_links_names_none():
    assert feed_links(decode_page(fixture("home_wordpress_unlinked.html")), f"{SITE}/") == []


def test_a_windows_1252_page_is_read_and_its_relative_feed_link_resolved():
    body = fixture("home_cp1252.html")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = decode_page(body, "text/html")  # no charset in the header: only in a meta tag
    assert "“Berita Kutai Timur Terkini”" in page
    assert feed_links(page, f"{SITE}/index.php") == [f"{SITE}/rss.php"]


def test_base_href_and_types_with_parameters_are_followed():
    page = (
        '<html><head><base href="https://cdn.kabar.example/id/">'
        '<link rel="Alternate feed" type="application/atom+xml; charset=utf-8" '
        'href="atom.xml"><link rel="alternate" type="application/feed+json" '
        'href="//kabar.example/feed.json"><link rel="alternate" '
        'type="application/rss+xml" href="javascript:alert(1)"></head><body>'
        '<link rel="alternate" type="application/rss+xml" href="/telat.xml"></body></html>'
    )
    assert feed_links(page, f"{SITE}/") == [
        "https://cdn.kabar.example/id/atom.xml",
        "https://kabar.example/feed.json",
    ]


def test_only_the_head_of_a_huge_page_is_read():
    page = "<html><head><title>x</title></head><body>" + "<p>kabar</p>" * 200_000
    page += '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
    assert feed_links(page, f"{SITE}/") == []


def test_robots_txt_names_its_sitemaps_in_any_case_with_comments():
    text = fixture("robots_news.txt").decode()
    assert robots_sitemaps(text, f"{SITE}/") == [
        f"{SITE}/sitemaps/news.xml",
        f"{SITE}/sitemaps/pages.xml",
    ]
    assert (
        robots_sitemaps("User-agent: *\nDisallow: /\nSitemap:\nSitemap: ftp://x/s.xml", f"{SITE}/")
        == []
    )
    many = "\n".join(f"Sitemap: /s{n}.xml" for n in range(1000))
    assert len(robots_sitemaps(many, f"{SITE}/")) == 5


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("terkini.xml", Kind.FEED),
        ("wordpress_feed.xml", Kind.FEED),
        ("rss_blank_line_cp1252.xml", Kind.FEED),
        ("news_sitemap.xml", Kind.NEWS_SITEMAP),
        ("sitemap_index.xml", Kind.SITEMAP_INDEX),
        ("plain_sitemap.xml", Kind.SITEMAP),
        ("home_names_feed.html", Kind.HTML),
        ("home_no_feed.html", Kind.HTML),
        ("home_cp1252.html", Kind.HTML),
        ("robots_news.txt", Kind.OTHER),
    ],
)
def test_what_a_document_is_is_told_from_its_start(name, kind):
    assert kind_of(fixture(name)) == kind


def test_atom_and_json_feed_and_an_xhtml_page_are_told_apart():
    atom = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
    xhtml = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head/></html>'
    json_feed = b'  {"version": "https:\\/\\/jsonfeed.org\\/version\\/1.1", "items": []}'
    assert [kind_of(atom), kind_of(xhtml), kind_of(json_feed)] == [
        Kind.FEED,
        Kind.HTML,
        Kind.JSON_FEED,
    ]
    assert kind_of(b"") == Kind.OTHER and kind_of(b"\x00\xff" * 100) == Kind.OTHER


def test_a_news_sitemap_is_read_as_entries_without_a_body():
    parsed = parse_sitemap(fixture("news_sitemap.xml"), url=f"{SITE}/sitemaps/news.xml")
    assert parsed.title == "Etam Today"
    first, second, third = parsed.entries
    assert first.link == f"{SITE}/daerah/samarinda/pemkot-samarinda-tambah-armada-sampah"
    assert first.title.startswith("Pemkot Samarinda Tambah 12 Armada")
    assert first.published_at == datetime(2026, 11, 25, 7, 20, tzinfo=UTC)  # 15.20 WITA
    assert first.summary == "" and first.keywords == ("Samarinda", "sampah", "Karang Mumus")
    assert second.title == "Pemprov Kaltim & Anhui Sepakati Kerja Sama Hilirisasi Industri"
    assert third.keywords == ()


def _news_sitemap(count: int, start: datetime) -> bytes:
    urls = "".join(
        f"<url><loc>{SITE}/berita/{n}</loc><news:news><news:publication><news:name>Kabar"
        f"</news:name><news:language>id</news:language></news:publication>"
        f"<news:publication_date>{(start + timedelta(minutes=n)).isoformat()}"
        f"</news:publication_date><news:title>Kabar nomor {n}</news:title></news:news></url>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
        'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    ).encode()


def test_a_thousand_addresses_give_the_newest_hundred():
    start = datetime(2026, 11, 24, tzinfo=UTC)
    parsed = parse_sitemap(_news_sitemap(1000, start), url=f"{SITE}/news.xml")
    assert len(parsed.entries) == MAX_ENTRIES == 100
    assert parsed.entries[0].title == "Kabar nomor 999"
    assert parsed.entries[-1].title == "Kabar nomor 900"


def test_an_empty_news_sitemap_is_still_one_and_a_plain_one_is_not():
    empty = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:n="http://www.google.co.uk/schemas/sitemap-news/0.9"></urlset>'
    )
    assert parse_sitemap(empty, url=SITE).entries == []
    with pytest.raises(FeedParseError, match="plain sitemap"):
        parse_sitemap(fixture("plain_sitemap.xml"), url=SITE)


def test_a_sitemap_with_a_dtd_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'
    )
    with pytest.raises(FeedParseError):
        parse_sitemap(bomb, url=SITE)


def test_an_index_leads_to_its_news_sitemap():
    parsed = parse_sitemap(fixture("sitemap_index.xml"), url=f"{SITE}/sitemap_index.xml")
    assert parsed.entries == [] and parsed.follow == (f"{SITE}/news-sitemap.xml",)


def test_an_index_without_a_news_name_leads_to_its_newest_sitemaps():
    children = [(f"{SITE}/s{n}.xml", f"2026-11-{10 + n}T00:00:00+00:00") for n in range(6)]
    children.append(("javascript:alert(1)", "2026-12-01"))
    assert pick_children(children) == [f"{SITE}/s5.xml", f"{SITE}/s4.xml", f"{SITE}/s3.xml"]


def test_a_blank_line_before_the_xml_declaration_is_read_as_the_feed():
    parsed = parse_document(fixture("rss_blank_line_cp1252.xml"), url=f"{SITE}/rss.php")
    assert parsed.title == "Portal Kutim – Berita"
    assert parsed.entries[0].title.endswith("“Pedagang Tak Lagi Berjualan di Jalan”")


def test_a_json_feed_is_read_like_rss():
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Kabar JSON",
        "items": [
            {
                "id": 7,
                "url": "/berita/7",
                "title": "Banjir di Sempaja",
                "content_html": "<p>SAMARINDA - Banjir.</p>",
                "date_published": "2026-11-25T08:00:00+08:00",
            },
            {"id": "x", "title": ["not", "a", "string"]},
            "not an item",
        ],
    }
    parsed = parse_json_feed(json.dumps(document).encode(), url=f"{SITE}/feed.json")
    assert parsed.title == "Kabar JSON" and len(parsed.entries) == 2
    entry = parsed.entries[0]
    assert (entry.link, entry.guid, entry.published_at) == (
        f"{SITE}/berita/7",
        "7",
        datetime(2026, 11, 25, 0, 0, tzinfo=UTC),
    )
    assert parsed.entries[1].title == ""
    with pytest.raises(FeedParseError):
        parse_json_feed(b'{"version": "1", "items": []}', url=SITE)


def test_the_site_root_of_a_section():
    assert site_root("https://kaltimtoday.co/daerah/samarinda?x=1") == "https://kaltimtoday.co/"
