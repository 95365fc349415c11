"""Digests as Telegram receives them: escaped, split, and recorded only once accepted."""

import re
from datetime import timedelta

import pytest

from storage import deliveries as delivery_store
from tests.support.chats import READER_ID, services_of
from tests.support.feedgen import Entry, kaltim_entries, rss

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def subscribed(reader):
    await reader.say("/subscribe kaltim")
    return reader


async def add_feed(admin, feed_host, entries, path="/f.xml"):
    feed_host.add(path, rss(entries))
    answer = await admin.say(f"/addfeed {feed_host.url(path)}")
    assert "ditambahkan" in answer, answer


async def test_hostile_html_in_titles_is_escaped(
    subscribed, admin, feed_host, clock, telegram_api
):
    await add_feed(
        admin,
        feed_host,
        [
            Entry(
                title='<script>alert(1)</script> Banjir & "Longsor" <b>di Samarinda',
                link='https://kabar.example/a?x="><b>y</b>',
                summary=(
                    "<img src=x onerror=alert(1)> Warga Samarinda &lt;mengungsi&gt; & bertahan"
                ),
                published=clock.now - timedelta(hours=1),
            )
        ],
    )
    digest = await subscribed.say("/digest")
    # The fake API parses HTML as Telegram does: had anything slipped through unescaped, the
    # message would have been refused with "can't parse entities" and never recorded.
    assert "<script>" not in digest and "onerror" not in digest
    assert "Banjir &amp;" in digest
    assert 'href="https://kabar.example/a?x=&quot;&gt;&lt;b&gt;y&lt;/b&gt;"' in digest
    stored = telegram_api.sent_messages(READER_ID)[-1]
    message = telegram_api.message(READER_ID, stored["message_id"])
    # What the reader sees: the words, no markup and no script.
    assert 'Banjir & "Longsor" di Samarinda' in message["text"]
    assert "alert" not in message["text"]


async def test_long_digest_splits_between_items(subscribed, admin, feed_host, clock, telegram_api):
    entries = kaltim_entries(60, start=clock.now)
    for entry in entries:
        entry.summary = "Warga Samarinda, Kalimantan Timur, antusias. " * 12
    await add_feed(admin, feed_host, entries)
    assert "semua berita" in await subscribed.say("/setelan semua")  # no cap: every item
    messages = await subscribed.send("/digest")
    assert len(messages) >= 3
    for text in messages:
        assert len(text.encode("utf-16-le")) // 2 <= 4096
    titles = [t for text in messages for t in re.findall(r"Berita (\d+):", text)]
    assert sorted(int(n) for n in titles) == list(range(1, 61))  # each item once, none cut
    assert "(lanjutan)" in messages[1]
    assert messages[0].startswith("<b>📰 Ringkasan Warta</b>")
    # Only the first part rings the reader's phone; the rest arrive silently.
    sent = telegram_api.sent_messages(READER_ID)[-len(messages) :]
    assert [bool(m.get("disable_notification")) for m in sent] == [False] + [True] * (
        len(messages) - 1
    )
    assert delivery_store.count_sent(services_of(subscribed.app).core.db, READER_ID) == 60
    assert "Belum ada berita baru" in await subscribed.say("/digest")


async def test_blocked_chat_is_paused_not_retried(
    subscribed, admin, feed_host, clock, telegram_api
):
    await add_feed(admin, feed_host, kaltim_entries(2, start=clock.now))
    telegram_api.block_chat(READER_ID)
    await subscribed.send("/digest")
    services = services_of(subscribed.app)
    assert services.subscribers.get(READER_ID).is_paused
    assert delivery_store.count_sent(services.core.db, READER_ID) == 0

    clock.advance(hours=13, minutes=5)  # 07:05 WITA tomorrow: a digest time has come
    tries = len(telegram_api.calls("sendMessage"))
    summary = await services.digests.send_due()
    assert summary.due == 0 and len(telegram_api.calls("sendMessage")) == tries


async def test_a_reader_who_blocked_and_comes_back_gets_digests_again(
    subscribed, admin, feed_host, clock, telegram_api
):
    await add_feed(admin, feed_host, kaltim_entries(2, start=clock.now))
    telegram_api.block_chat(READER_ID)
    clock.advance(hours=13, minutes=5)  # 07:05 WITA: the digest finds the chat blocked
    services = services_of(subscribed.app)
    assert (await services.digests.send_due()).reasons == {"blocked": 1}
    telegram_api.unblock_chat(READER_ID)
    assert "Selamat datang kembali" in await subscribed.say("/start")  # Telegram's "Restart"
    clock.advance(days=1)
    assert (await services.digests.send_due()).sent == 1
    assert "Berita 1:" in telegram_api.sent_texts(READER_ID)[-1]


async def test_flood_limit_is_waited_out(subscribed, admin, feed_host, clock, telegram_api):
    await add_feed(admin, feed_host, kaltim_entries(2, start=clock.now))
    telegram_api.fail_next(
        "sendMessage",
        status=429,
        retry_after=1,
        chat_id=READER_ID,
        description="Too Many Requests: retry after 1",
    )
    digest = await subscribed.say("/digest")
    assert "Berita 1:" in digest
    statuses = [c.status for c in telegram_api.calls("sendMessage")][-2:]
    assert statuses == [429, 200]
    assert delivery_store.count_sent(services_of(subscribed.app).core.db, READER_ID) == 2


async def test_a_passing_server_error_is_retried_and_sent_once(
    subscribed, admin, feed_host, clock, telegram_api
):
    await add_feed(admin, feed_host, kaltim_entries(2, start=clock.now))
    telegram_api.fail_next("sendMessage", status=502, chat_id=READER_ID, description="Bad Gateway")
    answer = await subscribed.say("/digest")
    assert "Berita 1:" in answer and "Berita 2:" in answer
    statuses = [c.status for c in telegram_api.calls("sendMessage")][-2:]
    assert statuses == [502, 200]
    assert len([t for t in telegram_api.sent_texts(READER_ID) if "Berita 1:" in t]) == 1


async def test_failed_send_stays_in_the_outbox_for_next_time(
    subscribed, admin, feed_host, clock, telegram_api
):
    await add_feed(admin, feed_host, kaltim_entries(2, start=clock.now))
    telegram_api.fail_next(
        "sendMessage", status=502, chat_id=READER_ID, count=3, description="Bad Gateway"
    )
    answer = await subscribed.say("/digest")
    assert "tersimpan" in answer and "Berita 1:" not in answer  # kept, and the reader is told
    services = services_of(subscribed.app)
    assert delivery_store.count_sent(services.core.db, READER_ID) == 0
    assert services.outbox.pending() == 1
    retry = await subscribed.say("/digest")
    assert "Berita 1:" in retry and "Berita 2:" in retry
    assert services.outbox.pending() == 0
    assert "Belum ada berita baru" in await subscribed.say("/digest")


async def test_broken_feed_does_not_harm_the_others(app, admin, feed_host, clock, subscribed):
    await add_feed(
        admin, feed_host, kaltim_entries(1, start=clock.now, prefix="Baik"), "/baik.xml"
    )
    await add_feed(
        admin, feed_host, kaltim_entries(1, start=clock.now, prefix="Rusak"), "/rusak.xml"
    )
    feed_host.add("/rusak.xml", b"<rss><channel><item><title>Tanpa penutup", status=200)
    feed_host.add("/baik.xml", rss(kaltim_entries(2, start=clock.now, prefix="Baik")))
    feed_host.add("/mati.xml", b"", status=503)
    await admin.say(f"/addfeed {feed_host.url('/mati.xml')}")  # refused, not stored
    summary = await services_of(app).ingest.poll_all()
    assert summary.new == 1
    digest = await subscribed.say("/digest")
    assert "Baik 2:" in digest and "Rusak 1:" in digest  # stored items survive a bad poll


async def test_one_event_from_three_outlets_is_one_story(subscribed, admin, feed_host, clock):
    reports = [
        (
            "/tribun.xml",
            "Tribun Kaltim",
            "Kebakaran Hanguskan 12 Rumah di Sungai Kunjang",
            "Si jago merah menghanguskan 12 rumah di Kelurahan Loa Bakung, Sungai Kunjang, "
            "Samarinda, Selasa dini hari. Tidak ada korban jiwa.",
        ),
        (
            "/antara.xml",
            "ANTARA Kaltim",
            "12 Rumah di Loa Bakung Samarinda Terbakar",
            "Kebakaran melanda permukiman padat di Loa Bakung, Sungai Kunjang, Samarinda; 12 "
            "rumah hangus dan puluhan warga mengungsi.",
        ),
        (
            "/post.xml",
            "Kaltim Post",
            "KEBAKARAN DI SUNGAI KUNJANG, 12 RUMAH LUDES",
            "Damkar Samarinda memadamkan api yang menghanguskan 12 rumah di Loa Bakung.",
        ),
    ]
    for number, (path, outlet, title, summary) in enumerate(reports):
        feed_host.add(
            path,
            rss(
                [
                    Entry(
                        title,
                        f"https://{outlet.split()[0].lower()}.example/kebakaran-{number}",
                        summary,
                        published=clock.now - timedelta(hours=number + 1),
                    )
                ],
                title=outlet,
            ),
        )
        await admin.say(f"/addfeed {feed_host.url(path)}")
    digest = await subscribed.say("/digest")
    assert digest.count("12") >= 1 and digest.count("▪️") == 1
    assert "KEBAKARAN DI SUNGAI KUNJANG" not in digest  # an all-caps headline is not chosen
    assert "Juga diberitakan:" in digest
    assert delivery_store.count_sent(services_of(subscribed.app).core.db, READER_ID) == 3


async def test_group_upgraded_to_supergroup_keeps_its_subscription(
    app, admin, feed_host, clock, telegram_api
):
    from tests.support.chats import Chat

    telegram_api.set_chat_admins(-555, [READER_ID])
    group = Chat(app, telegram_api, -555, user_id=READER_ID)
    await group.say("/subscribe kaltim")
    await add_feed(admin, feed_host, kaltim_entries(2, start=clock.now))
    telegram_api.fail_next(
        "sendMessage",
        status=400,
        chat_id=-555,
        migrate_to_chat_id=-100777,
        description="Bad Request: group chat was upgraded to a supergroup chat",
    )
    await group.send("/digest")
    [digest] = telegram_api.sent_texts(-100777)
    assert "Berita 1:" in digest
    services = services_of(app)
    assert services.subscribers.get(-555) is None
    assert services.subscribers.get(-100777).topics == ("kaltim",)
    assert delivery_store.count_sent(services.core.db, -100777) == 2


async def test_refused_formatting_is_resent_as_plain_text(
    subscribed, admin, feed_host, clock, telegram_api, caplog
):
    await add_feed(admin, feed_host, kaltim_entries(2, start=clock.now))
    telegram_api.fail_next(
        "sendMessage",
        status=400,
        chat_id=READER_ID,
        description="Bad Request: can't parse entities: unexpected end tag",
    )
    await subscribed.send("/digest")
    plain = telegram_api.sent_messages(READER_ID)[-1]
    assert plain.get("parse_mode") is None
    assert "Berita 1:" in plain["text"] and "<b>" not in plain["text"]
    assert delivery_store.count_sent(services_of(subscribed.app).core.db, READER_ID) == 2
    assert "item_ids=" in caplog.text  # the log names the items to look at
