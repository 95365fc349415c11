"""Hostile feeds and servers (issue 9, "Feeds"): whatever one feed or its server sends, the
failure is that feed's, memory and CPU stay bounded, and connections go only where they were
checked to go. Real parts throughout: the loopback feed host, real httpx, the real worker pool,
a real SQLite file."""

import functools
import gzip
import ipaddress
import os
import re
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import FeedParseError, FetchBadResponse, FetchRefused, FetchTooLarge
from bot.feeds.fetch import check_url, fetch_feed, new_client, refusal
from bot.feeds.parse import parse_feed
from bot.text.shaping import masked_url
from bot.text.texts import describe_failure
from storage import feeds as feed_store
from tests.support.feedgen import Entry, kaltim_entries, rss

pytestmark = pytest.mark.timeout(180)
MB = 1024 * 1024


# --- Measuring memory (Linux /proc) ------------------------------------------------------------


def _status(pid: int | str, field: str) -> int:
    """A kB figure of /proc/<pid>/status, in bytes (0 when the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) * 1024 if match else 0


def reset_peak() -> None:
    """Start this process's peak RSS (VmHWM) afresh (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss() -> int:
    return _status("self", "VmHWM")


def descendants(pid: int) -> list[int]:
    """The process's children, their children, and so on."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            found += map(int, children)
            todo += map(int, children)
    return found


def worker_pids() -> list[int]:
    """The pool's spawned worker processes among this process's descendants."""
    pids = []
    for pid in descendants(os.getpid()):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                pids.append(pid)
        except OSError:
            continue
    return pids


def tree_rss() -> int:
    """Resident memory of this process and every process under it."""
    return sum(_status(pid, "VmRSS") for pid in [os.getpid(), *descendants(os.getpid())])


# --- Hostile bodies (made here, in the shapes real attacks take) -------------------------------


@functools.cache
def gzip_of_zeros(size: int) -> bytes:
    """A gzip member of `size` zero bytes, built a megabyte at a time (about 1 KB per MB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MB)
    parts = [compressor.compress(block) for _ in range(size // MB)]
    return b"".join([*parts, compressor.flush()])


def entity_bomb(uses: int = 3000, size: int = 10_000) -> str:
    """One declared entity of `size` characters, used `uses` times in one summary."""
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY w "{"warta " * (size // 6)}">]>\n'
        '<rss version="2.0"><channel><title>Kabar Bom</title><link>https://bom.example/</link>'
        "<item><title>Bom entitas</title><link>https://bom.example/1</link>"
        f"<description>{'&w;' * uses}</description></item></channel></rss>"
    )


def healthy_feed(clock, prefix: str = "Berita") -> str:
    return rss(kaltim_entries(3, start=clock.now, prefix=prefix))


# --- Decompression -----------------------------------------------------------------------------


async def test_a_gzip_applied_twice_is_refused_without_inflating(feed_host):
    # A few hundred bytes that would be 200 MB: the issue measured 584 MB with the bot running.
    body = gzip.compress(gzip_of_zeros(200 * MB))
    assert len(body) < 2_000
    url = feed_host.add("/bom.xml", body, headers={"Content-Encoding": "gzip, gzip"})
    reset_peak()
    before = peak_rss()
    async with new_client() as client:
        with pytest.raises(FetchBadResponse, match="more than one content coding"):
            await fetch_feed(client, url, allow_private=True)
    assert peak_rss() - before < 20 * MB


async def test_one_gzip_layer_is_inflated_no_further_than_the_cap(feed_host):
    body = gzip_of_zeros(200 * MB)
    url = feed_host.add("/bom.xml", body, headers={"Content-Encoding": "gzip"})
    reset_peak()
    before = peak_rss()
    async with new_client() as client:
        with pytest.raises(FetchTooLarge):
            await fetch_feed(client, url, allow_private=True, max_bytes=5 * MB)
    # Before: httpx inflated each network chunk whole (up to 64 MB from 64 KB) before the cap
    # was looked at. Now at most the cap (5 MB) and the list of its pieces.
    assert peak_rss() - before < 20 * MB


async def test_gzip_and_deflate_feeds_still_read(feed_host, clock):
    text = healthy_feed(clock)
    gzipped = feed_host.add("/gz.xml", text, gzip=True)
    deflated = feed_host.add(
        "/df.xml", zlib.compress(text.encode()), headers={"Content-Encoding": "deflate"}
    )
    raw_deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = feed_host.add(
        "/raw.xml",
        raw_deflate.compress(text.encode()) + raw_deflate.flush(),
        headers={"Content-Encoding": "deflate"},
    )
    async with new_client() as client:
        for url in (gzipped, deflated, raw):
            assert (await fetch_feed(client, url, allow_private=True)).body == text.encode()
    assert feed_host.requests("/gz.xml")[0].headers["Accept-Encoding"] == "gzip, deflate"


# --- Entities and lengths ----------------------------------------------------------------------


def test_declared_entities_are_never_expanded():
    parsed = parse_feed(entity_bomb().encode(), url="https://bom.example/rss")
    summary = parsed.entries[0].summary
    assert "warta warta" not in summary and len(summary) < 20_000
    assert parsed.title == "Kabar Bom"  # the rest of the feed still reads


def test_a_feed_declaring_an_html_entity_still_reads():
    document = (
        '<?xml version="1.0"?><!DOCTYPE rss [ <!ENTITY nbsp "&#160;"> ]>'
        '<rss version="2.0"><channel><title>Kabar&nbsp;Kaltim</title>'
        "<item><title>Banjir di Samarinda</title><link>https://kabar.example/1</link>"
        "<description>Air naik&nbsp;setinggi lutut.</description></item></channel></rss>"
    )
    parsed = parse_feed(document.encode(), url="https://kabar.example/rss")
    assert [e.title for e in parsed.entries] == ["Banjir di Samarinda"]


def test_an_entity_declared_in_utf16_is_refused():
    document = entity_bomb(uses=10).replace('<?xml version="1.0"?>', "")
    with pytest.raises(FeedParseError, match="entities"):
        parse_feed(
            b"\xff\xfe" + document.replace("<!DOCTYPE rss [", "<x>").encode("utf-16-le"),
            url="https://bom.example/rss",
        )


async def test_a_feed_of_entities_and_giant_fields_stores_bounded_items(
    services, feed_host, clock
):
    giant = Entry(
        "Judul " * 1000,
        "https://kabar.example/panjang",
        "Isi berita panjang sekali. " * 4000,
        published=clock.now,
    )
    long_link = Entry("Tautan panjang", "https://kabar.example/" + "a" * 5000, published=clock.now)
    normal = Entry("Banjir di Samarinda", "https://kabar.example/banjir", published=clock.now)
    feed_store.add_feed(
        services.core.db,
        feed_host.add("/besar.xml", rss([giant, long_link, normal], title="Kabar " * 1000)),
        clock.now,
    )
    feed_store.add_feed(services.core.db, feed_host.add("/bom.xml", entity_bomb()), clock.now)
    summary = await services.ingest.poll_all()
    assert not summary.errors
    rows = list(services.core.db.query("SELECT title, link, summary FROM items"))
    assert len(rows) == 3  # the entry whose link is 5,000 characters long was skipped
    assert max(len(r["title"]) for r in rows) <= 300
    assert max(len(r["link"]) for r in rows) <= 2048
    assert max(len(r["summary"] or "") for r in rows) <= 2000
    titles = [f.title for f in feed_store.list_feeds(services.core.db)]
    assert max(map(len, titles)) <= 120 and titles[0].endswith("…")


# --- Every answer a server can give is that feed's failure -------------------------------------

RSS_BODY = rss([Entry("Kabar", "https://kabar.example/k")]).encode()


def _answer(head: str, body: bytes = b"") -> bytes:
    return head.replace("\n", "\r\n").encode("latin-1") + b"\r\n\r\n" + body


# Each shape: how the feed host serves it. "raw" answers are sent byte for byte.
HOSTILE = {
    "retry_after_far_away": dict(
        body="Sibuk", status=503, headers={"Retry-After": "999999999999"}
    ),
    "redirect_past_port_65535": dict(redirect="http://127.0.0.1:99999/feed"),
    "redirect_to_malformed_address": dict(redirect="http://[::1/feed"),
    "redirect_to_another_scheme": dict(redirect="ftp://127.0.0.1/feed"),
    "stacked_gzip": dict(
        body=gzip.compress(gzip.compress(b"<rss/>")), headers={"Content-Encoding": "gzip, gzip"}
    ),
    "unknown_coding": dict(body=b"xxxx", headers={"Content-Encoding": "br"}),
    "corrupt_gzip": dict(
        body=b"\x1f\x8b\x08\x00garbage-garbage", headers={"Content-Encoding": "gzip"}
    ),
    "nul_in_a_header": dict(
        raw=_answer("HTTP/1.1 200 OK\nX-Kabar: a\x00b\nContent-Length: 2", b"ok")
    ),
    "bad_chunk": dict(
        raw=_answer("HTTP/1.1 200 OK\nTransfer-Encoding: chunked", b"zz\r\nabc\r\n0\r\n\r\n")
    ),
    "not_utf8_headers": dict(
        raw=_answer("HTTP/1.1 301 Moved\nLocation: /\xff\xfe\xe9\nContent-Length: 0")
    ),
    "garbage_status_line": dict(raw=b"HTTP/1.1 9999999999 \xff\r\n\r\n"),
    "no_answer_at_all": dict(raw=b""),
    "content_length_lies": dict(raw=_answer("HTTP/1.1 200 OK\nContent-Length: 999999", RSS_BODY)),
    "html_page": dict(
        body="<html><body>Bukan feed</body></html>", headers={"Content-Type": "text/html"}
    ),
    "entity_bomb": dict(body=entity_bomb()),
}


def serve(feed_host, name: str, shape: dict) -> str:
    path = f"/{name}.xml"
    if "redirect" in shape:
        return feed_host.redirect(path, shape["redirect"])
    if "raw" in shape:
        return feed_host.raw(path, shape["raw"])
    return feed_host.add(
        path, shape["body"], status=shape.get("status", 200), headers=shape.get("headers")
    )


@pytest.mark.parametrize("name", HOSTILE)
async def test_a_hostile_answer_fails_that_feed_alone_with_backoff(
    name, services, feed_host, clock
):
    db = services.core.db
    healthy = feed_store.add_feed(db, feed_host.add("/sehat.xml", healthy_feed(clock)), clock.now)
    hostile = feed_store.add_feed(db, serve(feed_host, name, HOSTILE[name]), clock.now)
    summary = await services.ingest.poll_all()
    by_id = {r.feed_id: r for r in summary.results}
    assert by_id[healthy.id].new == 3 and by_id[healthy.id].error is None
    failed = feed_store.get_feed(db, hostile.id)
    if name == "entity_bomb":  # not a failure: read without its entity
        assert by_id[hostile.id].error is None
        return
    assert by_id[hostile.id].error and by_id[hostile.id].alert is None
    assert failed.error_count == 1 and failed.failing_since == clock.now
    assert failed.next_poll_at > clock.now  # backing off
    # The admin reads a reason in either language, never a blank or a key.
    for lang in ("id", "en"):
        reason = describe_failure(lang, failed.last_error_kind, failed.last_error)
        assert reason and "fail_" not in reason


async def test_a_far_retry_after_is_honoured_up_to_a_day(services, feed_host, clock):
    url = serve(feed_host, "sibuk", HOSTILE["retry_after_far_away"])
    feed = feed_store.add_feed(services.core.db, url, clock.now)
    await services.ingest.poll_all()
    wait = feed_store.get_feed(services.core.db, feed.id).next_poll_at - clock.now
    assert wait.total_seconds() == 24 * 3600


async def test_credentials_in_a_feed_url_are_masked_in_logs_and_feeds(
    app, admin, feed_host, clock, caplog
):
    from tests.support.chats import services_of

    url = feed_host.add("/rahasia.xml", "Sibuk", status=500).replace(
        "http://", "http://redaksi:sandi-rahasia@"
    )
    feed_store.add_feed(services_of(app).core.db, url, clock.now)
    await services_of(app).ingest.poll_all()
    listing = await admin.say("/feeds")
    assert "sandi-rahasia" not in caplog.text and "sandi-rahasia" not in listing
    assert "***@127.0.0.1" in listing and "***@127.0.0.1" in caplog.text
    assert masked_url("https://a:b@c.example:8/x?y=1") == "https://***@c.example:8/x?y=1"


# --- SSRF: the address connected to is the address checked ------------------------------------

REFUSED = [
    "127.0.0.1",
    "10.1.2.3",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",  # IPv4-mapped
    "64:ff9b::7f00:1",
    "64:ff9b::a00:1",  # NAT64 to loopback, to 10.0.0.1
    "64:ff9b:1::808:808",  # local-use NAT64
    "2002:7f00:1::1",
    "2002:a00:1::",  # 6to4 around 127.0.0.1, 10.0.0.1
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "::127.0.0.1",
    "::8.8.8.8",  # IPv4-compatible (deprecated)
]
PUBLIC = [
    "8.8.8.8",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_global_addresses_are_refused_on_any_hop(address):
    assert refusal(ipaddress.ip_address(address))
    literal = f"[{address}]" if ":" in address else address
    with pytest.raises(FetchRefused):
        check_url(f"http://{literal}/rss")  # as a feed URL or as a redirect's Location


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert refusal(ipaddress.ip_address(address)) is None


class Resolver:
    """A DNS stand-in: answers[i] is the answer to the i-th question (the last one repeats)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers, self.asked = answers, []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return self.answers[min(len(self.asked), len(self.answers)) - 1]


async def test_the_connection_goes_to_the_address_resolved_once(feed_host, clock):
    feed_host.add("/f.xml", healthy_feed(clock))
    # Rebinding: asked again, this DNS server would answer somewhere else (nothing listens on
    # 127.0.0.2 here). One question is asked, and the socket goes to its answer.
    resolver = Resolver(["127.0.0.1"], ["127.0.0.2"])
    url = f"http://kabar.example:{feed_host.port}/f.xml"
    async with new_client(resolver=resolver) as client:
        result = await fetch_feed(client, url, allow_private=True)
    assert result.status == 200 and resolver.asked == ["kabar.example"]
    # The name stays the name: in the Host header (and in TLS's SNI, taken from the same URL).
    assert feed_host.requests("/f.xml")[0].headers["Host"] == f"kabar.example:{feed_host.port}"


@pytest.mark.parametrize(
    "answer",
    [["127.0.0.1"], ["8.8.8.8", "127.0.0.1"], ["2606:4700:4700::1111", "64:ff9b::7f00:1"]],
)
async def test_a_name_with_any_private_address_is_never_connected_to(answer, feed_host, clock):
    feed_host.add("/f.xml", healthy_feed(clock))
    resolver = Resolver(answer, ["8.8.8.8"])
    url = f"http://kabar.example:{feed_host.port}/f.xml"
    async with new_client(resolver=resolver) as client:
        with pytest.raises(FetchRefused):
            await fetch_feed(client, url, allow_private=False)
    assert feed_host.requests() == [] and resolver.asked == ["kabar.example"]


# --- CPU budget and the worker pool ------------------------------------------------------------


def heavy_feed(clock) -> str:
    """About 5 MB of ordinary news (2,400 items): some seconds of CPU to parse, clean, tag."""
    text = (
        "Banjir merendam ratusan rumah warga di Samarinda Ulu, Kalimantan Timur, pada Senin "
        "pagi. " * 22
    )
    return rss(
        [
            Entry(
                f"Banjir {i} di Samarinda", f"https://kabar.example/{i}", text, published=clock.now
            )
            for i in range(2400)
        ]
    )


@pytest.fixture
async def strict_services(make_settings, clock):
    """Services whose feeds get one CPU second each, with a worker pool of their own (not the
    session's): these tests count its replacements and break its workers on purpose."""
    from bot.services.container import Services

    services = Services.open(make_settings(feed_cpu_seconds="1"), clock=clock)
    await services.start()
    yield services
    await services.aclose()


async def test_a_feed_over_its_cpu_budget_fails_alone_and_says_why(
    strict_services, feed_host, clock, telegram_api
):
    pool = strict_services.pool
    db = strict_services.core.db
    heavy = feed_store.add_feed(db, feed_host.add("/berat.xml", heavy_feed(clock)), clock.now)
    healthy = feed_store.add_feed(db, feed_host.add("/sehat.xml", healthy_feed(clock)), clock.now)
    replaced = pool.replaced
    summary = await strict_services.ingest.poll_all()
    by_id = {r.feed_id: r for r in summary.results}
    assert by_id[healthy.id].new == 3
    assert by_id[heavy.id].error_kind == "cpu_budget" and by_id[heavy.id].new == 0
    assert pool.replaced == replaced + 1  # the interrupted worker is not trusted again
    failed = feed_store.get_feed(db, heavy.id)
    assert describe_failure("id", failed.last_error_kind, failed.last_error) == (
        "feed ini terlalu berat untuk diolah (melewati batas 1 detik waktu CPU)."
    )
    assert describe_failure("en", failed.last_error_kind, failed.last_error) == (
        "the feed is too heavy to process (over the 1-second CPU-time limit)."
    )
    # The new pool serves the next poll.
    feed_host.add("/sehat.xml", healthy_feed(clock, prefix="Kabar"))
    assert (await strict_services.ingest.poll_all(force=True)).results[1].new == 3


async def test_feeds_shows_the_cpu_budget_reason(
    make_settings, build_bot, telegram_api, feed_host, clock
):
    from bot.app import shutdown
    from tests.support.chats import ADMIN_ID, Chat, services_of

    application = await build_bot(make_settings(feed_cpu_seconds="1"), clock=clock)
    async with application:
        services = services_of(application)
        feed_store.add_feed(
            services.core.db, feed_host.add("/berat.xml", heavy_feed(clock)), clock.now
        )
        await services.ingest.poll_all()
        admin = Chat(application, telegram_api, ADMIN_ID)
        assert "melewati batas 1 detik waktu CPU" in await admin.say("/feeds")
        await admin.say("/language en")
        assert "over the 1-second CPU-time limit" in await admin.say("/feeds")
    await shutdown(application)


async def test_a_dead_worker_does_not_break_later_polls(make_settings, feed_host, clock):
    """With a pool of its own: the session's shared one keeps its workers."""
    from bot.services.container import Services

    shared = set(worker_pids())
    services = Services.open(make_settings(), clock=clock)
    try:
        # A feed first: a bot without feeds starts no workers.
        feed_store.add_feed(
            services.core.db, feed_host.add("/sehat.xml", healthy_feed(clock)), clock.now
        )
        await services.start()
        await _poll_after_killing_the_workers(services, shared)
    finally:
        await services.aclose()


async def test_a_bot_without_feeds_starts_its_workers_with_the_first_feed(
    make_settings, feed_host, clock
):
    """No feed, no worker processes (~40 MB each); the first feed an admin adds starts them and
    is stored with its items. With a pool of its own, as above."""
    from bot.services.container import Services

    shared = set(worker_pids())
    services = Services.open(make_settings(), clock=clock)
    try:
        await services.start()
        assert set(worker_pids()) == shared
        feed, found = await services.ingest.add_feed(
            feed_host.add("/sehat.xml", healthy_feed(clock))
        )
        assert found == 3 and feed.id
        assert set(worker_pids()) - shared  # (the pool starts one more as work needs it)
    finally:
        await services.aclose()
    assert set(worker_pids()) == shared


async def _poll_after_killing_the_workers(services, shared: set[int]):
    import signal

    pids = [pid for pid in worker_pids() if pid not in shared]
    assert pids
    for pid in pids:  # as the kernel's out-of-memory killer would
        os.kill(pid, signal.SIGKILL)
    summary = await services.ingest.poll_all()
    assert summary.new == 3 and not summary.errors
    assert not set(pids) & set(worker_pids())
    assert services.pool.replaced >= 1


# --- Every step on feed text is linear (or bounded) --------------------------------------------

FIVE_MB = 5_000_000
# Hostile documents are driven with 1 MB, a fifth of the largest feed we read: a quadratic step
# is already thousands of times slower there than a linear one.
ONE_MB = 1_000_000
# Cleaning and URLs run per entry on text already cut to 40,000 characters (parse.py), so they
# are driven with half a megabyte: a quadratic step is still hundreds of times slower there,
# and the suite stays quick on a shared machine.
HALF_MB = 500_000
PROSE = "Banjir merendam ratusan rumah warga di Samarinda Ulu pada Senin pagi, kata Lurah. "


def repeat(unit: str, size: int = ONE_MB) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def cpu(step, *args) -> float:
    """CPU seconds one call takes (process time: other load on the machine does not count)."""
    start = time.process_time()
    step(*args)
    return time.process_time() - start


def assert_linear(step, hostile, plain, text_size: int = ONE_MB) -> None:
    """The hostile input costs at most a constant times the plain one of the same size (or a
    plain pass over that much text, for steps that refuse both at once). A quadratic step is
    thousands of times slower at 1 MB; a linear one with dearer branches, tens at most."""
    baseline = max(cpu(step, plain), cpu(lambda: " ".join(repeat(PROSE, text_size).split())))
    hostile_cost = cpu(step, hostile)
    assert hostile_cost <= 60 * baseline, (hostile_cost, baseline)


# Each was quadratic (or worse) before: seconds to minutes at a few hundred kilobytes.
CLEAN_SHAPES = [
    "Baca juga:\n",
    " \n",
    "<a href='x'",
    "<!--",
    "[caption ",
    "<![CDATA[>",
    "<b>baca juga</b>: <a>",
    "a.\n\n\n\n\n\n\n\n (Foto: Ist) ",
]


@pytest.mark.parametrize("unit", CLEAN_SHAPES)
def test_cleaning_is_linear(unit):
    from bot.feeds.clean import clean_text

    assert_linear(clean_text, repeat(unit, HALF_MB), repeat(PROSE, HALF_MB), HALF_MB)


def test_dates_are_linear():
    from bot.feeds.dates import parse_date

    for unit in ("1 ", "12-", "Senin, ", "12 Agustus ", "1:", "+"):
        assert_linear(parse_date, repeat(unit), repeat("Senin, 12 Agustus 2024 10:00 WIB "))


def test_url_canonicalisation_is_linear():
    from bot.feeds.urls import canonical_url, item_key

    size = HALF_MB  # links are cut to 2,048 characters at parse time; this is for the rest
    plain = "https://kabar.example/?" + repeat("halaman=2&kategori=kaltim&", size)
    for unit in ("%", "utm_source=x&", "["):
        hostile = "https://kabar.example/?" + repeat(unit, size)
        assert_linear(canonical_url, hostile, plain, size)
    assert_linear(lambda link: item_key(link, link), repeat("%", size), plain, size)


@pytest.mark.parametrize("unit", ["<!ENTITY a 'x'>", "]", "<!DOCTYPE rss [", "&a;"])
def test_parsing_hostile_markup_is_linear(unit, clock):
    document = ('<?xml version="1.0"?><!DOCTYPE rss [' + repeat(unit) + "<rss/>").encode()
    plain = healthy_feed(clock).replace("<channel>", "<channel><!-- " + repeat(PROSE) + " -->")

    def parse(body: bytes) -> None:
        try:
            parse_feed(body, url="https://kabar.example/rss")
        except FeedParseError:
            pass  # refused: as good as read, as long as it is quick

    assert_linear(parse, document, plain.encode())


def test_clustering_is_bounded(clock):
    from datetime import timedelta

    from bot.digest.cluster import cluster_items
    from bot.models import StoredItem

    def item(i: int, title: str, summary: str) -> StoredItem:
        return StoredItem(
            i,
            1,
            "Kabar",
            title,
            f"https://kabar.example/{i}",
            summary,
            clock.now - timedelta(minutes=i % 600),
        )

    count = FIVE_MB // 2_200  # 5 MB of items at their longest stored size
    words = [f"kata{i}" for i in range(20_000)]
    plain = [
        item(
            i,
            " ".join(words[(i * 7 + k) % 20_000] for k in range(12)),
            " ".join(words[(i * 13 + k) % 20_000] for k in range(300)),
        )
        for i in range(count)
    ]
    # Nine floods of one event each: every item pairs with an eighth of the others.
    flood = [
        item(
            i,
            f"Banjir{i % 9} Rendam Samarinda{i % 9} KALTIM{i % 9} Antasari{i % 9}",
            f"Banjir{i % 9} Samarinda{i % 9} Antasari{i % 9} " * 60,
        )
        for i in range(count)
    ]
    baseline = cpu(cluster_items, plain)
    assert cpu(cluster_items, flood) <= 10 * baseline


# --- Random answers: only a feed's failure, never anything else --------------------------------

HEADER_NAMES = [
    "Content-Encoding",
    "Content-Length",
    "Location",
    "Retry-After",
    "Transfer-Encoding",
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Content-Location",
    "X-Kabar",
]
HEADER_VALUES = [
    b"gzip",
    b"gzip, gzip",
    b"deflate",
    b"br",
    b"identity, gzip",
    b"chunked",
    b"999999999999",
    b"-1",
    b"0",
    b"http://127.0.0.1:99999/",
    b"http://[::1",
    b"/\xff\xfe",
    b"ftp://x/",
    b"text/xml; charset=utf-16",
    b"application/rss+xml",
    b"Wed, 01 Jan 2025 00:00:00 GMT",
    b"Sun, 31 Dec 9999 23:59:59 GMT",
]
FEED_BODIES = [
    RSS_BODY,
    gzip.compress(RSS_BODY),
    zlib.compress(RSS_BODY),
    b"",
    entity_bomb(uses=50).encode(),
    b"\xff\xfe<\x00r\x00s\x00s\x00",
    b"<rss><channel><item><title>a</title><link>http://[::1</link></item>",
]


def test_random_answers_fail_only_as_feed_failures():
    import asyncio

    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st

    from bot.errors import FetchError
    from bot.feeds.clean import clean_item
    from tests.support.feed_host import FeedHost

    header = st.tuples(
        st.sampled_from(HEADER_NAMES),
        st.one_of(st.sampled_from(HEADER_VALUES), st.binary(max_size=30)),
    )
    body = st.one_of(
        st.sampled_from(FEED_BODIES),
        st.binary(max_size=500),
        st.binary(max_size=200).map(gzip.compress),
    )

    async def exchange(
        host: FeedHost, client, status: int, headers: list[tuple[str, bytes]], content: bytes
    ) -> None:
        head = b"".join(f"{name}: ".encode() + value + b"\r\n" for name, value in headers)
        answer = f"HTTP/1.1 {status} X\r\n".encode() + head + b"\r\n" + content
        url = host.raw("/acak.xml", answer)
        try:
            fetched = await fetch_feed(client, url, allow_private=True, deadline=5)
        except FetchError:
            return  # the feed's failure, with a reason
        try:
            parsed = parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers)
        except FeedParseError:
            return
        for entry in parsed.entries:
            clean_item(entry, now=datetime(2026, 11, 25, tzinfo=UTC))

    status = st.one_of(
        st.sampled_from([200, 301, 302, 304, 307, 308, 410, 429, 503]), st.integers(100, 999)
    )

    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(status, st.lists(header, max_size=5), body)
    # The shapes the issue found, always tried first, whatever the random draw.
    @example(301, [("Location", b"http://127.0.0.1:99999/")], b"")
    @example(302, [("Location", b"http://[::1")], b"")
    @example(200, [("Content-Encoding", b"gzip, gzip")], gzip.compress(gzip.compress(RSS_BODY)))
    def one_answer(status, headers, content):
        loop.run_until_complete(exchange(host, client, status, headers, content))

    # One server and one client for every answer (the server closes each connection after
    # its answer, so no answer reaches the next one through a kept connection).
    loop = asyncio.new_event_loop()
    try:
        host = loop.run_until_complete(FeedHost().__aenter__())
        client = new_client()
        try:
            one_answer()
        finally:
            loop.run_until_complete(client.aclose())
            loop.run_until_complete(host.__aexit__(None, None, None))
    finally:
        loop.close()


# --- Done when: one poll with every hostile shape beside healthy feeds -------------------------


def serve_every_hostile_feed(feed_host, clock) -> dict[str, str]:
    """Every hostile shape of this module on the feed host; name -> URL."""
    hostile = {name: serve(feed_host, name, shape) for name, shape in HOSTILE.items()}
    hostile["gzip_bomb"] = feed_host.add(
        "/bom1.xml", gzip_of_zeros(200 * MB), headers={"Content-Encoding": "gzip"}
    )
    hostile["stacked_gzip_bomb"] = feed_host.add(
        "/bom2.xml",
        gzip.compress(gzip_of_zeros(200 * MB)),
        headers={"Content-Encoding": "gzip, gzip"},
    )
    hostile["over_cpu_budget"] = feed_host.add("/berat.xml", heavy_feed(clock))
    hostile["jl_jl_jl"] = feed_host.add(
        "/jl.xml",
        rss(
            [
                Entry(
                    "Jalan rusak",
                    "https://kabar.example/jl",
                    "jl. " * 600_000,
                    published=clock.now,
                )
            ]
        ),
    )
    hostile["giant_fields"] = feed_host.add(
        "/besar.xml",
        rss(
            [Entry("Judul " * 1000, "https://kabar.example/p", "Isi. " * 50_000)],
            title="Kabar " * 1000,
        ),
    )
    return hostile


async def test_one_poll_with_every_hostile_feed(strict_services, feed_host, clock):
    db = strict_services.core.db
    healthy = [
        feed_store.add_feed(
            db, feed_host.add(f"/sehat{i}.xml", healthy_feed(clock, prefix=f"Sehat{i}")), clock.now
        )
        for i in range(3)
    ]
    for url in serve_every_hostile_feed(feed_host, clock).values():
        feed_store.add_feed(db, url, clock.now)
    summary = await strict_services.ingest.poll_all()
    by_id = {r.feed_id: r for r in summary.results}
    assert all(by_id[feed.id].new == 3 for feed in healthy)
    assert all(r.alert is None for r in summary.results)  # nobody alerted: a first failure
    assert {r.error_kind for r in summary.errors} >= {
        "bad_response",
        "too_large",
        "cpu_budget",
        "http",
    }
    # The pool works for the next poll.
    feed_host.add("/sehat0.xml", healthy_feed(clock, prefix="Baru"))
    clock.advance(hours=7)  # past every backoff
    second = await strict_services.ingest.poll_all()
    assert {r.feed_id: r for r in second.results}[healthy[0].id].new == 3


@pytest.mark.slow
async def test_the_bot_process_tree_stays_small_through_a_hostile_poll(
    tmp_path, feed_host, clock, measured
):
    """`python main.py poll` (the bot's own ingest path, its worker pool included) in a process
    of its own, so that the figure is the bot's and not the test runner's."""
    import asyncio
    import sys

    from storage.db import open_database

    database = tmp_path / "warta.db"
    db = open_database(database)
    for i in range(3):
        feed_store.add_feed(
            db, feed_host.add(f"/sehat{i}.xml", healthy_feed(clock, prefix=f"Sehat{i}")), clock.now
        )
    for url in serve_every_hostile_feed(feed_host, clock).values():
        feed_store.add_feed(db, url, clock.now)
    db.close()
    env = {
        **os.environ,
        "DATABASE_PATH": str(database),
        "ALLOW_PRIVATE_FEED_URLS": "true",
        "SEED_DEFAULT_FEEDS": "false",
        "FEED_CPU_SECONDS": "1",
        "LOG_LEVEL": "ERROR",
    }
    root = Path(__file__).resolve().parent.parent
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(root / "main.py"),
        "poll",
        env=env,
        cwd=root,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    samples = []

    async def sample() -> None:
        while True:
            pids = [process.pid, *descendants(process.pid)]
            samples.append(sum(_status(pid, "VmRSS") for pid in pids))
            await asyncio.sleep(0.02)

    sampler = asyncio.create_task(sample())
    try:
        output, _ = await process.communicate()
    finally:
        sampler.cancel()
    assert process.returncode == 0
    db = open_database(database)
    healthy = [
        row["n"] for row in db.query("SELECT count(*) AS n FROM items WHERE title LIKE 'Sehat%'")
    ]
    db.close()
    assert healthy == [9]
    peak = max(samples)
    measured(
        f"hostile poll (`main.py poll`, {len(HOSTILE) + 8} feeds): process tree peak "
        f"{peak / MB:.0f} MB (main + workers, sampled every 20 ms)"
    )
    assert peak < 250 * MB


@pytest.mark.slow
async def test_workers_leave_when_the_bot_process_is_killed():
    import asyncio
    import signal
    import sys

    root = Path(__file__).resolve().parent.parent
    script = (
        "import asyncio, sys\n"
        "from bot.runtime.workers import PreparePool\n"
        "pool = PreparePool()\n"
        "asyncio.run(pool.start(()))\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        cwd=root,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert await bot.stdout.readline() == b"ready\n"
    workers = descendants(bot.pid)
    assert workers
    bot.send_signal(signal.SIGKILL)  # as the kernel's OOM killer or `kill -9` would
    await bot.wait()

    # A pidfd becomes readable when its process ends: waited on as an event, with a bound
    # (each worker notices within about a second that its parent is gone).
    loop = asyncio.get_running_loop()
    for pid in workers:
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue  # already gone
        ended = asyncio.Event()
        loop.add_reader(pidfd, ended.set)
        try:
            async with asyncio.timeout(20):
                await ended.wait()
        finally:
            loop.remove_reader(pidfd)
            os.close(pidfd)
