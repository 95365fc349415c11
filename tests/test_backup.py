"""Backups: `python main.py backup FILE` while the real bot process sends a morning run, then
`python main.py restore FILE` into a fresh folder, with nothing lost; restore refuses while the
bot runs, and refuses a damaged, foreign or newer file without changing anything."""

import asyncio
import io
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.ops import cli
from bot.ops.runlock import RunLock
from bot.runtime.core import Core
from bot.services.container import Services
from storage.db import open_database
from tests.support.feedgen import kaltim_entries, rss
from tests.support.fleet import prepare_fleet
from tests.support.running import is_digest

ROOT = Path(__file__).resolve().parents[1]
# About 15 s of sending: the fake Telegram takes 10 messages a second and answers the rest with
# 429 (retry after 1 s), so the backup, a second process started after the first 15 digests,
# lands inside the run even on a busy machine (at 30 a second, a loaded CI could end the run
# first).
CHATS = 150
CHAT_IDS = list(range(800_001, 800_001 + CHATS))
# Messages the delivery task may have had answered but not yet recorded when the backup's
# snapshot was taken: its 24 chats at once.
IN_FLIGHT = 24

pytestmark = pytest.mark.timeout(120)


def main_py(args: list[str], database: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_"))},
        "DATABASE_PATH": str(database),
        "SEED_DEFAULT_FEEDS": "false",
        **env,
    }
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.slow
async def test_backup_during_a_run_restores_into_a_fresh_folder_with_nothing_lost(
    tmp_path, telegram_api, feed_host, measured, prepare_pool
):
    feed_host.add("/kabar.xml", rss(kaltim_entries(3, start=datetime.now(UTC))))
    live = tmp_path / "live" / "warta.db"
    await prepare_fleet(live, CHAT_IDS, feed_host.url("/kabar.xml"), prepare_pool)
    due_since = dict(rows(live, "SELECT chat_id, last_slot_at FROM subscribers"))
    telegram_api.rate_limit(per_second=10, overall_burst=10)
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": telegram_api.token,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "DATABASE_PATH": str(live),
        "SEED_DEFAULT_FEEDS": "false",
        "ALLOW_PRIVATE_FEED_URLS": "true",
        "FEED_POLL_INTERVAL": "3600",
    }
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        "main.py",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    backup = tmp_path / "backups" / "pagi.db"
    try:
        await telegram_api.wait_for(is_digest, count=CHATS // 10, timeout=60)
        accepted_before = len(
            [c for c in telegram_api.calls("sendMessage") if is_digest(c) and c.status == 200]
        )
        made = await asyncio.to_thread(main_py, ["backup", str(backup)], live)
        accepted_after = len(
            [c for c in telegram_api.calls("sendMessage") if is_digest(c) and c.status == 200]
        )
        # While the bot runs, restoring over its database is refused, and nothing changes.
        refused = await asyncio.to_thread(main_py, ["restore", str(backup)], live)
        await telegram_api.wait_for(is_digest, count=CHATS, timeout=60)
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), timeout=20) == 0
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    assert made.returncode == 0, made.stderr
    assert "integrity ok" in made.stdout
    assert accepted_after < CHATS, "the run had ended before the backup; the test proves nothing"
    assert refused.returncode == 1 and "running" in refused.stderr
    assert "Traceback" not in refused.stderr

    fresh = tmp_path / "fresh" / "warta.db"
    restored = await asyncio.to_thread(main_py, ["restore", str(backup)], fresh)
    assert restored.returncode == 0, restored.stderr
    assert rows(fresh, "PRAGMA integrity_check") == [("ok",)]
    # Everything a digest run does not change is there, row for row.
    for table in ("feeds", "items", "item_topics", "topics", "_sqlite_migrations"):
        assert rows(fresh, f"SELECT * FROM {table} ORDER BY 1, 2") == rows(
            live, f"SELECT * FROM {table} ORDER BY 1, 2"
        ), table
    # A chat's topics, but for how far each was offered: a sent digest moves that (m015).
    followed = (
        "SELECT chat_id, topic_slug, is_urgent, followed_at FROM subscriber_topics ORDER BY 1, 2"
    )
    assert rows(fresh, followed) == rows(live, followed)
    people = "SELECT chat_id, language, timezone, digest_times FROM subscribers ORDER BY 1"
    assert rows(fresh, people) == rows(live, people)
    # Every chat's digest is in the restored outbox with the text the bot composed, or (if
    # the snapshot came before it was composed: composing and sending overlap) the chat is
    # still due, so a bot started on the copy composes it. Nothing is lost either way.
    outbox = "SELECT chat_id, seq, text FROM outbox ORDER BY chat_id, seq"
    live_outbox = {(chat, seq): text for chat, seq, text in rows(live, outbox)}
    composed = {
        chat for chat, seq, text in rows(fresh, outbox) if live_outbox[(chat, seq)] == text
    }
    assert len(composed) == len(rows(fresh, outbox))
    still_due = {
        chat
        for chat, slot in rows(fresh, "SELECT chat_id, last_slot_at FROM subscribers")
        if slot == due_since[chat]
    }
    assert composed | still_due == set(CHAT_IDS) and not composed & still_due
    # Each message Telegram accepted before the backup is marked sent in it (but for the
    # few answered in the instant of the snapshot).
    sent = rows(fresh, "SELECT count(*) FROM outbox WHERE state = 'sent'")[0][0]
    assert accepted_before - IN_FLIGHT <= sent <= accepted_after
    delivered = rows(fresh, "SELECT count(DISTINCT chat_id) FROM deliveries")[0][0]
    assert delivered == sent
    # The restored database opens and is current.
    open_database(fresh).close()
    measured(
        f"backup during a run: {CHATS} chats, backup taken after {accepted_before} "
        f"digests, {accepted_after - accepted_before} more sent while it ran; "
        f"{sent} marked sent in it, {len(composed)} digests composed, "
        f"{len(still_due)} chats still due; {backup.stat().st_size // 1024} KiB; "
        "restored: 0 lost"
    )


def a_database(path: Path) -> Path:
    db = open_database(path)
    db.close()
    return path


def test_restore_refuses_a_bad_file_and_changes_nothing(tmp_path, capsys):
    """`restore`'s command function in this process (main.py's own start is what the test
    below and the run test go through): each refusal's exit code and message."""
    live = a_database(tmp_path / "data" / "warta.db")
    before = live.read_bytes()
    damaged = tmp_path / "rusak.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 80 + b"bukan basis data" * 64)
    foreign = tmp_path / "lain.db"
    sqlite3.connect(foreign).execute("CREATE TABLE catatan (isi TEXT)").connection.commit()
    newer = a_database(tmp_path / "baru.db")
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('warta', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    for path, says in (
        (damaged, "integrity"),
        (foreign, "not a Warta database"),
        (newer, "newer Warta"),
        (tmp_path / "hilang.db", "no such file"),
    ):
        code = cli.restore(Settings.from_env({"DATABASE_PATH": str(live)}), path)
        stderr = capsys.readouterr().err
        assert code in (1, 2), path
        assert says in stderr, stderr
    assert live.read_bytes() == before


@pytest.mark.slow
def test_restore_refuses_while_another_process_holds_the_run_lock(tmp_path):
    live = a_database(tmp_path / "warta.db")
    backup = tmp_path / "cadangan.db"
    assert main_py(["backup", str(backup)], live).returncode == 0
    with RunLock(live) as lock:
        assert lock.acquire()
        refused = main_py(["restore", str(backup)], live)
        # A second bot on the same database refuses to start, too.
        second = main_py(["run"], live, TELEGRAM_BOT_TOKEN="123456:second-bot-token")
    assert refused.returncode == 1 and "stop it first" in refused.stderr
    assert second.returncode == 2 and "already running" in second.stderr
    assert "Traceback" not in second.stderr
    # Once that process let go, the same restore goes through.
    done = main_py(["restore", str(backup)], live)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "warta.db.before-restore").exists()


async def test_daily_backups_keep_the_newest_ones(make_settings, clock, tmp_path):
    settings = make_settings(backup_dir=str(tmp_path / "cadangan"), backup_keep="3")
    services = Services.create(Core(open_database(settings.database_path), settings, clock=clock))
    try:
        written = []
        for _ in range(5):
            written.append(services.upkeep.daily_backup(clock.now))
            clock.advance(days=1)
    finally:
        services.core.db.close()
    kept = sorted((tmp_path / "cadangan").glob("*.db"))
    assert kept == written[-3:]
    assert all(rows(path, "PRAGMA integrity_check") == [("ok",)] for path in kept)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        # A trigger that rewrites every feed error into HTML for /feeds to show.
        (
            "CREATE TRIGGER sisipan AFTER UPDATE OF last_error ON feeds BEGIN "
            "UPDATE feeds SET last_error = '<a href=\"https://tipu.example\">klik</a>' "
            "WHERE id = new.id; END",
            "extra trigger sisipan",
        ),
        ("CREATE VIEW ringkas AS SELECT id FROM feeds", "extra view ringkas"),
        ("CREATE TABLE titipan (isi TEXT)", "extra table titipan"),
        # Warta's own trigger, same name, another body.
        (
            "DROP TRIGGER items_ad; CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN "
            "DELETE FROM subscribers; END",
            "changed trigger items_ad",
        ),
        ("ALTER TABLE feeds ADD COLUMN catatan TEXT", "changed table feeds"),
        ("DROP TABLE deliveries", "missing table deliveries"),
    ],
)
def test_restore_refuses_a_file_whose_schema_is_not_warta_s(tmp_path, capsys, change, says):
    """Issue 27: a restored file with extra triggers or views was trusted, and its values (an
    error text turned into HTML) shown in /feeds."""
    live = a_database(tmp_path / "data" / "warta.db")
    before = live.read_bytes()
    tampered = a_database(tmp_path / "cadangan.db")
    conn = sqlite3.connect(tampered)
    conn.executescript(change)
    conn.close()
    code = cli.restore(Settings.from_env({"DATABASE_PATH": str(live)}), tampered)
    stderr = capsys.readouterr().err
    assert code == 1
    assert "schema is not Warta's own" in stderr and says in stderr, stderr
    assert "Nothing was changed" in stderr and "Traceback" not in stderr
    assert live.read_bytes() == before


def test_restore_takes_an_older_warta_s_backup(tmp_path):
    """An older backup is compared with the schema of its own migrations, not today's."""
    from sqlite_utils import Database

    from storage.migrations import MIGRATIONS

    older = tmp_path / "lama.db"
    db = Database(older)
    MIGRATIONS.apply(db, stop_before="m012_alerts")
    db.close()
    live = tmp_path / "data" / "warta.db"
    said = io.StringIO()
    assert cli.restore(Settings.from_env({"DATABASE_PATH": str(live)}), older, out=said) == 0
    assert "migrations will be applied" in said.getvalue()
    open_database(live).close()  # and it is brought up to date
