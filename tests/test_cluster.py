"""Story clustering: pairwise precision and recall on the shared dev set and on our own labelled
cases, the behaviour each case pins, and the shape of the result (every item once, order,
primary choice, speed)."""

import itertools
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.digest import cluster
from bot.digest.cluster import Story, cluster_items
from bot.feeds.clean import clean_text
from bot.models import StoredItem

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "tagging" / "dev.jsonl"
OWN = Path(__file__).resolve().parent / "fixtures" / "story_pairs.jsonl"
T0 = datetime(2026, 7, 20, 8, 0, tzinfo=UTC)


def load(path: Path) -> tuple[list[StoredItem], dict[int, str], dict[str, StoredItem]]:
    """Items as storage would return them (cleaned text, UTC times), their story labels, and
    the items by their id in the file."""
    items, labels, by_name = [], {}, {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        item = StoredItem(
            id=number,
            feed_id=number,
            source=row["source"],
            title=" ".join(clean_text(row["title"]).split()),
            link=row.get("link", ""),
            summary=clean_text(row["summary"]),
            published_at=datetime.fromisoformat(row["published"]).astimezone(UTC),
        )
        items.append(item)
        labels[item.id] = row["story"]
        by_name[row["id"]] = item
    return items, labels, by_name


def pairwise(stories: list[Story], labels: dict[int, str]) -> tuple[float, float, int, int, int]:
    """Pairwise precision and recall of the clustering against the labels, and tp, fp, fn."""
    story_of = {item.id: n for n, s in enumerate(stories) for item in s.items}
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(labels), 2):
        same, joined = labels[a] == labels[b], story_of[a] == story_of[b]
        tp, fp, fn = tp + (same and joined), fp + (joined and not same), fn + (same and not joined)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0), tp, fp, fn


def joined(stories: list[Story], a: StoredItem, b: StoredItem) -> bool:
    """Whether two items ended in the same story."""
    return any({a.id, b.id} <= {i.id for i in s.items} for s in stories)


def item(number: int, title: str, hours: float = 0, summary: str = "") -> StoredItem:
    """A stored item published `hours` after T0."""
    return StoredItem(
        id=number,
        feed_id=number,
        source=f"Outlet {number}",
        title=title,
        link=f"https://x.id/{number}",
        summary=summary,
        published_at=T0 + timedelta(hours=hours),
    )


# --- Measured figures ---------------------------------------------------------------------------


def test_dev_set_pairs_are_joined_and_nothing_else(measured):
    if not DEV.exists():
        pytest.skip(f"shared dev set not found at {DEV}")
    items, labels, _ = load(DEV)
    precision, recall, tp, fp, fn = pairwise(cluster_items(items), labels)
    measured(
        f"story clustering, dev.jsonl ({len(items)} items): pairwise precision "
        f"{precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn})"
    )
    assert recall == 1.0
    assert precision >= 0.95


def test_own_cases_are_joined_and_nothing_else(measured):
    items, labels, _ = load(OWN)
    assert len(items) >= 20
    precision, recall, tp, fp, fn = pairwise(cluster_items(items), labels)
    measured(
        f"story clustering, story_pairs.jsonl ({len(items)} items): pairwise precision "
        f"{precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn})"
    )
    assert recall == 1.0
    assert precision >= 0.95


# What each of our own cases pins: (description, item, item, joined?).
CASES = [
    ("market fire, rephrased by three outlets", "fx-01", "fx-03", True),
    (
        "market fire told as 'Si Jago Merah', no place or number in its title",
        "fx-02",
        "fx-01",
        True,
    ),
    ("market fire, all-caps title with an empty summary", "fx-26", "fx-03", True),
    ("tidal flood: all-caps title and a normal one", "fx-04", "fx-05", True),
    ("the same press release reported again three days later", "fx-06", "fx-07", False),
    ("two floods in Samarinda 40 hours apart, different streets", "fx-08", "fx-09", False),
    ("a flood and a fire in Samarinda on the same day", "fx-10", "fx-11", False),
    ("the same Samarinda flood from two outlets", "fx-10", "fx-31", True),
    ("two MoUs signed by the governor with different countries", "fx-12", "fx-13", False),
    ("one MoU reported by two outlets", "fx-12", "fx-14", True),
    ("two matches on the same weekend", "fx-15", "fx-16", False),
    ("one match reported by two outlets", "fx-15", "fx-17", True),
    ("the same club's next match", "fx-17", "fx-18", False),
    ("a press release republished by the same outlet with a new title", "fx-19", "fx-20", True),
    ("two investors in the same industrial zone in the same week", "fx-21", "fx-22", False),
    ("the same ceremony from the wire and a regional outlet", "fx-23", "fx-24", True),
    ("the same ceremony in two cities", "fx-23", "fx-25", False),
    ("a fire and parking works at the same market", "fx-01", "fx-27", False),
    ("two fires in Samarinda on the same day", "fx-11", "fx-28", False),
    ("a flood in Samarinda and one in Balikpapan on the same day", "fx-10", "fx-29", False),
    ("the provincial budget from two outlets", "fx-30", "fx-33", True),
]


@pytest.fixture(scope="module")
def own_stories():
    items, _, by_name = load(OWN)
    return cluster_items(items), by_name


@pytest.mark.parametrize(("description", "a", "b", "expected"), CASES, ids=[c[0] for c in CASES])
def test_own_case(own_stories, description, a, b, expected):
    stories, by_name = own_stories
    assert joined(stories, by_name[a], by_name[b]) is expected, description


# --- Shape of the result ------------------------------------------------------------------------


def test_every_item_is_in_exactly_one_story(own_stories):
    stories, by_name = own_stories
    placed = [i.id for s in stories for i in s.items]
    assert sorted(placed) == sorted(i.id for i in by_name.values())


def test_stories_are_ordered_by_their_newest_item(own_stories):
    stories, _ = own_stories
    newest = [max(i.published_at for i in s.items) for s in stories]
    assert newest == sorted(newest, reverse=True)
    for story in stories:
        times = [i.published_at for i in story.others]
        assert times == sorted(times, reverse=True)


def test_primary_is_not_the_all_caps_title(own_stories):
    stories, by_name = own_stories
    fire = next(s for s in stories if by_name["fx-26"] in s.items)
    assert fire.primary == by_name["fx-01"]  # earliest of the titles that say most, not caps
    rob = next(s for s in stories if by_name["fx-04"] in s.items)
    assert rob.primary == by_name["fx-05"]


def test_primary_prefers_the_title_the_reports_agree_on_then_the_earliest():
    text = "Kebakaran melanda Pasar Segiri, Samarinda. Sebanyak 35 kios hangus terbakar."
    flourish = item(1, "Duh! Pedagang Menangis, Pasar Segiri Terbakar", 0, text)
    informative = item(2, "Kebakaran Hanguskan 35 Kios di Pasar Segiri Samarinda", 2, text)
    later = item(3, "Kebakaran Hanguskan 35 Kios di Pasar Segiri Samarinda", 3, text)
    [story] = cluster_items([later, flourish, informative])
    assert story.primary == informative
    assert story.others == (later, flourish)


def test_no_items_no_stories_and_one_item_one_story():
    assert cluster_items([]) == []
    single = item(1, "Festival Erau di Tenggarong dipadati ribuan pengunjung")
    assert cluster_items([single]) == [Story(single, ())]


def test_the_window_is_a_parameter(own_stories):
    items, _, by_name = load(OWN)
    stories = cluster_items(items, window=timedelta(hours=2))
    assert not joined(stories, by_name["fx-01"], by_name["fx-03"])  # seven hours apart
    assert joined(stories, by_name["fx-01"], by_name["fx-26"])  # 50 minutes apart


def test_grouping_does_not_depend_on_input_order():
    items, _, _ = load(OWN)
    expected = cluster_items(items)
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    assert cluster_items(shuffled) == expected


def test_every_alias_is_recognised():
    assert all(cluster._ALIAS.fullmatch(long) for long in cluster._ALIASES)
    assert cluster._abbreviate("Pemerintah Provinsi Kalimantan Timur") == "Pemprov Kaltim"


def test_three_hundred_items_each_land_in_one_story():
    rows = load(DEV)[0] if DEV.exists() else []
    rows += load(OWN)[0]
    # Titles and summaries recombined: 300 items, many sharing words, all within 45 hours.
    batch = [
        item(k, rows[k % len(rows)].title, k * 0.15, rows[(7 * k + 3) % len(rows)].summary)
        for k in range(300)
    ]
    stories = cluster_items(batch)
    placed = [i.id for s in stories for i in s.items]
    assert sorted(placed) == sorted(i.id for i in batch)  # speed: bench/bench_cluster.py
