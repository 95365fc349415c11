"""What readers see an outlet called: the one function that decides it, which SQLite calls as
outlet_name(f.outlet, f.title, f.url) in every query that shows or filters by an outlet
(registered on each connection by storage.db). Stdlib only."""

from __future__ import annotations


def outlet_name(outlet: str | None, title: str | None, url: str) -> str:
    """The name readers see for a feed's outlet, everywhere (digests, /latest, /cari, alerts,
    /top, and what `media:` matches): the admin's /feedname or the bundled registry's name
    (both kept in the feed's `outlet`: the registry's is written when a feed is added and at
    every start, and /feedname replaces it), else the feed's title, else its host. Never the
    URL: a feed added as https://user:password@host/rss has its password in it (issue 27)."""
    for name in (outlet, title):
        if name and name.strip():
            return name.strip()
    scheme, sep, rest = url.partition("://")
    authority = (rest if sep else url).split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = authority.rpartition("@")[2]
    if host.startswith("["):  # an IPv6 literal keeps its colons
        host = host.partition("]")[0] + "]"
    else:
        host = host.partition(":")[0]
    return host.lower().removeprefix("www.") or "?"
