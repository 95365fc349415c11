"""Fetching a feed over HTTP: the only HTTP code in Warta.

Conditional GET (ETag / Last-Modified), a size cap counted while streaming, a total deadline,
redirects followed by hand so every hop is checked against private addresses. Knows nothing
about feeds beyond headers; imports only httpx, stdlib and `bot.errors`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from bot.errors import (
    FetchError,
    FetchGone,
    FetchHTTPError,
    FetchNetworkError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
)

# Site owners read this in their logs; it says who we are and how to reach the project.
PROJECT_URL = "https://github.com/warta-kaltim/warta"
USER_AGENT = f"WartaBot/0.1 (Telegram news digest for Kalimantan Timur; +{PROJECT_URL})"
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TOTAL_DEADLINE = 30.0
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
    "*/*;q=0.5"
)


@dataclass(frozen=True)
class FetchResult:
    """What the server sent: status 200 with a body, or 304 with none."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    moved_to: str | None = None  # where a permanent redirect (301/308) says the feed now lives

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to our conditional GET."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        """The validator to send as If-None-Match next time."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The validator to send as If-Modified-Since next time."""
        return self.headers.get("last-modified")


def new_client(timeout: float = 15.0) -> httpx.AsyncClient:
    """The shared client for feed fetching: our User-Agent, connect/read timeouts, no redirects."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=10.0),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        follow_redirects=False,
    )


async def fetch_feed(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool = False,
    max_bytes: int = MAX_BYTES,
    deadline: float = TOTAL_DEADLINE,
) -> FetchResult:
    """Fetch url with a conditional GET.

    Raises:
        FetchError: one of its subclasses, with a one-line reason fit for an admin.
    """
    try:
        async with asyncio.timeout(deadline):
            return await _fetch(client, url, etag, last_modified, allow_private, max_bytes)
    except TimeoutError:
        raise FetchTimeout(url, f"timed out after {deadline:g} s") from None
    except httpx.TimeoutException:
        raise FetchTimeout(url, "timed out waiting for the server") from None
    except httpx.HTTPError as exc:
        raise FetchNetworkError(url, f"network error: {type(exc).__name__}") from None


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    etag: str | None,
    last_modified: str | None,
    allow_private: bool,
    max_bytes: int,
) -> FetchResult:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current, moved_to, permanent = url, None, True
    for _ in range(MAX_REDIRECTS + 1):
        if not allow_private:
            await check_public_address(current)
        async with client.stream("GET", current, headers=headers) as response:
            status = response.status_code
            if response.is_redirect and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                # Only an unbroken chain of permanent redirects moves the feed for good.
                permanent = permanent and status in (301, 308)
                moved_to = current if permanent else None
                continue
            if status == 304:
                return FetchResult(url, current, 304, b"", _headers(response), moved_to)
            if status == 410:
                raise FetchGone(url, status)
            if status >= 400:
                raise FetchHTTPError(url, status, _retry_after(response))
            body = await _read_capped(response, url, max_bytes)
            return FetchResult(url, current, status, body, _headers(response), moved_to)
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the server asks us to wait (RFC 9110 Retry-After: seconds or an HTTP date)."""
    value = response.headers.get("retry-after", "").strip()
    if not value or response.status_code not in (429, 503):
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items()}


async def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    # Counted while streaming, after decompression, so a small gzip bomb cannot fill memory.
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchTooLarge(url, f"response larger than {max_bytes // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)


async def check_public_address(url: str) -> None:
    """Raise FetchRefused unless url is http(s) and every address its host resolves to is public.

    Refusing loopback, private, link-local and reserved ranges keeps /addfeed from being used to
    probe the machine the bot runs on or its local network.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(url, "only http and https URLs can be fetched")
    host = parts.hostname
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError:
            raise FetchNetworkError(url, f"cannot resolve host {host}") from None
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        if not address.is_global or address.is_multicast:
            raise FetchRefused(url, f"address {address} is private or local")
