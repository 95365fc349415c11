"""Datelines cut from snippets: one fixture per outlet form (tests/fixtures/datelines/), each
with a Description and what the shown snippet must start with; and the digest shows it so."""

from datetime import timedelta
from pathlib import Path

import pytest

from bot.digest.datelines import strip_dateline
from tests.support.feedgen import Entry, rss

CASES = sorted((Path(__file__).parent / "fixtures" / "datelines").glob("*.txt"))


def read_case(path: Path) -> tuple[str, str]:
    """(text, expected start) of a fixture."""
    lines = path.read_text(encoding="utf-8").splitlines()
    expect = next(line for line in lines if line.startswith("# Expect: "))
    text = "\n".join(line for line in lines if not line.startswith("#"))
    return text, expect.removeprefix("# Expect: ")


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_dateline_forms(path):
    text, expected = read_case(path)
    assert strip_dateline(text).startswith(expected)


def test_every_outlet_form_has_a_fixture():
    assert len(CASES) >= 9


async def test_digest_snippet_starts_with_the_news(app, reader, admin, feed_host, clock):
    text, _ = read_case(Path(__file__).parent / "fixtures" / "datelines" / "tribunkaltim.txt")
    feed_host.add(
        "/tribun.xml",
        rss(
            [
                Entry(
                    "Pipa PDAM Bocor, Warga Loa Bakung Samarinda Antre Air",
                    "https://kabar.example/pdam",
                    text,
                    published=clock.now - timedelta(hours=1),
                )
            ],
            title="Tribun Kaltim",
        ),
    )
    await admin.say(f"/addfeed {feed_host.url('/tribun.xml')}")
    await reader.say("/subscribe kaltim")
    digest = await reader.say("/digest")
    assert "\nRatusan warga Loa Bakung antre" in digest
    assert "TRIBUNKALTIM.CO" not in digest
