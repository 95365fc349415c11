"""bot.digest.rank: the most reported stories first, the rule /top, /stats and weekly share."""

from datetime import UTC, datetime, timedelta

from bot.digest.cluster import Story
from bot.digest.rank import most_reported, outlets_of
from bot.models import StoredItem

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def report(number: int, outlet: int, hours: float = 0) -> StoredItem:
    return StoredItem(
        id=number,
        feed_id=outlet,
        source=f"Outlet {outlet}",
        title=f"Berita {number}",
        link=f"https://x.id/{number}",
        summary="",
        published_at=T0 + timedelta(hours=hours),
    )


def story(*reports: StoredItem) -> Story:
    return Story(primary=reports[0], others=tuple(reports[1:]))


def test_outlets_are_counted_once_however_often_they_report():
    assert outlets_of(story(report(1, 7), report(2, 7), report(3, 8))) == 2


def test_more_outlets_come_first_then_more_reports_then_the_newest():
    two_outlets = story(report(1, 1), report(2, 2))
    three_outlets = story(report(3, 1), report(4, 2), report(5, 3))
    two_outlets_three_reports = story(report(6, 1), report(7, 1), report(8, 2))
    newer_twin = story(report(9, 1, hours=5), report(10, 2, hours=5))
    ranked = most_reported([two_outlets, three_outlets, two_outlets_three_reports, newer_twin], 4)
    assert ranked == [three_outlets, two_outlets_three_reports, newer_twin, two_outlets]


def test_a_story_of_one_outlet_is_left_out_where_two_are_asked_for():
    alone = story(report(1, 1), report(2, 1))
    shared = story(report(3, 1), report(4, 2))
    assert most_reported([alone, shared], 5, min_outlets=2) == [shared]
    assert most_reported([alone, shared], 1) == [shared]
