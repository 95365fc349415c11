"""Readers while another process holds SQLite's write lock, at the issue's scale: the real bot
process (main.py) runs against the fake Bot API; another connection takes the write lock
(BEGIN IMMEDIATE, as an operator's `sqlite3` session does) for --hold seconds (20), while
--readers readers (20) send /subscribe and a reader sends /help every second.

Prints the /help answer times during the lock (worst and median; target: within 2 s), the
/subscribe commands applied once the lock is free (target: all) and answered with the generic
apology (target: none). Baseline, in the same run: /help answer times with no lock.

Run: .venv/bin/python bench/bench_lock.py [--hold 20] [--readers 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_outage import start_bot, stop_bot  # noqa: E402
from storage.db import open_database  # noqa: E402
from tests.support.telegram_api import FakeTelegramAPI  # noqa: E402

HELPERS = iter(range(5_000_001, 5_100_000))  # a reader asking /help: a new one each second


async def help_times(api: FakeTelegramAPI, seconds: float) -> list[float]:
    """A reader sends /help once a second for `seconds` (each time another reader: one chat
    that fast would be held back by FLOOD_PROTECTION); the time each took to be answered."""
    times: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        helper = next(HELPERS)
        asked = time.monotonic()
        api.push_text(helper, "/help")
        await api.wait_until(lambda chat=helper: bool(api.sent_messages(chat)), timeout=60)
        times.append(time.monotonic() - asked)
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - asked)))
    return times


async def main(hold: float, readers: int) -> None:
    """The baseline, then the same with the lock held; prints the figures."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        db_path = folder / "warta.db"
        open_database(db_path).close()
        async with FakeTelegramAPI() as api:
            bot = await start_bot(api, db_path, folder / "bot.log")
            try:
                await api.wait_for("getUpdates", timeout=60)
                clean = await help_times(api, 5)
                chats = list(range(5_100_001, 5_100_001 + readers))
                other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
                other.execute("BEGIN IMMEDIATE")
                held = time.monotonic()
                for chat_id in chats:
                    api.push_text(chat_id, "/subscribe kaltim pendidikan")
                locked = await help_times(api, hold)
                answered_in_lock = sum(bool(api.sent_messages(c)) for c in chats)
                other.execute("COMMIT")
                other.close()
                print(f"lock held {time.monotonic() - held:.1f} s")
                await api.wait_until(lambda: all(api.sent_messages(c) for c in chats), timeout=90)
            finally:
                await stop_bot(bot)
        with sqlite3.connect(db_path) as db:
            applied = db.execute(
                "SELECT count(*) FROM (SELECT chat_id FROM subscriber_topics WHERE chat_id >= ? "
                "AND topic_slug IN ('kaltim', 'education') GROUP BY chat_id "
                "HAVING count(*) = 2)",
                [chats[0]],
            ).fetchone()[0]
        texts = [text for c in chats for text in api.sent_texts(c)]
        print(
            f"baseline, same run: /help answered in median {statistics.median(clean):.3f} s, "
            f"worst {max(clean):.3f} s ({len(clean)} asks, no lock)"
        )
        print(
            f"during the lock: /help answered in median {statistics.median(locked):.3f} s, "
            f"worst {max(locked):.3f} s ({len(locked)} asks; target <= 2 s)"
        )
        print(
            f"/subscribe: {applied} of {readers} applied after the lock (target: all), "
            f"{answered_in_lock} answered during it, "
            f"{sum('gangguan' in t for t in texts)} answered with the apology (target: 0)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold", type=float, default=20.0)
    parser.add_argument("--readers", type=int, default=20)
    options = parser.parse_args()
    asyncio.run(main(options.hold, options.readers))
