"""Webhook mode beside long polling: the real bot process (main.py) runs one reader's journey
both ways against the fake Bot API. In webhook mode the fake records setWebhook (URL and
secret), and the test posts the updates to the bot's own webhook server as Telegram would; a
request without the right secret-token header is refused with 403 and changes nothing."""

import asyncio
import itertools
import os
import resource
import signal
import socket
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest

from bot.adapter.webhook import Limits
from tests.support.chats import ADMIN_ID
from tests.support.factories import message_update
from tests.support.feedgen import Entry, rss

ROOT = Path(__file__).resolve().parents[1]
READER = 3003
SECRET = "rahasia-Warta_2026"
HOOK_PATH = "/telegram/warta"

# Every test here runs main.py in a process of its own.
pytestmark = [pytest.mark.timeout(90), pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Bot:
    """main.py as a child process, and the way updates reach it (polling or webhook)."""

    def __init__(self, mode: str, telegram_api, tmp_path: Path):
        self.mode, self.api = mode, telegram_api
        self.port = free_port()
        self.ids = itertools.count(1)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))},
            "TELEGRAM_BOT_TOKEN": telegram_api.token,
            "TELEGRAM_API_BASE_URL": telegram_api.base_url,
            "ADMIN_IDS": str(ADMIN_ID),
            "DATABASE_PATH": str(tmp_path / "warta.db"),
            "SEED_DEFAULT_FEEDS": "false",
            "ALLOW_PRIVATE_FEED_URLS": "true",
            "FEED_POLL_INTERVAL": "3600",
            "FLOOD_PROTECTION": "false",  # the journey asks for /digest twice in a row
        }
        if mode == "webhook":
            self.env |= {
                "WEBHOOK_URL": f"https://warta.example.id{HOOK_PATH}",
                "WEBHOOK_LISTEN": "127.0.0.1",
                "WEBHOOK_PORT": str(self.port),
                "WEBHOOK_SECRET": SECRET,
            }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "main.py",
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        # Ready once the command menu is published (the last step of start-up) and, in
        # webhook mode, once the webhook server accepts connections (PTB starts it after).
        await self.api.wait_for(lambda c: c.method == "setMyCommands", count=2, timeout=30)
        if self.mode == "webhook":
            await self.wait_listening()

    async def wait_listening(self) -> None:
        async with asyncio.timeout(30):
            while True:
                try:
                    _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                except ConnectionRefusedError:
                    await asyncio.sleep(0.05)
                    continue
                writer.close()
                await writer.wait_closed()
                return

    async def stop(self) -> str:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout=20)
            finally:
                if self.process.returncode is None:
                    self.process.kill()
                    await self.process.wait()
        log = (await self.process.stderr.read()).decode()
        assert self.process.returncode == 0, log
        return log

    @property
    def hook(self) -> str:
        return f"http://127.0.0.1:{self.port}{HOOK_PATH}"

    async def post(self, update: dict, secret: str | None) -> int:
        """POST an update to the webhook as Telegram does; the HTTP status."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.hook, json=update, headers=headers) as response,
        ):
            return response.status

    async def say(self, chat_id: int, text: str) -> str:
        """Send a message the way this mode receives it; the bot's answer."""
        before = len(self.api.sent_messages(chat_id))
        update = message_update(chat_id, text, update_id=next(self.ids))
        if self.mode == "webhook":
            assert await self.post(update, SECRET) == 200
        else:
            self.api.push_update(update)
        await self.api.wait_for(
            lambda c: c.method == "sendMessage" and c.params.get("chat_id") == chat_id,
            count=before + 1,
            timeout=30,
        )
        await asyncio.sleep(0)  # answers of several messages arrive together
        return "\n".join(m["text"] for m in self.api.sent_messages(chat_id)[before:])


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_readers_journey_is_the_same_by_polling_and_by_webhook(
    mode, tmp_path, telegram_api, feed_host
):
    earlier = datetime.now(UTC) - timedelta(hours=2)
    feed_host.add(
        "/kabar.xml",
        rss(
            [
                Entry(
                    "Pemprov Kaltim Perbaiki Jalan Poros Samarinda–Bontang",
                    "https://kabar.example/jalan-poros",
                    "Perbaikan jalan poros di Kalimantan Timur dikebut sebelum Natal.",
                    published=earlier,
                ),
                Entry(
                    "Persija Tahan Imbang Persib di Jakarta",
                    "https://kabar.example/bola",
                    "Laga berakhir 1-1.",
                    published=earlier,
                ),
            ],
            title="Kabar Kaltim",
        ),
    )
    bot = Bot(mode, telegram_api, tmp_path)
    await bot.start()
    try:
        added = await bot.say(ADMIN_ID, f"/addfeed {feed_host.url('/kabar.xml')}")
        assert "Kabar Kaltim" in added
        assert "selamat datang" in await bot.say(READER, "/start")
        assert "Kaltim" in await bot.say(READER, "/subscribe kaltim")
        digest = await bot.say(READER, "/digest")
        assert "Pemprov Kaltim Perbaiki Jalan Poros" in digest and "Persija" not in digest
        assert "Belum ada berita baru" in await bot.say(READER, "/digest")
    finally:
        log = await bot.stop()
    assert "Warta started" in log and telegram_api.token not in log and SECRET not in log
    webhooks = [c.params for c in telegram_api.calls("setWebhook")]
    if mode == "webhook":
        assert webhooks == [webhooks[0]]
        assert webhooks[0]["url"] == f"https://warta.example.id{HOOK_PATH}"
        assert webhooks[0]["secret_token"] == SECRET
        assert not telegram_api.calls("getUpdates")
    else:
        assert not webhooks and telegram_api.calls("getUpdates")


async def test_a_webhook_request_without_the_right_secret_is_refused(tmp_path, telegram_api):
    bot = Bot("webhook", telegram_api, tmp_path)
    await bot.start()
    try:
        for secret in (None, "tebakan-salah"):
            update = message_update(READER, "/start", update_id=next(bot.ids))
            assert await bot.post(update, secret) == 403
        # The same update with the secret is answered: the refusals were about the secret.
        assert "selamat datang" in await bot.say(READER, "/start")
        assert len(telegram_api.sent_messages(READER)) == 1
    finally:
        await bot.stop()


def memory_kib(pid: int) -> dict[str, int]:
    """The process's resident memory now (VmRSS) and at its peak so far (VmHWM), in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        line.split(":")[0]: int(line.split()[1])
        for line in status.splitlines()
        if line.startswith(("VmRSS:", "VmHWM:"))
    }


async def post_headers_then_body(port: int, body_bytes: int, headers: dict[str, str]) -> bytes:
    """A POST announcing body_bytes, then the body as fast as the server takes it, until
    it has all gone or the server hangs up; the first line of the answer, if one came."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [
        f"POST {HOOK_PATH} HTTP/1.1",
        "Host: warta.example.id",
        "Content-Type: application/json",
        f"Content-Length: {body_bytes}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    chunk = b"a" * (1024 * 1024)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        async with asyncio.timeout(30):
            answer = asyncio.ensure_future(reader.readline())
            for _ in range(body_bytes // len(chunk)):
                if answer.done():
                    break
                writer.write(chunk)
                await writer.drain()
            return await answer
    except (ConnectionResetError, BrokenPipeError):
        return b""
    finally:
        writer.close()


async def test_an_outsiders_flood_costs_the_bot_little_and_telegram_gets_through(
    tmp_path, telegram_api, measured
):
    """Issue 27: a 50 MB POST without the secret took PTB's server from 63 to 244 MB, and
    1,100 half-sent requests used up the descriptors, so Telegram's updates went unanswered.
    The bot runs with the 1,024 descriptors a service manager gives by default."""
    bot = Bot("webhook", telegram_api, tmp_path)
    await bot.start()
    pid = bot.process.pid
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (1024, hard))
    try:
        assert "/cari" in await bot.say(READER, "/help")  # its code loaded before measuring
        before = memory_kib(pid)
        answer = await post_headers_then_body(bot.port, 50 * 1024 * 1024, {})
        forged = await post_headers_then_body(
            bot.port, 50 * 1024 * 1024, {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        after = memory_kib(pid)
        assert answer.startswith(b"HTTP/1.1 403") or answer == b""
        assert forged.startswith(b"HTTP/1.1 413") or forged == b""
        grown = max(after["VmRSS"] - before["VmRSS"], after["VmHWM"] - before["VmHWM"])
        assert grown < 5 * 1024, (before, after)

        # A thousand requests that never finish their headers, held open by this process.
        held = []
        try:
            for _ in range(1000):
                _, writer = await asyncio.open_connection("127.0.0.1", bot.port)
                writer.write(f"POST {HOOK_PATH} HTTP/1.1\r\nHost: warta".encode())
                held.append(writer)
            descriptors = len(os.listdir(f"/proc/{pid}/fd"))
            assert "/cari" in await bot.say(READER, "/help")
            assert "selamat datang" in await bot.say(READER + 1, "/start")
        finally:
            for writer in held:
                writer.close()
    finally:
        log = await bot.stop()
    assert descriptors < Limits().max_connections + 100
    # The refusals and the flood are a line or two in the log, not one a request.
    assert log.count("Webhook refused") <= 2 and len(log.splitlines()) < 40, log
    measured(
        f"webhook flood: 50 MB POST without the secret refused, bot memory "
        f"{before['VmRSS'] // 1024} -> {after['VmRSS'] // 1024} MB (peak "
        f"{before['VmHWM'] // 1024} -> {after['VmHWM'] // 1024} MB); 1,000 half-sent "
        f"requests: {descriptors} descriptors open, /help and /start answered"
    )


async def test_a_debug_log_in_webhook_mode_holds_no_secret(tmp_path, telegram_api, feed_host):
    """At DEBUG, PTB logs every Bot API URL (the token in it) and setWebhook's parameters
    (the webhook secret), httpx every feed request (a feed URL's password in it), tornado its
    connections: the real bot's whole log is searched for each secret, in each spelling."""
    password = "Sandi-Redaksi-77"
    feed_host.add(
        "/tertutup.xml",
        rss(
            [Entry("Banjir Rob di Balikpapan", "https://k.example/1", "Air laut naik.")],
            title="Kabar Tertutup",
        ),
    )
    url = feed_host.url("/tertutup.xml").replace("http://", f"http://redaksi:{password}@")
    bot = Bot("webhook", telegram_api, tmp_path)
    bot.env["LOG_LEVEL"] = "DEBUG"
    await bot.start()
    try:
        assert "Kabar Tertutup" in await bot.say(ADMIN_ID, f"/addfeed {url}")
        for secret in (None, "tebakan-salah", SECRET[:-1]):
            update = message_update(READER, "/help", update_id=next(bot.ids))
            assert await bot.post(update, secret) == 403
        assert "/cari" in await bot.say(READER, "/help")
    finally:
        log = await bot.stop()
    # The log did record what carries the secrets, so their absence means something ...
    assert "setWebhook" in log and "/tertutup.xml" in log and "<redacted>" in log
    # ... and none of them, raw or URL-encoded.
    token_secret = telegram_api.token.partition(":")[2]
    for secret in (telegram_api.token, token_secret, SECRET, password):
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            assert form not in log, form
