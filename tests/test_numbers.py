"""Counts and figures as readers write them (issue 22): 12.345 in Indonesian, 12,345 in
English, a decimal comma in Indonesian, never exponent notation.

The journey drives the real bot through its commands with counts in the thousands and scans
every text it sent (messages, edits, captions, button alerts) for a run of four or more digits.
The only runs allowed, each for a reason:
- inside a URL (a feed's address carries the test server's port, 127.0.0.1:41235);
- a year after a month's name ("25 Nov 2026", "Rabu, 25 November 2026"): a year is not a count;
- nothing else. Times are written 07.00 / 07:00 (two digits a side); ids are never grouped
  (bot.text.texts.IDENTIFIERS: an admin types them back, /removefeed 1234) but this test's ids stay
  below 1,000, so they need no exception; and the stories served here have no digits at all,
  so any run of digits in a text is one Warta wrote.
"""

import re
from datetime import timedelta

import pytest

from bot.text.texts import format_count, format_decimal, format_number, plural, t, word_list
from storage import subscribers as subscriber_store
from tests.support.chats import Chat, services_of
from tests.support.feedgen import Entry, rss

pytestmark = pytest.mark.timeout(120)

SYLLABLES = (
    "ba ce di fo gu ha ji ko lu ma ne pi ro su ta we ya zo bi ca de fi go hu ja ke "
    "li mo nu pa re si to wa yu za be co du"
).split()
READERS = 1_234


def word(n: int) -> str:
    """A made-up word for n: stories told apart without a digit in them."""
    base = len(SYLLABLES)
    first, second, third = n // base**2 % base, n // base % base, n % base
    return (SYLLABLES[first] + SYLLABLES[second] + SYLLABLES[third]).capitalize()


def stories(count: int, start, *, offset: int = 0) -> list[Entry]:
    """Samarinda stories (tagged kaltim) a minute apart, without a digit anywhere."""
    return [
        Entry(
            f"Warga {word(n)} Samarinda gotong royong di kampung {word(n + 7_000)}",
            f"https://kabar.example/warga/{word(n).lower()}",
            summary=f"Warga kampung {word(n)} di Samarinda membersihkan parit bersama.",
            published=start - timedelta(minutes=n - offset),
        )
        for n in range(offset, offset + count)
    ]


def sent_texts(api) -> list[str]:
    """Every text the bot sent anywhere: messages, edits, captions, button alerts."""
    texts = []
    for call in api.calls():
        if call.status == 200 and call.method in (
            "sendMessage",
            "editMessageText",
            "sendPhoto",
            "sendDocument",
            "answerCallbackQuery",
        ):
            texts += [call.params[key] for key in ("text", "caption") if call.params.get(key)]
    return texts


def months() -> str:
    names = word_list("id", "month_names") + word_list("en", "month_names")
    return "|".join(sorted({name for name in names} | {name[:3] for name in names}))


URL = re.compile(r"""https?://[^\s"'<>]+""")
YEAR = re.compile(rf"\b(?:{months()}) (?:19|20)\d\d\b")
LONG_RUN = re.compile(r"\d{4,}")


def ungrouped(text: str) -> list[str]:
    """The runs of four or more digits in a text, but those the module docstring allows."""
    return LONG_RUN.findall(YEAR.sub("", URL.sub("", text)))


def test_the_scan_allows_only_urls_and_years():
    text = (
        "Berita: 1050 · Rabu, 25 November 2026 · 3 Des 2026 · 07.00 · "
        '<a href="http://127.0.0.1:41235/kabar.xml">x</a> https://a.example/2026/1234 · '
        "tahun 2026 · 1.050"
    )
    assert ungrouped(text) == ["1050", "2026"]  # a year without its month is not excused


@pytest.mark.parametrize(
    ("lang", "value", "places", "written"),
    [
        ("id", 12345, None, "12.345"),
        ("en", 12345, None, "12,345"),
        ("id", 999, None, "999"),
        ("id", 1000, None, "1.000"),
        ("id", -1234567, None, "-1.234.567"),
        ("id", 2.5, None, "2,5"),
        ("en", 2.5, None, "2.5"),
        ("id", 1234.5, 1, "1.234,5"),
        ("en", 1234.5, 1, "1,234.5"),
        ("id", 3.0, None, "3"),
        ("id", 1e16, None, "10.000.000.000.000.000"),
        ("en", 1e-5, None, "0.00001"),
        ("id", 0.1 + 0.2, None, "0,3"),
        ("id", 7.94, 1, "7,9"),
    ],
)
def test_numbers_are_grouped_and_never_in_exponent_form(lang, value, places, written):
    assert format_number(lang, value, places) == written


def test_counts_and_decimals_share_the_one_format():
    assert (format_count("id", 12345), format_count("en", 12345)) == ("12.345", "12,345")
    # Every number field of a text is written so, as the counts of alerts and digests are
    # (a thousand alerts folded at once is too slow a journey for this suite); ids are not.
    assert plural("id", "n_urgent_more", 1234) == "+1.234 berita segera lain"
    assert plural("en", "n_more", 1234) == "+1,234 more stories"
    assert t("id", "removefeed_missing", id=1234) == (
        "Tidak ada feed dengan id 1234. Lihat daftarnya di /feeds."
    )
    assert (format_decimal("id", 1234.56), format_decimal("en", 1234.56)) == ("1.234,6", "1,234.6")


async def test_no_count_in_any_reply_or_digest_shows_four_digits_ungrouped(
    app, admin, feed_host, telegram_api, clock
):
    services = services_of(app)
    db = services.core.db
    for chat_id in range(900_000, 900_000 + READERS):  # a city's readers
        subscriber_store.create_subscriber(
            db,
            chat_id,
            language="id",
            timezone="Asia/Makassar",
            digest_times=("07:00",),
            now=clock.now,
        )
    reader = Chat(app, telegram_api, 7_007)
    await reader.say("/start")
    await reader.say("/subscribe kaltim")
    feed = feed_host.add("/kabar.xml", rss(stories(1_050, clock.now)))

    said = {"addfeed": await admin.say(f"/addfeed {feed}")}
    said["digest"] = await reader.say("/digest")
    said["latest"] = await reader.say("/latest")
    said["cari"] = await reader.say("/cari gotong royong")
    said["feeds"] = await admin.say("/feeds")
    said["stats"] = await admin.say("/stats")
    said["exclude"] = await admin.say("/topic kaltim exclude gotong royong")
    said["retag"] = await admin.say("/retag 7")
    said["include"] = await admin.say("/topic kaltim remove gotong royong")
    said["retag again"] = await admin.say("/retag 7")
    clock.advance(hours=1)
    feed_host.add("/kabar.xml", rss(stories(1_020, clock.now, offset=2_000)))
    said["pollnow"] = await admin.say_until("/pollnow", "feed diambil")
    await admin.say("/language en")
    said["feeds en"] = await admin.say("/feeds")
    said["stats en"] = await admin.say("/stats")

    # The counts are there, grouped as each language writes them ...
    assert "1.050 berita ditemukan" in said["addfeed"]
    assert re.search(r"\+1\.\d{3} berita lain", said["digest"])
    assert "1.050 berita, terbaru lebih dulu · halaman 1 dari 210" in said["cari"]
    assert "Berita: 1.050 (1.050 dalam 7 hari)" in said["feeds"]
    assert f"Pelanggan: {format_count('id', READERS + 1)}" in said["stats"]
    assert "Berita tersimpan: 1.050" in said["stats"] and "Kaltim: 1.050" in said["stats"]
    assert "−1.050 berita" in said["exclude"] and "+1.050 berita" in said["include"]
    assert "Kaltim: +0, −1.050" in said["retag"] and "Kaltim: +1.050, −0" in said["retag again"]
    assert "1 feed diambil, 1.020 berita baru" in said["pollnow"]
    assert "Items: 2,070 (2,070 in 7 days)" in said["feeds en"]
    assert "Items stored: 2,070" in said["stats en"]
    # ... and no count anywhere is a bare run of four digits (the charts' captions included).
    await telegram_api.wait_for("sendPhoto", count=2)
    texts = sent_texts(telegram_api)
    assert len(texts) >= 15
    bare = {run: text[:120] for text in texts for run in ungrouped(text)}
    assert not bare, bare
