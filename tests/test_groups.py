"""Warta in a group chat: everyone reads, only the group's admins change its settings."""

import pytest

from tests.support.chats import Chat, services_of
from tests.support.feedgen import kaltim_entries, rss

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


@pytest.mark.parametrize(
    "command",
    [
        "/subscribe kaltim",
        "/unsubscribe kaltim",
        "/schedule 06:00",
        "/timezone WIB",
        "/language en",
        "/pause",
        "/resume",
        "/stop",
    ],
)
async def test_members_cannot_change_the_group_settings(app, owner, member, command):
    await owner.say("/subscribe kaltim")
    answer = await member.say(command)
    assert "hanya dapat diubah oleh admin grup" in answer
    subscriber = services_of(app).subscribers.get(GROUP)
    assert subscriber.topics == ("kaltim",)
    assert (subscriber.digest_times, subscriber.timezone) == (("07:00",), "Asia/Makassar")
    assert (subscriber.language, subscriber.is_paused) == ("id", False)


async def test_group_admin_configures_and_everyone_reads(
    app, owner, member, admin, feed_host, clock
):
    assert "Siap" in await owner.say("/subscribe kaltim")
    assert "06.30" in await owner.say("/schedule 06:30")
    feed_host.add("/f.xml", rss(kaltim_entries(2, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    assert "06.30" in await member.say("/schedule")  # reading the schedule is for everyone
    assert "Berita 1:" in await member.say("/latest")  # ... and so is reading the news


async def test_a_member_cannot_use_up_the_groups_digest(
    app, owner, member, admin, feed_host, clock
):
    await owner.say("/subscribe kaltim")
    feed_host.add("/f.xml", rss(kaltim_entries(2, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    answer = await member.say("/digest")
    assert "admin grup" in answer and "/latest" in answer and "Berita 1:" not in answer
    assert "Berita 1:" in await owner.say("/digest")  # still there for the scheduled one


async def test_topic_buttons_refuse_members_with_an_alert(app, owner, member, telegram_api):
    await owner.send("/topics")
    shown = telegram_api.sent_messages(GROUP)[-1]
    button = shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await member.tap(shown["message_id"], button)
    [answer] = telegram_api.calls("answerCallbackQuery")
    assert answer.params["show_alert"] is True and "admin grup" in answer.params["text"]
    # Looking at /topics registers nobody (issue 10); the member's tap followed nothing.
    assert services_of(app).subscribers.lookup(GROUP).topics == ()
    await owner.tap(shown["message_id"], button)
    assert services_of(app).subscribers.get(GROUP).topics == ("kaltim",)


FORUM = -1001234567890


async def test_forum_digests_go_to_the_topic_they_were_set_up_in(
    app, admin, feed_host, clock, telegram_api
):
    telegram_api.set_chat_admins(FORUM, [OWNER])
    news_topic = Chat(app, telegram_api, FORUM, user_id=OWNER, thread_id=77)
    answer = await news_topic.send("/subscribe kaltim")
    assert telegram_api.sent_messages(FORUM)[-1]["message_thread_id"] == 77  # reply in place
    assert "Siap" in answer[0]
    feed_host.add("/f.xml", rss(kaltim_entries(2, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")

    clock.advance(hours=13, minutes=5)  # 07:05 WITA tomorrow
    services = services_of(app)
    summary = await services.digests.send_due()
    assert summary.sent == 1
    digest = telegram_api.sent_messages(FORUM)[-1]
    assert "Berita 1:" in digest["text"] and digest["message_thread_id"] == 77

    # A member typing in another topic moves nothing; the admin moving the setup does.
    other = Chat(app, telegram_api, FORUM, user_id=MEMBER, thread_id=99)
    await other.send("/schedule 06:00")
    assert services.subscribers.get(FORUM).thread_id == 77
    await Chat(app, telegram_api, FORUM, user_id=OWNER, thread_id=99).send("/schedule 06:00")
    assert services.subscribers.get(FORUM).thread_id == 99


async def test_deleted_forum_topic_falls_back_to_the_general_topic(
    app, admin, feed_host, clock, telegram_api
):
    telegram_api.set_chat_admins(FORUM, [OWNER])
    await Chat(app, telegram_api, FORUM, user_id=OWNER, thread_id=77).send("/subscribe kaltim")
    feed_host.add("/f.xml", rss(kaltim_entries(2, start=clock.now)))
    await admin.say(f"/addfeed {feed_host.url('/f.xml')}")
    telegram_api.fail_next(
        "sendMessage",
        status=400,
        chat_id=FORUM,
        description="Bad Request: message thread not found",
    )
    clock.advance(hours=13, minutes=5)
    services = services_of(app)
    assert (await services.digests.send_due()).sent == 1
    digest = telegram_api.sent_messages(FORUM)[-1]
    assert "Berita 1:" in digest["text"] and "message_thread_id" not in digest
    assert services.subscribers.get(FORUM).thread_id is None
