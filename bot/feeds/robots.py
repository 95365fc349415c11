"""robots.txt: whether Warta may read a page of a site, asked once per site and remembered.

Read through the same fetch as feeds (checked addresses, caps, deadline), parsed by the standard
library's robotparser, and kept for a day in a bounded cache, so a poll reading ten pages of a
site asks for its robots.txt once. Following RFC 9309: a robots.txt that is missing (4xx) allows
everything; one that cannot be read (5xx, network, too large) allows nothing until it is asked
again, a little later. Imports only httpx, stdlib and bot.feeds.fetch.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from bot.errors import FetchError, FetchHTTPError
from bot.feeds.fetch import fetch_feed

# The product token robots.txt files name (matched case-insensitively by robotparser).
AGENT = "WartaBot"
# RFC 9309 section 2.5: crawlers must read at least 500 KiB; more is not needed.
MAX_BYTES = 500 * 1024
DEADLINE = 10.0
# How long an answer is trusted: a day for a file that was read (RFC 9309 section 2.4), ten
# minutes for one that could not be, so a site that was down is asked again soon.
KEEP = 24 * 3600.0
KEEP_FAILED = 600.0
# Sites remembered at most (the least recently asked are forgotten first).
SITES = 512


class Robots:
    """The robots.txt rules of the sites Warta reads pages from, remembered per site."""

    def __init__(self, *, allow_private: bool = False, clock=time.monotonic) -> None:
        self.allow_private = allow_private
        self._clock = clock
        self._rules: OrderedDict[str, tuple[float, RobotFileParser | bool]] = OrderedDict()
        self._asking: dict[str, asyncio.Future] = {}

    async def allows(self, client: httpx.AsyncClient, url: str) -> bool:
        """Whether the site of `url` lets Warta read it."""
        parts = urlsplit(url)
        site = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        rules = await self._rules_of(client, site)
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(AGENT, url)

    async def _rules_of(self, client: httpx.AsyncClient, site: str) -> RobotFileParser | bool:
        known = self._rules.get(site)
        if known is not None and known[0] > self._clock():
            self._rules.move_to_end(site)
            return known[1]
        # Pages of one site asked at once share one request for its robots.txt.
        asking = self._asking.get(site)
        if asking is None:
            asking = asyncio.ensure_future(self._read(client, site))
            self._asking[site] = asking
            asking.add_done_callback(lambda _: self._asking.pop(site, None))
        return await asyncio.shield(asking)

    async def _read(self, client: httpx.AsyncClient, site: str) -> RobotFileParser | bool:
        keep = KEEP
        try:
            fetched = await fetch_feed(
                client,
                f"{site}/robots.txt",
                max_bytes=MAX_BYTES,
                allow_private=self.allow_private,
                deadline=DEADLINE,
            )
            rules: RobotFileParser | bool = RobotFileParser()
            rules.parse(fetched.body.decode("utf-8", "replace").splitlines())
        except FetchHTTPError as exc:
            # 4xx: there are no rules, so everything is allowed; 5xx: the site is unwell.
            rules = 400 <= exc.status < 500
            keep = KEEP if rules else KEEP_FAILED
        except FetchError:
            rules, keep = False, KEEP_FAILED
        self._rules[site] = (self._clock() + keep, rules)
        self._rules.move_to_end(site)
        while len(self._rules) > SITES:
            self._rules.popitem(last=False)
        return rules
