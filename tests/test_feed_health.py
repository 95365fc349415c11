"""Polite polling and feed health: redirects, Gone, backoff, Retry-After, per-site limits, and
the admins told once when a feed breaks and once when it recovers."""

from datetime import timedelta

import pytest

from storage import feeds as feed_store
from tests.support.chats import ADMIN_ID, services_of
from tests.support.feedgen import kaltim_entries, rss

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def services(app):
    return services_of(app)


def add(services, url, clock):
    return feed_store.add_feed(services.core.db, url, clock.now).id


def feed(services, feed_id):
    return feed_store.get_feed(services.core.db, feed_id)


async def test_permanent_redirect_updates_the_stored_url(services, feed_host, clock):
    feed_host.add("/baru.xml", rss(kaltim_entries(2, start=clock.now)))
    moved = add(services, feed_host.redirect("/lama.xml", "/baru.xml", status=301), clock)
    feed_host.add("/sementara-tujuan.xml", rss(kaltim_entries(1, start=clock.now, prefix="Lain")))
    temporary = add(
        services, feed_host.redirect("/sementara.xml", "/sementara-tujuan.xml", status=302), clock
    )
    summary = await services.ingest.poll_all()
    assert summary.new == 3
    assert feed(services, moved).url == feed_host.url("/baru.xml")
    assert feed(services, temporary).url == feed_host.url("/sementara.xml")


async def test_gone_feed_is_disabled_and_admins_told(
    services, feed_host, clock, telegram_api, admin
):
    gone = add(services, feed_host.add("/tutup.xml", b"", status=410), clock)
    summary = await services.ingest.poll_all()
    await services.admin.alert_admins(summary)
    assert not feed(services, gone).is_enabled
    assert "dinonaktifkan" in telegram_api.sent_texts(ADMIN_ID)[-1]
    clock.advance(days=2)
    before = len(feed_host.requests("/tutup.xml"))
    await services.ingest.poll_all()
    assert len(feed_host.requests("/tutup.xml")) == before  # never asked again
    assert "nonaktif" in await admin.say("/feeds")


async def test_failing_feed_backs_off_exponentially(services, feed_host, clock):
    broken = add(services, feed_host.add("/rusak.xml", b"", status=500), clock)
    interval = services.settings.feed_poll_interval
    gaps = []
    for _ in range(4):
        await services.ingest.poll_all()
        retry = feed(services, broken).next_poll_at
        gaps.append((retry - clock.now).total_seconds())
        clock.now = retry
    assert gaps == [interval, 2 * interval, 4 * interval, 8 * interval]
    await services.ingest.poll_all()  # the fifth failure
    requests = len(feed_host.requests("/rusak.xml"))
    clock.now = feed(services, broken).next_poll_at - timedelta(seconds=1)
    await services.ingest.poll_all()  # a second early: not asked
    assert len(feed_host.requests("/rusak.xml")) == requests
    feed_host.add("/rusak.xml", rss(kaltim_entries(1, start=clock.now)))
    clock.now = feed(services, broken).next_poll_at
    assert (await services.ingest.poll_all()).new == 1
    healthy = feed(services, broken)
    assert healthy.failing_since is None and healthy.next_poll_at is None


async def test_backoff_skips_the_feed_until_due_but_pollnow_forces(
    services, feed_host, clock, admin
):
    add(services, feed_host.add("/rusak.xml", b"", status=500), clock)
    await services.ingest.poll_all()
    clock.advance(seconds=30)
    await services.ingest.poll_all()
    assert len(feed_host.requests("/rusak.xml")) == 1
    assert "1 gagal" in await admin.say_until("/pollnow", "feed diambil")
    assert len(feed_host.requests("/rusak.xml")) == 2


async def test_retry_after_is_honoured(services, feed_host, clock):
    busy = add(
        services,
        feed_host.add("/sibuk.xml", b"", status=503, headers={"Retry-After": "7200"}),
        clock,
    )
    await services.ingest.poll_all()
    assert feed(services, busy).next_poll_at - clock.now >= timedelta(hours=2)


async def test_one_site_is_not_hit_by_many_requests_at_once(services, feed_host, clock):
    for n in range(6):
        add(
            services,
            feed_host.add(
                f"/kanal{n}.xml",
                rss(kaltim_entries(1, start=clock.now, prefix=f"K{n}")),
                delay=0.2,
            ),
            clock,
        )
    summary = await services.ingest.poll_all()
    assert summary.new == 6
    assert feed_host.max_in_flight == 2


async def test_admins_hear_once_when_a_feed_fails_for_a_day_and_once_when_it_recovers(
    services, feed_host, clock, telegram_api
):
    flaky = add(services, feed_host.add("/goyah.xml", b"", status=500), clock)

    async def poll_and_alert():
        clock.now = max(clock.now, feed(services, flaky).next_poll_at or clock.now)
        summary = await services.ingest.poll_all()
        await services.admin.alert_admins(summary)

    for _ in range(3):  # failing, but for less than a day: no alert
        await poll_and_alert()
    assert telegram_api.sent_texts(ADMIN_ID) == []
    clock.advance(days=1)
    for _ in range(3):
        await poll_and_alert()
    alerts = telegram_api.sent_texts(ADMIN_ID)
    assert len(alerts) == 1 and "lebih dari sehari" in alerts[0] and "HTTP 500" in alerts[0]

    feed_host.add("/goyah.xml", rss(kaltim_entries(1, start=clock.now)))
    await poll_and_alert()
    await poll_and_alert()
    alerts = telegram_api.sent_texts(ADMIN_ID)
    assert len(alerts) == 2 and "kembali normal" in alerts[1]


async def test_feeds_shows_state_and_recent_items(services, feed_host, clock, admin):
    add(services, feed_host.add("/baik.xml", rss(kaltim_entries(2, start=clock.now))), clock)
    add(services, feed_host.add("/rusak.xml", b"", status=500), clock)
    await services.ingest.poll_all()
    listing = await admin.say("/feeds")
    assert "✅ normal" in listing and "⚠️ gagal sejak 25 Nov 2026 18.00 WITA" in listing
    assert "Berita: 2 (2 dalam 7 hari)" in listing
    assert "server menjawab dengan kode HTTP 500" in listing  # explained, in Indonesian
    await admin.say("/language en")
    assert "the server answered with HTTP status 500" in await admin.say("/feeds")


@pytest.mark.parametrize("kind", [None, "bukan_jenis_yang_dikenal", "network"])
async def test_feeds_shows_a_stored_error_as_text_never_as_html(admin, clock, kind):
    """Issue 27: an error without a kind (an older row, or one from a restored file) went
    into /feeds as raw HTML: a link, or a message Telegram refuses to parse."""
    db = services_of(admin.app).core.db
    feed = feed_store.add_feed(db, "https://kabar.example/rss", clock.now, title="Kabar")
    error = '<a href="https://tipu.example">Klik di sini</a> <b>& ' + "x" * 1000
    feed_store.record_failure(db, feed.id, error, clock.now, kind=kind)
    db.execute("UPDATE feeds SET last_error = ? WHERE id = ?", [error, feed.id])  # unbounded
    answer = "\n".join(await admin.send("/feeds"))
    assert '&lt;a href="https://tipu.example"&gt;Klik di sini&lt;/a&gt; &lt;b&gt;&amp; x' in answer
    assert "<a href" not in answer and "x" * 301 not in answer
