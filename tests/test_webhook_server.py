"""Warta's webhook server in this process, over real loopback HTTP, as an outsider would meet
it: a request without the secret is refused from its headers alone (its body is never read),
an oversized one likewise, half-sent requests are dropped after seconds, and at the cap on
connections the oldest goes, so Telegram's own update still gets through and is answered.
The limits are the production ones except the times and the cap, shortened to keep this quick;
tests/test_webhook.py runs the real bot process against the production limits."""

import asyncio
import json

import pytest

from bot.adapter.webhook import SECRET_HEADER, Limits, WebhookServer
from tests.support.chats import READER_ID
from tests.support.factories import message_update

SECRET = "rahasia-Warta_2026"
PATH = "/telegram/warta"
FIFTY_MB = 50 * 1024 * 1024

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def hook(app):
    """The started bot behind a webhook server on a free loopback port."""
    server = WebhookServer(
        app,
        path=PATH,
        secret=SECRET,
        limits=Limits(header_timeout=0.3, body_timeout=0.3, max_connections=5),
    )
    server.port = server.listen("127.0.0.1", 0)
    await app.start()
    yield server
    await server.stop()
    await app.stop()


def head(length: int, secret: str | None = None, path: str = PATH) -> bytes:
    """A POST's request line and headers, as a client sends them before its body."""
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: warta.example.id",
        "Content-Type: application/json",
        f"Content-Length: {length}",
    ]
    if secret is not None:
        lines.append(f"{SECRET_HEADER}: {secret}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def answer_to(port: int, request: bytes) -> tuple[int, bytes]:
    """Send the bytes, then read until the server closes: its status and everything it sent."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        async with asyncio.timeout(10):
            data = await reader.read()  # up to the server's close
    finally:
        writer.close()
    return int(data.split(b" ", 2)[1]), data


async def post_update(port: int, update: dict) -> int:
    body = json.dumps(update).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head(len(body), SECRET) + body)
        await writer.drain()
        async with asyncio.timeout(10):
            status = await reader.readline()
    finally:
        writer.close()
    return int(status.split()[1])


async def test_a_post_without_the_secret_is_refused_before_its_body_is_sent(hook):
    # Only the headers of a 50 MB request: the answer comes without a byte of the body.
    for secret in (None, "", "tebakan-salah", SECRET[:-1], SECRET + "x"):
        status, _ = await answer_to(hook.port, head(FIFTY_MB, secret))
        assert status == 403, secret
    assert hook.refusals.count == 5


async def test_an_oversized_body_is_refused_from_its_length_even_with_the_secret(hook):
    status, _ = await answer_to(hook.port, head(FIFTY_MB, SECRET))
    assert status == 413
    status, _ = await answer_to(hook.port, head(hook.limits.max_body + 1, SECRET))
    assert status == 413


async def test_a_chunked_body_past_the_limit_is_cut_off(hook):
    """No Content-Length to refuse it by: tornado counts the chunks and closes the connection
    once they pass the limit, long before the sender's 50 MB are through."""
    chunk = b"x" * 65536
    framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
    sent = 0
    try:
        writer.write(head(0, SECRET).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked"))
        async with asyncio.timeout(10):
            while sent < FIFTY_MB:
                writer.write(framed)
                await writer.drain()
                sent += len(chunk)
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        writer.close()
    # What the kernel's buffers took, at most, besides the megabyte tornado read.
    assert sent < 16 * 1024 * 1024


async def test_an_odd_content_length_is_refused_not_a_crash(hook):
    for length in ("²", "-1", "1e9", "٣"):
        request = head(0, SECRET).replace(
            b"Content-Length: 0", f"Content-Length: {length}".encode("utf-8")
        )
        status, _ = await answer_to(hook.port, request)
        assert status == 400, length


async def test_other_paths_and_methods_are_refused(hook):
    assert (await answer_to(hook.port, head(FIFTY_MB, SECRET, path="/lain")))[0] == 404
    get = f"GET {PATH} HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: {SECRET}\r\n\r\n".encode()
    assert (await answer_to(hook.port, get))[0] == 405


async def test_an_update_with_the_secret_is_answered(hook, telegram_api):
    update = message_update(READER_ID, "/help", update_id=41)
    assert await post_update(hook.port, update) == 200
    await telegram_api.wait_for("sendMessage", count=1)
    assert "/cari" in telegram_api.sent_messages(READER_ID)[0]["text"]


async def test_a_body_that_is_not_an_update_gets_400_and_the_bot_goes_on(hook, telegram_api):
    for body in (b"{bukan json", b"[" * 100_000, b'"teks"'):
        request = head(len(body), SECRET) + body
        assert (await answer_to(hook.port, request))[0] == 400
    assert await post_update(hook.port, message_update(READER_ID, "/help", update_id=42)) == 200
    await telegram_api.wait_for("sendMessage", count=1)


async def test_half_sent_requests_are_dropped_after_the_timeouts(hook):
    """Headers never finished, and a body never finished: the server closes both (tornado's
    default would wait an hour for the headers)."""
    opened = []
    for request in (b"POST /telegram/warta HTTP/1.1\r\nHost: x\r\n", head(100, SECRET) + b"{"):
        reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
        writer.write(request)
        opened.append((reader, writer))
    try:
        async with asyncio.timeout(10):
            for reader, _ in opened:
                assert await reader.read() in (b"",)  # closed without an answer
    finally:
        for _, writer in opened:
            writer.close()


async def test_at_the_connection_cap_the_oldest_goes_and_telegram_gets_through(hook, telegram_api):
    opened = []
    try:
        for _ in range(hook.limits.max_connections * 3):
            reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
            writer.write(b"POST /telegram/warta HTTP/1.1\r\n")
            await writer.drain()
            opened.append((reader, writer))
        # The first ones were closed to make room; Telegram's update is served at once.
        async with asyncio.timeout(10):
            assert await opened[0][0].read() == b""
        update = message_update(READER_ID, "/help", update_id=43)
        assert await post_update(hook.port, update) == 200
        await telegram_api.wait_for("sendMessage", count=1)
    finally:
        for _, writer in opened:
            writer.close()
    assert hook.evicted >= hook.limits.max_connections * 2
