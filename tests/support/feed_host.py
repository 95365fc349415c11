"""Loopback news sites: an aiohttp server on 127.0.0.1 serving feed bytes per path.

Each path declares its body, status, headers, delay, compression and validators; conditional GETs
get 304 as a real origin (and feedparser's old tests/runtests.py server) would. Tests only.
"""

import asyncio
import dataclasses
import email.utils
import gzip as gzip_module
import hashlib
from pathlib import Path
from typing import NamedTuple

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from tests.support.pause import sleep_unless_closing


class Request(NamedTuple):
    """One request the host received; `headers` is case-insensitive."""

    path: str  # with the query string, as requested
    headers: CIMultiDictProxy[str]


@dataclasses.dataclass
class _Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0
    drip_chunk: int = 0  # > 0: send the body `drip_chunk` bytes at a time, every `drip_interval`
    drip_interval: float = 0.0
    raw: bytes | None = None  # the whole answer, status line and headers included, as sent


class FeedHost:
    """The fake news sites; tests/test_fakes.py shows each feature in use."""

    def __init__(self) -> None:
        self.port = 0
        self._routes: dict[str, _Route] = {}
        self._requests: list[Request] = []
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._in_flight = 0
        self.max_in_flight = 0  # the most requests this host was serving at one moment

    async def start(self) -> "FeedHost":
        """Listen on a free loopback port."""
        self._closing.clear()  # in case of a restart after stop()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # Sleeping and dripping handlers end on stop(); the short timeout only guards a hang.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Wake sleeping handlers, then close the server."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FeedHost":
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this host."""
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str | None = "application/rss+xml; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0,
        etag: bool = True,
        last_modified: str | None = None,
        gzip: bool = False,
    ) -> str:
        """Serve `body` at `path` (replacing what was there); returns the URL.

        `last_modified` is an HTTP date ("Wed, 01 Jan 2025 00:00:00 GMT"). With `gzip` the body is
        sent compressed with Content-Encoding: gzip; the ETag still describes the plain body.
        """
        data = body.encode() if isinstance(body, str) else body
        route_headers: dict[str, str] = {}
        if content_type:
            route_headers["Content-Type"] = content_type
        if etag:
            route_headers["ETag"] = f'"{hashlib.sha256(data).hexdigest()[:20]}"'
        if last_modified:
            route_headers["Last-Modified"] = last_modified
        if gzip:
            data = gzip_module.compress(data, mtime=0)
            route_headers["Content-Encoding"] = "gzip"
        route_headers.update(headers or {})
        self._routes[_key(path)] = _Route(data, status, route_headers, delay)
        return self.url(path)

    def add_file(self, path: str, filepath: str | Path, **options) -> str:
        """Serve the exact bytes of a file on disk (never decoded); options as for add()."""
        return self.add(path, Path(filepath).read_bytes(), **options)

    def redirect(self, path: str, to_path: str, status: int = 301) -> str:
        """Answer `path` with a redirect to `to_path` (a path on this host or a full URL)."""
        location = to_path if "://" in to_path else self.url(to_path)
        self._routes[_key(path)] = _Route(status=status, headers={"Location": location})
        return self.url(path)

    def drip(
        self,
        path: str,
        body: bytes | str,
        *,
        chunk: int = 1,
        interval: float = 1.0,
        content_type: str = "application/rss+xml; charset=utf-8",
    ) -> str:
        """A slow server: headers at once (with the full Content-Length), then `chunk` bytes
        every `interval` seconds."""
        data = body.encode() if isinstance(body, str) else body
        headers = {"Content-Type": content_type}
        route = _Route(data, 200, headers, drip_chunk=chunk, drip_interval=interval)
        self._routes[_key(path)] = route
        return self.url(path)

    def raw(self, path: str, answer: bytes) -> str:
        """A broken server: answer `path` with exactly these bytes (status line, headers and
        body, malformed as a test needs), then close the connection."""
        self._routes[_key(path)] = _Route(raw=answer)
        return self.url(path)

    def remove(self, path: str) -> None:
        """Make `path` answer 404 again."""
        self._routes.pop(_key(path), None)

    def requests(self, path: str | None = None) -> list[Request]:
        """Requests received, oldest first; `path` matches with or without the query string."""
        return [
            r for r in self._requests if path is None or path in (r.path, r.path.split("?")[0])
        ]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            return await self._serve(request)
        finally:
            self._in_flight -= 1

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        headers = CIMultiDictProxy(CIMultiDict(request.headers))
        self._requests.append(Request(request.path_qs, headers))
        route = self._routes.get(request.path_qs) or self._routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="404 page not found")
        if route.raw is not None:
            return await self._raw(request, route.raw)
        if route.delay:
            await self._sleep(route.delay)
        if route.drip_chunk:
            return await self._drip(request, route)
        if route.status == 200 and _not_modified(request, route.headers):
            validators = ("ETag", "Last-Modified", "Cache-Control", "Expires")
            headers = {k: v for k, v in route.headers.items() if k in validators}
            return web.Response(status=304, headers=headers)
        body = b"" if request.method == "HEAD" else route.body
        return web.Response(status=route.status, body=body, headers=route.headers)

    async def _drip(self, request: web.Request, route: _Route) -> web.StreamResponse:
        response = web.StreamResponse(headers=route.headers)
        response.content_length = len(route.body)
        await response.prepare(request)
        try:
            for start in range(0, len(route.body), route.drip_chunk):
                if start:
                    await self._sleep(route.drip_interval)
                if self._closing.is_set():
                    break
                await response.write(route.body[start : start + route.drip_chunk])
        except ConnectionResetError:
            pass  # the client gave up, which is what slow-server tests expect
        return response

    async def _raw(self, request: web.Request, answer: bytes) -> web.StreamResponse:
        transport = request.transport
        if transport is not None:
            transport.write(answer)
            transport.close()
        # The connection is closed: aiohttp has nothing left to send this to.
        raise asyncio.CancelledError

    async def _sleep(self, seconds: float) -> None:
        await sleep_unless_closing(self._closing, seconds)


def _key(path: str) -> str:
    return "/" + path.lstrip("/")


def _not_modified(request: web.Request, headers: dict[str, str]) -> bool:
    """RFC 9110 section 13.1: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        etag = headers.get("ETag")
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag is not None and ("*" in tags or etag.removeprefix("W/") in tags)
    since, last_modified = request.headers.get("If-Modified-Since"), headers.get("Last-Modified")
    if not since or not last_modified:
        return False
    try:
        return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
            last_modified
        )
    except (TypeError, ValueError):
        return since == last_modified
