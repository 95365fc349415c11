"""Google News RSS search feeds restricted to one site (`q=site:DOMAIN`): for outlets that
publish no feed of their own (/addsite, and some of the bundled list).

Google ends every item title with " - Outlet" and its descriptions only repeat the title and
the outlet, so `tidy` strips the suffix, empties those summaries, and names the feed after the
outlet instead of "site:kaltimtoday.co - Google Berita". Pure; imports bot.feeds.parse.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.feeds.parse import ParsedFeed

SEARCH_URL = "https://news.google.com/rss/search"
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SUFFIX = " - "


def normalise_domain(text: str) -> str | None:
    """ "https://www.Niaga.Asia/berita" -> "niaga.asia"; None if it is not a domain name."""
    text = text.strip().lower()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/", 1)[0].removeprefix("www.").rstrip(".")
    return text if _DOMAIN.match(text) else None


def site_search_url(domain: str, base: str = SEARCH_URL) -> str:
    """The Google News RSS search for a site's stories, in Indonesian for Indonesia."""
    query = urlencode({"q": f"site:{domain}", "hl": "id", "gl": "ID", "ceid": "ID:id"}, safe=":")
    return f"{base}?{query}"


def site_of(url: str) -> str | None:
    """The domain of a Google News site search URL (on any host, so tests can serve one),
    or None for any other feed."""
    parts = urlsplit(url)
    if not parts.path.rstrip("/").endswith("/rss/search"):
        return None
    query = (parse_qs(parts.query).get("q") or [""])[0].strip()
    return query.removeprefix("site:") if query.startswith("site:") else None


def tidy(parsed: ParsedFeed) -> ParsedFeed:
    """Strip Google's " - Outlet" from titles and name the feed after the outlet."""
    outlets = Counter(
        e.title.rsplit(_SUFFIX, 1)[1].strip() for e in parsed.entries if _SUFFIX in e.title
    )
    if not outlets:
        return parsed
    outlet = outlets.most_common(1)[0][0]
    ending = f"{_SUFFIX}{outlet}"
    entries = [
        replace(entry, title=entry.title.removesuffix(ending).strip() or entry.title, summary="")
        for entry in parsed.entries
    ]
    return ParsedFeed(title=outlet, entries=entries)
