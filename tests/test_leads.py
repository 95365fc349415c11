"""Issue 24, the article's lead and the outlet's own link: an item whose feed gives no body has
its article page read once; a Google News link becomes the outlet's. The pages are written in
the shapes of real Kaltim outlets (tests/fixtures/pages/) and served, with Google's article
pages and its batchexecute answer, from the loopback feed host."""

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.feeds import googlelinks
from bot.feeds.lead import decode_page, lead_of
from bot.feeds.prepare import Prepared
from bot.models import Item
from bot.services.container import Services
from tests.support.chats import Chat, services_of

pytestmark = pytest.mark.timeout(60)

PAGES = Path(__file__).parent / "fixtures" / "pages"
GOOGLE = Path(__file__).parent / "fixtures" / "googlenews" / "site_disway_articles.xml"
SEARCH = "/rss/search?q=site:kaltim.disway.id&hl=id&gl=ID&ceid=ID:id"
ANHUI = "Kaltim dan Anhui Sepakati Kerja Sama Pendidikan dan Hilirisasi Industri"
ANHUI_LEAD = (
    "Pemerintah Provinsi Kalimantan Timur dan Pemerintah Provinsi Anhui, Republik "
    "Rakyat Tiongkok, sepakat memperkuat kerja sama"
)


def _varint(n: int) -> bytes:
    out = b""
    while True:
        byte, n = n & 0x7F, n >> 7
        out += bytes([byte | (0x80 if n else 0)])
        if not n:
            return out


def old_form_id(url: str) -> str:
    """An article id in Google's older form: the outlet's URL inside (then its AMP copy's
    field, as Google wrote it)."""
    raw = url.encode()
    message = b"\x08\x13\x22" + _varint(len(raw)) + raw + b"\xd2\x01\x00"
    return base64.urlsafe_b64encode(message).decode().rstrip("=")


def current_form_id(token: str) -> str:
    """An article id in Google's current form: an opaque token ("AU_yqL…") inside."""
    raw = ("AU_yqL" + token).encode()
    message = b"\x08\x13\x22" + _varint(len(raw)) + raw
    return base64.urlsafe_b64encode(message).decode().rstrip("=")


def google_article_page(signature: str, timestamp: str) -> str:
    """Google's article page of the current form: a page, not a redirect, whose c-wiz holds
    the signature and timestamp the batchexecute request needs."""
    return (
        f'<!doctype html><html lang="id"><head><title>Google Berita</title></head><body>'
        f'<c-wiz jsrenderer="x" jsmodel="y"><div jscontroller="aLI87" '
        f'data-n-a-id="x" data-n-a-sg="{signature}" data-n-a-ts="{timestamp}" '
        f'data-n-a-ct="1"></div></c-wiz><script>window.WIZ_global_data={{}};</script>'
        f"</body></html>"
    )


def batch_answer(url: str) -> str:
    """Google's batchexecute answer naming the outlet's URL."""
    payload = json.dumps(["garturlres", url, 1])
    rows = [
        ["wrb.fr", "Fbv4je", payload, None, None, None, "generic"],
        ["di", 28],
        ["af.httprm", 27, "-4731125398157082046", 11],
    ]
    return ")]}'\n\n" + json.dumps(rows)


def serve_google_site(feed_host) -> dict[str, str]:
    """The Google News search of kaltim.disway.id and everything behind it; returns the
    outlet's article URLs by name."""
    outlet = feed_host.url("/").rstrip("/")
    articles = {
        "anhui": feed_host.url("/read/91234/kaltim-dan-anhui-sepakati-kerja-sama"),
        "bandara": feed_host.url("/read/91260/bandara-apt-pranoto-rute-kuala-lumpur"),
        "kopi": feed_host.url("/read/91270/pameran-kopi-kaltim"),
        "gone": feed_host.url("/read/91100/kapal-tongkang-tabrak-jembatan"),
    }
    ids = {
        "id_anhui": old_form_id(articles["anhui"]),
        "id_bandara": current_form_id("Wk9wYmFuZGFyYS1hcHQtcHJhbm90bw"),
        "id_kopi": old_form_id(articles["kopi"]),
        "id_gone": old_form_id(articles["gone"]),
    }
    feed = GOOGLE.read_text().format(google=outlet, outlet=outlet, **ids)
    feed_host.add(SEARCH, feed)
    feed_host.add(
        f"/rss/articles/{ids['id_bandara']}?hl=id&gl=ID&ceid=ID:id",
        google_article_page("AZ5r3eRxsgN9", "1764052800"),
        content_type="text/html; charset=utf-8",
    )
    feed_host.add(
        googlelinks.BATCH_PATH + "?rpcids=Fbv4je",
        batch_answer(articles["bandara"]),
        content_type="application/json; charset=utf-8",
    )
    feed_host.add(
        "/read/91234/kaltim-dan-anhui-sepakati-kerja-sama",
        (PAGES / "disway_kaltim.html").read_bytes(),
        content_type="text/html",
    )
    feed_host.add(
        "/read/91260/bandara-apt-pranoto-rute-kuala-lumpur",
        (PAGES / "meta_only.html").read_bytes(),
        content_type="text/html",
    )
    # Windows-1252 bytes, and a Content-Type that names no charset.
    feed_host.add(
        "/read/91270/pameran-kopi-kaltim",
        (PAGES / "cp1252_page.html").read_bytes(),
        content_type="text/html",
    )
    # /read/91100/… is not served: that page cannot be read.
    return articles


def title_only_feed(entries: list[tuple[str, str, str]]) -> str:
    """An outlet's own RSS feed that gives titles and links but no descriptions."""
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<description></description></item>"
        for title, link, date in entries
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Berita Terkini</title><link>http://example.invalid/</link>{items}"
        f"</channel></rss>"
    )


@pytest.fixture
def lead_settings(make_settings):
    return make_settings(read_leads="true")


@pytest.fixture
async def lead_app(lead_settings, clock, build_bot):
    from bot.app import shutdown

    clock.now = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    application = await build_bot(lead_settings, clock=clock)
    async with application:
        yield application
    await shutdown(application)


def stored(services: Services) -> dict[str, dict]:
    """The stored items by title, with their topics."""
    rows = services.core.db.query(
        """SELECT i.title, i.link, i.summary, i.item_key,
                  (SELECT group_concat(topic_slug) FROM item_topics t WHERE t.item_id = i.id)
                  AS tags FROM items i"""
    )
    return {
        row["title"]: {**row, "tags": set((row["tags"] or "").split(",")) - {""}} for row in rows
    }


# --- The lead of real-shaped pages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "title", "starts", "never"),
    [
        # Disway Kaltim: the dateline paragraph, not the teaser of its description meta; its
        # "BACA JUGA:" paragraphs, photo credit and Google News trailer are not the story.
        (
            "disway_kaltim.html",
            ANHUI,
            "SAMARINDA, NOMORSATUKALTIM - Pemerintah Provinsi",
            (
                "Simak selengkapnya",
                "BACA JUGA",
                "Harga Cabai",
                "Ist/Disway",
                "Google News",
                "Reporter:",
                "Terpopuler",
            ),
        ),
        # Tribun: its "Ringkasan Berita" bullets, "Baca juga:" and "Baca:" paragraphs and the
        # caption's credit are left out; the story starts at its dateline.
        (
            "tribun_kaltim.html",
            "Disdikbud Balikpapan Tambah 40 Ruang Kelas Baru untuk SMP Negeri",
            "TRIBUNKALTIM.CO, BALIKPAPAN - Dinas Pendidikan",
            ("Ringkasan", "Jadwal SPMB", "Guru Honorer", "ARDIANA", "Penulis", "Berita Terkait"),
        ),
        # Windows-1252, labelled iso-8859-1: the quotes, the dash and the é read right.
        (
            "cp1252_page.html",
            "Pameran Kopi Kaltim Dibuka di Balikpapan",
            "BALIKPAPAN – Pameran kopi “Kopi Benua Etam”",
            ("Beranda", "\ufffd", "Ã"),
        ),
        # No paragraphs at all (an application shell): the description meta is the lead.
        (
            "meta_only.html",
            "Bandara APT Pranoto Samarinda Tambah Rute ke Kuala Lumpur",
            "Bandara APT Pranoto Samarinda membuka rute penerbangan",
            (),
        ),
    ],
)
def test_the_lead_is_the_story_s_own_first_paragraphs(page, title, starts, never):
    lead = lead_of(decode_page((PAGES / page).read_bytes(), "text/html"), title)
    assert lead.startswith(starts), lead
    assert not any(word in lead for word in never), lead
    assert title not in lead


def test_a_page_in_cp1252_keeps_its_letters():
    text = decode_page((PAGES / "cp1252_page.html").read_bytes(), "text/html")
    assert "André Martin" in text and "“Kopi Benua Etam”" in text


def test_google_article_ids_of_both_forms():
    url = "https://kaltim.disway.id/read/91234/kaltim-dan-anhui"
    link = f"https://news.google.com/rss/articles/{old_form_id(url)}?oc=5"
    assert googlelinks.decode_article_id(googlelinks.article_id(link)) == url
    opaque = f"https://news.google.com/rss/articles/{current_form_id('Zm9vYmFy')}?oc=5"
    assert (
        googlelinks.article_id(opaque)
        and googlelinks.decode_article_id(googlelinks.article_id(opaque)) is None
    )
    # Another host's /articles/ path is no Google link.
    assert (
        googlelinks.article_id(f"https://kaltim.disway.id/rss/articles/{old_form_id(url)}") is None
    )
    assert googlelinks.url_from_batch(batch_answer(url)) == url
    assert googlelinks.url_from_batch(')]}\'\n\n[["er",null]]') is None


# --- Through the real services and the real bot ----------------------------------------------


async def test_google_items_reach_the_reader_with_their_lead_and_the_outlet_s_link(
    lead_app, telegram_api, feed_host
):
    articles = serve_google_site(feed_host)
    services = services_of(lead_app)
    admin = Chat(lead_app, telegram_api, 1001)
    reader = Chat(lead_app, telegram_api, 2002)
    answer = await admin.say(f"/addfeed {feed_host.url(SEARCH)}")
    assert "4" in answer, answer
    items = stored(services)
    anhui = items[ANHUI]
    # The outlet's own address, from the link Google wrote in its older form.
    assert anhui["link"] == articles["anhui"]
    assert ANHUI_LEAD in anhui["summary"]
    # The investment angle is in the body: the lead gives it (issue 24's example article).
    assert {"kaltim", "foreign_cooperation", "investment", "education"} <= anhui["tags"]
    # Google's current form: its page and one POST name the outlet's address.
    bandara = items["Bandara APT Pranoto Samarinda Tambah Rute ke Kuala Lumpur"]
    assert bandara["link"] == articles["bandara"]
    assert bandara["summary"].startswith("Bandara APT Pranoto Samarinda membuka rute")
    assert "foreign_cooperation" in bandara["tags"]
    assert "André Martin" in items["Pameran Kopi Kaltim Dibuka di Balikpapan"]["summary"]
    # A page that cannot be read: the item keeps its title, tagged from it, never lost.
    gone = items["Kapal Tongkang Tabrak Jembatan Mahakam di Samarinda"]
    assert gone["summary"] == "" and gone["tags"] == {"kaltim"}
    assert gone["link"] == articles["gone"]

    await reader.say("/start")
    await reader.say("/subscribe kaltim investasi")
    digest = await reader.say("/digest")
    assert f'<a href="{articles["anhui"]}">' in digest
    assert "Pemerintah Provinsi Kalimantan Timur dan Pemerintah Provinsi Anhui" in digest
    assert "rss/articles" not in digest and "BACA JUGA" not in digest
    assert "Ist/Disway" not in digest

    # Polled again, Google lists the same links: nothing is new and no page is read again.
    page = "/read/91234/kaltim-dan-anhui-sepakati-kerja-sama"
    before = len(feed_host.requests(page))
    summary = await services.ingest.poll_all(force=True)
    assert summary.new == 0 and len(feed_host.requests(page)) == before == 1


async def test_the_same_article_through_google_and_the_outlet_s_own_feed_is_one_item(
    lead_app, telegram_api, feed_host
):
    articles = serve_google_site(feed_host)
    services = services_of(lead_app)
    await services.ingest.add_feed(feed_host.url(SEARCH))
    # The outlet's own feed, title-only, lists the same article under its own address.
    feed_host.add(
        "/feed/", title_only_feed([(ANHUI, articles["anhui"], "Tue, 24 Nov 2026 11:15:00 +0800")])
    )
    _, found = await services.ingest.add_feed(feed_host.url("/feed/"))
    assert found == 1
    assert [title for title in stored(services)].count(ANHUI) == 1
    # Known by its outlet link already: its page is not read a second time.
    assert len(feed_host.requests("/read/91234/kaltim-dan-anhui-sepakati-kerja-sama")) == 1


async def test_a_title_only_feed_item_follows_its_redirects_to_the_article(lead_app, feed_host):
    services = services_of(lead_app)
    feed_host.add(
        "/tribun/2026/11/26/disdikbud-balikpapan-ruang-kelas",
        (PAGES / "tribun_kaltim.html").read_bytes(),
        content_type="text/html",
    )
    short = feed_host.redirect(
        "/s/x7Kq2", "/tribun/2026/11/26/disdikbud-balikpapan-ruang-kelas", status=302
    )
    feed_host.add(
        "/feed/",
        title_only_feed(
            [
                (
                    "Disdikbud Balikpapan Tambah 40 Ruang Kelas Baru untuk SMP Negeri",
                    short,
                    "Thu, 26 Nov 2026 09:12:00 +0800",
                )
            ]
        ),
    )
    await services.ingest.add_feed(feed_host.url("/feed/"))
    item = stored(services)["Disdikbud Balikpapan Tambah 40 Ruang Kelas Baru untuk SMP Negeri"]
    assert item["link"] == feed_host.url("/tribun/2026/11/26/disdikbud-balikpapan-ruang-kelas")
    assert item["summary"].startswith("TRIBUNKALTIM.CO, BALIKPAPAN - Dinas Pendidikan")
    assert "education" in item["tags"]


async def test_robots_txt_that_disallows_the_articles_is_respected(lead_app, feed_host):
    articles = serve_google_site(feed_host)
    feed_host.add("/robots.txt", "User-agent: *\nDisallow: /read/\n", content_type="text/plain")
    services = services_of(lead_app)
    await services.ingest.add_feed(feed_host.url(SEARCH))
    assert [r for r in feed_host.requests() if r.path.startswith("/read/")] == []
    assert len(feed_host.requests("/robots.txt")) == 1  # asked once for the whole site
    anhui = stored(services)[ANHUI]
    # The link is still the outlet's (decoding reads no page); the item keeps its title.
    assert anhui["link"] == articles["anhui"] and anhui["summary"] == ""
    assert "kaltim" in anhui["tags"]


async def test_no_more_than_two_pages_of_one_site_are_read_at_once(lead_app, feed_host):
    entries = []
    for n in range(8):
        path = f"/berita/{n}/banjir-samarinda-{n}"
        feed_host.add(
            path, (PAGES / "tribun_kaltim.html").read_bytes(), content_type="text/html", delay=0.2
        )
        entries.append(
            (
                f"Banjir Rendam Rumah Warga di Samarinda Bagian {n}",
                feed_host.url(path),
                f"Thu, 26 Nov 2026 0{n}:00:00 +0800",
            )
        )
    feed_host.add("/feed/", title_only_feed(entries))
    services = services_of(lead_app)
    await services.ingest.add_feed(feed_host.url("/feed/"))
    pages = [r for r in feed_host.requests() if r.path.startswith("/berita/")]
    assert len(pages) == 8
    # Two at once, not one after the other and not all eight.
    assert feed_host.max_in_flight == 2


async def test_pages_per_feed_are_bounded_newest_first(make_settings, clock, build_bot, feed_host):
    from bot.app import shutdown

    entries = []
    for n in range(6):
        path = f"/berita/{n}"
        feed_host.add(path, (PAGES / "tribun_kaltim.html").read_bytes(), content_type="text/html")
        entries.append(
            (
                f"Berita Samarinda Nomor {n}",
                feed_host.url(path),
                f"Wed, 25 Nov 2026 0{n}:00:00 +0800",
            )
        )
    feed_host.add("/feed/", title_only_feed(entries))
    app = await build_bot(make_settings(read_leads="true", lead_pages_per_feed="3"), clock=clock)
    async with app:
        services = services_of(app)
        await services.ingest.add_feed(feed_host.url("/feed/"))
        read = sorted(r.path for r in feed_host.requests() if r.path.startswith("/berita/"))
        assert read == ["/berita/3", "/berita/4", "/berita/5"]
        assert len(stored(services)) == 6  # the others stored with their titles
    await shutdown(app)


async def test_hostile_pages_cost_only_their_own_lead(lead_app, feed_host):
    """A page that never ends, one of 50 MB, and one that is not there: each item keeps its
    title and the poll stores them all."""
    services = services_of(lead_app)
    services.ingest.leads.page_deadline = 1.0
    feed_host.drip(
        "/berita/lambat",
        b"<html><body><p>" + b"Samarinda " * 10_000,
        chunk=10,
        interval=0.2,
        content_type="text/html",
    )
    feed_host.add(
        "/berita/besar", b"<html><body><p>" + b"a" * (50 * 1024 * 1024), content_type="text/html"
    )
    feed_host.add(
        "/feed/",
        title_only_feed(
            [
                (
                    "Halaman Lambat dari Samarinda",
                    feed_host.url("/berita/lambat"),
                    "Thu, 26 Nov 2026 09:00:00 +0800",
                ),
                (
                    "Halaman Besar dari Balikpapan",
                    feed_host.url("/berita/besar"),
                    "Thu, 26 Nov 2026 08:00:00 +0800",
                ),
                (
                    "Halaman Hilang dari Bontang",
                    feed_host.url("/berita/hilang"),
                    "Thu, 26 Nov 2026 07:00:00 +0800",
                ),
            ]
        ),
    )
    _, found = await services.ingest.add_feed(feed_host.url("/feed/"))
    items = stored(services)
    assert found == 3 and len(items) == 3
    assert all(item["summary"] == "" for item in items.values())
    assert all("kaltim" in item["tags"] for item in items.values())


async def test_private_addresses_are_never_read_as_pages(
    make_settings, clock, prepare_pool, feed_host
):
    feed_host.add(
        "/berita/1", (PAGES / "tribun_kaltim.html").read_bytes(), content_type="text/html"
    )
    settings = make_settings(read_leads="true", allow_private_feed_urls="false")
    services = Services.open(settings, clock=clock, pool=prepare_pool)
    await services.start()
    try:
        metadata = "http://169.254.169.254/latest/meta-data/"
        google = f"https://news.google.com/rss/articles/{old_form_id(metadata)}?oc=5"
        items = [
            Item(key=f"link:{link}", title=title, link=link, summary="", published_at=clock.now)
            for title, link in [
                ("Berita dari Alamat Lokal Samarinda", feed_host.url("/berita/1")),
                ("Tautan Google ke Alamat Metadata", google),
            ]
        ]
        done = await services.ingest.leads.enrich(
            "https://kabar.example/feed", Prepared("Kabar", items, 0)
        )
    finally:
        await services.aclose()
    assert feed_host.requests() == []
    # Neither is read, and Google's private address is not taken as the outlet's link.
    assert [item.link for item in done.items] == [feed_host.url("/berita/1"), google]
