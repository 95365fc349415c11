"""Delivery through an outage of Telegram, at the issue's scale: the real bot process (main.py)
sends the morning digests of 300 chats due at once to the fake Bot API in rate-limited mode.
From the first digest on, Telegram's front answers 502 (nginx's HTML page) to every call for
--down seconds (60); after --after more digests (100) it hangs for --hang seconds (40), losing
the calls it took (their clients time out). A reader types /help during each outage.

Prints, for each outage: how long after Telegram answered again the first digest went out and
the /help was answered (target: within 5 s); then the time from Telegram's return to the last
digest (target: within 60 s), chats without a digest and digests sent twice (target: 0 and 0),
and the bot's log lines about it: outage lines (target: one at each end of each outage) and
tracebacks (target: none). Baseline, in the same run: the same chats sent by a bot with no
outage, first digest to last.

Run: .venv/bin/python bench/bench_outage.py [--chats 300] [--down 60] [--hang 40] [--after 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.feed_host import FeedHost  # noqa: E402
from tests.support.feedgen import kaltim_entries, rss  # noqa: E402
from tests.support.fleet import prepare_fleet  # noqa: E402
from tests.support.telegram_api import FakeTelegramAPI  # noqa: E402

READER = 4242  # types /help during the outages


def is_digest(call) -> bool:
    """A digest message Telegram accepted."""
    return (
        call.method == "sendMessage"
        and call.status == 200
        and "Ringkasan Warta" in call.params.get("text", "")
    )


async def start_bot(api: FakeTelegramAPI, db_path: Path, log: Path):
    """main.py against `api` on `db_path`, its output into `log`."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_PATH": str(db_path),
        "SEED_DEFAULT_FEEDS": "false",
        "ALLOW_PRIVATE_FEED_URLS": "true",
        "FEED_POLL_INTERVAL": "3600",
        "LOG_LEVEL": "INFO",
    }
    with log.open("wb") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "main.py", cwd=ROOT, env=env, stdout=sink, stderr=sink
        )


async def stop_bot(bot) -> None:
    """SIGTERM, and wait for it to end."""
    if bot.returncode is None:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), timeout=30)


async def fleet(folder: Path, name: str, host: FeedHost, chats: list[int]) -> Path:
    """A database of `chats` due now with news waiting."""
    db_path = folder / f"{name}.db"
    await prepare_fleet(db_path, chats, host.url("/kabar.xml"))
    return db_path


async def all_sent(api: FakeTelegramAPI, chats: list[int], timeout: float) -> None:
    """Until every chat has had a digest."""
    await api.wait_until(
        lambda: (
            len({c.params["chat_id"] for c in api.calls("sendMessage") if is_digest(c)})
            >= len(chats)
        ),
        timeout=timeout,
    )


async def baseline(folder: Path, host: FeedHost, chats: list[int]) -> float:
    """First digest to last with no outage."""
    async with FakeTelegramAPI() as api:
        api.rate_limit()
        db_path = await fleet(folder, "baseline", host, chats)
        bot = await start_bot(api, db_path, folder / "baseline.log")
        try:
            await all_sent(api, chats, timeout=len(chats) / 10 + 60)
        finally:
            await stop_bot(bot)
        times = [c.time for c in api.calls("sendMessage") if is_digest(c)]
        return max(times) - min(times)


async def answered_after(api: FakeTelegramAPI, chat_id: int, since: float) -> float:
    """Seconds from `since` to the bot's answer to `chat_id`."""
    [answer] = await api.wait_for(
        lambda c: (
            c.method == "sendMessage" and c.status == 200 and c.params.get("chat_id") == chat_id
        ),
        timeout=120,
    )
    return answer.time - since


async def first_digest_after(api: FakeTelegramAPI, since: float) -> float:
    """Seconds from `since` to the first digest accepted after it."""
    [first, *_] = await api.wait_for(lambda c: is_digest(c) and c.time > since, timeout=120)
    return first.time - since


async def outage(
    folder: Path, host: FeedHost, chats: list[int], down: float, hang: float, after: int
) -> None:
    """The run through both outages; prints its figures."""
    async with FakeTelegramAPI() as api:
        api.rate_limit()
        db_path = await fleet(folder, "outage", host, chats)
        log = folder / "outage.log"
        bot = await start_bot(api, db_path, log)
        try:
            await api.wait_for(is_digest, timeout=60)
            api.go_down(502)  # at the due time
            await asyncio.sleep(min(5.0, down / 2))
            api.push_text(READER, "/help")
            await asyncio.sleep(down - min(5.0, down / 2))
            api.come_back()
            back = time.monotonic()
            help_1 = await answered_after(api, READER, back)
            first_1 = await first_digest_after(api, back)
            sent = len([c for c in api.calls("sendMessage") if is_digest(c)])
            await api.wait_for(is_digest, count=sent + after, timeout=60)
            api.hang(answer_at_end=False)  # mid-run; the calls it takes are lost
            await asyncio.sleep(min(5.0, hang / 2))
            api.push_text(READER + 1, "/help")
            await asyncio.sleep(hang - min(5.0, hang / 2))
            api.come_back()
            back = time.monotonic()
            help_2 = await answered_after(api, READER + 1, back)
            first_2 = await first_digest_after(api, back)
            await all_sent(api, chats, timeout=120)
            await asyncio.sleep(3)  # anything sent twice would arrive now
        finally:
            await stop_bot(bot)
        digests = [c for c in api.calls("sendMessage") if is_digest(c)]
        last = max(c.time for c in digests) - back
        per_chat = Counter(c.params["chat_id"] for c in digests)
        text = log.read_text()
        print(
            f"502 for {down:.0f} s at the due time: first digest {first_1:.1f} s and /help "
            f"answered {help_1:.1f} s after Telegram answered again (target <= 5 s)"
        )
        print(
            f"hang for {hang:.0f} s mid-run, calls lost: first digest {first_2:.1f} s and "
            f"/help answered {help_2:.1f} s after Telegram answered again (target <= 5 s)"
        )
        print(f"last digest {last:.1f} s after Telegram answered again (target <= 60 s)")
        print(
            f"lost (chats without a digest): {len(chats) - len(per_chat)}; duplicates: "
            f"{sum(n - 1 for n in per_chat.values())}"
        )
        print(
            f"bot log: {text.count('Telegram does not answer')} outage-start lines, "
            f"{text.count('Telegram answers again')} outage-end lines, "
            f"{text.count('Traceback')} tracebacks, {len(text.splitlines())} lines in all"
        )


async def main(chats: int, down: float, hang: float, after: int) -> None:
    """The baseline, then the outage run."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        async with FeedHost() as host:
            host.add("/kabar.xml", rss(kaltim_entries(5, start=datetime.now(UTC))))
            chat_ids = list(range(910_001, 910_001 + chats))
            clean = await baseline(folder, host, chat_ids)
            print(
                f"baseline, same run: {chats} digests with no outage, first to last in "
                f"{clean:.1f} s"
            )
            await outage(folder, host, chat_ids, down, hang, after)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--down", type=float, default=60.0)
    parser.add_argument("--hang", type=float, default=40.0)
    parser.add_argument("--after", type=int, default=100)
    options = parser.parse_args()
    asyncio.run(main(options.chats, options.down, options.hang, options.after))
