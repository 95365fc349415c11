"""A reader's whole journey through the real bot: start, choose topics, read digests, leave."""

from datetime import timedelta

import pytest

from storage import subscribers as subscriber_store
from tests.support.chats import READER_ID, services_of
from tests.support.feedgen import Entry, kaltim_entries, rss

pytestmark = pytest.mark.timeout(30)


def keyboard_of(message: dict) -> dict[str, str]:
    """Button label -> callback data of a message's inline keyboard."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows for button in row}


@pytest.fixture
async def news(app, admin, feed_host, clock):
    """A feed with a Kaltim story, a national education story and a football story, added by
    the admin through /addfeed."""
    earlier = clock.now - timedelta(hours=2)
    entries = [
        Entry(
            "Pemprov Kaltim Perbaiki Jalan Poros Samarinda–Bontang",
            "https://kabar.example/jalan-poros",
            "<p>Perbaikan jalan poros di Kalimantan Timur dikebut sebelum Natal.</p>",
            published=earlier,
        ),
        Entry(
            "Kemendikdasmen Umumkan Jadwal SPMB 2027 untuk Sekolah Negeri",
            "https://kabar.example/spmb",
            "Sistem penerimaan murid baru jenjang SD, SMP dan SMA dibuka Juni.",
            published=earlier - timedelta(minutes=5),
        ),
        Entry(
            "Persija Tahan Imbang Persib di Jakarta",
            "https://kabar.example/bola",
            "Laga berakhir 1-1.",
            published=earlier - timedelta(minutes=10),
        ),
    ]
    feed_host.add("/kabar.xml", rss(entries, title="Kabar Kaltim"))
    answer = await admin.say(f"/addfeed {feed_host.url('/kabar.xml')}")
    assert answer == (
        "Feed ditambahkan (id 1): <b>Kabar Kaltim</b>\n3 berita ditemukan dan disimpan."
    )


async def test_start_two_taps_and_done_leave_a_reader_with_a_next_step(news, reader, telegram_api):
    """Done when (issue 12): /start, two topics and "Selesai", and nothing typed."""
    await reader.send("/start")
    welcome = telegram_api.sent_messages(READER_ID)[-1]
    assert "selamat datang" in welcome["text"] and "Selesai" in welcome["text"]
    buttons = keyboard_of(welcome)
    assert {"Kaltim", "Pendidikan", "🇬🇧 English", "Selesai ✔️"} <= set(buttons)
    await reader.tap(welcome["message_id"], buttons["Kaltim"])
    await reader.tap(welcome["message_id"], buttons["Pendidikan"])
    await reader.tap(welcome["message_id"], buttons["Selesai ✔️"])
    subscriber = services_of(reader.app).subscribers.get(READER_ID)
    assert subscriber.topics == ("kaltim", "education") and subscriber.digest_times == ("07:00",)
    done = telegram_api.sent_messages(READER_ID)[-1]
    # 18.00 WITA now: the first digest is tomorrow morning.
    assert "Kaltim, Pendidikan" in done["text"] and "besok pukul 07.00 WITA" in done["text"]
    await reader.tap(done["message_id"], keyboard_of(done)["📰 Kirim ringkasan sekarang"])
    digest = telegram_api.sent_messages(READER_ID)[-1]["text"]
    assert "Ringkasan Warta" in digest and "Jalan Poros" in digest


async def test_done_without_a_topic_asks_for_one(reader, telegram_api):
    await reader.send("/start")
    welcome = telegram_api.sent_messages(READER_ID)[-1]
    await reader.tap(welcome["message_id"], keyboard_of(welcome)["Selesai ✔️"])
    [answer] = telegram_api.calls("answerCallbackQuery")
    assert answer.params["show_alert"] is True and "minimal satu topik" in answer.params["text"]


async def test_language_button_redraws_the_welcome_in_english(reader, telegram_api):
    await reader.send("/start")
    welcome = telegram_api.sent_messages(READER_ID)[-1]
    await reader.tap(welcome["message_id"], keyboard_of(welcome)["🇬🇧 English"])
    redrawn = telegram_api.message(READER_ID, welcome["message_id"])
    assert "welcome to" in redrawn["text"]
    assert {"East Kalimantan", "Education", "🇮🇩 Bahasa Indonesia", "Done ✔️"} <= set(
        keyboard_of(redrawn)
    )
    assert services_of(reader.app).subscribers.get(READER_ID).language == "en"


async def test_second_start_reminds_instead_of_greeting_again(reader):
    await reader.say("/start")
    await reader.say("/subscribe kaltim")
    answer = await reader.say("/start")
    assert "sudah aktif" in answer and "Kaltim" in answer


async def test_topics_keyboard_toggles_in_place(reader, telegram_api):
    await reader.say("/start")
    await reader.send("/topics")
    shown = telegram_api.sent_messages(READER_ID)[-1]
    buttons = keyboard_of(shown)
    assert set(buttons) == {
        "Kaltim",
        "Kerja Sama Luar Negeri",
        "Pendidikan",
        "Investasi",
        "📍 Hanya berita Kaltim",
    }

    await reader.tap(shown["message_id"], buttons["Pendidikan"])
    edited = telegram_api.message(READER_ID, shown["message_id"])
    assert "✅ Pendidikan" in keyboard_of(edited)
    assert "Kaltim" in keyboard_of(edited)  # untouched topics keep their plain label
    assert telegram_api.calls("answerCallbackQuery"), "the tap must stop the button's spinner"

    await reader.tap(shown["message_id"], buttons["Pendidikan"])
    edited = telegram_api.message(READER_ID, shown["message_id"])
    assert "Pendidikan" in keyboard_of(edited) and "✅ Pendidikan" not in keyboard_of(edited)
    assert services_of(reader.app).subscribers.get(READER_ID).topics == ()


async def test_digest_brings_only_my_topics_once(news, reader, telegram_api):
    await reader.say("/start")
    answer = await reader.say("/subscribe kaltim pendidikan")
    assert "Kaltim" in answer and "Pendidikan" in answer

    digest = await reader.say("/digest")
    assert "Pemprov Kaltim Perbaiki Jalan Poros" in digest
    assert "SPMB 2027" in digest
    assert "Persija" not in digest  # nobody here follows football
    assert digest.index("<b>Kaltim</b>") < digest.index("<b>Pendidikan</b>")
    assert 'href="https://kabar.example/jalan-poros"' in digest
    assert "Kabar Kaltim" in digest  # the outlet's name
    sent = telegram_api.sent_messages(READER_ID)[-1]
    assert sent["parse_mode"] == "HTML"
    assert sent["link_preview_options"] == {"is_disabled": True}

    again = await reader.say("/digest")
    assert "Belum ada berita baru" in again


async def test_story_on_two_followed_topics_appears_once(app, reader, admin, feed_host, clock):
    story = Entry(
        "Unmul Buka Beasiswa S2 untuk Guru di Samarinda",
        "https://kabar.example/beasiswa-unmul",
        "Universitas Mulawarman di Samarinda membuka beasiswa bagi guru.",
        published=clock.now - timedelta(hours=1),
    )
    feed_host.add("/satu.xml", rss([story]))
    await admin.say(f"/addfeed {feed_host.url('/satu.xml')}")
    await reader.say("/subscribe kaltim pendidikan")
    digest = await reader.say("/digest")
    assert digest.count("Unmul Buka Beasiswa") == 1


async def test_unknown_topic_lists_the_valid_ones(reader):
    answer = await reader.say("/subscribe olahraga")
    assert "olahraga" in answer and "tidak ditemukan" in answer
    for name in ("Kaltim", "Kerja Sama Luar Negeri", "Pendidikan", "Investasi"):
        assert name in answer
    assert "foreign_cooperation" not in answer  # readers never see slugs
    subscriber = services_of(reader.app).subscribers.get(READER_ID)
    assert subscriber is None or subscriber.topics == ()


async def test_subscribe_by_display_name_any_case(reader):
    answer = await reader.say("/subscribe kerja sama luar negeri INVESTASI")
    assert "Kerja Sama Luar Negeri" in answer and "Investasi" in answer
    topics = services_of(reader.app).subscribers.get(READER_ID).topics
    assert topics == ("foreign_cooperation", "investment")


async def test_unsubscribe_keeps_the_rest(reader):
    await reader.say("/subscribe kaltim education")
    answer = await reader.say("/unsubscribe education")
    assert "Pendidikan" in answer and "Kaltim" in answer
    assert services_of(reader.app).subscribers.get(READER_ID).topics == ("kaltim",)


async def test_latest_shows_newest_even_when_already_sent(news, reader):
    await reader.say("/subscribe kaltim")
    await reader.say("/digest")
    latest = await reader.say("/latest")
    assert "Pemprov Kaltim Perbaiki Jalan Poros" in latest
    by_topic = await reader.say("/latest pendidikan")
    assert "SPMB 2027" in by_topic and "Jalan Poros" not in by_topic


async def test_latest_caps_at_ten_newest(app, reader, admin, feed_host, clock):
    feed_host.add("/banyak.xml", rss(kaltim_entries(14, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/banyak.xml')}")
    await reader.say("/subscribe kaltim")
    latest = await reader.say("/latest")
    assert "Berita 1:" in latest and "Berita 10:" in latest
    assert "Berita 11:" not in latest


async def test_first_digest_reaches_back_only_a_day(app, reader, admin, feed_host, clock):
    old = Entry(
        "Banjir Lama di Samarinda",
        "https://kabar.example/lama",
        "Kalimantan Timur.",
        published=clock.now - timedelta(hours=30),
    )
    fresh = Entry(
        "Banjir Baru di Samarinda",
        "https://kabar.example/baru",
        "Kalimantan Timur.",
        published=clock.now - timedelta(hours=3),
    )
    feed_host.add("/dua.xml", rss([old, fresh]))
    await admin.say(f"/addfeed {feed_host.url('/dua.xml')}")
    await reader.say("/subscribe kaltim")
    digest = await reader.say("/digest")
    assert "Banjir Baru" in digest and "Banjir Lama" not in digest


async def test_schedule_timezone_language(reader):
    assert "07.00" in await reader.say("/schedule")
    answer = await reader.say("/schedule 06:30, 19.00")
    assert "06.30 dan 19.00" in answer
    assert services_of(reader.app).subscribers.get(READER_ID).digest_times == ("06:30", "19:00")
    assert "tidak dikenali" in await reader.say("/schedule 25:00")
    assert services_of(reader.app).subscribers.get(READER_ID).digest_times == ("06:30", "19:00")
    assert "dimatikan" in await reader.say("/schedule off")

    assert "Asia/Jakarta" in await reader.say("/timezone asia/jakarta")
    assert "Asia/Makassar" in await reader.say("/timezone WITA")
    assert "tidak dikenal" in await reader.say("/timezone Mars/Olympus")
    assert services_of(reader.app).subscribers.get(READER_ID).timezone == "Asia/Makassar"

    assert "English" in await reader.say("/language en")
    assert "Choose your topics" in await reader.say("/topics")
    assert "bahasa Indonesia" in await reader.say("/language id")
    assert "/language" in await reader.say("/language fr")


async def test_pause_and_resume_keep_topics(reader):
    await reader.say("/subscribe kaltim")
    assert "dijeda" in await reader.say("/pause")
    assert services_of(reader.app).subscribers.get(READER_ID).is_paused
    assert "sedang dijeda" in await reader.say("/pause")
    assert "aktif kembali" in await reader.say("/resume")
    subscriber = services_of(reader.app).subscribers.get(READER_ID)
    assert not subscriber.is_paused and subscriber.topics == ("kaltim",)


async def test_stop_asks_first_and_cancel_keeps_everything(reader, telegram_api):
    await reader.say("/subscribe kaltim")
    await reader.send("/stop")
    question = telegram_api.sent_messages(READER_ID)[-1]
    assert "Yakin" in question["text"] and "/pause" in question["text"]
    assert set(keyboard_of(question)) == {"Ya, hapus data saya", "Batal"}
    await reader.tap(question["message_id"], keyboard_of(question)["Batal"])
    assert (
        "tidak ada yang dihapus" in telegram_api.message(READER_ID, question["message_id"])["text"]
    )
    assert services_of(reader.app).subscribers.get(READER_ID).topics == ("kaltim",)


async def test_stop_confirmed_says_so_then_forgets_everything(news, reader, app, telegram_api):
    await reader.say("/subscribe kaltim")
    await reader.say("/digest")
    await reader.send("/stop")
    question = telegram_api.sent_messages(READER_ID)[-1]
    await reader.tap(question["message_id"], keyboard_of(question)["Ya, hapus data saya"])
    assert "dihapus" in telegram_api.message(READER_ID, question["message_id"])["text"]
    db = services_of(app).core.db
    assert subscriber_store.get_subscriber(db, READER_ID) is None
    for table in ("subscriber_topics", "deliveries"):
        rows = list(db.query(f"SELECT * FROM {table} WHERE chat_id = ?", [READER_ID]))
        assert rows == [], table


async def test_stop_with_arguments_deletes_nothing(reader):
    await reader.say("/subscribe kaltim")
    answer = await reader.say("/stop sekarang")
    assert "/stop" in answer
    assert services_of(reader.app).subscribers.get(READER_ID).topics == ("kaltim",)


async def test_help_lists_every_subscriber_command(reader):
    answer = await reader.say("/help")
    for command in (
        "/topics",
        "/subscribe",
        "/unsubscribe",
        "/digest",
        "/latest",
        "/schedule",
        "/timezone",
        "/language",
        "/pause",
        "/resume",
        "/stop",
        "/help",
    ):
        assert command in answer
    assert "/addfeed" not in answer  # admin commands only for admins


async def test_unknown_command_points_to_help(reader):
    answer = await reader.say("/beritaku")
    assert "/help" in answer and "tidak dikenal" in answer


async def test_digest_without_topics_says_how_to_choose(reader):
    answer = await reader.say("/digest")
    assert "/topics" in answer


async def test_commands_with_stray_arguments_get_usage(reader):
    assert "tidak memerlukan" in await reader.say("/digest sekarang")
    assert "tidak memerlukan" in await reader.say("/pause 3 hari")
    assert "Sebutkan topiknya" in await reader.say("/subscribe")
