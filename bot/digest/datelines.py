"""Datelines cut from the start of a snippet when it is shown: "TRIBUNKALTIM.CO, SAMARINDA -",
"Samarinda (ANTARA) -", "Jakarta, CNN Indonesia --". They tell where the desk sits, and spend
the snippet's first words on it. Pure, stdlib only.

The forms are a table: each is an outlet's way of writing its dateline, built from the outlet
names (OUTLET) of the Kaltim and national outlets of the default feed list and a place name
(PLACE: one to three capitalised words, or all capitals). The stored summary is left as it
came (the tagger reads it unchanged); only what a reader sees is cut.
"""

from __future__ import annotations

import re

OUTLET = (
    r"(?:ANTARA(?:\s+News)?|TRIBUNKALTIM\.CO(?:M)?|TRIBUNNEWS\.COM|Tribunkaltim\.co|"
    r"NOMORSATUKALTIM|Nomorsatukaltim|DISWAY|KOMPAS\.com|Kompas\.com|KOMPAS\.COM|"
    r"CNN\s+Indonesia|CNNIndonesia\.com|Kaltimpost\.id|KALTIMPOST(?:\.ID)?|KALTIM\s+POST|"
    r"PROKAL\.CO|REPUBLIKA\.CO\.ID|Republika\.co\.id|detikNews|detikcom|detikFinance|"
    r"inibalikpapan\.com|INIBALIKPAPAN\.COM|Borneo24\.com|BORNEO24|KATAKALTIM|"
    r"Katakaltim\.com|TEMPO\.CO|Liputan6\.com)"
)
PLACE = r"(?:[A-Z][A-Za-z.'’-]+(?:\s+[A-Z][A-Za-z.'’-]+){0,2})"
DASH = r"\s*[-–—]{1,2}\s*"

# (name, pattern): the shapes in which the outlets above open a report.
FORMS: list[tuple[str, re.Pattern[str]]] = [
    # TRIBUNKALTIM.CO, SAMARINDA -  ·  REPUBLIKA.CO.ID, JAKARTA --  ·  TEMPO.CO, Jakarta -
    ("outlet, place", re.compile(rf"^{OUTLET}\s*,\s*{PLACE}{DASH}")),
    # Samarinda (ANTARA) -  ·  Balikpapan (ANTARA News) -
    ("place (outlet)", re.compile(rf"^{PLACE}\s*\(\s*{OUTLET}\s*\){DASH}")),
    # SAMARINDA, NOMORSATUKALTIM -  ·  Jakarta, CNN Indonesia --  ·  BALIKPAPAN, Kaltimpost.id -
    ("place, outlet", re.compile(rf"^{PLACE}\s*,\s*{OUTLET}{DASH}")),
    # KOMPAS.com -  ·  detikNews -
    ("outlet", re.compile(rf"^{OUTLET}{DASH}")),
    # Jakarta -  (detik's own): a bare place, only when what follows starts a sentence
    ("place", re.compile(rf"^{PLACE}\s[-–—]{{1,2}}\s+(?=[A-Z0-9\"“])")),
]


def strip_dateline(text: str) -> str:
    """The text without a leading dateline (the first form that matches), or unchanged."""
    stripped = text.lstrip()
    for _, pattern in FORMS:
        match = pattern.match(stripped)
        if match and match.end() < len(stripped):
            rest = stripped[match.end() :]
            return rest[0].upper() + rest[1:]
    return text
