"""Rule terms (bot.tagging.rules): parsing admin input, slugs, and term expansion."""

import pytest

from bot.errors import UsageError
from bot.tagging.rules import expand, parse_term, parse_terms, validate_slug, variants

LISTS = {"negara_asing": ("Jepang", "Korea Selatan"), "wilayah_kaltim": ("Samarinda",)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("beasiswa, pelatihan guru", ("beasiswa", "pelatihan guru")),
        ("  Kerja   Sama ,MoU", ("Kerja Sama", "MoU")),
        ("investasi*", ("investasi*",)),
        ("investasi *", ("investasi*",)),
        ('"kerja sama", “nota kesepahaman”', ("kerja sama", "nota kesepahaman")),
        ("guru, Guru, GURU", ("guru",)),
        ("Türkiye, turkiye", ("Türkiye",)),
        ("@negara_asing", ("@negara_asing",)),
        ("kerja sama dengan @negara_asing", ("kerja sama dengan @negara_asing",)),
        ("beasiswa\npelatihan guru", ("beasiswa", "pelatihan guru")),
        ("PPU, IKN", ("PPU", "IKN")),
        ("G20", ("G20",)),
        ("~ sepakat, ~kerja sama", ("~sepakat", "~kerja sama")),
    ],
)
def test_parse_terms(text, expected):
    assert parse_terms(text, LISTS.keys()) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no terms"),
        ("  ,  , ", "no terms"),
        ("beasiswa,,guru", "term 2 is empty"),
        ("beasiswa, ", "term 2 is empty"),
        ("!!!", "no letters or digits"),
        ("guru, ---", "no letters or digits"),
        ("*", "no letters or digits"),
        ("inv*estasi", "'*' may only end"),
        ("investasi**", "'*' may only end"),
        ("ab*", "at least 3 letters"),
        ("@tidak_ada", "unknown list '@tidak_ada'"),
        ("@Negara-Asing", "not a list name"),
        ("@negara_asing*", "must follow a word"),
        ("@negara_asing dan @wilayah_kaltim", "more than one list"),
        ("kata " * 20, "longer than 80"),
        ("~investasi*", "'~' marks a plain word's family"),
        ("~@negara_asing", "'~' marks a plain word's family"),
    ],
)
def test_parse_terms_rejects(text, message):
    with pytest.raises(UsageError, match="^rules: ") as error:
        parse_terms(text, LISTS.keys())
    assert message in str(error.value)


def test_unknown_list_error_names_the_known_lists():
    with pytest.raises(UsageError, match="@negara_asing, @wilayah_kaltim"):
        parse_terms("@negara", LISTS.keys())


def test_parse_terms_uses_bundled_lists_by_default():
    assert parse_terms("@negara_asing, @wilayah_kaltim") == ("@negara_asing", "@wilayah_kaltim")


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("education", "education"),
        ("kerja_sama", "kerja_sama"),
        ("ab", "ab"),
        (" Kaltim ", "kaltim"),
        ("a" * 32, "a" * 32),
        ("g20", "g20"),
    ],
)
def test_validate_slug(slug, expected):
    assert validate_slug(slug) == expected


@pytest.mark.parametrize(
    "slug", ["", "a", "a" * 33, "kerja-sama", "kerja sama", "pendidikan!", "topik/1", "péndidikan"]
)
def test_validate_slug_rejects(slug):
    with pytest.raises(UsageError, match="^rules: invalid topic slug"):
        validate_slug(slug)


@pytest.mark.parametrize(
    ("term", "stem", "abbreviation"),
    [
        ("kerja sama", False, False),
        ("investasi*", True, False),
        ("PPU", False, True),
        ("Kaltim", False, False),
        ("MoU", False, False),
        ("IKN*", True, False),
    ],
)
def test_parse_term_kinds(term, stem, abbreviation):
    pattern = parse_term(term, LISTS.keys())
    assert (pattern.stem, pattern.abbreviation) == (stem, abbreviation)


@pytest.mark.parametrize(
    ("term", "must_have", "must_not_have"),
    [
        # A plain word: itself and its enclitics, no other affix (issue 25).
        ("kerja sama", {"kerjasama", "kerjasamanya"}, {"kerja sama", "bekerjasama"}),
        ("investasi", {"investasi", "investasinya"}, {"berinvestasi"}),
        (
            "pelaku",
            {"pelaku", "pelakunya", "pelakulah", "pelakupun", "pelakukah", "pelakuku", "pelakumu"},
            {"berpelaku", "melakukan"},
        ),
        # A root form: the ber-/be- forms too (the stems do the rest).
        (
            "~kerja sama",
            {"kerjasama", "bekerjasama", "berkerjasama", "kerjasamanya"},
            {"kerja sama", "bekerja"},
        ),
        ("~investasi", {"investasi", "berinvestasi", "investasinya"}, {"beinvestasi"}),
        ("~rencana", {"berencana"}, {"berrencana"}),
        ("~ternak", {"beternak", "berternak"}, set()),
        ("PPU", {"ppu"}, {"berppu", "ppunya"}),
        ("PAUD", {"paud"}, {"berpaud", "paudnya"}),
        ("Paud", {"paud", "paudnya"}, {"berpaud"}),
        ("guru", {"guru", "gurunya"}, {"berguru"}),
        ("SD", {"sd"}, {"bersd", "sdnya"}),
        ("pendidik*", {"pendidik", "berpendidik"}, {"pendidiknya"}),
        ("dan", {"dan"}, {"berdan", "dannya"}),
    ],
)
def test_variants(term, must_have, must_not_have):
    keys = variants(parse_term(term, LISTS.keys()))
    assert must_have <= keys
    assert not must_not_have & keys


def test_list_reference_expands_to_each_entry_with_a_label():
    pattern = parse_term("kerja sama dengan @negara_asing", LISTS.keys())
    assert expand(pattern, LISTS) == [
        ("kerjasamadenganjepang", "kerja sama dengan Jepang (@negara_asing)"),
        ("kerjasamadengankoreaselatan", "kerja sama dengan Korea Selatan (@negara_asing)"),
    ]
    assert expand(parse_term("@wilayah_kaltim", LISTS.keys()), LISTS) == [
        ("samarinda", "Samarinda (@wilayah_kaltim)")
    ]
