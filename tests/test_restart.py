"""Exactly once through a crash: the real bot process (main.py) is killed with SIGKILL in the
middle of a morning run to many chats, against the fake Bot API in rate-limited mode, and
started again. Every chat must get its digest, and only the messages in flight at the kill may
arrive twice."""

import asyncio
import os
import signal
import sqlite3
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.feedgen import kaltim_entries, rss
from tests.support.fleet import prepare_fleet
from tests.support.running import is_digest, start_bot

CHATS = 90  # three seconds of sending at 30 a second: the kill lands inside the run
CHAT_IDS = list(range(700_001, 700_001 + CHATS))
ITEMS = 3

# Every test here runs main.py in a process of its own.
pytestmark = [pytest.mark.timeout(120), pytest.mark.slow]


async def morning(tmp_path, telegram_api, feed_host, prepare_pool) -> dict:
    """CHATS chats due now with ITEMS stories waiting; the environment to start the bot."""
    feed_host.add("/kabar.xml", rss(kaltim_entries(ITEMS, start=datetime.now(UTC))))
    db_path = tmp_path / "warta.db"
    stored = await prepare_fleet(db_path, CHAT_IDS, feed_host.url("/kabar.xml"), prepare_pool)
    assert stored == ITEMS
    # The fake answers 429 past 30 messages/s overall and 1/s per chat, like Telegram.
    telegram_api.rate_limit()
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": telegram_api.token,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "DATABASE_PATH": str(db_path),
        "SEED_DEFAULT_FEEDS": "false",
        "ALLOW_PRIVATE_FEED_URLS": "true",
        "FEED_POLL_INTERVAL": "3600",
    }


def outbox_counts(db_path: Path) -> Counter:
    """The bot's outbox rows by state ('pending', 'sent', ...), read from its database file."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        return Counter(dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state")))


async def until(condition, timeout: float = 10.0) -> None:
    """Wait for a condition on the bot's database file, which sends no event to wait on."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def restart_and_finish(env: dict, log: Path, telegram_api) -> Counter:
    """Start the bot again; once every chat has a digest and every message the outbox owed is
    sent, stop it; return the number of digests each chat got, having checked that none lacks
    an item and that nothing is left in the outbox to be sent (twice) later."""
    db_path = Path(env["DATABASE_PATH"])
    owed = outbox_counts(db_path)["pending"] + accepted_digests(telegram_api)
    second = await start_bot(env, log)
    try:

        def delivered() -> set[int]:
            return {
                m["chat_id"]
                for m in telegram_api.sent_messages()
                if "Ringkasan Warta" in m["text"]
            }

        # Chats whose digest the killed bot never composed get theirs now too (the catch-up).
        await telegram_api.wait_until(
            lambda: delivered() >= set(CHAT_IDS) and accepted_digests(telegram_api) >= owed,
            timeout=60,
        )
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), timeout=20)
    finally:
        if second.returncode is None:
            second.kill()
            await second.wait()
    assert outbox_counts(db_path)["pending"] == 0
    text = log.read_text()
    assert text.count("Warta started") == 2 and telegram_api.token not in text
    digests = [m for m in telegram_api.sent_messages() if "Ringkasan Warta" in m["text"]]
    per_chat = Counter(m["chat_id"] for m in digests)
    assert set(per_chat) == set(CHAT_IDS), f"without a digest: {set(CHAT_IDS) - set(per_chat)}"
    for chat_id in CHAT_IDS:
        texts = [m["text"] for m in digests if m["chat_id"] == chat_id]
        for n in range(1, ITEMS + 1):
            assert any(f"Berita {n}:" in t for t in texts), (chat_id, n)
    assert telegram_api.flood_refusals <= 5
    return per_chat


def accepted_digests(telegram_api) -> int:
    return len([c for c in telegram_api.calls() if is_digest(c) and c.status == 200])


async def test_killed_mid_run_the_bot_finishes_the_run_once_after_restart(
    tmp_path, telegram_api, feed_host, measured, prepare_pool
):
    env = await morning(tmp_path, telegram_api, feed_host, prepare_pool)
    log, db_path = tmp_path / "bot.log", tmp_path / "warta.db"
    first = await start_bot(env, log)
    try:
        await telegram_api.wait_for(is_digest, count=CHATS // 3, timeout=60)
        # Freeze Telegram with messages in flight, let the bot record what was answered, kill.
        telegram_api.hold("sendMessage")
        await telegram_api.wait_held("sendMessage", count=1, timeout=10)
        # Every message Telegram answered is recorded as sent before the kill: the test is
        # about the ones in flight, not ones the bot had heard back about.
        await until(lambda: outbox_counts(db_path)["sent"] >= accepted_digests(telegram_api))
        first.send_signal(signal.SIGKILL)
        await first.wait()
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    # Counted once the process is dead: every request it had sent is held by now (the bot
    # paces its sends, so more may have arrived after the first was held).
    in_flight = telegram_api.held("sendMessage")
    # The messages in flight reached Telegram even though the bot never heard back.
    telegram_api.release("sendMessage")
    await telegram_api.wait_until(
        lambda: all(c.status is not None for c in telegram_api.calls("sendMessage"))
    )
    before_restart = accepted_digests(telegram_api)
    assert before_restart < CHATS, "the run finished before the kill; the test proves nothing"

    per_chat = await restart_and_finish(env, log, telegram_api)
    repeated = sum(count - 1 for count in per_chat.values())
    assert repeated <= in_flight, (repeated, in_flight)
    measured(
        f"kill and restart: {CHATS} chats, killed after {before_restart} digests with "
        f"{in_flight} in flight; {repeated} repeated, 0 lost, "
        f"{telegram_api.flood_refusals} answered 429"
    )


async def test_stopped_mid_run_the_bot_sends_nothing_twice(
    tmp_path, telegram_api, feed_host, prepare_pool
):
    env = await morning(tmp_path, telegram_api, feed_host, prepare_pool)
    log = tmp_path / "bot.log"
    first = await start_bot(env, log)
    try:
        await telegram_api.wait_for(is_digest, count=CHATS // 3, timeout=60)
        first.send_signal(signal.SIGTERM)  # systemd, docker stop, Ctrl-C
        assert await asyncio.wait_for(first.wait(), timeout=20) == 0
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    assert accepted_digests(telegram_api) < CHATS
    per_chat = await restart_and_finish(env, log, telegram_api)
    # A clean stop lets the messages in flight be answered and recorded: none repeats.
    assert max(per_chat.values()) == 1
