"""Warta in a group chat: everyone reads, only the group's admins change its settings."""

import pytest

from tests.conftest import Chat, services_of
from tests.feedgen import kaltim_entries, rss

GROUP = -4242
OWNER, MEMBER = 3001, 3002

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def owner(app, telegram_api):
    telegram_api.set_chat_admins(GROUP, [OWNER])
    return Chat(app, telegram_api, GROUP, user_id=OWNER)


@pytest.fixture
def member(app, telegram_api):
    return Chat(app, telegram_api, GROUP, user_id=MEMBER)


@pytest.mark.parametrize("command", ["/subscribe kaltim", "/unsubscribe kaltim",
                                     "/schedule 06:00", "/timezone WIB", "/language en",
                                     "/pause", "/resume", "/stop"])
async def test_members_cannot_change_the_group_settings(app, owner, member, command):
    await owner.say("/subscribe kaltim")
    answer = await member.say(command)
    assert "hanya dapat diubah oleh admin grup" in answer
    subscriber = services_of(app).subscribers.get(GROUP)
    assert subscriber.topics == ("kaltim",)
    assert (subscriber.digest_times, subscriber.timezone) == (("07:00",), "Asia/Makassar")
    assert (subscriber.language, subscriber.is_paused) == ("id", False)


async def test_group_admin_configures_and_everyone_reads(app, owner, member, admin, feed_host,
                                                         clock):
    assert "Siap" in await owner.say("/subscribe kaltim")
    assert "06.30" in await owner.say("/schedule 06:30")
    feed_host.add("/f.xml", rss(kaltim_entries(2, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    assert "06.30" in await member.say("/schedule")  # reading the schedule is for everyone
    assert "Berita 1:" in await member.say("/digest")


async def test_topic_buttons_refuse_members_with_an_alert(app, owner, member, telegram_api):
    await owner.send("/topics")
    shown = telegram_api.sent_messages(GROUP)[-1]
    button = shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await member.tap(shown["message_id"], button)
    [answer] = telegram_api.calls("answerCallbackQuery")
    assert answer.params["show_alert"] is True and "admin grup" in answer.params["text"]
    assert services_of(app).subscribers.get(GROUP).topics == ()
    await owner.tap(shown["message_id"], button)
    assert services_of(app).subscribers.get(GROUP).topics == ("kaltim",)
