"""The structure of a news text that changes what a word is evidence of: the dateline that
opens a story, and enumerations of places. Stdlib only; imports nothing from the project.

Datelines, in the forms Indonesian outlets use (the place is what the tagger weighs; the outlet
is never evidence):

    Balikpapan (ANTARA) - …          SAMARINDA, DISWAY – …          BALIKPAPAN – …
    TRIBUNKALTIM.CO, BALIKPAPAN – …  Samarinda, Kaltimtoday.co - …  Tanjung Selor (ANTARA) – …
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Read only in the first characters of a text, so a long text costs nothing more here.
DATELINE_WINDOW = 120
_CAPITALISED = r"[A-Z][A-Za-z'’]*"
_DATELINE = re.compile(
    rf"\s*(?:[A-Za-z][\w-]*(?:\.[A-Za-z]{{2,4}}){{1,2}}\s*,\s*)?"  # TRIBUNKALTIM.CO,
    rf"(?P<place>{_CAPITALISED}(?:[ -]{_CAPITALISED}){{0,3}})"  # BALIKPAPAN, Tanjung Selor
    r"\s*(?P<outlet>\([^()\n]{1,30}\)|,\s*[A-Za-z][\w.]*(?:[ ][A-Za-z][\w.]*){0,2})?"  # (ANTARA)
    r"\s*(?:--?|[–—])\s+"
)
# Words that join the members of an enumeration: "Kaltim, Kaltara, Kalsel dan Kalbar".
CONNECTORS = frozenset({"dan", "serta", "atau", "maupun", "hingga", "sampai", "and", "or"})
# Three places in a row make an enumeration: the story is about what they share, not about
# any one of them.
MIN_ENUMERATION = 3

Span = tuple[int, int]  # (first word, end word) within one sentence


def split_dateline(text: str) -> tuple[str, str]:
    """The dateline that opens a text (empty if none) and the rest of the text."""
    match = _DATELINE.match(text[:DATELINE_WINDOW])
    if match is None:
        return "", text
    # A place in capitals is a dateline on its own ("BALIKPAPAN –"); one in title case needs
    # its outlet ("Balikpapan (ANTARA) -"), or "Pemerintah Kota Samarinda - …" would be one.
    if not match.group("place").isupper() and not match.group("outlet"):
        return "", text
    return text[: match.end()], text[match.end() :]


def enumerated(places: Sequence[Span], words: Sequence[str]) -> set[Span]:
    """The place spans that belong to an enumeration of three or more places.

    `places` are the spans of place names found in one sentence; two places are neighbours in
    a list when only commas (not words) or a connector ("dan", "serta") stand between them.
    One pass over the spans, sorted by start; a place inside a longer one ("Kutai" in "Kutai
    Kartanegara") counts with it.
    """
    out: set[Span] = set()
    run: list[Span] = []
    run_end = -1
    for span in sorted(places, key=lambda s: (s[0], -s[1])):
        start, end = span
        if run and start < run_end:  # nested in or overlapping the last place
            run.append(span)
            run_end = max(run_end, end)
            continue
        gap = words[run_end:start] if run else ()
        if run and len(gap) <= 1 and all(word in CONNECTORS for word in gap):
            run.append(span)
        else:
            if _distinct(run) >= MIN_ENUMERATION:
                out.update(run)
            run = [span]
        run_end = max(run_end, end) if len(run) > 1 else end
    if _distinct(run) >= MIN_ENUMERATION:
        out.update(run)
    return out


def _distinct(run: list[Span]) -> int:
    """How many places a run holds, a place nested in another not counted."""
    count, reach = 0, -1
    for start, end in run:
        if start >= reach:
            count += 1
        reach = max(reach, end)
    return count
