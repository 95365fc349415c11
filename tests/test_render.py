"""bot.digest.render, pure: a digest as Telegram HTML messages, escaped and split between items."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digest.cluster import Story
from bot.digest.compose import Section
from bot.digest.render import render_digest, render_item
from bot.models import StoredItem, Topic
from bot.text.shaping import MAX_MESSAGE, telegram_length

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)  # 07.00 WITA on 8 December
EDUCATION = Topic("education", "Pendidikan", name_en="Education")


def item(
    number: int,
    title: str,
    *,
    summary: str = "",
    source: str = "Kaltim Post",
    hours_ago: float = 1,
) -> StoredItem:
    return StoredItem(
        id=number,
        feed_id=1,
        source=source,
        title=title,
        link=f"https://kaltimpost.id/berita/{number}?a=1&b=2",
        summary=summary,
        published_at=NOW - timedelta(hours=hours_ago),
    )


def test_an_item_is_escaped_whole():
    hostile = item(
        1,
        'Guru <b>honorer</b> & "PPPK" <script>x</script>',
        summary="Gaji naik <i>10%</i> & tunjangan",
        source="Tribun <Kaltim>",
    )
    assert render_item(hostile, lang="id", tz=WITA, now=NOW) == (
        '▪️ <a href="https://kaltimpost.id/berita/1?a=1&amp;b=2">Guru &lt;b&gt;honorer&lt;/b&gt; '
        '&amp; "PPPK" &lt;script&gt;x&lt;/script&gt;</a>\n'
        "<i>Tribun &lt;Kaltim&gt; · 06.00</i>\n"
        "Gaji naik &lt;i&gt;10%&lt;/i&gt; &amp; tunjangan"
    )


def test_an_item_of_another_day_shows_its_date():
    yesterday = item(1, "Unmul buka prodi baru", hours_ago=20)
    assert "<i>Kaltim Post · 7 Des, 11.00</i>" in render_item(
        yesterday, lang="id", tz=WITA, now=NOW
    )


def test_a_long_digest_is_split_between_items_with_the_heading_carried_on():
    stories = tuple(
        Story(item(n, f"Berita pendidikan nomor {n} " + "kata " * 30, summary="isi " * 60), ())
        for n in range(1, 41)
    )
    chunks = render_digest([Section(EDUCATION, stories)], lang="id", tz=WITA, now=NOW)
    assert len(chunks) > 1
    assert all(telegram_length(chunk.html) <= MAX_MESSAGE for chunk in chunks)
    # Every item in exactly one message, in order, and each message carries its own ids.
    assert [i for chunk in chunks for i in chunk.item_ids] == list(range(1, 41))
    for chunk in chunks:
        assert all(f"/berita/{i}?" in chunk.html for i in chunk.item_ids)
    assert chunks[0].html.startswith("<b>📰 Ringkasan Warta</b>")
    assert all(c.html.split("\n")[0] == "<b>Pendidikan</b> (lanjutan)" for c in chunks[1:])
    assert chunks[-1].html.endswith("Atur: /topics · /schedule · /pause")


def test_the_rest_of_a_topic_is_pointed_to_latest():
    section = Section(EDUCATION, (Story(item(1, "PPDB dibuka"), ()),), more=12)
    [chunk] = render_digest([section], lang="id", tz=WITA, now=NOW)
    assert "<i>+12 berita lain — /latest pendidikan</i>" in chunk.html


def test_nothing_to_show_is_no_message():
    assert render_digest([], lang="id", tz=WITA, now=NOW) == []
