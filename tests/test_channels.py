"""Warta in a channel: set up by a channel admin from a private chat with /channel @name."""

import pytest

from tests.support.chats import READER_ID, Chat, services_of
from tests.support.feedgen import kaltim_entries, rss

pytestmark = pytest.mark.timeout(30)

CHANNEL, NAME = -1009876543210, "kabarbenua"
OWNER = 4001


@pytest.fixture
def channel_admin(app, telegram_api):
    telegram_api.add_channel(NAME, CHANNEL, admins=[OWNER])
    return Chat(app, telegram_api, OWNER)


async def test_channel_admin_sets_up_a_channel_that_gets_scheduled_digests(
    app, channel_admin, admin, feed_host, clock, telegram_api
):
    shown = await channel_admin.say(f"/channel @{NAME}")
    assert f"Warta di kanal @{NAME}" in shown and "Topik: belum ada" in shown
    answer = await channel_admin.say(f"/channel @{NAME} topik kaltim, pendidikan")
    assert "Topik: Kaltim, Pendidikan" in answer
    assert "06.00" in await channel_admin.say(f"/channel @{NAME} jadwal 06:00")
    assert "06.00 WIB" in await channel_admin.say(f"/channel @{NAME} zona WIB")
    channel = services_of(app).subscribers.get(CHANNEL)
    assert channel.topics == ("kaltim", "education") and channel.digest_times == ("06:00",)
    # The admin's own chat is not subscribed to anything by setting up the channel.
    assert services_of(app).subscribers.get(OWNER) is None

    feed_host.add("/f.xml", rss(kaltim_entries(2, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    clock.advance(hours=13, minutes=5)  # 06:05 WIB tomorrow
    services = services_of(app)
    assert (await services.digests.send_due()).sent == 1
    [post] = telegram_api.sent_messages(CHANNEL)
    assert "Berita 1:" in post["text"] and "Berita 2:" in post["text"]


async def test_digest_now_to_a_channel(app, channel_admin, admin, feed_host, clock, telegram_api):
    await channel_admin.say(f"/channel @{NAME} topics kaltim")
    feed_host.add("/f.xml", rss(kaltim_entries(1, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    assert "sudah dikirim ke" in await channel_admin.say(f"/channel @{NAME} kirim")
    assert "Berita 1:" in telegram_api.sent_texts(CHANNEL)[0]
    assert "Belum ada berita baru" in await channel_admin.say(f"/channel @{NAME} kirim")


async def test_only_the_channels_admins_may_set_it_up(app, channel_admin, telegram_api):
    stranger = Chat(app, telegram_api, READER_ID)
    answer = await stranger.say(f"/channel @{NAME} topik kaltim")
    assert "hanya admin kanal" in answer
    assert services_of(app).subscribers.get(CHANNEL) is None


async def test_channel_where_warta_may_not_post_is_explained(app, telegram_api):
    telegram_api.add_channel("sunyi", -1005555555555, admins=[OWNER], bot_is_admin=False)
    answer = await Chat(app, telegram_api, OWNER).say("/channel @sunyi")
    assert "Jadikan Warta admin kanal" in answer
    assert services_of(app).subscribers.get(-1005555555555) is None


@pytest.mark.parametrize(
    "command, expected",
    [
        ("/channel", "Memasang Warta di kanal"),
        ("/channel @tidakada", "tidak ditemukan"),
        (f"/channel @{NAME} terbang", "Memasang Warta di kanal"),
        (f"/channel @{NAME} topik", "Sebutkan topiknya"),
        (f"/channel @{NAME} topik cuaca", "cuaca"),
        (f"/channel @{NAME} jadwal 25:00", "Tulis jamnya"),
        (f"/channel @{NAME} zona Mars/Olympus", "WITA"),
        (f"/channel @{NAME} bahasa jawa", "<code>id</code>"),
    ],
)
async def test_malformed_channel_commands_get_a_clear_answer(
    app, channel_admin, command, expected
):
    answer = await channel_admin.say(command)
    assert expected in answer, answer
    subscriber = services_of(app).subscribers.get(CHANNEL)
    assert subscriber is None or subscriber.topics == ()


async def test_channel_is_set_up_from_a_private_chat_only(app, channel_admin, telegram_api):
    telegram_api.set_chat_admins(-4242, [OWNER])
    answer = await Chat(app, telegram_api, -4242, user_id=OWNER).say(f"/channel @{NAME}")
    assert "obrolan pribadi" in answer


async def test_channel_stop_forgets_it(app, channel_admin):
    await channel_admin.say(f"/channel @{NAME} topik kaltim")
    assert "tidak akan lagi" in await channel_admin.say(f"/channel @{NAME} berhenti")
    assert services_of(app).subscribers.get(CHANNEL) is None


async def test_a_channel_paused_after_losing_rights_resumes_when_set_up_again(
    app, channel_admin, admin, feed_host, clock, telegram_api
):
    await channel_admin.say(f"/channel @{NAME} topik kaltim")
    feed_host.add("/f.xml", rss(kaltim_entries(1, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    telegram_api.fail_next(
        "sendMessage",
        status=400,
        chat_id=CHANNEL,
        description="Bad Request: need administrator rights in the channel chat",
    )
    clock.advance(hours=13, minutes=5)
    services = services_of(app)
    assert (await services.digests.send_due()).reasons == {"blocked": 1}
    assert services.subscribers.get(CHANNEL).is_paused
    # The admin fixes Warta's rights and looks again: Telegram confirms Warta may post.
    assert "Status: aktif" in await channel_admin.say(f"/channel @{NAME}")
    clock.advance(days=1)
    assert (await services.digests.send_due()).sent == 1
    assert "Berita 1:" in telegram_api.sent_texts(CHANNEL)[-1]
