"""The command line, run as a user runs it: `python main.py ...` in a subprocess."""

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.db import open_database
from storage.feeds import add_feed
from tests.support.feedgen import Entry, rss
from tests.support.running import run_main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "example_article.json"

# Every test here runs main.py in a process of its own.
pytestmark = [pytest.mark.timeout(60), pytest.mark.slow]


def test_tag_gives_the_example_article_all_four_topics(tmp_path):
    article = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    other = {"title": "Persija Tahan Imbang Persib", "summary": "Laga berakhir 1-1."}
    lines = json.dumps(article) + "\n" + json.dumps(other) + "\n"
    result = run_main(["tag"], tmp_path, stdin=lines)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert set(first["tags"]) == {"kaltim", "foreign_cooperation", "education", "investment"}
    assert first["title"] == article["title"]
    assert second["tags"] == []


def test_tag_reports_a_bad_line_and_goes_on(tmp_path):
    result = run_main(["tag"], tmp_path, stdin='not json\n{"title": "Banjir di Samarinda"}\n')
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {"error": "invalid JSON"} and lines[1]["tags"] == ["kaltim"]
    assert "line 1" in result.stderr and "Traceback" not in result.stderr


async def test_poll_prints_a_summary(tmp_path, feed_host):
    feed_host.add("/kabar.xml", rss([Entry("Samarinda Cerah", "https://kabar.example/1")]))
    db = open_database(tmp_path / "cli.db")
    add_feed(db, feed_host.url("/kabar.xml"), datetime.now(UTC))
    add_feed(db, feed_host.url("/hilang.xml"), datetime.now(UTC))
    db.close()
    # In a thread: the feed host answers from this test's event loop.
    result = await asyncio.to_thread(run_main, ["poll"], tmp_path, ALLOW_PRIVATE_FEED_URLS="true")
    assert result.returncode == 0, result.stderr
    assert "1 new of 1" in result.stdout and "HTTP 404" in result.stdout
    assert "2 feeds polled, 1 new items, 1 failed" in result.stdout


def test_run_without_token_says_how_to_get_one(tmp_path):
    result = run_main(["run"], tmp_path)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and ".env" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_stops_with_one_line(tmp_path):
    result = run_main(["poll"], tmp_path, FEED_POLL_INTERVAL="sering")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "FEED_POLL_INTERVAL" in result.stderr


def test_help_lists_the_commands(tmp_path):
    result = run_main(["--help"], tmp_path)
    for command in ("run", "poll", "tag", "evaluate"):
        assert command in result.stdout


async def test_the_bot_runs_and_stops_cleanly_on_sigterm(tmp_path, telegram_api):
    # `make run` for real: main.py against the fake Bot API; SIGTERM (systemd, docker stop,
    # Ctrl-C) must stop it with its worker processes, not leave it hanging.
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": telegram_api.token,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "SEED_DEFAULT_FEEDS": "false",
        "DATABASE_PATH": str(tmp_path / "run.db"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "main.py", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        telegram_api.push_text(2002, "/start")
        await telegram_api.wait_for(lambda call: call.method == "sendMessage", timeout=30)
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), timeout=20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = (await process.stderr.read()).decode()
    assert code == 0, log
    assert "Warta started" in log and telegram_api.token not in log
    assert "Selamat datang".lower() in telegram_api.sent_texts(2002)[0].lower()
