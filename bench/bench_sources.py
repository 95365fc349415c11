"""What following sites by their own source costs: (1) every poll's document now goes through
parse_document, which first tells a feed from a sitemap by its start, against parse_feed alone
on the same 200 feeds; (2) a news sitemap of 1,000 addresses (the most Google allows) read by
parse_sitemap, against an RSS feed of the same 1,000 stories read by parse_feed; (3) telling a
page from a feed and finding its feed links, on a 1 MB home page. Same run, best of 5 (the
first: best of 6 alternated rounds).

Run: .venv/bin/python bench/bench_sources.py
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.feeds.discover import feed_links  # noqa: E402
from bot.feeds.document import kind_of, parse_document  # noqa: E402
from bot.feeds.lead import decode_page  # noqa: E402
from bot.feeds.parse import parse_feed  # noqa: E402
from bot.feeds.sitemap import parse_sitemap  # noqa: E402
from tests.support.feedgen import Entry, rss  # noqa: E402
from tests.test_discover import fixture  # noqa: E402

START = datetime(2026, 11, 24, tzinfo=UTC)


def best(function, rounds: int = 5) -> float:
    """The best of `rounds` runs of function(), in milliseconds."""
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings)


def feeds(count: int = 200, items: int = 50) -> list[bytes]:
    """`count` ordinary news feeds of `items` stories each."""
    text = "Banjir merendam ratusan rumah warga di Samarinda Ulu, Kalimantan Timur. " * 8
    return [
        rss(
            [
                Entry(
                    f"Kabar {f}-{n} dari Samarinda",
                    f"https://kabar.example/{f}/{n}",
                    text,
                    published=START + timedelta(minutes=n),
                )
                for n in range(items)
            ]
        ).encode()
        for f in range(count)
    ]


def news_sitemap(count: int) -> bytes:
    """A Google News sitemap of `count` addresses."""
    urls = "".join(
        f"<url><loc>https://kabar.example/berita/{n}</loc><news:news><news:publication>"
        "<news:name>Kabar</news:name><news:language>id</news:language></news:publication>"
        f"<news:publication_date>{(START + timedelta(minutes=n)).isoformat()}"
        f"</news:publication_date><news:title>Kabar nomor {n} dari Samarinda</news:title>"
        "<news:keywords>Samarinda, Kaltim</news:keywords></news:news></url>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
        'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    ).encode()


def main() -> None:
    """Run the three comparisons and print their figures."""
    documents = feeds()
    size = sum(map(len, documents)) / 1e6
    parse_feed(documents[0], url="https://kabar.example/rss")  # imports and caches warmed
    runs = {"alone": [], "routed": []}
    steps = {
        "alone": lambda: [parse_feed(d, url="https://kabar.example/rss") for d in documents],
        "routed": lambda: [parse_document(d, url="https://kabar.example/rss") for d in documents],
    }
    for round_ in range(6):  # alternated, each first in turn: the machine's swings fall on both
        for name in ("alone", "routed") if round_ % 2 else ("routed", "alone"):
            runs[name].append(best(steps[name], rounds=1))
    alone, routed = min(runs["alone"]), min(runs["routed"])
    sniff = best(lambda: [kind_of(d) for d in documents])
    print(
        f"200 feeds x 50 items ({size:.1f} MB): parse_document {routed:.0f} ms vs parse_feed "
        f"alone {alone:.0f} ms (ratio {routed / alone:.3f}); what parse_document adds, "
        f"kind_of on the 200 alone: {sniff:.1f} ms ({sniff / alone:.2%} of parsing)"
    )

    sitemap = news_sitemap(1000)
    same = rss(
        [
            Entry(
                f"Kabar nomor {n} dari Samarinda",
                f"https://kabar.example/berita/{n}",
                "",
                published=START + timedelta(minutes=n),
            )
            for n in range(1000)
        ]
    ).encode()
    read = best(lambda: parse_sitemap(sitemap, url="https://kabar.example/news.xml"))
    feed = best(lambda: parse_feed(same, url="https://kabar.example/rss"))
    print(
        f"1,000 addresses: news sitemap {read:.1f} ms ({len(sitemap) / 1e3:.0f} kB, newest "
        f"100 kept) vs the same stories as RSS through feedparser {feed:.1f} ms "
        f"(ratio {read / feed:.2f})"
    )

    page = fixture("home_names_feed.html", "https://kabar.example")
    page = page.replace(b"</main>", b"<p>kabar</p>" * 80_000 + b"</main>")
    sniff = best(lambda: kind_of(page, "text/html"))
    links = best(lambda: feed_links(decode_page(page, "text/html"), "https://kabar.example/"))
    print(
        f"a {len(page) / 1e6:.1f} MB home page: kind_of {sniff:.2f} ms, feed links "
        f"{links:.2f} ms (the head only)"
    )


if __name__ == "__main__":
    main()
