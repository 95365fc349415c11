"""The loopback fakes behave like their real counterparts, checked with real PTB and real httpx."""

import asyncio
import gzip

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler
from telegram.request import HTTPXRequest

from bot.feeds.fetch import tls_context
from tests.support import factories
from tests.support import telegram_api as telegram_api_module
from tests.support.flood import FloodControl
from tests.support.telegram_api import FakeTelegramAPI

CHAT = 5001
CHANNEL = -1001987654321


def make_bot(api, **request_options) -> Bot:
    """A bare PTB Bot against the fake, its clients on the process's one TLS context."""

    def request() -> HTTPXRequest:
        return HTTPXRequest(**request_options, httpx_kwargs={"verify": tls_context()})

    return Bot(
        api.token,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        request=request(),
        get_updates_request=request(),
    )


async def test_get_me_answers_the_bot_user(telegram_api):
    async with make_bot(telegram_api) as bot:
        assert (bot.id, bot.username, bot.first_name) == (123456, "warta_test_bot", "Warta")
    assert [c.method for c in telegram_api.calls()] == ["getMe"]


async def test_send_message_returns_a_message_and_records_decoded_params(telegram_api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ekonomi", callback_data="topic:1")]])
    async with make_bot(telegram_api) as bot:
        first = await bot.send_message(
            CHAT, "<b>Berita</b> &amp; 🌴 <a href='https://x.id/a'>tautan</a>",
            parse_mode=ParseMode.HTML, reply_markup=keyboard,
        )  # fmt: skip
        second = await bot.send_message(CHAT, "kedua")

    assert isinstance(first, Message)
    assert (first.message_id, second.message_id) == (1, 2)
    assert first.chat.id == CHAT and first.from_user.is_bot
    assert first.text == "Berita & 🌴 tautan"
    assert [(e.type, e.offset, e.length) for e in first.entities] == [
        ("bold", 0, 6),
        ("text_link", 12, 6),  # the palm tree is two UTF-16 units
    ]
    assert first.reply_markup == keyboard
    sent = telegram_api.sent_messages(CHAT)[0]
    assert sent["chat_id"] == CHAT and sent["parse_mode"] == "HTML"
    assert sent["reply_markup"] == {
        "inline_keyboard": [[{"text": "Ekonomi", "callback_data": "topic:1"}]]
    }
    assert telegram_api.sent_texts(CHAT)[1] == "kedua"


async def test_injected_and_blocked_failures_raise_ptb_errors(telegram_api):
    api = telegram_api
    api.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    api.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    api.fail_next(
        "sendMessage",
        status=400,
        description="Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=-1001234567890,
    )
    async with make_bot(api) as bot:
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(CHAT, "a")
        with pytest.raises(RetryAfter) as excinfo:
            await bot.send_message(CHAT, "b")
        assert excinfo.value.retry_after == 1
        with pytest.raises(ChatMigrated) as migrated:
            await bot.send_message(CHAT, "c")
        assert migrated.value.new_chat_id == -1001234567890
        await bot.send_message(CHAT, "d")
        api.block_chat(CHAT)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(CHAT, "e")
        await bot.send_message(CHAT + 1, "other chat")
    assert [c.status for c in api.calls("sendMessage")] == [403, 429, 400, 200, 403, 200]
    assert api.sent_texts(CHAT) == ["d"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>"'),
        ("harga < 5", "Unclosed start tag"),
        ("Johnson & Johnson", "Unsupported HTML entity"),
        ("baris<br>baru", 'Unsupported start tag "br"'),
        ('<span class="x">s</span>', 'must have class "tg-spoiler"'),
    ],
)
async def test_invalid_html_is_rejected_like_telegram(telegram_api, text, error):
    async with make_bot(telegram_api) as bot:
        with pytest.raises(BadRequest) as excinfo:
            await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
    # PTB drops "Bad Request: " and str.capitalize()s the rest, lowercasing it.
    assert excinfo.value.message.startswith("Can't parse entities: ")
    assert error.lower() in excinfo.value.message
    assert telegram_api.sent_messages() == []


async def test_text_limits_count_parsed_utf16_units(telegram_api):
    async with make_bot(telegram_api) as bot:
        # 4096 visible characters pass even though the HTML source is longer.
        html_text = f"<b>{'a' * 4094}</b>&amp;&lt;"
        await bot.send_message(CHAT, html_text, parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(CHAT, "🌴" * 2049)  # 4098 UTF-16 units
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(CHAT, "<b></b>", parse_mode=ParseMode.HTML)


async def test_edits_update_the_stored_message(telegram_api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="topic:1")]])
    async with make_bot(telegram_api) as bot:
        sent = await bot.send_message(CHAT, "lama", reply_markup=keyboard)
        edited = await bot.edit_message_text("baru", CHAT, sent.message_id, reply_markup=keyboard)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("baru", CHAT, sent.message_id, reply_markup=keyboard)
        await bot.edit_message_reply_markup(CHAT, sent.message_id)
        assert await bot.delete_message(CHAT, sent.message_id)
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("lagi", CHAT, sent.message_id)
    assert edited.text == "baru" and edited.edit_date is not None
    assert telegram_api.message(CHAT, sent.message_id) is None


async def test_documents_round_trip_through_send_and_get_file(telegram_api):
    async with make_bot(telegram_api) as bot:
        sent = await bot.send_document(CHAT, b"\xff\xfe<opml/>", filename="feeds.opml")
        stored = telegram_api.sent_documents(CHAT)[0]["document"]
        assert (stored.filename, stored.content) == ("feeds.opml", b"\xff\xfe<opml/>")
        file = await bot.get_file(sent.document.file_id)
        assert await file.download_as_bytearray() == bytearray(b"\xff\xfe<opml/>")


async def test_chat_lookups_report_configured_admins(telegram_api):
    group = -1001234567890
    telegram_api.set_chat_admins(group, [7, 8])
    async with make_bot(telegram_api) as bot:
        chat = await bot.get_chat(group)
        statuses = [(await bot.get_chat_member(group, uid)).status for uid in (7, 8, 9)]
        admins = await bot.get_chat_administrators(group)
    assert chat.type == "supergroup"
    assert statuses == ["creator", "administrator", "member"]
    assert [m.user.id for m in admins] == [7, 8]


async def test_factory_updates_drive_handlers_on_the_fast_path(telegram_api):
    async def toggle(update, context):
        await update.callback_query.answer("Disimpan")
        await update.callback_query.edit_message_text(f"Pilihan: {update.callback_query.data}")

    app = ApplicationBuilder().token(telegram_api.token).base_url(telegram_api.base_url).build()
    app.add_handler(CallbackQueryHandler(toggle, pattern=r"^topic:"))
    async with app:
        sent = await app.bot.send_message(CHAT, "Pilih topik")
        stored = telegram_api.message(CHAT, sent.message_id)
        pressed = factories.callback_update(CHAT, sent.message_id, "topic:1", bot_message=stored)
        await app.process_update(factories.to_update(pressed, app.bot))
    assert telegram_api.calls("answerCallbackQuery")[0].params["text"] == "Disimpan"
    assert telegram_api.message(CHAT, sent.message_id)["text"] == "Pilihan: topic:1"


async def test_application_polls_pushed_updates_and_replies(telegram_api):
    async def start(update, context):
        await update.effective_message.reply_text(f"Halo {update.effective_user.id}")

    app = ApplicationBuilder().token(telegram_api.token).base_url(telegram_api.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        telegram_api.push_text(CHAT, "/start")
        await telegram_api.wait_for("sendMessage", timeout=3)
        await app.updater.stop()
        await app.stop()
    assert telegram_api.sent_texts(CHAT) == [f"Halo {CHAT}"]
    # The final getUpdates confirmed the update, so a restarted bot would not see it again.
    assert telegram_api.calls("getUpdates")[-1].params["offset"] == 2


async def test_get_updates_long_polls_until_an_update_or_the_timeout(telegram_api):
    async with make_bot(telegram_api) as bot:
        # With nothing to deliver the request is held open, unanswered, and its timeout ends
        # it with no updates.
        empty = asyncio.create_task(bot.get_updates(timeout=0.2))
        await telegram_api.wait_until(lambda: bool(telegram_api.calls("getUpdates")))
        [held] = telegram_api.calls("getUpdates")
        assert held.status is None and not empty.done()
        assert await empty == ()
        assert held.status == 200
        # An update pushed during a long poll ends it at once: this one's timeout is an hour
        # away, so waiting it out would run into the test's own timeout.
        waiting = asyncio.create_task(bot.get_updates(timeout=3600))
        await telegram_api.wait_until(lambda: len(telegram_api.calls("getUpdates")) == 2)
        assert not waiting.done()
        telegram_api.push_update(factories.message_update(CHAT, "hai"))
        (update,) = await waiting
        assert update.message.text == "hai"
        assert await bot.get_updates(offset=update.update_id + 1) == ()


async def test_delay_next_makes_ptb_time_out(telegram_api):
    telegram_api.delay_next("sendMessage", 1)
    async with make_bot(telegram_api, read_timeout=0.1) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "lambat")


async def test_wait_for_fails_with_a_readable_summary(telegram_api):
    with pytest.raises(AssertionError, match=r"sendMessage.*got 0; last calls: none"):
        await telegram_api.wait_for("sendMessage", timeout=0.05)


async def test_sent_messages_keep_the_topic_thread_id(telegram_api):
    async with make_bot(telegram_api) as bot:
        sent = await bot.send_message(-1001234567890, "topik", message_thread_id=42)
    assert (sent.message_thread_id, sent.is_topic_message) == (42, True)
    assert telegram_api.sent_messages(-1001234567890)[0]["message_thread_id"] == 42


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_flood_control_buckets_refill_with_the_clock():
    clock = FakeClock()
    flood = FloodControl(clock=clock)
    # Per chat: a burst of 3, then one a second; a refused call takes no token.
    assert [flood.check("sendMessage", CHAT) for _ in range(4)] == [None, None, None, 1]
    assert flood.check("editMessageText", CHAT) is None  # only send*/copy*/forward* count
    clock.now += 0.5
    assert flood.check("sendDocument", CHAT) == 1  # half a token: still a whole second
    clock.now += 0.5
    assert flood.check("copyMessage", CHAT) is None
    assert flood.check("sendMessage", CHAT) == 1

    # Groups and channels: also 20 a minute, so the 21st waits three seconds for a token.
    groups = FloodControl(per_chat_per_second=100, chat_burst=100, clock=clock)
    assert all(groups.check("sendMessage", -100) is None for _ in range(20))
    assert groups.check("sendMessage", -100) == 3
    assert groups.check("sendMessage", "@kanal") is None  # a chat of its own
    clock.now += 3
    assert groups.check("sendMessage", -100) is None

    # Overall: across all chats.
    overall = FloodControl(per_second=0.25, overall_burst=2, clock=clock)
    assert [overall.check("sendMessage", chat) for chat in (1, 2, 3)] == [None, None, 4]
    overall.reset()
    assert overall.check("sendMessage", 3) is None


async def test_rate_limited_mode_answers_429_like_telegram(telegram_api):
    api = telegram_api
    api.rate_limit(chat_burst=2, group_per_minute=2)
    api.add_channel("kanal", CHANNEL, admins=[7])
    api.fail_next("sendMessage", status=500, description="Internal Server Error")
    api.block_chat(CHAT + 1)
    async with make_bot(api) as bot:
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(CHAT, "gagal")  # refused before flood control: no token
        with pytest.raises(Forbidden):
            await bot.send_message(CHAT + 1, "diblokir")
        await bot.send_message(CHAT, "satu")
        await bot.send_message(CHAT, "dua")
        with pytest.raises(RetryAfter) as excinfo:
            await bot.send_message(CHAT, "tiga")
        assert excinfo.value.retry_after == 1
        await bot.send_message(CHAT + 2, "chat lain")
        await bot.get_chat(CHAT)  # not a send: never limited
        # "@kanal" and its id share the channel's 2-a-minute bucket.
        await bot.send_message("@kanal", "kanal 1")
        await bot.send_message(CHANNEL, "kanal 2")
        with pytest.raises(RetryAfter) as excinfo:
            await bot.send_message("@kanal", "kanal 3")
        assert excinfo.value.retry_after == 30
    async with httpx.AsyncClient(base_url=f"{api.base_url}{api.token}/") as client:
        raw = await client.post("sendMessage", json={"chat_id": CHAT, "text": "empat"})
    assert raw.status_code == 429
    assert raw.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert api.flood_refusals == 3
    assert api.sent_texts(CHAT) == ["satu", "dua"]
    assert api.sent_texts(CHANNEL) == ["kanal 1", "kanal 2"]

    api.clear()  # refills the buckets, keeps the mode
    assert api.flood_refusals == 0
    async with make_bot(api) as bot:
        await bot.send_message(CHAT, "lagi")
        api.rate_limit(None)
        for n in range(5):
            await bot.send_message(CHAT, f"bebas {n}")
    assert api.flood_refusals == 0 and len(api.sent_texts(CHAT)) == 6


async def test_hold_keeps_calls_in_flight_until_release(telegram_api):
    api = telegram_api
    api.hold("sendMessage")
    async with make_bot(api) as bot:  # getMe is not held
        sends = [asyncio.create_task(bot.send_message(CHAT, f"pesan {n}")) for n in range(3)]
        await api.wait_held("sendMessage", 3)
        assert api.held("sendMessage") == 3 and api.held("getMe") == 0
        assert [c.status for c in api.calls("sendMessage")] == [None, None, None]
        assert api.sent_messages() == []
        api.fail_next("sendMessage", status=500, description="Internal Server Error")
        api.release("sendMessage")  # released calls meet fail_next rules as usual
        results = await asyncio.gather(*sends, return_exceptions=True)
        assert api.held() == 0
        await bot.send_message(CHAT, "tidak ditahan lagi")
    assert [type(r) for r in results].count(Message) == 2
    assert [type(r) for r in results].count(NetworkError) == 1
    assert len(api.sent_messages(CHAT)) == 3


@pytest.mark.parametrize("handler_cancellation", [False, True])
async def test_held_send_whose_client_vanished_still_counts_once_released(
    monkeypatch, handler_cancellation
):
    # With handler_cancellation aiohttp cancels the handler as soon as the client disconnects.
    runner = telegram_api_module.web.AppRunner
    monkeypatch.setattr(
        telegram_api_module.web,
        "AppRunner",
        lambda *args, **kwargs: runner(*args, handler_cancellation=handler_cancellation, **kwargs),
    )
    async with FakeTelegramAPI() as api:
        api.hold("sendMessage")
        client = httpx.AsyncClient(base_url=f"{api.base_url}{api.token}/")
        pending = asyncio.create_task(
            client.post("sendMessage", json={"chat_id": CHAT, "text": "terkirim"})
        )
        await api.wait_held("sendMessage")
        pending.cancel()  # the bot process dies: its connection closes mid-request
        await client.aclose()
        await asyncio.sleep(0.05)  # let the server notice
        assert api.sent_messages() == []
        api.release("sendMessage")
        (call,) = await api.wait_for("sendMessage", timeout=2)
        assert call.status == 200
        assert api.sent_texts(CHAT) == ["terkirim"]
        assert api.message(CHAT, 1)["text"] == "terkirim"


async def test_stop_wakes_held_calls():
    api = await FakeTelegramAPI().start()
    api.hold("sendMessage")
    async with httpx.AsyncClient(base_url=f"{api.base_url}{api.token}/") as client:
        pending = asyncio.create_task(
            client.post("sendMessage", json={"chat_id": CHAT, "text": "x"})
        )
        await api.wait_held("sendMessage")
        async with asyncio.timeout(3):
            await api.stop()
        await asyncio.gather(pending, return_exceptions=True)
    assert api.held() == 0


async def test_channels_answer_lookups_and_take_posts(telegram_api):
    api = telegram_api
    api.add_channel("warta_kanal", CHANNEL, admins=[7, 8], title="Warta Kanal")
    async with make_bot(api) as bot:
        by_name, by_id = await bot.get_chat("@warta_kanal"), await bot.get_chat(CHANNEL)
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.get_chat("@tidak_ada")
        members = [await bot.get_chat_member("@warta_kanal", u) for u in (7, 8, bot.id, 9)]
        admins = await bot.get_chat_administrators(CHANNEL)
        first = await bot.send_message("@Warta_Kanal", "<b>Berita</b>", parse_mode=ParseMode.HTML)
        second = await bot.send_message(CHANNEL, "kedua")
    assert by_name == by_id
    assert (by_name.id, by_name.type, by_name.username, by_name.title) == (
        CHANNEL, "channel", "warta_kanal", "Warta Kanal",
    )  # fmt: skip
    assert [m.status for m in members] == ["creator", "administrator", "administrator", "member"]
    assert members[2].can_post_messages is True
    assert [m.user.id for m in admins] == [7, 8, 123456]
    assert (first.chat.id, first.chat.type) == (CHANNEL, "channel")
    assert first.chat.username == "warta_kanal"
    assert first.sender_chat.id == CHANNEL and first.from_user is None
    assert (first.message_id, second.message_id) == (1, 2)
    assert api.sent_texts(CHANNEL) == api.sent_texts("@warta_kanal") == ["<b>Berita</b>", "kedua"]
    assert api.sent_messages(CHANNEL)[0]["chat_id"] == "@Warta_Kanal"  # recorded as sent
    assert api.message(CHANNEL, 1)["text"] == "Berita"
    assert api.push_callback(CHANNEL, 1, "x")["callback_query"]["message"]["chat"]["type"] == (
        "channel"
    )


async def test_channel_without_the_bot_as_admin_refuses_posts(telegram_api):
    api = telegram_api
    api.add_channel("kanal_lain", CHANNEL, admins=[7], bot_is_admin=False)
    async with make_bot(api) as bot:
        with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
            await bot.send_message("@kanal_lain", "x")
        with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
            await bot.send_message(CHANNEL, "x")
        status = (await bot.get_chat_member(CHANNEL, bot.id)).status
        admins = await bot.get_chat_administrators("@kanal_lain")
    assert status == "left"
    assert [m.user.id for m in admins] == [7]
    assert api.sent_messages() == []


async def test_feed_host_serves_exact_bytes_and_answers_conditional_gets(feed_host):
    body = b'<?xml version="1.0" encoding="windows-1252"?><rss>\xe9</rss>'
    url = feed_host.add("/rss", body, last_modified="Wed, 01 Jan 2025 00:00:00 GMT")
    async with httpx.AsyncClient() as client:
        first = await client.get(url)
        assert first.content == body
        assert first.headers["content-type"] == "application/rss+xml; charset=utf-8"
        again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
        since = {"If-Modified-Since": first.headers["last-modified"]}
        by_date = await client.get(url, headers=since)
        feed_host.add("/rss", body + b"<!-- changed -->")
        changed = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
        missing = await client.get(feed_host.url("/nope"))
    assert (again.status_code, again.content) == (304, b"")
    assert by_date.status_code == 304
    assert changed.status_code == 200
    assert missing.status_code == 404
    assert [r.headers.get("If-None-Match") for r in feed_host.requests("/rss")] == [
        None, first.headers["etag"], None, first.headers["etag"],
    ]  # fmt: skip


async def test_feed_host_redirects_and_gzips(feed_host):
    feed_host.add("/new", "<rss/>", gzip=True)
    feed_host.redirect("/old", "/new")
    async with httpx.AsyncClient(follow_redirects=True) as client:
        moved = await client.get(feed_host.url("/old"))
        async with client.stream("GET", feed_host.url("/new")) as response:
            compressed = b"".join([chunk async for chunk in response.aiter_raw()])
    assert moved.history[0].status_code == 301 and moved.content == b"<rss/>"
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(compressed) == b"<rss/>"


async def test_feed_host_delays_and_drips(feed_host):
    feed_host.add("/slow", "<rss/>", delay=0.5)
    feed_host.drip("/drip", "<rss/>", chunk=2, interval=0.05)
    feed_host.drip("/stuck", "<rss/>", interval=10)
    loop = asyncio.get_running_loop()
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(feed_host.url("/slow"), timeout=0.1)
        started = loop.time()
        dripped = await client.get(feed_host.url("/drip"))
        assert loop.time() - started >= 0.1  # three chunks, two pauses
        with pytest.raises(httpx.ReadTimeout):
            await client.get(feed_host.url("/stuck"), timeout=0.1)
    assert dripped.content == b"<rss/>"
