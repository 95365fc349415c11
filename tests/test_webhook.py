"""Webhook mode beside long polling: the real bot process (main.py) runs one reader's journey
both ways against the fake Bot API. In webhook mode the fake records setWebhook (URL and
secret), and the test posts the updates to the bot's own webhook server as Telegram would; a
request without the right secret-token header is refused with 403 and changes nothing."""

import asyncio
import itertools
import os
import signal
import socket
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import ADMIN_ID
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
            "TELEGRAM_API_BASE_URL": telegram_api.base_url, "ADMIN_IDS": str(ADMIN_ID),
            "DATABASE_PATH": str(tmp_path / "warta.db"), "SEED_DEFAULT_FEEDS": "false",
            "ALLOW_PRIVATE_FEED_URLS": "true", "FEED_POLL_INTERVAL": "3600",
            "FLOOD_PROTECTION": "false",  # the journey asks for /digest twice in a row
        }
        if mode == "webhook":
            self.env |= {"WEBHOOK_URL": f"https://warta.example.id{HOOK_PATH}",
                         "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(self.port),
                         "WEBHOOK_SECRET": SECRET}
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "main.py", cwd=ROOT, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
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
        async with aiohttp.ClientSession() as session, session.post(
                self.hook, json=update, headers=headers) as response:
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
            count=before + 1, timeout=30)
        await asyncio.sleep(0)  # answers of several messages arrive together
        return "\n".join(m["text"] for m in self.api.sent_messages(chat_id)[before:])


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_readers_journey_is_the_same_by_polling_and_by_webhook(
        mode, tmp_path, telegram_api, feed_host):
    earlier = datetime.now(UTC) - timedelta(hours=2)
    feed_host.add("/kabar.xml", rss([
        Entry("Pemprov Kaltim Perbaiki Jalan Poros Samarinda–Bontang",
              "https://kabar.example/jalan-poros",
              "Perbaikan jalan poros di Kalimantan Timur dikebut sebelum Natal.",
              published=earlier),
        Entry("Persija Tahan Imbang Persib di Jakarta", "https://kabar.example/bola",
              "Laga berakhir 1-1.", published=earlier),
    ], title="Kabar Kaltim"))
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
