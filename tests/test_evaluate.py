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


def test_real_shaped_set_is_big_enough_and_well_formed():
    records = read_jsonl(REAL_SET)
    slugs = {t.slug for t in default_topics()}
    assert len(records) >= 200
    assert len({r["id"] for r in records}) == len(records)
    for record in records:
        assert {"id", "story", "title", "summary", "link", "source", "published",
                "tags"} <= record.keys()
        assert set(record["tags"]) <= slugs, record["id"]
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
        extra_report)


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
    topics = [Topic("a", "A", TopicRule(include=("banjir",))),
              Topic("b", "B", TopicRule(include=("gempa",)))]
    records = [
        {"id": "1", "title": "Banjir", "summary": "", "tags": ["a"]},  # a: tp
        {"id": "2", "title": "Banjir", "summary": "", "tags": []},  # a: fp
        {"id": "3", "title": "Kebakaran", "summary": "", "tags": ["a"]},  # a: fn
        {"id": "4", "title": "Sepi", "summary": "<p>BACA JUGA: Gempa di Jepang</p>",
         "tags": []},  # cleaned like ingestion: the teaser is gone, so no fp for b
        {"id": "5", "title": "Gempa", "summary": "", "tags": ["b", "unknown_slug"]},  # b: tp
    ]
    report = evaluate(records, topics)
    assert report.items == 5
    assert report.score("a") == TopicScore("a", tp=1, fp=1, fn=1)
    assert report.score("b") == TopicScore("b", tp=1, fp=0, fn=0)
    assert report.score("a").precision == 0.5
    assert report.score("a").recall == 0.5
    assert [(m.id, m.expected, m.got) for m in report.misclassified] == [
        ("2", (), ("a",)), ("3", ("a",), ())]


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
