"""Every feed file of feedparser's test corpus through the full ingestion path: loopback HTTP,
fetch, parse, clean, tag, store (files in ../shared/corpus/feedparser, see its SOURCE.md).

The walk runs once per module, with one services instance and one SQLite file; the tests below
then look at what it produced, each listing the files that broke its rule. Run with `-rA` to
see the figures (files walked, items stored and skipped, feeds failed, time).
"""

import asyncio
import re
import time
import xml.sax
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import feedparser.api
import pytest

from bot.config import Settings
from bot.errors import FeedParseError
from bot.feeds import expat
from bot.feeds.clean import clean_text
from bot.feeds.parse import ParsedFeed, parse_feed
from bot.runtime.workers import PreparePool
from bot.services.container import Services
from bot.services.ingest import PollResult
from storage import feeds as feed_store
from tests.support.feed_host import FeedHost

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "feedparser"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"{CORPUS} is absent (the shared corpus sits beside the project, in ../shared)",
)

# The header comment's simulated response headers: "Header:  Content-type: text/xml".
_HEADER_LINE = re.compile(rb"^\s*Header:\s*([A-Za-z][\w-]*):[ \t]*(.*?)[ \t]*\r?$", re.MULTILINE)
_RAW_TAG = re.compile(r"<\s*script|</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>", re.IGNORECASE)


@dataclass
class Walk:
    """What the walk did: one PollResult per file, or the exception that escaped poll_feed."""

    files: list[str] = field(default_factory=list)
    results: dict[str, PollResult] = field(default_factory=dict)
    crashes: dict[str, str] = field(default_factory=dict)
    feed_files: dict[int, str] = field(default_factory=dict)  # feed id -> file
    items: list[dict] = field(default_factory=list)
    last_errors: dict[str, str | None] = field(default_factory=dict)
    seconds: float = 0.0


def corpus_files() -> list[Path]:
    """Every feed file under tests/ and docs/, in a stable order."""
    return sorted(p for top in ("tests", "docs") for p in (CORPUS / top).rglob("*") if p.is_file())


def served_headers(path: Path, relative: str) -> tuple[str, dict[str, str]]:
    """(Content-Type, other headers) to serve a file with, from its `Header:` lines.

    As upstream's harness: a file whose path contains "http" is served with its headers, and
    as text/xml when it names no Content-Type. The others upstream parsed straight from disk;
    application/xml lets their XML declaration decide the encoding just as that did.
    """
    head = path.read_bytes()[:4096]
    end = head.find(b"-->")
    lines = _HEADER_LINE.findall(head[: end if end >= 0 else 0])
    headers = {name.decode("ascii"): value.decode("latin-1") for name, value in lines}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    if content_type is None:
        content_type = "text/xml" if "http" in relative else "application/xml"
    return content_type, headers


async def walk_corpus(db_path: Path, pool: PreparePool) -> Walk:
    """Serve every corpus file, poll each as a feed, and collect what was stored."""
    walk = Walk()
    settings = Settings.from_env(
        {
            "DATABASE_PATH": str(db_path),
            "SEED_DEFAULT_FEEDS": "false",
            "ALLOW_PRIVATE_FEED_URLS": "true",
        }
    )
    services = Services.open(settings, clock=lambda: NOW, pool=pool)
    core = services.core
    started = time.perf_counter()
    try:
        await services.start()
        async with FeedHost() as host:
            for path in corpus_files():
                await poll_one(walk, host, services, path)
        walk.seconds = time.perf_counter() - started
        walk.items = list(core.db.query("SELECT feed_id, title, link, summary FROM items"))
        for feed_id, relative in walk.feed_files.items():
            walk.last_errors[relative] = feed_store.get_feed(core.db, feed_id).last_error
    finally:
        await services.aclose()
    return walk


async def poll_one(walk: Walk, host: FeedHost, services: Services, path: Path) -> None:
    """Serve one file at its own path and poll it; an exception out of poll_feed is recorded."""
    relative = path.relative_to(CORPUS).as_posix()
    walk.files.append(relative)
    content_type, headers = served_headers(path, relative)
    # etag=False: like upstream's harness, send only the validators the file declares.
    url = host.add_file(relative, path, content_type=content_type, headers=headers, etag=False)
    feed = feed_store.add_feed(services.core.db, url, NOW)
    walk.feed_files[feed.id] = relative
    try:
        walk.results[relative] = await services.ingest.poll_feed(feed)
    except Exception as exc:  # noqa: BLE001 - the point of the walk is to list these
        walk.crashes[relative] = f"{type(exc).__name__}: {exc}"


@pytest.fixture(scope="module")
def walk(tmp_path_factory, prepare_pool) -> Walk:
    """The walk, run once for the module in its own event loop."""
    return asyncio.run(walk_corpus(tmp_path_factory.mktemp("corpus") / "warta.db", prepare_pool))


def report(broken: dict[str, str]) -> str:
    """A failure message listing the files that broke a rule, one per line."""
    return f"{len(broken)} files:\n" + "\n".join(f"  {k}: {v}" for k, v in sorted(broken.items()))


def test_every_file_is_walked(walk):
    assert len(walk.files) == len(corpus_files()) >= 384


def test_no_exception_escapes_poll_feed(walk):
    assert not walk.crashes, report(walk.crashes)


def test_every_item_has_a_title_and_an_http_link(walk):
    broken = {
        walk.feed_files[row["feed_id"]]: f"title={row['title']!r} link={row['link']!r}"
        for row in walk.items
        if not row["title"].strip() or not re.match(r"https?://[^/\s]+", row["link"])
    }
    assert not broken, report(broken)


def test_no_script_or_html_tags_reach_storage(walk):
    broken = {}
    for row in walk.items:
        for name in ("title", "summary"):
            found = _RAW_TAG.search(row[name])
            if found:
                broken[walk.feed_files[row["feed_id"]]] = f"{name} has {found.group(0)!r}"
    assert not broken, report(broken)


def parsed_corpus() -> dict[str, ParsedFeed | str]:
    """Every corpus file parsed directly (no worker), with the headers it would be served
    with: the ParsedFeed, or the FeedParseError's message."""
    out: dict[str, ParsedFeed | str] = {}
    for path in corpus_files():
        relative = path.relative_to(CORPUS).as_posix()
        content_type, headers = served_headers(path, relative)
        try:
            out[relative] = parse_feed(
                path.read_bytes(),
                url=f"http://127.0.0.1/{relative}",
                headers={**headers, "content-type": content_type},
            )
        except FeedParseError as error:
            out[relative] = str(error)
    return out


def test_no_entry_keeps_markup_after_cleaning():
    # Most sanitize/ cases have no link, so their entries never reach storage; the cleaner must
    # still be safe on them, should such an entry come with a link one day.
    broken = {}
    for relative, parsed in parsed_corpus().items():
        if isinstance(parsed, str):
            continue
        for entry in parsed.entries:
            for name in ("title", "summary"):
                found = _RAW_TAG.search(clean_text(getattr(entry, name)))
                if found:
                    broken[relative] = f"{name} has {found.group(0)!r}"
    assert not broken, report(broken)


def test_the_workers_sax_driver_reads_every_file_as_feedparsers_own(monkeypatch):
    # The workers parse with expat's text buffering on (bot.feeds.expat): it must change how
    # fast feedparser reads, never what it reads.
    monkeypatch.setattr(
        feedparser.api, "PREFERRED_XML_PARSERS", list(feedparser.api.PREFERRED_XML_PARSERS)
    )  # restored afterwards
    own = parsed_corpus()
    expat.use_in_feedparser()
    assert type(xml.sax.make_parser(feedparser.api.PREFERRED_XML_PARSERS)).__name__ == (
        "BufferedExpatParser"
    )
    buffered = parsed_corpus()
    differ = {name: "read differently" for name in own if own[name] != buffered[name]}
    assert not differ, report(differ)
    assert sum(len(read.entries) for read in own.values() if not isinstance(read, str)) > 100


def test_failures_are_recorded_with_a_reason_and_the_rest_succeed(walk):
    broken = {}
    for relative, result in walk.results.items():
        stored_error = walk.last_errors[relative]
        if result.error:
            if not stored_error or stored_error != result.error:
                broken[relative] = f"failed ({result.error}) but last_error={stored_error!r}"
        elif stored_error is not None:
            broken[relative] = f"succeeded but last_error={stored_error!r}"
    assert not broken, report(broken)


def test_failed_feeds_are_those_with_nothing_usable(walk):
    failed = {name: r.error for name, r in walk.results.items() if r.error}
    # Only documents that are no feed at all may fail: an empty body, or no RSS/Atom in it.
    unexpected = {k: v for k, v in failed.items() if not v.startswith("parser: ")}
    assert not unexpected, report(unexpected)
    assert "tests/illformed/rss_empty_document.xml" in failed


def test_summary(walk, measured):
    failed = {name: r.error for name, r in walk.results.items() if r.error}
    stored = sum(r.new for r in walk.results.values())
    skipped = sum(r.skipped for r in walk.results.values())
    # Most corpus files test one element, so most of their entries lack a link or a title.
    nothing_kept = sum(1 for r in walk.results.values() if not r.error and r.skipped and not r.new)
    measured(
        f"feedparser corpus walk: {len(walk.files)} files, {stored} items stored, {skipped} "
        f"items skipped, {len(failed)} feeds failed (nothing usable), {len(walk.crashes)} "
        f"crashed, {nothing_kept} feeds kept with every entry skipped"
    )
    assert stored == len(walk.items)
