"""Delivery speed: the morning run of 3,000 chats whose digests fall due at once, sent by the
real bot process (main.py) to the fake Bot API in rate-limited mode, which answers 429 like
Telegram past 30 messages a second overall, 1 a second per chat (burst 3) and 20 a minute per
group. Prints messages sent, 429s received, the time from the first digest to the last, the
messages per second achieved and their ratio to the 30/s limit (target: at least 0.97), chats
that got nothing or got a digest twice (target: 0 and 0), and the peak memory of the bot
process.

With --paid, digests go as paid broadcasts (PAID_BROADCAST=true, BROADCAST_RATE=1000) to the
fake set to Telegram's paid limit of 1,000 messages a second; the bench first measures the
fake's own ceiling with a bare HTTP client sending as fast as it can, and prints Warta's rate
as a ratio of that ceiling (target: at least 0.8).

Run: .venv/bin/python bench/bench_delivery.py [--chats 3000] [--paid]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.fakes.feed_host import FeedHost  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI  # noqa: E402
from tests.feedgen import kaltim_entries, rss  # noqa: E402
from tests.fleet import prepare_fleet  # noqa: E402

LIMIT = 30.0  # Telegram's messages per second, as the fake enforces it


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB; 0 where /proc is missing."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def bare_ceiling(api: FakeTelegramAPI, messages: int = 4000, workers: int = 64) -> float:
    """Messages a second the fake itself answers to a bare client sending paid broadcasts to
    distinct chats, as fast as it can: the ceiling Warta's rate is measured against."""
    chat_ids = iter(range(1, messages + 1))
    url = f"{api.base_url}{api.token}/sendMessage"

    async def worker(client: httpx.AsyncClient) -> None:
        for chat_id in chat_ids:
            await client.post(url, data={"chat_id": chat_id, "text": "Ringkasan uji",
                                         "allow_paid_broadcast": "true"})

    async with httpx.AsyncClient() as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(workers)))
        return messages / (time.perf_counter() - started)


def compose_seconds(log: Path) -> str:
    """What the bot logged about composing the run's digests."""
    found = re.findall(r"Composed (\d+) digests in ([\d.]+) s", log.read_text())
    return f"{found[-1][1]} s" if found else "(not logged)"


async def main(chats: int, paid: bool) -> None:
    """Send the digests of `chats` chats due at once through the real bot; print figures."""
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "warta.db"
        async with FakeTelegramAPI() as api, FeedHost() as host:
            host.add("/kabar.xml", rss(kaltim_entries(5, start=datetime.now(UTC))))
            chat_ids = list(range(900_001, 900_001 + chats))
            started = time.perf_counter()
            await prepare_fleet(db_path, chat_ids, host.url("/kabar.xml"))
            print(f"prepared {chats} chats due at once in {time.perf_counter() - started:.1f} s")
            limit, target = LIMIT, 0.97
            if paid:
                api.rate_limit(paid_per_second=1000)
                limit, target = await bare_ceiling(api), 0.8
                print(f"the fake's own ceiling (bare client, paid broadcasts): {limit:.0f}/s")
                api.clear()
            else:
                api.rate_limit()
            env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token,
                   "TELEGRAM_API_BASE_URL": api.base_url, "DATABASE_PATH": str(db_path),
                   "SEED_DEFAULT_FEEDS": "false", "ALLOW_PRIVATE_FEED_URLS": "true",
                   "FEED_POLL_INTERVAL": "3600", "LOG_LEVEL": "INFO",
                   "PAID_BROADCAST": str(paid).lower(), "BROADCAST_RATE": "1000"}
            log_path = Path(folder) / "bot.log"
            with log_path.open("wb") as log:
                bot = await asyncio.create_subprocess_exec(
                    sys.executable, "main.py", cwd=ROOT, env=env, stdout=log, stderr=log
                )
            try:
                def digests() -> list[dict]:
                    return [m for m in api.sent_messages() if "Ringkasan Warta" in m["text"]]

                deadline = time.monotonic() + chats / limit * 3 + 60
                while len({m["chat_id"] for m in digests()}) < chats:
                    if time.monotonic() > deadline or bot.returncode is not None:
                        break
                    await asyncio.sleep(0.2)
                await asyncio.sleep(2)  # anything sent twice would arrive now
                memory = peak_memory_mb(bot.pid)
            finally:
                if bot.returncode is None:
                    bot.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(bot.wait(), timeout=30)

            accepted = [c for c in api.calls("sendMessage")
                        if c.status == 200 and "Ringkasan Warta" in c.params.get("text", "")]
            times = [c.time for c in accepted]
            elapsed = max(times) - min(times) if times else 0.0
            rate = (len(accepted) - 1) / elapsed if elapsed else 0.0
            per_chat = Counter(c.params["chat_id"] for c in accepted)
            print(f"messages sent: {len(accepted)} to {len(per_chat)} chats")
            print(f"429s received: {api.flood_refusals}")
            print(f"elapsed, first digest to last: {elapsed:.1f} s")
            print(f"achieved: {rate:.2f} messages/s, ratio to the {limit:.0f}/s limit: "
                  f"{rate / limit:.3f} (target >= {target})")
            print(f"lost (chats without a digest): {chats - len(per_chat)}; "
                  f"duplicates: {sum(n - 1 for n in per_chat.values())}")
            print(f"peak memory of the bot process: {memory:.0f} MB")
            print(f"composing the {chats} digests took {compose_seconds(log_path)} "
                  "(sending began with the first)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=3000)
    parser.add_argument("--paid", action="store_true", help="paid broadcasts at up to 1000/s")
    options = parser.parse_args()
    asyncio.run(main(options.chats, options.paid))
