"""A month of news and thousands of readers: the real bot on a big database.

1. A month: 100 feeds x 1,000 items over 30 days, served on loopback, imported through the real
   ingestion path (`main.py feeds import`), then re-polled unchanged (`main.py poll`): time, peak
   memory of the whole process tree (main process and ingest workers), database size.
2. 4,000 readers following Kaltim and Pendidikan, all due at the same minute; the real bot
   (`main.py`, running, its start-up poll of the month's feeds done) against the fake Bot API in
   rate-limited mode (30 messages a second): time from the due minute to the first digest
   sent, digests and messages sent in the first minute, a reader's /help answer time while it
   runs, the process tree's peak memory, and the time composing took per 1,000 chats.
3. /digest, /latest and /stats answer times on the big database beside the same on an empty
   database, measured in the same run.

Run: .venv/bin/python bench/bench_scale.py [--feeds 100] [--items 1000] [--readers 4000]
     [--month PATH]   (keep the month's database at PATH and reuse it on the next run: the
                       import and re-poll figures are then skipped)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import WORDS  # noqa: E402
from bot.feeds.opml import OpmlFeed, write_opml  # noqa: E402
from storage import subscribers as subscriber_store  # noqa: E402
from storage.db import open_database  # noqa: E402
from tests.support.feed_host import FeedHost  # noqa: E402
from tests.support.feedgen import Entry, rss  # noqa: E402
from tests.support.telegram_api import FakeTelegramAPI  # noqa: E402

WITA = ZoneInfo("Asia/Makassar")
ADMIN = 42
PLACES = "Samarinda Balikpapan Bontang Kutai Kartanegara Berau Paser Jakarta Surabaya".split()
SUBJECTS = ("sekolah", "beasiswa", "guru", "investasi", "jalan", "banjir", "pasar", "harga")


def month_feed(rng: random.Random, feed: int, items: int, now: datetime) -> str:
    """A feed with `items` stories spread over the last 30 days, about places and subjects."""
    entries = []
    for n in range(items):
        place, subject = rng.choice(PLACES), rng.choice(SUBJECTS)
        title = f"{subject.capitalize()} di {place}: " + " ".join(rng.choices(WORDS, k=6))
        body = f"{place.upper()} - " + " ".join(rng.choices(WORDS, k=60))
        entries.append(
            Entry(
                title,
                f"https://site{feed % 10}.example/{feed}/{n}",
                f"<p>{body}</p>",
                published=now - timedelta(days=30) * (n / items),
            )
        )
    return rss(entries, title=f"Kanal {feed}")


def tree_rss(pid: int) -> list[float]:
    """Resident memory of a process and each of its descendants, in MB, the process first."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    sizes, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return sizes


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    return sum(tree_rss(pid))


async def run_measured(args: list[str], env: dict) -> tuple[float, float, str]:
    """Run main.py with args; (seconds, peak MB of its process tree, output)."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "main.py",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    peak = 0.0
    reader = asyncio.create_task(process.stdout.read())
    while process.returncode is None:
        peak = max(peak, tree_rss_mb(process.pid))
        try:
            await asyncio.wait_for(process.wait(), timeout=0.2)
        except TimeoutError:
            pass
    return time.perf_counter() - started, peak, (await reader).decode(errors="replace")


READERS = range(1_000_001, 1_100_001)


def add_readers(db_path: Path, count: int, due: str) -> None:
    """`count` readers following kaltim and education, due at `due` (WITA), created a day ago."""
    db = open_database(db_path)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    with db.atomic():
        for chat_id in READERS[:count]:
            subscriber_store.create_subscriber(
                db,
                chat_id,
                language="id",
                timezone="Asia/Makassar",
                digest_times=(due,),
                now=yesterday,
            )
            subscriber_store.add_topics(db, chat_id, ["kaltim", "education"])
    db.close()


async def answer_time(api: FakeTelegramAPI, chat_id: int, text: str, timeout: float = 60) -> float:
    """Seconds from a reader typing `text` to the bot's first answer."""
    before = len(api.calls())
    started = time.monotonic()
    api.push_text(chat_id, text, user_id=chat_id)
    await api.wait_for(
        lambda c: (
            c.method in ("sendMessage", "sendPhoto")
            and c.status == 200
            and c.params.get("chat_id") in (chat_id, str(chat_id))
        ),
        timeout=timeout,
        after=before,
    )
    return time.monotonic() - started


async def start_bot(env: dict, log: Path) -> asyncio.subprocess.Process:
    """The real bot process, logging to `log`."""
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "main.py", cwd=ROOT, env=env, stdout=sink, stderr=sink
        )


async def stop_bot(bot: asyncio.subprocess.Process) -> None:
    """SIGTERM, and wait for a clean stop."""
    if bot.returncode is None:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), timeout=120)  # a poll at start may be running


async def command_times(api: FakeTelegramAPI, env: dict, log: Path) -> dict[str, float]:
    """Median answer times of /digest, /latest and /stats on the database in env."""
    bot = await start_bot(env, log)
    try:
        await api.wait_for("setMyCommands", count=2, timeout=60)
        reader = 7_000_001 + len(api.calls())
        await answer_time(api, reader, "/subscribe kaltim pendidikan")
        times: dict[str, list[float]] = {"/digest": [], "/latest": [], "/stats": []}
        for _ in range(3):
            times["/latest"].append(await answer_time(api, reader, "/latest"))
            times["/stats"].append(await answer_time(api, ADMIN, "/stats"))
        times["/digest"].append(await answer_time(api, reader, "/digest"))
        return {command: statistics.median(values) for command, values in times.items()}
    finally:
        await stop_bot(bot)


async def wait_for_log(log: Path, text: str, timeout: float) -> None:
    """Until `text` appears in the bot's log."""
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {text!r} in the bot's log after {timeout:.0f} s")
        await asyncio.sleep(0.5)


def next_due_minute() -> datetime:
    """The next whole minute at least 20 s away."""
    due = (datetime.now(UTC) + timedelta(minutes=1)).replace(second=0, microsecond=0)
    return due + timedelta(minutes=1) if (due - datetime.now(UTC)).total_seconds() < 20 else due


async def morning(api: FakeTelegramAPI, env: dict, log: Path, db_path: Path, readers: int) -> None:
    """The bot runs (its start-up poll of the month's feeds done); `readers` readers fall due
    at the next minute; measure the run's first minute."""
    log.write_text("")
    bot = await start_bot(env, log)
    peak: list[float] = [0.0]
    parts: list[list[float]] = [[]]

    async def sample() -> None:
        # From start to stop: the start-up poll of the month's feeds included.
        while bot.returncode is None:
            sizes = tree_rss(bot.pid)
            if sum(sizes) > peak[0]:
                peak[0], parts[0] = sum(sizes), sizes
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    try:
        await wait_for_log(log, "Polled ", timeout=300)
        due = next_due_minute()
        add_readers(db_path, readers, due.astimezone(WITA).strftime("%H:%M"))
        api.clear()
        api.rate_limit()
        while datetime.now(UTC) < due:
            await asyncio.sleep(0.5)
        digests = lambda: [m for m in api.sent_messages() if "Ringkasan" in m["text"]]  # noqa: E731
        while not digests() and (datetime.now(UTC) - due).total_seconds() < 120:
            await asyncio.sleep(0.1)
        first = datetime.now(UTC)
        print(f"due minute to the first digest sent: {(first - due).total_seconds():.1f} s")
        helps = []
        while (datetime.now(UTC) - first).total_seconds() < 60:
            helps.append(await answer_time(api, ADMIN, "/help"))
            await asyncio.sleep(4)
        # Every message to a reader is a digest's: a digest of two topics' top stories often
        # takes two messages, and only the first has the heading.
        sent = [
            c
            for c in api.calls("sendMessage")
            if c.status == 200 and c.params.get("chat_id") in READERS
        ]
        chats = {c.params["chat_id"] for c in sent}
        span = max(c.time for c in sent) - min(c.time for c in sent) if len(sent) > 1 else 0
        rate = (len(sent) - 1) / span if span else 0.0
        started = sum("Ringkasan" in c.params["text"] for c in sent)
        print(
            f"in the first minute: {len(sent)} digest messages to {len(chats)} of "
            f"{readers} chats ({started} digests begun), {rate:.1f} messages/s while "
            f"sending (limit 30)"
        )
        print(f"429s received: {api.flood_refusals}")
        print(
            f"/help during the run: median {statistics.median(helps):.2f} s, "
            f"worst {max(helps):.2f} s ({len(helps)} asked)"
        )
        shares = " + ".join(f"{size:.0f}" for size in parts[0])
        print(
            f"peak memory of the process tree, start-up poll included: {peak[0]:.0f} MB "
            f"(bot + workers: {shares}; target < 200 MB)"
        )
        await wait_for_log(log, "Composed ", timeout=600)
        composed = re.search(r"Composed (\d+) digests in ([\d.]+) s", log.read_text())
        chats, seconds = int(composed[1]), float(composed[2])
        print(
            f"composing: {chats} digests in {seconds:.1f} s, "
            f"{seconds / chats * 1000:.1f} s per 1,000 chats"
        )
    finally:
        await stop_bot(bot)
        await sampler


async def build_month(env: dict, opml: Path, feeds: int, items: int) -> None:
    """Import the month's feeds through the real ingestion path, then re-poll them."""
    seconds, peak, _ = await run_measured(["feeds", "import", str(opml)], env)
    print(
        f"feeds import of {feeds} x {items} items: {seconds:.1f} s, process tree peak "
        f"{peak:.0f} MB"
    )
    seconds, peak, _ = await run_measured(["poll"], env)
    print(f"re-poll of the unchanged feeds: {seconds:.1f} s, peak {peak:.0f} MB")


async def main(feeds: int, items: int, readers: int, month: Path | None) -> None:
    """Build the month, then measure the morning and the commands."""
    rng, now = random.Random(11), datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        big, empty, log = Path(folder) / "big.db", Path(folder) / "empty.db", Path(folder) / "log"
        if month is not None and month.exists():
            shutil.copy(month, big)
        async with FeedHost() as host, FakeTelegramAPI() as api:
            for feed in range(feeds):
                host.add(f"/{feed}.xml", month_feed(rng, feed, items, now), etag=False)
            opml = Path(folder) / "feeds.opml"
            opml.write_bytes(write_opml([OpmlFeed(host.url(f"/{n}.xml")) for n in range(feeds)]))
            base = {
                **os.environ,
                "SEED_DEFAULT_FEEDS": "false",
                "ALLOW_PRIVATE_FEED_URLS": "true",
                "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "ADMIN_IDS": str(ADMIN),
                "FEED_POLL_INTERVAL": "86400",
            }
            env = {**base, "DATABASE_PATH": str(big)}
            if not big.exists():
                await build_month(env, opml, feeds, items)
                if month is not None:
                    shutil.copy(big, month)
            print(f"database of the month: {big.stat().st_size / 1e6:.0f} MB")
            times_big = await command_times(api, env, log)
            times_empty = await command_times(api, {**base, "DATABASE_PATH": str(empty)}, log)
            for command in times_big:
                print(
                    f"{command}: {times_big[command]:.3f} s on the month, "
                    f"{times_empty[command]:.3f} s on an empty database"
                )
            await morning(api, env, log, big, readers)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--readers", type=int, default=4000)
    parser.add_argument("--month", type=Path, default=None)
    options = parser.parse_args()
    asyncio.run(main(options.feeds, options.items, options.readers, options.month))
