"""Cleaning entries (bot.feeds.clean): HTML to text, boilerplate removal, titles, links."""

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.feeds.clean import clean_item, clean_text
from bot.feeds.urls import canonical_url
from bot.models import RawEntry
from bot.tagging.defaults import default_topics
from bot.tagging.tagger import Tagger
from bot.text.shaping import shorten

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def raw(title="Judul Berita", summary="Isi berita.", link="https://example-news.id/a", **kw):
    return RawEntry(title=title, link=link, summary=summary, **kw)


# (description, input, expected clean text)
CLEAN_CASES = [
    ("empty", "", ""),
    ("only whitespace", "  \n\t ", ""),
    ("plain text kept", "Warga Samarinda antre BBM.", "Warga Samarinda antre BBM."),
    (
        "named and numeric entities",
        "Pemkot &amp; DPRD &#8220;sepakat&#8221; &ndash; final",
        "Pemkot & DPRD “sepakat” – final",
    ),
    (
        "double-escaped HTML",
        "&lt;p&gt;Kerja sama &amp;amp; investasi&lt;/p&gt;",
        "Kerja sama & investasi",
    ),
    (
        "tags stripped, paragraphs become lines",
        "<p>Satu.</p><p>Dua <b>tebal</b>.</p>",
        "Satu.\nDua tebal.",
    ),
    (
        "inline tags keep word boundaries",
        "<p><b>Kerja</b> sama di<i>bahas</i></p>",
        "Kerja sama dibahas",
    ),
    (
        "br is a line break",
        "Baris satu<br>baris dua<br/>baris tiga",
        "Baris satu\nbaris dua\nbaris tiga",
    ),
    ("whitespace collapsed", "<p>  Banyak   \n  spasi\t di sini </p>", "Banyak spasi di sini"),
    ("script content dropped", "<p>Berita</p><script>alert('Samarinda')</script>", "Berita"),
    ("style content dropped", "<style>p{color:red}</style><p>Berita</p>", "Berita"),
    ("comments dropped", "<p>Berita<!-- Balikpapan --></p>", "Berita"),
    ("iframe dropped", "<p>A</p><iframe src='x'>Tonton video</iframe><p>B</p>", "A\nB"),
    (
        "img dropped with its alt",
        '<p><img src="a.jpg" alt="Kawasan Industri Kariangau">Isi</p>',
        "Isi",
    ),
    (
        "figcaption dropped",
        "<figure><img src=a><figcaption>Gubernur Kaltim</figcaption></figure><p>Isi</p>",
        "Isi",
    ),
    ("link text kept", '<p>Lihat <a href="/x">laman olimpiade</a>.</p>', "Lihat laman olimpiade."),
    (
        "a > inside a quoted attribute is not text",
        '<P><img src="a.jpg" alt="x > y">Isi <A HREF="/x" TITLE=\'a>b\'>tautan</A></P>',
        "Isi tautan",
    ),
    ("upper-case self-closing br is a line break", "Satu<BR/>dua<Br >tiga", "Satu\ndua\ntiga"),
    ("a tag name followed by a non-HTML space is no br", "Satu<br\xa0>dua", "Satudua"),
    # Simple tags are read by a quick scanner that hands anything else to HTMLParser: text
    # before the odd part must not come out twice.
    ("simple tags then a comment", "<p>Isi</p><!-- Samarinda --><p>Lanjut</p>", "Isi\nLanjut"),
    (
        "simple tags then a script",
        "<p>Isi &amp; data</p><script>x = '<p>Bontang</p>'</script><p>Akhir</p>",
        "Isi & data\nAkhir",
    ),
    ("CDATA wrapper", "<![CDATA[<p>Kerja sama &amp; investasi</p>]]>", "Kerja sama & investasi"),
    ("a lone < is text", "suhu 2<3 dan 5 > 4 derajat", "suhu 2<3 dan 5 > 4 derajat"),
    ("invisible characters removed", "Kal\u200btim\u00ad Post\ufeff", "Kaltim Post"),
    # BACA JUGA, in all the shapes the feeds use.
    (
        "BACA JUGA html paragraph",
        '<p>Awal.</p><p><strong>BACA JUGA:</strong> <a href="/1">Banjir di Samarinda</a></p>'
        "<p>Akhir.</p>",
        "Awal.\nAkhir.",
    ),
    (
        "Baca juga inside the link",
        '<p>Awal. <a href="/1">Baca juga: Banjir di Samarinda</a> Akhir.</p>',
        "Awal. Akhir.",
    ),
    (
        "BACA JUGA with two links",
        '<p>BACA JUGA: <a href="/1">Satu Balikpapan</a> | '
        '<a href="/2">Dua Bontang</a></p><p>Isi.</p>',
        "Isi.",
    ),
    (
        "BACA JUGA plain text up to the sentence end",
        "Awal berita. BACA JUGA: Banjir Genangi Jalan DI Panjaitan Samarinda. "
        "Hingga Minggu surut.",
        "Awal berita. Hingga Minggu surut.",
    ),
    (
        "Baca Juga lower case with space before colon",
        "Awal. Baca juga : Harga Sawit Naik di Kutim. Lanjutan.",
        "Awal. Lanjutan.",
    ),
    (
        "BACA JUGA plain text on its own line",
        "Awal.\nBACA JUGA: Judul Tanpa Titik\nLanjutan.",
        "Awal.\nLanjutan.",
    ),
    (
        "number with a dot is not a sentence end",
        "Awal. BACA JUGA: Investasi Capai Rp1.931 Triliun di Kaltim. Lanjutan.",
        "Awal. Lanjutan.",
    ),
    ("Simak juga", "Awal. Simak juga: Judul Lain. Lanjutan.", "Awal. Lanjutan."),
    (
        "BACA JUGA in capitals without colon",
        "Awal. BACA JUGA Judul Lain. Lanjutan.",
        "Awal. Lanjutan.",
    ),
    (
        "'lihat juga' in prose stays",
        "Awal. Kita lihat juga nanti hasilnya. Akhir.",
        "Awal. Kita lihat juga nanti hasilnya. Akhir.",
    ),
    # Photo captions and credits.
    ("credit Foto: Ist/Disway Kaltim", "Isi berita. (Foto: Ist/Disway Kaltim)", "Isi berita."),
    ("credit without Foto", "Isi berita. (Ist/Disway Kaltim)", "Isi berita."),
    ("credit with photographer", "Isi berita. (Foto: Ferry Cahyanti/Kaltim Post)", "Isi berita."),
    ("credit for outlet", "Isi. (Foto: BKPM for Kaltim Post)", "Isi."),
    (
        "caption sentence before credit dropped",
        "Isi berita. Ilustrasi siswa mengerjakan ujian. (Foto: Ist/Disway Kaltim)",
        "Isi berita.",
    ),
    ("unbracketed credit", "Isi berita. Foto: Ferry/Kaltim Post", "Isi berita."),
    ("Foto: Istimewa", "Isi berita. Foto: Istimewa", "Isi berita."),
    ("ANTARA FOTO credit", "Isi. (ANTARA FOTO/Nama Fotografer/foc)", "Isi."),
    ("Dok credit", "Isi. (Dok. Humas Pemprov Kaltim)", "Isi."),
    (
        "date in brackets is not a credit",
        "Rapat digelar Senin (12/1). Isi.",
        "Rapat digelar Senin (12/1). Isi.",
    ),
    (
        "acronym pair in brackets is not a credit",
        "Investasi (PMA/PMDN) naik.",
        "Investasi (PMA/PMDN) naik.",
    ),
    (
        "ordinary brackets kept",
        "Sumber daya manusia (SDM) unggul.",
        "Sumber daya manusia (SDM) unggul.",
    ),
    # Trailers.
    (
        "Google News trailer",
        "Isi berita. Cek Berita dan Artikel yang lain di Google News",
        "Isi berita.",
    ),
    (
        "Google News trailer paragraph",
        "<p>Isi.</p><p>Cek Berita dan Artikel yang lain di Google News</p>",
        "Isi.",
    ),
    ("WhatsApp Channel trailer", "Isi. Ikuti berita terkini kami di WhatsApp Channel.", "Isi."),
    ("copyright line", "Isi.\nCOPYRIGHT © ANTARA 2026", "Isi."),
    ("editor line", "Isi.\nEditor: Nama Redaktur", "Isi."),
    ("advertisement marker", "Isi. ADVERTISEMENT Lanjutan.", "Isi. Lanjutan."),
    ("caption shortcode", '[caption id="a"]Foto gubernur[/caption]Isi.', "Isi."),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CLEAN_CASES], ids=[c[0] for c in CLEAN_CASES]
)
def test_clean_text(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("<script>alert(1)</script>Banjir di Samarinda", "Banjir di Samarinda"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Banjir", "Banjir"),
        ("Kerja Sama Kaltim &amp; Jepang", "Kerja Sama Kaltim & Jepang"),
        ("&#8220;Kami Siap,&#8221; Kata Gubernur", "“Kami Siap,” Kata Gubernur"),
        ("  Judul\n  dua   baris  ", "Judul dua baris"),
        ("<p>Judul</p><p>dengan paragraf</p>", "Judul dengan paragraf"),
        ("<b>Banjir</b> Rendam <i>Sangatta</i>", "Banjir Rendam Sangatta"),
    ],
)
def test_clean_item_title(title, expected):
    item = clean_item(raw(title=title), now=NOW)
    assert item is not None
    assert item.title == expected


def test_long_title_is_cut_at_a_word():
    item = clean_item(raw(title="kata " * 100), now=NOW)
    assert len(item.title) <= 300
    assert item.title.endswith("kata…")


@pytest.mark.parametrize(
    "link",
    [
        "",
        "   ",
        "/read/2026/1/berita",
        "ftp://example.id/a",
        "javascript:alert(1)",
        "mailto:redaksi@example.id",
        "https://",
        "http:///path-only",
        "https://[bad",
    ],
)
def test_no_usable_link_gives_none(link):
    assert clean_item(raw(link=link), now=NOW) is None


def test_no_title_and_no_summary_gives_none():
    assert clean_item(raw(title="  ", summary="<p> </p>"), now=NOW) is None
    assert clean_item(raw(title="<script>x</script>", summary=""), now=NOW) is None


def test_title_derived_from_summary_when_missing():
    summary = (
        "Pemerintah Kota Samarinda memulai pembangunan terowongan yang menembus Gunung "
        "Steling di Jalan Kakap untuk mengurai kemacetan."
    )
    item = clean_item(raw(title="", summary=f"<p>{summary}</p>"), now=NOW)
    assert item.title.startswith("Pemerintah Kota Samarinda memulai")
    assert len(item.title) <= 80
    assert item.title.endswith("…")
    assert item.summary == summary


def test_summary_only_boilerplate_leaves_item_without_summary():
    item = clean_item(raw(summary="Cek Berita dan Artikel yang lain di Google News"), now=NOW)
    assert item.summary == ""


def test_title_repeated_at_top_of_summary_is_removed():
    item = clean_item(
        raw(
            title="Banjir Kepung Samarinda",
            summary="<p>BANJIR KEPUNG SAMARINDA</p><p>Air setinggi lutut.</p>",
        ),
        now=NOW,
    )
    assert item.summary == "Air setinggi lutut."


def test_title_prefix_that_is_not_whole_words_is_kept():
    item = clean_item(raw(title="Banjir", summary="Banjirnya setinggi lutut."), now=NOW)
    assert item.summary == "Banjirnya setinggi lutut."


def test_published_at_defaults_to_now_and_is_utc():
    assert clean_item(raw(), now=NOW).published_at == NOW
    wita = timezone(timedelta(hours=8))
    item = clean_item(raw(published_at=datetime(2026, 1, 15, 9, 20, tzinfo=wita)), now=NOW)
    assert item.published_at == datetime(2026, 1, 15, 1, 20, tzinfo=UTC)
    assert item.published_at.tzinfo == UTC
    naive = clean_item(raw(published_at=datetime(2026, 1, 15, 9, 20)), now=NOW)
    assert naive.published_at == datetime(2026, 1, 15, 9, 20, tzinfo=UTC)


def test_key_is_the_canonical_link_whatever_the_guid():
    with_guid = clean_item(raw(link="https://example-news.id/a", guid=" p-1 "), now=NOW)
    assert (with_guid.key, with_guid.guid) == ("link:https://example-news.id/a", "p-1")
    without = clean_item(raw(link="https://Example-News.id/a/?utm_source=rss", guid=""), now=NOW)
    assert (without.key, without.guid) == ("link:https://example-news.id/a", None)
    assert without.link == "https://Example-News.id/a/?utm_source=rss"
    assert without.tags == ()


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Pendek saja.", 220, "Pendek saja."),
        ("satu dua tiga empat lima", 12, "satu dua…"),
        ("satu, dua, tiga", 11, "satu, dua…"),
        ("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"),
        ("  spasi \n  banyak  ", 220, "spasi banyak"),
        ("", 220, ""),
    ],
)
def test_shorten(text, limit, expected):
    assert shorten(text, limit) == expected


def test_shorten_never_exceeds_limit():
    text = " ".join(["Kalimantan"] * 50)
    for limit in (5, 11, 50, 219, 220):
        assert len(shorten(text, limit)) <= limit


def load_example():
    return json.loads((FIXTURES / "example_article.json").read_text(encoding="utf-8"))


def test_example_article_is_cleaned():
    article = load_example()
    item = clean_item(
        raw(article["title"], article["summary"], article["link"], guid=article["guid"]), now=NOW
    )
    for gone in article["removed"]:
        assert gone not in item.summary
    for kept in article["kept"]:
        assert kept in item.summary
    assert item.key == f"link:{canonical_url(article['link'])}"


def test_read_also_links_of_example_would_tag_if_left_in():
    # The teasers are chosen so that leaving them in would be visible to the tagger.
    tagger = Tagger(default_topics())
    article = load_example()
    teasers = [text for text in article["removed"] if "Rumah" in text or "Investor" in text]
    assert [tagger.tag(text, "") for text in teasers] == [("education",), ("investment",)]


def test_read_also_link_to_kaltim_story_does_not_make_story_kaltim():
    tagger = Tagger(default_topics())
    # The teaser opens the summary: left in, it would be the first sentence, which weighs
    # enough on its own (a later sentence would not, since issue 11).
    summary = (
        '<p><strong>BACA JUGA:</strong> <a href="/x">Kebakaran Gudang di Balikpapan '
        "Utara</a></p><p>BMKG minta warga Jawa waspada.</p><p>Hujan lebat.</p>"
    )
    item = clean_item(raw("Cuaca Ekstrem di Jawa", summary), now=NOW)
    assert tagger.tag(item.title, item.summary) == ()
    left_in = summary.replace("BACA JUGA:", "")
    unclean = clean_item(raw("Cuaca Ekstrem di Jawa", left_in), now=NOW)
    assert tagger.tag(unclean.title, unclean.summary) == ("kaltim",)


def test_outlet_credit_does_not_make_national_story_kaltim():
    tagger = Tagger(default_topics())
    item = clean_item(
        raw("Presiden Lantik Menteri", "Pelantikan di Istana. (Foto: Setpres/Kaltim Post)"),
        now=NOW,
    )
    assert tagger.tag(item.title, item.summary) == ()


# Issue 13: each boilerplate pattern is tried only where one of its words starts, found with
# str.find in a folded copy of the text instead of by the regex engine at every character. A
# teaser or credit spelled with a letter that IGNORECASE reads as an ASCII one ("ſ", "İ", "ı",
# the Kelvin sign) must still be found there.
@pytest.mark.parametrize(
    "text",
    [
        "Banjir surut. ſimak juga: Jalan rusak.",
        "Banjir surut. LİHAT JUGA: Jalan rusak.",
        "Banjir surut. Lıhat juga: Jalan rusak.",
        "Banjir surut. Ce\u212a berita lain di Google News",
        "Banjir surut. Foto: İstimewa",
    ],
)
def test_boilerplate_with_look_alike_letters_is_removed(text):
    assert clean_text(text) == "Banjir surut."


def test_the_folded_copy_finds_every_letter_ignorecase_matches():
    """Every character that re.IGNORECASE matches to an ASCII letter is that letter in the
    folded copy, in its place; checked against every code point, so a Python whose case
    tables grow another look-alike fails here rather than keeping that boilerplate."""
    import re
    import string
    import sys

    from bot.feeds.clean import _ascii_folded

    letters = re.compile("[a-z]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        folded = _ascii_folded(char)
        assert len(folded) == 1, hex(code)
        if letters.fullmatch(char):
            assert folded in string.ascii_lowercase and re.fullmatch(folded, char, re.I), hex(code)
