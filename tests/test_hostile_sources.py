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
