"""Files and secrets: OPML uploads that hide a DTD or list too many feeds, a token Telegram
rejects at start-up, and the database's file modes."""

import asyncio
import os
import socket
import stat
import sys
from pathlib import Path

import pytest

from bot.errors import FeedParseError, TooManyFeeds
from bot.feeds.opml import MAX_OUTLINES, OpmlFeed, parse_opml, write_opml
from bot.text.texts import format_count
from storage import feeds as feed_store
from storage.db import open_database
from tests.support.chats import ADMIN_ID, services_of
from tests.support.factories import document_update, to_update
from tests.support.feedgen import Entry, rss

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.timeout(60)


def opml_with_late_doctype() -> bytes:
    """A DOCTYPE after 4 KB of comment: past where a look at the file's head would stop."""
    return (
        b'<?xml version="1.0"?>\n<!-- ' + b"x" * 4096 + b" -->\n"
        b'<!DOCTYPE opml [<!ENTITY big "' + b"A" * 10_000 + b'">]>\n'
        b'<opml version="2.0"><body><outline text="&big;" xmlUrl="https://a.example/rss"/>'
        b"</body></opml>"
    )


def test_a_doctype_anywhere_in_an_opml_file_is_refused():
    with pytest.raises(FeedParseError, match="DOCTYPE"):
        parse_opml(opml_with_late_doctype())


def test_an_opml_file_with_too_many_feeds_is_refused():
    feeds = [OpmlFeed(f"https://site{n}.example/rss") for n in range(MAX_OUTLINES + 1)]
    with pytest.raises(TooManyFeeds):
        parse_opml(write_opml(feeds))
    assert len(parse_opml(write_opml(feeds[:MAX_OUTLINES]))) == MAX_OUTLINES


async def upload(app, api, data: bytes) -> str:
    api.add_file("opml-x", data)
    before = len(api.sent_messages(ADMIN_ID))
    update = document_update(ADMIN_ID, "opml-x", file_size=len(data), caption="/importopml")
    await app.process_update(to_update(update, app.bot))
    return "\n".join(m["text"] for m in api.sent_messages(ADMIN_ID)[before:])


async def test_the_admin_is_told_why_an_opml_file_was_refused(app, telegram_api):
    answer = await upload(app, telegram_api, opml_with_late_doctype())
    assert "bukan OPML yang dapat dibaca" in answer
    feeds = [OpmlFeed(f"https://site{n}.example/rss") for n in range(MAX_OUTLINES + 1)]
    answer = await upload(app, telegram_api, write_opml(feeds))
    assert f"lebih dari {format_count('id', MAX_OUTLINES)} feed" in answer
    assert feed_store.list_feeds(services_of(app).core.db) == []


async def test_importing_many_feeds_checks_each_against_the_stored_ones_once(app, feed_host):
    """Two spellings of one stored feed and of one new feed: each added once, the rest
    reported as already listed."""
    feed_host.add("/a.xml", rss([Entry("Satu", "https://a.example/1")], title="A"))
    feed_host.add("/b.xml", rss([Entry("Dua", "https://b.example/2")], title="B"))
    admin = services_of(app).admin
    first = await admin.import_feeds([OpmlFeed(feed_host.url("/a.xml"))])
    assert len(first.added) == 1
    result = await admin.import_feeds(
        [
            OpmlFeed(feed_host.url("/a.xml") + "?utm_source=x"),
            OpmlFeed(feed_host.url("/b.xml")),
            OpmlFeed(feed_host.url("/b.xml") + "#top"),
        ]
    )
    assert len(result.added) == 1 and len(result.duplicate) == 2


async def _start_up(tmp_path, token: str, base_url: str, **settings: str) -> tuple[int, str]:
    """Start the real main.py with this token and Bot API; (exit code, all it printed)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_"))},
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": base_url,
        "DATABASE_PATH": str(tmp_path / "warta.db"),
        "SEED_DEFAULT_FEEDS": "false",
        **settings,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "main.py",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=50)
    return process.returncode, (out + err).decode()


@pytest.mark.slow
@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_a_rejected_token_stops_start_up_with_one_line_and_no_token(
    tmp_path, telegram_api, level
):
    telegram_api.fail_next("getMe", status=401, description="Unauthorized", count=5)
    returncode, printed = await _start_up(
        tmp_path, telegram_api.token, telegram_api.base_url, LOG_LEVEL=level
    )
    assert returncode == 2, printed
    secret = telegram_api.token.split(":", 1)[1]
    assert secret not in printed
    prefix = telegram_api.token[:4]
    assert f"Telegram rejected TELEGRAM_BOT_TOKEN ({prefix}…:***)" in printed
    if level == "INFO":  # PTB logs its retry loop's traceback at DEBUG (token redacted)
        assert printed.count("\n") == 1 and "Traceback" not in printed


def test_the_database_and_its_folder_are_the_owners_only(tmp_path):
    path = tmp_path / "new" / "warta.db"
    db = open_database(path)
    db.execute("CREATE TABLE IF NOT EXISTS t (x)")  # something written, WAL files made
    db.execute("INSERT INTO t VALUES (1)")
    db.conn.commit()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for file in path.parent.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    db.close()


@pytest.mark.slow
async def test_telegram_out_of_reach_at_start_up_is_one_line(tmp_path):
    """Nothing listens where the Bot API should be: the bot says so in one line, without a
    traceback or the token, and exits with 3 for the service manager to try again."""
    token = "123456:SECRET-never-printed"
    with socket.socket() as probe:  # a port nothing listens on: bound, then let go
        probe.bind(("127.0.0.1", 0))
        unused_port = probe.getsockname()[1]
    returncode, printed = await _start_up(tmp_path, token, f"http://127.0.0.1:{unused_port}/bot")
    assert returncode == 3, printed
    assert "SECRET" not in printed and "Traceback" not in printed
    assert f"Cannot reach Telegram at 127.0.0.1:{unused_port}" in printed
    assert printed.count("\n") == 1, printed
