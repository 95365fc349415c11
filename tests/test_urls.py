"""URL canonicalisation and item keys (bot.feeds.urls)."""

import pytest

from bot.feeds.urls import canonical_url, item_key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM/Berita/Satu", "https://example.com/Berita/Satu"),
        ("https://example.com/a#komentar", "https://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("https://example.com/a/b/", "https://example.com/a/b"),
        ("https://example.com/a//", "https://example.com/a"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
        ("https://example.com/a?id=7&utm_campaign=x&page=2", "https://example.com/a?id=7&page=2"),
        ("https://example.com/a?fbclid=IwAR0&gclid=abc", "https://example.com/a"),
        ("https://example.com/a?UTM_Source=x&msclkid=1&_ga=2&igshid=3", "https://example.com/a"),
        ("https://example.com/a?q=kerja%20sama&b=1", "https://example.com/a?q=kerja%20sama&b=1"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"),
        ("https://example.com/a?&&x=1&", "https://example.com/a?x=1"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://Example.com./a", "https://example.com/a"),
        ("http://[::1]:80/a/", "http://[::1]/a"),
        ("https://user:pw@Example.com/a", "https://user:pw@example.com/a"),
        ("https://example.com/Path/With/Case/", "https://example.com/Path/With/Case"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url", ["", "not a url", "/relative/path", "mailto:redaksi@x.id", "http://example.com:99999/a"]
)
def test_canonical_url_leaves_what_it_cannot_parse(url):
    assert canonical_url(url) == url.strip()


def test_same_story_through_tracking_links_is_one_url():
    a = canonical_url("https://Kaltim.example.id/read/1/?utm_source=facebook&fbclid=xyz#top")
    b = canonical_url("https://kaltim.example.id:443/read/1")
    assert a == b


@pytest.mark.parametrize(
    ("guid", "link", "expected"),
    [
        # The link wins over the guid: feeds reuse guids for other stories (Tempo's 1..9).
        ("https://x.id/?p=1", "https://x.id/a", "link:https://x.id/a"),
        ("  abc-123 ", "https://x.id/a", "link:https://x.id/a"),
        ("7", "https://X.id/a/?utm_source=rss", "link:https://x.id/a"),
        (None, "https://X.id/a/?utm_source=rss", "link:https://x.id/a"),
        ("", "https://x.id/a", "link:https://x.id/a"),
        ("   ", "https://x.id/a#c", "link:https://x.id/a"),
        # No usable http(s) link: the guid is all there is.
        ("  abc-123 ", "", "guid:abc-123"),
        ("abc-123", "/relative/path", "guid:abc-123"),
        ("abc-123", "mailto:redaksi@x.id", "guid:abc-123"),
        (None, "", "link:"),
    ],
)
def test_item_key(guid, link, expected):
    assert item_key(guid, link) == expected


def test_same_story_with_new_guid_keeps_its_key():
    # Regression: tempo-rss 55e06cb4 -> 8f5bbd41 free-wawancara re-guided 7 of 9 stories.
    link = "https://www.tempo.co/wawancara/wawancara-sumitro-prabowo-2139059"
    assert item_key("3", link) == item_key("5", link)


def test_reused_guid_with_another_link_is_another_key():
    # Regression: tempo-rss 55e06cb4 -> 8f5bbd41 free-ekonomi reused guids 1..9.
    assert item_key("1", "https://www.tempo.co/a-1") != item_key("1", "https://www.tempo.co/b-2")


def test_guid_and_link_keys_cannot_collide():
    # An entry without a link whose guid is another entry's URL must not dedupe against it.
    assert item_key("https://x.id/a", "") != item_key(None, "https://x.id/a")


@pytest.mark.parametrize(
    ("variant", "page"),
    [
        (
            "https://kaltim.tribunnews.com/amp/2024/08/12/judul",
            "https://kaltim.tribunnews.com/2024/08/12/judul",
        ),
        (
            "https://m.tribunnews.com/2024/08/12/judul",
            "https://www.tribunnews.com/2024/08/12/judul",
        ),
        ("https://amp.kompas.com/read/1", "https://www.kompas.com/read/1"),
        ("https://www.inibalikpapan.com/judul/amp/", "https://inibalikpapan.com/judul"),
        ("https://site.id/judul?amp=1&id=3", "https://site.id/judul?id=3"),
        ("https://site.id/judul?outputType=amp", "https://site.id/judul"),
    ],
)
def test_amp_and_mobile_copies_are_the_page_itself(variant, page):
    assert canonical_url(variant) == canonical_url(page)


def test_different_sites_stay_different():
    assert canonical_url("https://m.detik.com/news/1") != canonical_url(
        "https://kompas.com/news/1"
    )
