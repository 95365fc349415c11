"""Scoring topic rules against labelled items (the dev.jsonl format): per-topic precision,
recall and F1, and the items tagged wrongly. Items go through clean_item then Tagger.tag,
exactly as ingestion does, so this module also imports bot.feeds.clean.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.feeds.clean import clean_item
from bot.models import RawEntry, Topic
from bot.tagging.tagger import Tagger

# Any fixed time will do: it only fills published_at, which tagging never reads.
EVALUATION_TIME = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class TopicScore:
    """Counts and scores of one topic. A score with nothing to measure (no predictions for
    precision, no gold items for recall) is 1.0: there was nothing to get wrong."""

    slug: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / (tp + fp)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Misclassified:
    """An item whose predicted tags differ from its gold tags."""

    id: str
    title: str
    expected: tuple[str, ...]
    got: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationReport:
    """The result of one evaluation run."""

    items: int
    scores: tuple[TopicScore, ...]
    misclassified: tuple[Misclassified, ...]

    def score(self, slug: str) -> TopicScore:
        """The score of one topic."""
        return next(score for score in self.scores if score.slug == slug)


def predict(record: dict, tagger: Tagger) -> tuple[str, ...]:
    """Clean one labelled record as ingestion would, then tag it."""
    raw = RawEntry(
        title=record.get("title") or "",
        link=record.get("link") or f"https://example.invalid/{record.get('id', 'item')}",
        summary=record.get("summary") or "",
        guid=record.get("id"),
    )
    item = clean_item(raw, now=EVALUATION_TIME)
    return tagger.tag(item.title, item.summary) if item else ()


def evaluate(records: Iterable[dict], topics: Sequence[Topic]) -> EvaluationReport:
    """Tag every record and compare with its gold `tags`, topic by topic."""
    tagger = Tagger(topics)
    slugs = [topic.slug for topic in topics]
    counts = {slug: [0, 0, 0] for slug in slugs}  # tp, fp, fn
    wrong: list[Misclassified] = []
    total = 0
    for record in records:
        total += 1
        gold = set(record.get("tags", ()))
        expected = tuple(slug for slug in slugs if slug in gold)
        got = predict(record, tagger)
        for slug in slugs:
            hit, gold = slug in got, slug in expected
            if hit or gold:
                counts[slug][0 if hit and gold else 1 if hit else 2] += 1
        if got != expected:
            wrong.append(
                Misclassified(str(record.get("id", total)), record.get("title", ""), expected, got)
            )
    scores = tuple(TopicScore(slug, *counts[slug]) for slug in slugs)
    return EvaluationReport(total, scores, tuple(wrong))


def format_report(report: EvaluationReport) -> str:
    """A plain-text table of the scores followed by the misclassified items."""
    width = max([len("topic"), *(len(s.slug) for s in report.scores)])
    lines = [
        f"{'topic':<{width}}  precision  recall     F1    tp    fp    fn",
        "-" * (width + 46),
    ]
    for s in report.scores:
        lines.append(
            f"{s.slug:<{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}"
            f"  {s.tp:4d}  {s.fp:4d}  {s.fn:4d}"
        )
    lines.append("")
    lines.append(f"{report.items} items, {len(report.misclassified)} misclassified")
    for item in report.misclassified:
        expected = ", ".join(item.expected) or "-"
        got = ", ".join(item.got) or "-"
        lines.append(f"  {item.id}: expected [{expected}] got [{got}]  {item.title}")
    return "\n".join(lines)
