"""/addsite: an admin follows a Kaltim site that has no feed of its own through a Google News
RSS search restricted to it (its own feed or news sitemap is looked for first: tests/
test_sources.py). The recorded shapes in tests/fixtures/googlenews/ are served from the
loopback feed host, which stands in for the site (with nothing of its own here) and for
news.google.com."""

import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.feeds.googlenews import normalise_domain
from bot.runtime.core import Core
from bot.services.admin import DEFAULT_FEEDS, load_default_feeds
from bot.services.container import Services
from storage import feeds as feed_store
from storage.db import open_database
from tests.support.chats import services_of

pytestmark = pytest.mark.timeout(30)

FIXTURES = Path(__file__).parent / "fixtures" / "googlenews"
QUERY = "hl=id&gl=ID&ceid=ID:id"


@pytest.fixture
def google(sites):
    """The feed host answering Google News site searches; returns a function that serves a
    fixture for a domain."""
    feed_host = sites

    def serve(domain: str, fixture: str) -> None:
        feed_host.add(f"/rss/search?q=site:{domain}&{QUERY}", (FIXTURES / fixture).read_bytes())

    return serve


async def test_addsite_follows_a_site_named_after_its_outlet(
    app, admin, reader, google, feed_host
):
    google("kaltimtoday.co", "site_kaltimtoday.xml")
    answer = await admin.say("/addsite https://www.Kaltimtoday.co/")
    assert "Kaltimtoday.co" in answer and "Google News" in answer and "3 berita" in answer
    # The search Warta asked Google for: that site only, in Indonesian, for Indonesia.
    asked = parse_qs(urlsplit(feed_host.requests("/rss/search")[0].path).query)
    assert asked == {"q": ["site:kaltimtoday.co"], "hl": ["id"], "gl": ["ID"], "ceid": ["ID:id"]}
    listing = await admin.say("/feeds")
    assert "Kaltimtoday.co" in listing and "Google Berita" not in listing

    await reader.say("/start")
    await reader.say("/subscribe kaltim pendidikan")
    digest = await reader.say("/digest")
    # Google's " - Kaltimtoday.co" is gone from every title; a dash inside a title stays.
    assert "Pemkot Samarinda Tambah 12 Armada Angkut Sampah untuk Kawasan Karang Mumus<" in digest
    assert (
        "Jembatan Mahakam Ulu Ditutup Sementara - Pengendara Diarahkan Lewat Jalan Slamet "
        "Riyadi<" in digest
    )
    assert "- Kaltimtoday.co" not in digest
    assert "Kaltimtoday.co" in digest  # the outlet, named once per item
    assert "&amp;nbsp;" not in digest and "#6f6f6f" not in digest

    # Polling again keeps the outlet's name, not the search's title.
    await admin.say_until("/pollnow", "feed diambil")
    assert "Google Berita" not in await admin.say("/feeds")
    # Asked again (the site typed differently): the same feed, still on Google News.
    assert "(feed 1) tetap diikuti lewat Google News" in await admin.say("/addsite kaltimtoday.co")
    assert len(services_of(app).admin.feeds()) == 1


async def test_addsite_of_a_site_google_has_nothing_from_says_so(app, admin, google):
    google("kaltimtodday.co", "site_no_results.xml")
    answer = await admin.say("/addsite kaltimtodday.co")
    assert "tidak menemukan sumber berita di kaltimtodday.co" in answer
    assert "Tidak ada yang ditambahkan" in answer
    assert services_of(app).admin.feeds() == []


@pytest.mark.parametrize(
    ("language", "says"), [("id", "bukan nama situs"), ("en", "is not a site name")]
)
async def test_addsite_with_something_else_than_a_site_says_how(
    app, admin, google, language, says
):
    await admin.say(f"/language {language}")
    for text in ("/addsite kaltim today", "/addsite bukan_situs", "/addsite"):
        answer = await admin.say(text)
        assert says in answer or "/addsite kaltimtoday.co" in answer, answer
    assert services_of(app).admin.feeds() == []


async def test_addsite_when_google_cannot_be_reached_loses_nothing(app, admin, google):
    answer = await admin.say("/addsite niaga.asia")  # nothing served: 404
    assert "tidak menemukan sumber berita di niaga.asia" in answer
    assert "Google News: " in answer and "404" in answer
    assert services_of(app).admin.feeds() == []


def test_the_bundled_list_names_each_kaltim_outlet_and_why_its_url():
    feeds = tomllib.loads(DEFAULT_FEEDS.read_text(encoding="utf-8"))["feeds"]
    outlets = {feed["outlet"] for feed in feeds}
    for outlet in (
        "Nomor Satu Kaltim",
        "Kaltimtoday.co",
        "Kaltim Post",
        "Tribun Kaltim",
        "ANTARA Kaltim",
        "IDN Times Kaltim",
        "JPNN Kaltim",
        "Niaga Asia",
    ):
        assert outlet in outlets, outlet
    for feed in feeds:
        assert feed["note"].strip(), feed
        assert "news.google.com" not in feed.get("url", ""), "name the site instead"
        assert "url" in feed or normalise_domain(feed["site"]) == feed["site"], feed
    # Every Kaltim outlet (those before the first national one) is named by its site.
    kaltim = feeds[
        : [feed.get("url") for feed in feeds].index("https://www.antaranews.com/rss/terkini.xml")
    ]
    assert all(feed.get("site") for feed in kaltim)
    sites = [feed["site"] for feed in feeds if "url" not in feed]
    assert sites == [
        "nomorsatukaltim.disway.id",
        "kaltimtoday.co",
        "kaltim.idntimes.com",
        "kaltim.jpnn.com",
        "niaga.asia",
    ]
    assert len({url for url, _ in load_default_feeds()}) == len(feeds) - len(sites)


def test_a_new_database_starts_the_sites_on_google_news_until_their_own_source_is_found(
    make_settings, clock
):
    settings = make_settings(seed_default_feeds="true")
    services = Services.create(Core(open_database(settings.database_path), settings, clock=clock))
    services.admin.bootstrap()
    db = services.core.db
    pending = {feed.site: feed for feed in feed_store.sites_to_check(db)}
    assert sorted(pending) == sorted(
        [
            "nomorsatukaltim.disway.id",
            "kaltimtoday.co",
            "kaltim.idntimes.com",
            "kaltim.jpnn.com",
            "niaga.asia",
        ]
    )
    niaga = pending["niaga.asia"]
    assert niaga.kind == "googlenews" and niaga.outlet == "Niaga Asia"
    assert parse_qs(urlsplit(niaga.url).query)["q"] == ["site:niaga.asia"]
    # In the list's order: the Kaltim outlets before the national ones.
    urls = [feed.url for feed in feed_store.list_feeds(db)]
    assert urls.index(niaga.url) < urls.index("https://www.antaranews.com/rss/terkini.xml")
    db.close()
