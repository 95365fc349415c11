"""Delivery speed: the morning run of 3,000 chats whose digests fall due at once, sent by the
real bot process (main.py) to the fake Bot API in rate-limited mode, which answers 429 like
Telegram past 30 messages a second overall, 1 a second per chat (burst 3) and 20 a minute per
group. Prints messages sent, 429s received, the time from the first digest to the last, the
messages per second achieved and their ratio to the 30/s limit (target: at least 0.97), chats
that got nothing or got a digest twice (target: 0 and 0), and the peak memory of the bot
process.

With --paid, digests go as paid broadcasts (PAID_BROADCAST=true, BROADCAST_RATE=1000) to the
fake set to Telegram's paid limit of 1,000 messages a second; the bench first measures the
fake's own ceiling with a bare HTTP client (in a process of its own, as the bot is) sending as
fast as it can, and prints Warta's rate as a ratio of that ceiling (target: at least 0.8).

Run: .venv/bin/python bench/bench_delivery.py [--chats 3000] [--paid]
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

import aiohttp  # noqa: E402

from tests.support.feed_host import FeedHost  # noqa: E402
from tests.support.feedgen import kaltim_entries, rss  # noqa: E402
from tests.support.fleet import prepare_fleet  # noqa: E402
from tests.support.telegram_api import FakeTelegramAPI  # noqa: E402

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


async def bare_client(url: str, params: dict, messages: int, workers: int) -> None:
    """Send `messages` copies of a sendMessage call (`params`, to distinct chats) through
    `url`, `workers` at a time, as fast as the fake answers; print the messages a second it
    accepted. On aiohttp, the cheapest client at hand, so that the client is not the limit.

    The fake first takes a burst (a second's worth of paid broadcasts at once): once it
    refuses one, its bucket is empty and the pace it accepts from then on is its ceiling, as
    Warta's rate is over thousands of messages. If it never refuses, the whole run counts."""
    chat_ids = iter(range(1, messages + 1))
    accepted, since = 0, time.perf_counter()
    limited = False

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal accepted, since, limited
        for chat_id in chat_ids:
            async with session.post(url, data={**params, "chat_id": str(chat_id)}) as answer:
                await answer.read()
            if answer.status == 429 and not limited:
                limited, accepted, since = True, 0, time.perf_counter()
            accepted += answer.status == 200

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=workers)) as session:
        await asyncio.gather(*(worker(session) for _ in range(workers)))
        print(accepted / (time.perf_counter() - since))


async def bare_ceiling(
    api: FakeTelegramAPI, params: dict, messages: int = 8000, workers: int = 64
) -> float:
    """Messages a second the fake itself answers to a bare client sending the same call as
    Warta's digests (`params`: text, parse mode, paid broadcast) to distinct chats, as fast as
    it can: the ceiling Warta's rate is measured against.

    The client runs in a process of its own, as the bot does, so the fake has its core to
    itself in both measurements (a client inside the fake's process halved the ceiling)."""
    url = f"{api.base_url}{api.token}/sendMessage"
    form = {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in params.items()
        if key != "chat_id"
    }
    client = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--bare-client",
        url,
        json.dumps(form),
        str(messages),
        str(workers),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    output, _ = await client.communicate()
    return float(output.decode().strip().splitlines()[-1])


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
            if paid:
                api.rate_limit(paid_per_second=1000)
            else:
                api.rate_limit()
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "DATABASE_PATH": str(db_path),
                "SEED_DEFAULT_FEEDS": "false",
                "ALLOW_PRIVATE_FEED_URLS": "true",
                "FEED_POLL_INTERVAL": "3600",
                "LOG_LEVEL": "INFO",
                "PAID_BROADCAST": str(paid).lower(),
                "BROADCAST_RATE": "1000",
            }
            log_path = Path(folder) / "bot.log"
            with log_path.open("wb") as log:
                bot = await asyncio.create_subprocess_exec(
                    sys.executable, "main.py", cwd=ROOT, env=env, stdout=log, stderr=log
                )
            try:

                def reached() -> int:
                    # Cheap on purpose: the fake shares this process, and copying every sent
                    # message five times a second took a seventh of its CPU from the run.
                    return len(
                        {
                            c.params.get("chat_id")
                            for c in api.calls("sendMessage")
                            if c.status == 200
                        }
                    )

                deadline = time.monotonic() + chats / LIMIT * 3 + 60
                while reached() < chats:
                    if time.monotonic() > deadline or bot.returncode is not None:
                        break
                    await asyncio.sleep(0.2)
                await asyncio.sleep(2)  # anything sent twice would arrive now
                memory = peak_memory_mb(bot.pid)
            finally:
                if bot.returncode is None:
                    bot.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(bot.wait(), timeout=30)

            accepted = [
                c
                for c in api.calls("sendMessage")
                if c.status == 200 and "Ringkasan Warta" in c.params.get("text", "")
            ]
            times = [c.time for c in accepted]
            elapsed = max(times) - min(times) if times else 0.0
            rate = (len(accepted) - 1) / elapsed if elapsed else 0.0
            per_chat = Counter(c.params["chat_id"] for c in accepted)
            limit, target = LIMIT, 0.97
            if paid and accepted:
                # Measured after Warta's run, with the call its digests made.
                limit, target = await bare_ceiling(api, dict(accepted[0].params)), 0.8
                print(
                    f"the fake's own ceiling (bare client, the same paid broadcast as "
                    f"Warta's digests): {limit:.0f}/s"
                )
            print(f"messages sent: {len(accepted)} to {len(per_chat)} chats")
            print(f"429s received: {api.flood_refusals}")
            print(f"elapsed, first digest to last: {elapsed:.1f} s")
            print(
                f"achieved: {rate:.2f} messages/s, ratio to the {limit:.0f}/s limit: "
                f"{rate / limit:.3f} (target >= {target})"
            )
            print(
                f"lost (chats without a digest): {chats - len(per_chat)}; "
                f"duplicates: {sum(n - 1 for n in per_chat.values())}"
            )
            print(f"peak memory of the bot process: {memory:.0f} MB")
            print(
                f"composing the {chats} digests took {compose_seconds(log_path)} "
                "(sending began with the first)"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=3000)
    parser.add_argument("--paid", action="store_true", help="paid broadcasts at up to 1000/s")
    parser.add_argument(
        "--bare-client",
        nargs=4,
        metavar=("URL", "PARAMS", "MESSAGES", "WORKERS"),
        help=argparse.SUPPRESS,
    )  # the ceiling's client process (bare_ceiling)
    options = parser.parse_args()
    if options.bare_client:
        url, params, messages, workers = options.bare_client
        asyncio.run(bare_client(url, json.loads(params), int(messages), int(workers)))
    else:
        asyncio.run(main(options.chats, options.paid))
