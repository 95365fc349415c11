"""The source registry: a feed's host -> the outlet's name readers know (bot/data/outlets.toml).
Stdlib only."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

OUTLETS_PATH = Path(__file__).resolve().parents[1] / "data" / "outlets.toml"


@cache
def _registry() -> dict[str, str]:
    with OUTLETS_PATH.open("rb") as handle:
        return dict(tomllib.load(handle)["hosts"])


def outlet_for(url: str) -> str | None:
    """The outlet of a feed URL by its host ("www." ignored), or None if not registered."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return _registry().get(host)
