"""A full disk: the database on a filesystem filled to the last byte (a small tmpfs, mounted
for the test). Warta stays up, answers readers, loses nothing, and stores the poll's items once
space is back. Mounting needs root (CAP_SYS_ADMIN); elsewhere the test is skipped, saying why."""

import errno
import os
import subprocess
from pathlib import Path

import pytest

from bot.app import shutdown
from storage import feeds as feed_store
from tests.support.chats import READER_ID, Chat, services_of
from tests.support.feedgen import kaltim_entries, rss

pytestmark = pytest.mark.timeout(60)

ITEMS = 100


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs at tmp_path/disk, unmounted after the test."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a full filesystem needs a tmpfs mount, which needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?): "
            f"{mounted.stderr.strip()}"
        )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Fill the filesystem of `folder` to the last byte; the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):  # big blocks, then what is left, to the last byte
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    return filler


async def test_with_the_disk_full_warta_answers_loses_nothing_and_stores_the_items_later(
    small_disk, make_settings, build_bot, telegram_api, feed_host, clock
):
    feed_host.add("/kabar.xml", rss(kaltim_entries(ITEMS, start=clock.now)))
    settings = make_settings(database_path=str(small_disk / "warta.db"))
    app = await build_bot(settings, clock=clock)
    async with app:
        services = services_of(app)
        db = services.core.db
        feed_store.add_feed(db, feed_host.url("/kabar.xml"), clock.now)
        reader = Chat(app, telegram_api, READER_ID)
        await reader.say("/subscribe kaltim")
        filler = fill(small_disk)

        summary = await services.ingest.poll_all()  # the items cannot be stored: no space
        assert summary.new == 0 and summary.errors
        assert "/digest" in await reader.say("/help")  # still answering
        assert next(db.query("SELECT count(*) AS n FROM items"))["n"] == 0

        filler.unlink()  # space is back
        clock.advance(hours=1)
        summary = await services.ingest.poll_all(force=True)
        assert summary.new == ITEMS and not summary.errors
        keys = [row["item_key"] for row in db.query("SELECT item_key FROM items")]
        assert len(keys) == len(set(keys)) == ITEMS  # every item, once
        assert "Berita 1:" in await reader.say("/latest kaltim")
        db.execute("PRAGMA integrity_check")
    await shutdown(app)
