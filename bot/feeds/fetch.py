"""Fetching a feed over HTTP: the only HTTP code in Warta.

Conditional GET (ETag / Last-Modified), a size cap counted on decoded bytes while streaming, a
total deadline, redirects followed by hand so every hop is checked, and a transport that
connects to exactly the address it checked (see PinnedBackend). Knows nothing about feeds
beyond headers; imports only httpx, httpcore, stdlib and `bot.errors`.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import ipaddress
import socket
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from bot.errors import (
    FetchBadResponse,
    FetchDisallowed,
    FetchError,
    FetchGone,
    FetchHTTPError,
    FetchNetworkError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
)
from bot.feeds.fetched import FetchResult

# Site owners read this in their logs; it says who we are and how to reach the project.
PROJECT_URL = "https://github.com/warta-kaltim/warta"
USER_AGENT = f"WartaBot/0.1 (Telegram news digest for Kalimantan Timur; +{PROJECT_URL})"
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TOTAL_DEADLINE = 30.0
# A Retry-After further away than this is read as this: a server cannot park a feed for years
# (nor overflow the date of its next poll).
MAX_RETRY_AFTER = 24 * 3600.0
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
# Only the codings decoded here, one layer at a time under the size cap (httpx would decode a
# whole chunk, or every layer of "gzip, gzip", before the cap is looked at).
ACCEPT_ENCODING = "gzip, deflate"

# Answers a host name with its addresses (IP strings); the system resolver unless a test
# passes its own to new_client.
Resolver = Callable[[str, int], Awaitable[list[str]]]
# Whether a URL may be requested at all (a page's robots.txt rules): asked before every hop.
HopCheck = Callable[[str], Awaitable[bool]]

# Whether the fetch running in this task may reach private addresses; set by fetch_feed and
# read by PinnedBackend when it opens a connection (same task, so the same context).
_allow_private: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "warta_allow_private", default=False
)

# Networks whose addresses carry an IPv4 address inside: the embedded address is what the
# packets reach, so it is the one checked. NAT64's well-known prefix (RFC 6052) and 6to4.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Refused whatever they hold: local-use NAT64 (RFC 8215), Teredo tunnels (the client address is
# obfuscated) and the deprecated IPv4-compatible form ::a.b.c.d.
_REFUSED_V6 = (
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("2001::/32"),
    ipaddress.ip_network("::/96"),
)


def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a connection to this address is refused, or None when it is a public address.

    Refused: loopback, private, link-local, multicast, reserved and every other non-global
    range, IPv6 forms that hide an IPv4 address unless that address is public itself
    (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16), and Teredo, local-use NAT64 and
    IPv4-compatible addresses outright.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if any(address in network for network in _REFUSED_V6):
            return f"address {address} is a tunnel or transition address"
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return refusal(embedded) and f"address {address} holds {embedded}, private or local"
    if not address.is_global or address.is_multicast or address.is_reserved:
        return f"address {address} is private or local"
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the operating system's resolver."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Opens each connection to an address it resolved and checked itself, once.

    Checking a name and letting the HTTP stack resolve it again leaves a gap a DNS server can
    use (DNS rebinding: public at the check, 127.0.0.1 a moment later). Here the one answer is
    checked whole (every address public, unless private ones are allowed for this fetch) and
    the socket goes to one of those very addresses. TLS and the Host header still use the name:
    httpcore takes both from the request, not from the address connected to.
    """

    def __init__(self, resolver: Resolver | None = None) -> None:
        self._resolve = resolver or system_resolver
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve host, refuse a non-public answer, connect to the first address that works."""
        try:
            addresses = [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            try:
                answer = await self._resolve(host, port)
                addresses = [ipaddress.ip_address(a.split("%")[0]) for a in answer]
            except (OSError, UnicodeError, ValueError):
                raise FetchNetworkError(host, f"cannot resolve host {host}") from None
        if not addresses:
            raise FetchNetworkError(host, f"cannot resolve host {host}")
        if not _allow_private.get():
            for address in addresses:
                reason = refusal(address)
                if reason:
                    raise FetchRefused(host, reason)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._backend.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error  # type: ignore[misc]

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options=None
    ) -> httpcore.AsyncNetworkStream:
        """Feeds are never read from a local socket."""
        raise httpcore.ConnectError("unix sockets are not used for feeds")

    async def sleep(self, seconds: float) -> None:
        """Sleep as the wrapped backend does."""
        await self._backend.sleep(seconds)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings of every httpx client in the process (feeds, and PTB's getUpdates):
    httpx's own defaults, built once.

    Building them reads certifi's root certificates, about 35 ms of CPU; each client would
    build its own (this transport two), again whenever it is made anew. A context is made to
    be shared, and every httpx client here speaks HTTP/1.1 only, so the protocol each one
    offers on it (ALPN, which httpcore sets per connection) is the same: a client that turns
    HTTP/2 on must take a context of its own, or every client would offer h2.
    """
    return httpx.create_ssl_context()


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool built on PinnedBackend."""

    def __init__(self, resolver: Resolver | None = None) -> None:
        super().__init__(verify=tls_context())
        limits = httpx.Limits()
        # httpx takes no network backend of its own, so its pool is replaced by one with the
        # same TLS settings and limits that connects through PinnedBackend.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=tls_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(resolver),
        )


def new_client(timeout: float = 15.0, *, resolver: Resolver | None = None) -> httpx.AsyncClient:
    """The shared client for feed fetching: our User-Agent, connect/read timeouts, no redirects,
    connections pinned to checked addresses."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=10.0),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
        follow_redirects=False,
        transport=PinnedTransport(resolver),
        # A proxy from the environment would connect somewhere other than the checked address.
        trust_env=False,
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
    form: str | None = None,
    may_fetch: HopCheck | None = None,
) -> FetchResult:
    """Fetch url with a conditional GET (or, with `form`, POST that url-encoded form: the one
    request an article link of Google News needs to name its outlet's address). With
    `may_fetch`, every hop (the first and each redirect's target) is asked of it first: a
    redirect can lead to another site, whose own robots.txt rules then hold.

    Raises:
        FetchError: one of its subclasses, with a one-line reason fit for an admin; whatever
            the server sends, nothing else.
    """
    token = _allow_private.set(allow_private)
    try:
        async with asyncio.timeout(deadline):
            return await _fetch(
                client, url, etag, last_modified, allow_private, max_bytes, form, may_fetch
            )
    except FetchRefused as exc:  # raised by PinnedBackend, which knows the host only
        raise FetchRefused(url, exc.reason) from None
    except FetchError:
        raise
    except TimeoutError:
        raise FetchTimeout(url, f"timed out after {deadline:g} s") from None
    except httpx.TimeoutException:
        raise FetchTimeout(url, "timed out waiting for the server") from None
    except (httpx.RemoteProtocolError, httpx.DecodingError) as exc:
        raise FetchBadResponse(url, f"malformed answer: {type(exc).__name__}") from None
    except httpx.HTTPError as exc:
        raise FetchNetworkError(url, f"network error: {type(exc).__name__}") from None
    except (httpx.InvalidURL, httpx.CookieConflict, ValueError, LookupError) as exc:
        # A redirect to port 99999 or to "http://[bad", an undecodable header value...
        # (UnicodeError is a ValueError.)
        raise FetchBadResponse(url, f"malformed answer: {type(exc).__name__}") from None
    finally:
        _allow_private.reset(token)


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    etag: str | None,
    last_modified: str | None,
    allow_private: bool,
    max_bytes: int,
    form: str | None = None,
    may_fetch: HopCheck | None = None,
) -> FetchResult:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current, moved_to, permanent = url, None, True
    for _ in range(MAX_REDIRECTS + 1):
        check_url(current, allow_private=allow_private)
        if may_fetch is not None and not await may_fetch(current):
            raise FetchDisallowed(url, "robots.txt does not allow it")
        if form is not None:
            # A redirected POST goes on as a GET, as browsers do (RFC 9110 section 15.4).
            headers["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8"
        method, body = ("POST", form.encode()) if form is not None else ("GET", None)
        async with client.stream(method, current, headers=headers, content=body) as response:
            status = response.status_code
            if response.is_redirect and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                if form is not None:
                    form = None
                    headers.pop("Content-Type", None)
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
    """Seconds the server asks us to wait (RFC 9110 Retry-After: seconds or an HTTP date), at
    most MAX_RETRY_AFTER."""
    value = response.headers.get("retry-after", "").strip()
    if not value or response.status_code not in (429, 503):
        return None
    if value.isascii() and value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
        seconds = (when - datetime.now(UTC)).total_seconds()
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items()}


def _decompressor(response: httpx.Response, url: str):
    """A zlib decompressor for the response's one content coding, or None for none.

    More than one coding ("gzip, gzip") is refused: no feed needs it, and it is the shape of a
    decompression bomb."""
    codings = [
        c
        for c in response.headers.get_list("content-encoding", split_commas=True)
        if c.strip().lower() not in ("", "identity")
    ]
    if len(codings) > 1:
        raise FetchBadResponse(url, f"more than one content coding ({', '.join(codings)})")
    if not codings:
        return None
    coding = codings[0].strip().lower()
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return "deflate"  # zlib-wrapped or raw: decided on the first bytes
    raise FetchBadResponse(url, f"unsupported content coding {coding}")


async def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """The decoded body, refused past max_bytes.

    The raw bytes are decoded here, a chunk at a time, asking zlib for no more output than the
    room left under the cap: a few hundred bytes that inflate to gigabytes never get further
    than max_bytes + 1 in memory.
    """
    decoder = _decompressor(response, url)
    chunks: list[bytes] = []
    size = 0

    def keep(data: bytes) -> None:
        nonlocal size
        size += len(data)
        if size > max_bytes:
            raise FetchTooLarge(url, f"response larger than {max_bytes // (1024 * 1024)} MB")
        chunks.append(data)

    try:
        async for raw in response.aiter_raw():
            if decoder is None:
                keep(raw)
                continue
            if decoder == "deflate":
                zlib_header = raw[:1] and raw[0] & 0x0F == 8
                decoder = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
            data = raw
            while data and not decoder.eof:
                keep(decoder.decompress(data, max_bytes - size + 1))
                data = decoder.unconsumed_tail
            if decoder.eof:
                break  # whatever follows the compressed stream is not read
        if decoder is not None and not isinstance(decoder, str):
            keep(decoder.flush())
    except zlib.error:
        raise FetchBadResponse(url, "the compressed body is corrupt") from None
    return b"".join(chunks)


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Raise FetchRefused unless url is http(s) with a host and a valid port, and (unless
    private addresses are allowed) not a literal private address. Names are checked when
    connecting (PinnedBackend), against the very answer the connection uses."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchRefused(url, "only http and https URLs can be fetched")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise FetchBadResponse(url, "the address has an invalid port") from None
    if allow_private:
        return
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return
    reason = refusal(address)
    if reason:
        raise FetchRefused(url, reason)
