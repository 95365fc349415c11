"""parse_feed on small feeds of our own (bot.feeds.parse).

Each file in tests/fixtures/feeds/ is one case, as in feedparser's tests/wellformed/: a leading
comment gives a `Description:` and one or more `Expect:` lines. An Expect line is a Python
expression over `entries` (RawEntry list), `title` and `utc("...Z")`, or
`raises FeedParseError "words in the message"`. The comment is the case's label, not part of
the document: the bytes after it are what parse_feed gets (so a case can be an empty body).
"""

import re
import warnings
from datetime import datetime
from pathlib import Path

import pytest

from bot.errors import FeedParseError
from bot.feeds.dates import WITA
from bot.feeds.parse import parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
FEED_URL = "https://kabar.example.id/rss/terkini.xml"
_HEADER = re.compile(rb"\A\s*<!--(?P<header>.*?)-->\s*", re.DOTALL)
_RAISES = re.compile(r'raises (?P<error>\w+) "(?P<words>[^"]*)"')


def utc(text: str) -> datetime:
    """ "2024-08-12T03:00:00Z" as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def load_case(path: Path) -> tuple[str, list[str], bytes]:
    """(description, expect lines, document bytes) of a fixture file."""
    raw = path.read_bytes()
    match = _HEADER.match(raw)
    assert match, f"{path.name} has no leading <!-- Description: ... Expect: ... --> comment"
    header = match.group("header").decode("utf-8")
    fields = re.findall(r"^\s*(Description|Expect):\s*(.+?)\s*$", header, re.MULTILINE)
    description = " ".join(value for name, value in fields if name == "Description")
    expects = [value for name, value in fields if name == "Expect"]
    assert description and expects, f"{path.name} needs a Description and an Expect"
    return description, expects, raw[match.end() :]


CASES = sorted(p for p in FIXTURES.iterdir() if p.is_file())


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_feed_case(path):
    description, expects, body = load_case(path)
    raises = [_RAISES.fullmatch(e) for e in expects if e.startswith("raises ")]
    if raises:
        assert raises[0] and raises[0]["error"] == "FeedParseError", path.name
        with pytest.raises(FeedParseError, match=re.escape(raises[0]["words"])):
            parse_feed(body, url=FEED_URL)
        return
    parsed = parse_feed(body, url=FEED_URL)
    names = {"entries": parsed.entries, "title": parsed.title, "utc": utc}
    for expect in expects:
        assert eval(expect, {}, names), f"{path.name}: {description}: {expect}"  # noqa: S307


def test_there_are_cases():
    assert len(CASES) >= 10


RSS_ONE_ITEM = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title><link>https://a.example.id/</link>
<description>d</description>
<item><title>Satu</title><link>satu.html</link><pubDate>%s</pubDate></item>
</channel></rss>"""


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("https://cdn.example.id/feeds/x.xml", "https://cdn.example.id/feeds/satu.html"),
        ("/lain/feed.xml", "https://kabar.example.id/lain/satu.html"),  # relative to the URL
        ("javascript:alert('unsafe');", "https://kabar.example.id/rss/satu.html"),
        ("", "https://kabar.example.id/rss/satu.html"),
    ],
)
def test_content_location_header_sets_the_base(location, expected):
    body = RSS_ONE_ITEM % b"Mon, 12 Aug 2024 10:00:00 GMT"
    parsed = parse_feed(body, url=FEED_URL, headers={"content-location": location})
    assert parsed.entries[0].link == expected


ATOM_ONE_ENTRY = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" %s><title>T</title><id>urn:t</id>
<updated>2024-08-12T10:00:00Z</updated>
<entry %s><title>Satu</title><id>urn:satu</id><updated>2024-08-12T10:00:00Z</updated>
<link rel="alternate" href="%s"/></entry></feed>"""


@pytest.mark.parametrize(
    ("feed_base", "entry_base", "href", "expected"),
    [
        ("", "", "berita/satu.html", "https://kabar.example.id/rss/berita/satu.html"),
        (
            'xml:base="https://cdn.example.id/a/"',
            "",
            "satu.html",
            "https://cdn.example.id/a/satu.html",
        ),
        (
            'xml:base="/kanal/"',
            'xml:base="kaltim/"',
            "satu.html",
            "https://kabar.example.id/kanal/kaltim/satu.html",
        ),
        ("", "", "https:///kabar.example.id/satu", "https://kabar.example.id/satu"),
        ("", "", "https://lain.example.id/satu?id=1", "https://lain.example.id/satu?id=1"),
    ],
)
def test_an_entry_link_is_resolved_against_xml_base_and_the_feed_url(
    feed_base, entry_base, href, expected
):
    # feedparser is given no base URL (parsing is faster without one); the link it reads is
    # joined to the feed's URL afterwards, and must come out as feedparser would have made it.
    body = (ATOM_ONE_ENTRY % (feed_base, entry_base, href)).encode()
    [entry] = parse_feed(
        body, url=FEED_URL, headers={"content-type": "application/atom+xml"}
    ).entries
    assert entry.link == expected


def test_a_plain_base_attribute_is_followed_as_feedparser_follows_it():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel base="/a/"><title>T</title>'
        b'<item base="b/"><title>Satu</title><link>satu.html</link></item>'
        b'<item xml:base="file:///etc/"><title>Dua</title><link>https:</link></item>'
        b"</channel></rss>"
    )
    first, second = parse_feed(body, url=FEED_URL).entries
    assert first.link == "https://kabar.example.id/a/b/satu.html"
    # A link resolved by feedparser is not joined to the feed's URL a second time: "https:"
    # stays a link without a host (no item), not the feed's own address.
    assert second.link == "https:"


def test_an_entry_without_a_link_keeps_none():
    body = RSS_ONE_ITEM.replace(b"<link>satu.html</link>", b"") % b"Mon, 12 Aug 2024 10:00:00 GMT"
    [entry] = parse_feed(body, url=FEED_URL).entries
    assert entry.link == ""


def test_our_reading_beats_feedparsers_for_wita():
    # Regression: feedparser 6.0.14 reads "2024-02-12 10:00:00 WITA" as 00:00 UTC.
    [entry] = parse_feed(RSS_ONE_ITEM % b"2024-02-12 10:00:00 WITA", url=FEED_URL).entries
    assert entry.published_at == datetime(2024, 2, 12, 10, 0, tzinfo=WITA)


def test_unreadable_published_falls_back_to_updated():
    body = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
    <entry><title>E</title><link href="https://a.example.id/e"/><id>e</id>
    <published>entah kapan</published><updated>2024-08-12T10:00:00+07:00</updated>
    </entry></feed>"""
    [entry] = parse_feed(body, url=FEED_URL).entries
    assert entry.published_at == utc("2024-08-12T03:00:00Z")


def test_unreadable_pubdate_raises_no_deprecation_warning():
    # Regression: asking a FeedParserDict for "updated_parsed" when only "published_parsed" is
    # set warns (feedparser issue 310); the suite turns warnings into errors, so any feed with
    # an Indonesian pubDate used to crash the poll.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        [entry] = parse_feed(RSS_ONE_ITEM % b"kemarin sore", url=FEED_URL).entries
    assert entry.published_at is None
