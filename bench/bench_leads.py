"""Reading the leads of title-only items (issue 24): how well, and at what cost to the bot.

1. Quality, on the 208 labelled articles of tests/fixtures/tagging_real_shapes.jsonl (title and
   first paragraphs, in the shapes of real Kaltim and national news), each put in an article
   page in its outlet's shape (bench/leadpages.py: menus of topic words, captions, "Baca juga"
   links to other stories, teaser description metas, trailers). Per topic, the F1 of tagging
   the title-only item after its lead is read from the page, beside tagging the headline with
   its first paragraph (target: within 0.03) and the headline alone; and the share of pages
   whose lead is the article's own (it starts with the article's first paragraph: not the
   menu, not a link, not the headline again; target: at least 90%).
2. Cost: a poll of the bundled feeds (bot/data/default_feeds.toml: the Google News searches
   title-only, the others with summaries, 30 items each) served from loopback by another
   process, polled with READ_LEADS on and off, alternated, in the same run: the CPU seconds of
   the bot's own process (the workers apart) and the wall time, best of the rounds (target: at
   most a few seconds more with leads).

Run: .venv/bin/python bench/bench_leads.py [--rounds 3] [--items 30]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import random
import re
import resource
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.leadpages import page, shape_of  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.feeds.clean import clean_text  # noqa: E402
from bot.feeds.lead import decode_page, lead_of  # noqa: E402
from bot.ops.evaluation import evaluate  # noqa: E402
from bot.services.container import Services  # noqa: E402
from bot.tagging.defaults import default_topics  # noqa: E402
from storage import feeds as feed_store  # noqa: E402

ARTICLES = ROOT / "tests" / "fixtures" / "tagging_real_shapes.jsonl"
FEEDS = ROOT / "bot" / "data" / "default_feeds.toml"


def articles() -> list[dict]:
    """The labelled articles."""
    return [json.loads(line) for line in ARTICLES.read_text().splitlines() if line.strip()]


def _fold(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def quality() -> None:
    """Part 1: F1 per topic and the share of own leads."""
    rows = articles()
    rng = random.Random(24)
    titles = [row["title"] for row in rows]
    enriched, own, with_body = [], 0, 0
    started = time.process_time()
    for row in rows:
        others = rng.sample([t for t in titles if t != row["title"]], 8)
        html = page(row, others, shape_of(row.get("source", "")))
        lead = lead_of(decode_page(html.encode(), "text/html; charset=utf-8"), row["title"])
        first = _fold(clean_text(row["summary"]))[:60]
        # Four labelled articles are titles alone: they have no first paragraph to find.
        with_body += bool(first)
        own += bool(first) and _fold(lead).startswith(first)
        enriched.append({**row, "summary": lead})
    spent = time.process_time() - started
    topics = default_topics()
    with_text = evaluate(rows, topics)
    with_lead = evaluate(enriched, topics)
    title_only = evaluate([{**row, "summary": ""} for row in rows], topics)
    print(
        f"Quality: {len(rows)} articles, leads read in {spent:.2f} s of CPU "
        f"({spent / len(rows) * 1000:.1f} ms a page)"
    )
    print(
        f"{'topic':<20} {'headline+1st para':>18} {'title+lead read':>16} {'diff':>6} "
        f"{'title alone':>12}"
    )
    for score in with_text.scores:
        lead_f1 = with_lead.score(score.slug).f1
        print(
            f"{score.slug:<20} {score.f1:18.3f} {lead_f1:16.3f} {lead_f1 - score.f1:+6.3f} "
            f"{title_only.score(score.slug).f1:12.3f}"
        )
    print(
        f"own lead (starts with the article's first paragraph): {own}/{with_body} "
        f"= {own / with_body:.1%} of the articles that have one (target >= 90%)"
    )


# --- Part 2: the cost of a poll of the bundled feeds -------------------------------------------


def _old_form_id(url: str) -> str:
    raw = url.encode()
    return base64.urlsafe_b64encode(b"\x08\x13\x22" + bytes([len(raw)]) + raw).decode().rstrip("=")


def _rss(entries: list[tuple[str, str, str, datetime]], title: str) -> str:
    from email.utils import format_datetime
    from html import escape

    items = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(summary)}"
        f"</description></item>"
        for t, link, summary, when in entries
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>'
        f"{escape(title)}</title><link>http://example.invalid/</link>{items}</channel></rss>"
    )


def _serve(items: int, conn) -> None:
    """The child process: the bundled feeds and the outlets' pages on loopback."""
    from tests.support.feed_host import FeedHost

    async def main() -> None:
        feeds = tomllib.loads(FEEDS.read_text())["feeds"]
        rows = articles()
        rng = random.Random(13)
        now = datetime.now(UTC)
        async with FeedHost() as google, FeedHost() as outlets, FeedHost() as others:
            urls = []
            for f, feed in enumerate(feeds):
                entries = []
                google_search = "news.google.com" in feed["url"]
                for n in range(items):
                    row = rows[(f * items + n) % len(rows)]
                    when = now - timedelta(minutes=7 * n + f)
                    if google_search:
                        path = f"/read/{f}/{n}"
                        outlets.add(
                            path,
                            page(
                                row,
                                rng.sample([r["title"] for r in rows], 8),
                                shape_of(row["source"]),
                            ),
                            content_type="text/html; charset=utf-8",
                        )
                        link = google.url(f"/rss/articles/{_old_form_id(outlets.url(path))}")
                        entries.append((f"{row['title']} - {feed['outlet']}", link, "", when))
                    else:
                        entries.append(
                            (row["title"], others.url(f"/a/{f}/{n}"), row["summary"], when)
                        )
                if google_search:
                    query = feed["url"].split("?", 1)[1]
                    urls.append(google.add(f"/rss/search?{query}", _rss(entries, "x")))
                else:
                    urls.append(others.add(f"/feed/{f}.xml", _rss(entries, feed["title"])))
            conn.send(urls)
            await asyncio.to_thread(conn.recv)  # serve until the bench is done

    asyncio.run(main())


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _poll(urls: list[str], leads: bool) -> tuple[float, float, int, int]:
    """One poll of every feed into a fresh database: (bot CPU s, wall s, items, with a lead)."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.from_env(
            {
                "DATABASE_PATH": f"{folder}/bench.db",
                "SEED_DEFAULT_FEEDS": "false",
                "ALLOW_PRIVATE_FEED_URLS": "true",
                "READ_LEADS": str(leads).lower(),
            }
        )
        services = Services.open(settings)
        await services.start()
        now = services.core.now()
        for url in urls:
            feed_store.add_feed(services.core.db, url, now)
        await services.pool.start(tuple(services.core.topics()))  # as the bot does at start
        cpu, wall = _cpu(), time.perf_counter()
        summary = await services.ingest.poll_all()
        cpu, wall = _cpu() - cpu, time.perf_counter() - wall
        leads_read = next(
            services.core.db.query(
                "SELECT count(*) AS n FROM items WHERE summary <> '' AND link LIKE '%/read/%'"
            )
        )["n"]
        await services.aclose()
    return cpu, wall, summary.new, leads_read


def cost(rounds: int, items: int) -> None:
    """Part 2: the bot's CPU for a poll of the bundled feeds, with and without leads."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(items, child), daemon=True)
    server.start()
    urls = parent.recv()
    results: dict[bool, list[tuple[float, float, int, int]]] = {False: [], True: []}
    for _ in range(rounds):
        for leads in (False, True):
            results[leads].append(asyncio.run(_poll(urls, leads)))
    parent.send("done")
    server.join(timeout=10)
    print(
        f"\nCost: a poll of the {len(urls)} bundled feeds, {items} items each, the pages "
        f"served by another process; best of {rounds} rounds, alternated"
    )
    for leads in (False, True):
        runs = results[leads]
        best = min(runs)
        print(
            f"  leads {'on ' if leads else 'off'}: bot CPU {best[0]:.2f} s (rounds: "
            f"{', '.join(f'{r[0]:.2f}' for r in runs)}), wall {min(r[1] for r in runs):.2f} s,"
            f" {best[2]} items, {best[3]} with a lead read from their page"
        )
    extra = min(results[True])[0] - min(results[False])[0]
    print(f"  leads cost the bot {extra:+.2f} s of CPU for this poll (target: a few seconds)")


def main() -> None:
    """Print the figures of both parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()
    quality()
    if not args.quality_only:
        cost(args.rounds, args.items)


if __name__ == "__main__":
    main()
