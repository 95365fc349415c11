"""`python main.py doctor`, run as an operator (or the container's HEALTHCHECK) runs it: one
✔/✘ line per check with what to do, exit code 0 or 1, the token never printed. The token is
checked with getMe against the fake Bot API."""

import asyncio
import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.ops import cli
from bot.ops.runlock import RunLock
from bot.services.container import Services
from storage.db import open_database
from storage.feeds import add_feed
from tests.support.feedgen import kaltim_entries, rss

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.timeout(60)


def main_py(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_"))},
        "SEED_DEFAULT_FEEDS": "false",
        "ALLOW_PRIVATE_FEED_URLS": "true",
        **env,
    }
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        timeout=50,
    )


def doctor_here(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """What main_py(["doctor", ...]) runs, in this process (call it in a thread: the doctor
    runs its own event loop): the same checks, settings read from the same variables. For the
    tests of what the doctor finds; the tests marked slow start main.py itself (exit code,
    nothing of the token on any output, a setting main.py cannot read, `--service`). A crash
    here fails the test with its traceback, as it would show one on main.py's stderr."""
    environment = {"SEED_DEFAULT_FEEDS": "false", "ALLOW_PRIVATE_FEED_URLS": "true", **env}
    out = io.StringIO()
    code = cli.doctor(Settings.from_env(environment), service="--service" in args, out=out)
    return subprocess.CompletedProcess(["doctor", *args], code, out.getvalue(), "")


def line(output: str, start: str) -> str:
    """The check line whose text (after ✔/✘) starts with `start`."""
    found = [text for text in output.splitlines() if text[2:].startswith(start)]
    assert found, f"no line with {start!r} in:\n{output}"
    return found[0]


async def polled_database(
    tmp_path, feed_host, make_settings, prepare_pool, *, broken: bool
) -> Path:
    """A database whose feeds were polled once: by the services in this process, with the
    session's worker pool (starting `main.py poll` for it cost a second of CPU a test; the
    poll command itself is tested in test_cli.py)."""
    path = tmp_path / "data" / "warta.db"
    path.parent.mkdir()
    feed_host.add(
        "/kabar.xml", rss(kaltim_entries(2, start=datetime.now(UTC)), title="Kabar Samarinda")
    )
    services = Services.open(make_settings(database_path=str(path)), pool=prepare_pool)
    try:
        add_feed(
            services.core.db,
            feed_host.url("/kabar.xml"),
            datetime.now(UTC),
            title="Kabar Samarinda",
        )
        if broken:
            add_feed(
                services.core.db,
                feed_host.url("/pindah.xml"),
                datetime.now(UTC),
                title="Kabar Pindah",
            )
        await services.start()
        summary = await services.ingest.poll_all()
    finally:
        await services.aclose()
    assert summary.feeds == (2 if broken else 1), summary
    return path


@pytest.mark.slow  # main.py in a process of its own
async def test_a_healthy_bot_passes_every_check(
    tmp_path, telegram_api, feed_host, make_settings, prepare_pool
):
    path = await polled_database(tmp_path, feed_host, make_settings, prepare_pool, broken=False)
    result = await asyncio.to_thread(
        main_py,
        ["doctor"],
        DATABASE_PATH=str(path),
        TELEGRAM_BOT_TOKEN=telegram_api.token,
        TELEGRAM_API_BASE_URL=telegram_api.base_url,
    )
    assert result.returncode == 0, result.stdout
    assert "✘" not in result.stdout
    assert line(result.stdout, "token").startswith("✔") and "@" in line(result.stdout, "token")
    assert line(result.stdout, "database:").startswith("✔ database: integrity ok")
    assert line(result.stdout, "feed 1 Kabar Samarinda").startswith("✔")
    assert line(result.stdout, "disk").startswith("✔")
    assert [c.method for c in telegram_api.calls()] == ["getMe"]
    assert telegram_api.token not in result.stdout + result.stderr


@pytest.mark.slow  # main.py in a process of its own
async def test_a_broken_token_says_where_to_get_a_new_one(
    tmp_path, telegram_api, feed_host, make_settings, prepare_pool
):
    path = await polled_database(tmp_path, feed_host, make_settings, prepare_pool, broken=False)
    wrong = "654321:this-token-was-revoked"
    result = await asyncio.to_thread(
        main_py,
        ["doctor"],
        DATABASE_PATH=str(path),
        TELEGRAM_BOT_TOKEN=wrong,
        TELEGRAM_API_BASE_URL=telegram_api.base_url,
    )
    assert result.returncode == 1
    token = line(result.stdout, "token")
    assert token.startswith("✘") and "@BotFather" in token and "TELEGRAM_BOT_TOKEN" in token
    assert wrong not in result.stdout + result.stderr
    assert line(result.stdout, "database:").startswith("✔")  # the other checks still ran


async def test_a_failing_feed_is_named_with_its_fix(
    tmp_path, telegram_api, feed_host, make_settings, prepare_pool
):
    path = await polled_database(tmp_path, feed_host, make_settings, prepare_pool, broken=True)
    result = await asyncio.to_thread(
        doctor_here,
        [],
        DATABASE_PATH=str(path),
        TELEGRAM_BOT_TOKEN=telegram_api.token,
        TELEGRAM_API_BASE_URL=telegram_api.base_url,
    )
    assert result.returncode == 1
    failing = line(result.stdout, "feed 2 Kabar Pindah")
    assert failing.startswith("✘") and "404" in failing and "/removefeed 2" in failing
    assert line(result.stdout, "feed 1 Kabar Samarinda").startswith("✔")


def test_a_missing_database_folder_says_how_to_make_it(tmp_path):
    folder = tmp_path / "tidak-ada"
    result = doctor_here([], DATABASE_PATH=str(folder / "warta.db"))
    assert result.returncode == 1
    missing = line(result.stdout, "database folder")
    assert missing.startswith("✘") and f"mkdir -p {folder}" in missing
    assert line(result.stdout, "token").startswith("✘")  # no token set either, and said so
    assert not folder.exists()  # the doctor looks, it does not create


@pytest.mark.slow  # main.py in a process of its own
def test_a_bad_setting_is_a_failed_check_not_a_crash(tmp_path):
    result = main_py(["doctor"], DATABASE_PATH=str(tmp_path / "w.db"), RETAIN_DAYS="lama")
    assert result.returncode == 1
    assert line(result.stdout, "configuration").startswith("✘ configuration: RETAIN_DAYS")


@pytest.mark.slow  # the running case through main.py, as the container's HEALTHCHECK runs it
async def test_as_a_health_check_the_bot_must_run_and_feeds_do_not_count(
    tmp_path, telegram_api, feed_host, make_settings, prepare_pool
):
    path = await polled_database(tmp_path, feed_host, make_settings, prepare_pool, broken=True)
    env = {
        "DATABASE_PATH": str(path),
        "TELEGRAM_BOT_TOKEN": telegram_api.token,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
    }
    stopped = await asyncio.to_thread(doctor_here, ["--service"], **env)
    assert stopped.returncode == 1
    assert line(stopped.stdout, "bot: not running").startswith("✘")
    with RunLock(path) as lock:  # what the running bot holds
        assert lock.acquire()
        running = await asyncio.to_thread(main_py, ["doctor", "--service"], **env)
    assert running.returncode == 0, running.stdout
    assert "feed 2" not in running.stdout  # one news site down does not fail the service


def test_a_changed_schema_and_a_symlinked_backup_folder_are_named(tmp_path):
    path = tmp_path / "data" / "warta.db"
    db = open_database(path)
    db.execute("CREATE TRIGGER sisipan AFTER INSERT ON feeds BEGIN DELETE FROM topics; END")
    db.close()
    (tmp_path / "asli").mkdir()
    (tmp_path / "cadangan").symlink_to(tmp_path / "asli")
    result = doctor_here([], DATABASE_PATH=str(path), BACKUP_DIR=str(tmp_path / "cadangan"))
    assert result.returncode == 1
    database = line(result.stdout, "database ")
    assert database.startswith("✘") and "extra trigger sisipan" in database
    backups = line(result.stdout, "backups")
    assert backups.startswith("✘") and "symbolic link" in backups
