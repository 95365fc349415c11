"""Scoring the tagger on labelled items (bot.ops.evaluation), and the quality bar itself."""

import json
from pathlib import Path

import pytest

from bot.models import Topic, TopicRule
from bot.ops.evaluation import EvaluationReport, TopicScore, evaluate, format_report
from bot.tagging.defaults import default_topics

DEV_SET = Path(__file__).resolve().parents[1].parent / "shared" / "tagging" / "dev.jsonl"
EXTRA_SET = Path(__file__).resolve().parent / "fixtures" / "tagging_extra.jsonl"
REAL_SET = Path(__file__).resolve().parent / "fixtures" / "tagging_real_shapes.jsonl"
BAR = 0.97
# Our own hard cases include known limits (see KNOWN_MISSES), so their bar is lower; every
# other item must come out right.
EXTRA_BAR = 0.85
KNOWN_MISSES = {
    # "pendidikan vokasi" once, in the second sentence of a state-visit story: one body
    # phrase is weak evidence by design (issue 11), under education's threshold.
    "extra-046",
}


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def dev_report() -> EvaluationReport:
    if not DEV_SET.exists():
        pytest.skip(f"../shared/tagging/dev.jsonl not found: {DEV_SET}")
    return evaluate(read_jsonl(DEV_SET), default_topics())


@pytest.fixture(scope="module")
def extra_report() -> EvaluationReport:
    return evaluate(read_jsonl(EXTRA_SET), default_topics())


@pytest.fixture(scope="module")
def real_report() -> EvaluationReport:
    return evaluate(read_jsonl(REAL_SET), default_topics())


@pytest.mark.parametrize("slug", ["kaltim", "foreign_cooperation", "education", "investment"])
def test_real_shaped_set_meets_the_bar(real_report, slug):
    score = real_report.score(slug)
    assert score.tp > 0
    assert score.precision >= BAR, format_report(real_report)
    assert score.recall >= BAR, format_report(real_report)


def assert_well_formed(records: list[dict], slugs: set[str]) -> None:
    """Every record has a unique id, the fields a feed item has, and only known topics."""
    assert len({r["id"] for r in records}) == len(records)
    fields = {"id", "story", "title", "summary", "link", "source", "published", "tags"}
    for record in records:
        assert fields <= record.keys()
        assert set(record["tags"]) <= slugs, record["id"]


def test_real_shaped_set_is_big_enough_and_well_formed():
    records = read_jsonl(REAL_SET)
    slugs = {t.slug for t in default_topics()}
    assert len(records) >= 200
    assert_well_formed(records, slugs)
    # Every kind of text the issue names is there: datelines, teasers, captions, items with
    # no topic at all.
    summaries = " ".join(r["summary"] for r in records)
    assert "(ANTARA)" in summaries and "TRIBUNKALTIM.CO," in summaries
    assert "BACA JUGA" in summaries and "Foto:" in summaries
    assert sum(not r["tags"] for r in records) >= 30


@pytest.mark.parametrize("slug", ["kaltim", "foreign_cooperation", "education", "investment"])
def test_dev_set_meets_the_bar(dev_report, slug):
    score = dev_report.score(slug)
    assert score.tp > 0
    assert score.precision >= BAR, format_report(dev_report)
    assert score.recall >= BAR, format_report(dev_report)


@pytest.mark.parametrize("slug", ["kaltim", "foreign_cooperation", "education", "investment"])
def test_extra_set_meets_its_bar(extra_report, slug):
    score = extra_report.score(slug)
    assert score.tp > 0
    assert score.precision >= EXTRA_BAR, format_report(extra_report)
    assert score.recall >= EXTRA_BAR, format_report(extra_report)


def test_extra_set_misses_only_the_known_limits(extra_report):
    assert {item.id for item in extra_report.misclassified} <= KNOWN_MISSES, format_report(
        extra_report
    )


def test_cooperation_between_two_foreign_countries_is_not_foreign_cooperation(extra_report):
    # Was a known limit: a required foreign party now counts only beside an Indonesian party.
    assert "extra-024" not in {item.id for item in extra_report.misclassified}


def test_extra_set_is_big_enough_and_well_formed():
    records = read_jsonl(EXTRA_SET)
    slugs = {t.slug for t in default_topics()}
    assert len(records) >= 30
    assert len({r["id"] for r in records}) == len(records)
    for record in records:
        assert {"id", "title", "summary", "link", "source", "tags"} <= record.keys()
        assert set(record["tags"]) <= slugs, record["id"]


def test_counts_precision_recall_and_misclassified_items():
    topics = [
        Topic("a", "A", TopicRule(include=("banjir",))),
        Topic("b", "B", TopicRule(include=("gempa",))),
    ]
    records = [
        {"id": "1", "title": "Banjir", "summary": "", "tags": ["a"]},  # a: tp
        {"id": "2", "title": "Banjir", "summary": "", "tags": []},  # a: fp
        {"id": "3", "title": "Kebakaran", "summary": "", "tags": ["a"]},  # a: fn
        {
            "id": "4",
            "title": "Sepi",
            "summary": "<p>BACA JUGA: Gempa di Jepang</p>",
            "tags": [],
        },  # cleaned like ingestion: the teaser is gone, so no fp for b
        {"id": "5", "title": "Gempa", "summary": "", "tags": ["b", "unknown_slug"]},  # b: tp
    ]
    report = evaluate(records, topics)
    assert report.items == 5
    assert report.score("a") == TopicScore("a", tp=1, fp=1, fn=1)
    assert report.score("b") == TopicScore("b", tp=1, fp=0, fn=0)
    assert report.score("a").precision == 0.5
    assert report.score("a").recall == 0.5
    assert [(m.id, m.expected, m.got) for m in report.misclassified] == [
        ("2", (), ("a",)),
        ("3", ("a",), ()),
    ]


@pytest.mark.parametrize(
    ("score", "precision", "recall", "f1"),
    [
        (TopicScore("x", tp=0, fp=0, fn=0), 1.0, 1.0, 1.0),
        (TopicScore("x", tp=0, fp=2, fn=0), 0.0, 1.0, 0.0),
        (TopicScore("x", tp=0, fp=0, fn=3), 1.0, 0.0, 0.0),
        (TopicScore("x", tp=3, fp=1, fn=0), 0.75, 1.0, 6 / 7),
    ],
)
def test_score_edge_cases(score, precision, recall, f1):
    assert (score.precision, score.recall) == (precision, recall)
    assert score.f1 == pytest.approx(f1)


def test_format_report_is_a_readable_table():
    topics = [Topic("kaltim", "Kaltim", TopicRule(include=("samarinda",)))]
    records = [{"id": "x-1", "title": "Banjir di Samarinda", "summary": "", "tags": []}]
    text = format_report(evaluate(records, topics))
    lines = text.splitlines()
    assert lines[0].split() == ["topic", "precision", "recall", "F1", "tp", "fp", "fn"]
    assert lines[2].split() == ["kaltim", "0.000", "1.000", "0.000", "0", "1", "0"]
    assert "1 items, 1 misclassified" in text
    assert "x-1: expected [-] got [kaltim]  Banjir di Samarinda" in text


# --- Issue 25: the second real-shaped set and the five admin topics ---------------------------

REAL_SET_2 = Path(__file__).resolve().parent / "fixtures" / "tagging_real_shapes_2.jsonl"
ADMIN_TOPICS = Path(__file__).resolve().parent / "fixtures" / "tagging_admin_topics.toml"
ADMIN_SLUGS = ["kesehatan", "bencana", "kriminal", "politik", "infrastruktur"]
ADMIN_BAR = 0.9
# The kinds of error of issue 25, each with items of tagging_real_shapes_2.jsonl that the
# tagger got wrong before it (measured on the commit before the change, see the README).
ERROR_KINDS = {
    ("pupils as victims", "education"): [
        "real2-001",
        "real2-002",
        "real2-003",
        "real2-007",
        "real2-008",
        "real2-110",
        "real2-150",
    ],
    ("a school hit with its neighbourhood", "education"): ["real2-005"],
    ("a foreign visit", "foreign_cooperation"): [
        "real2-011",
        "real2-012",
        "real2-013",
        "real2-014",
        "real2-015",
        "real2-016",
        "real2-019",
        "real2-020",
        "real2-103",
        "real2-105",
        "real2-106",
        "real2-145",
    ],
    ("a metaphor", "investment"): ["real2-022", "real2-023"],
    ("a home place in passing", "kaltim"): ["real2-152"],
    ("an admin's word, not its root", "kriminal"): [
        "real2-032",
        "real2-033",
        "real2-034",
        "real2-085",
        "real2-130",
        "real2-131",
    ],
    ("an admin's word, not its root", "infrastruktur"): [
        "real2-035",
        "real2-036",
        "real2-083",
        "real2-084",
        "real2-085",
        "real2-160",
    ],
    ("a street address", "infrastruktur"): [
        "real2-030",
        "real2-031",
        "real2-080",
        "real2-081",
        "real2-082",
        "real2-122",
        "real2-123",
    ],
}


@pytest.fixture(scope="module")
def admin_topics():
    import tomllib

    from bot.tagging.defaults import topics_from_toml

    with ADMIN_TOPICS.open("rb") as handle:
        return topics_from_toml(tomllib.load(handle))


@pytest.fixture(scope="module")
def real_report_2(admin_topics) -> EvaluationReport:
    return evaluate(read_jsonl(REAL_SET_2), default_topics() + admin_topics)


@pytest.mark.parametrize("slug", ["kaltim", "foreign_cooperation", "education", "investment"])
def test_second_real_shaped_set_meets_the_bar(real_report_2, slug):
    score = real_report_2.score(slug)
    assert score.tp > 0
    assert score.precision >= BAR, format_report(real_report_2)
    assert score.recall >= BAR, format_report(real_report_2)


@pytest.mark.parametrize("slug", ADMIN_SLUGS)
def test_admin_topics_written_from_help_score_untuned(real_report_2, measured, slug):
    score = real_report_2.score(slug)
    measured(
        f"tagging, admin topic {slug} (tagging_admin_topics.toml, untuned) on "
        f"{REAL_SET_2.name}: precision {score.precision:.3f}, recall "
        f"{score.recall:.3f}, F1 {score.f1:.3f}"
    )
    assert score.tp >= 10
    assert score.f1 >= ADMIN_BAR, format_report(real_report_2)


def test_admin_topics_are_plain_words_as_help_shows(admin_topics):
    # Typed as an admin would from /help's example: a dozen plain words each, no stems, root
    # forms or lists, the default threshold.
    assert [t.slug for t in admin_topics] == ADMIN_SLUGS
    for topic in admin_topics:
        assert 12 <= len(topic.rule.include) <= 15
        assert not topic.rule.require and not topic.rule.exclude and not topic.rule.frames
        assert topic.rule.threshold == 2
        assert not any(term[:1] in "~@" or term.endswith("*") for term in topic.rule.include)


def test_each_error_kind_of_issue_25_comes_out_right(real_report_2):
    for (kind, slug), ids in ERROR_KINDS.items():
        wrong = [
            item.id
            for item in real_report_2.misclassified
            if item.id in ids and (slug in item.expected) != (slug in item.got)
        ]
        assert not wrong, (kind, slug, wrong)


def test_second_real_shaped_set_is_big_enough_and_well_formed(admin_topics):
    records = read_jsonl(REAL_SET_2)
    slugs = {t.slug for t in default_topics() + admin_topics}
    assert len(records) >= 150
    assert_well_formed(records, slugs)
    # Outlets the earlier sets did not use.
    earlier = {r["source"] for path in (REAL_SET, EXTRA_SET) for r in read_jsonl(path)}
    assert len({r["source"] for r in records} - earlier) >= 15
    assert sum(not r["tags"] for r in records) >= 8
