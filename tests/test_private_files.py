"""Files Warta writes are its owner's only, whatever the umask (issue 27: under the usual 022
backups and restored databases were 0644 in 0755 folders): every folder it creates 0700, every
file 0600. And daily-backup retention touches only the backups it named itself, never through
a symbolic link, and does not fail on one."""

import io
import logging
import os
import stat
from pathlib import Path

import pytest

from bot.config import Settings
from bot.ops import cli
from bot.runtime.core import Core
from bot.services.container import Services
from storage.db import open_database

pytestmark = pytest.mark.timeout(60)


def modes_under(top: Path) -> dict[str, int]:
    """Every folder and file below top (top excluded), by relative path: its mode bits."""
    found = {}
    for folder, folders, files in os.walk(top):
        for name in folders + files:
            path = Path(folder) / name
            found[str(path.relative_to(top))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def assert_private(top: Path) -> None:
    modes = modes_under(top)
    assert modes
    wrong = {
        path: oct(mode)
        for path, mode in modes.items()
        if mode != (0o700 if (top / path).is_dir() else 0o600)
    }
    assert not wrong, wrong


@pytest.fixture
def umask_022():
    """This process's umask set to the usual 022 for the test."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_command_line_tools_write_only_private_files_under_umask_022(tmp_path, umask_022):
    """`feeds export`, `backup` and `restore` as main.py runs them (their command functions,
    in this process under umask 022; tests/test_backup.py starts main.py for them)."""
    live = tmp_path / "data" / "warta" / "warta.db"
    settings = Settings.from_env({"DATABASE_PATH": str(live), "SEED_DEFAULT_FEEDS": "false"})
    quiet = io.StringIO()
    export = tmp_path / "ekspor" / "feeds.opml"
    assert cli.export_feeds(settings, export) == 0  # creates the database too
    backup = tmp_path / "cadangan" / "manual" / "pagi.db"
    assert cli.backup(settings, backup, out=quiet) == 0
    # Restored over the live database (which is first kept as .before-restore) ...
    assert cli.restore(settings, backup, out=quiet) == 0
    assert (live.parent / "warta.db.before-restore").exists()
    # ... and into a folder that does not exist yet.
    fresh = tmp_path / "baru" / "lagi" / "warta.db"
    elsewhere = Settings.from_env({"DATABASE_PATH": str(fresh), "SEED_DEFAULT_FEEDS": "false"})
    assert cli.restore(elsewhere, backup, out=quiet) == 0
    assert_private(tmp_path)
    assert {
        "ekspor/feeds.opml",
        "cadangan/manual/pagi.db",
        "baru/lagi/warta.db",
        "data/warta/warta.db.before-restore",
    } <= set(modes_under(tmp_path))


def test_the_database_and_its_wal_files_are_private_under_umask_022(tmp_path, umask_022):
    path = tmp_path / "satu" / "dua" / "warta.db"
    db = open_database(path)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS catatan (isi TEXT)")
        db.execute("INSERT INTO catatan VALUES ('x')")
        db.conn.commit()
        assert (path.parent / "warta.db-wal").exists() and (path.parent / "warta.db-shm").exists()
        assert_private(tmp_path)
    finally:
        db.close()


def services_with_backups(make_settings, clock, folder: Path, keep: int = 2) -> Services:
    settings = make_settings(backup_dir=str(folder), backup_keep=str(keep))
    return Services.create(Core(open_database(settings.database_path), settings, clock=clock))


def test_daily_backups_are_private_under_umask_022(make_settings, clock, tmp_path, umask_022):
    services = services_with_backups(make_settings, clock, tmp_path / "cadangan" / "harian")
    try:
        written = services.upkeep.daily_backup(clock.now)
    finally:
        services.core.db.close()
    assert written is not None and written.exists()
    assert_private(tmp_path / "cadangan")


def test_retention_removes_only_the_backups_it_named(make_settings, clock, tmp_path):
    folder = tmp_path / "cadangan"
    folder.mkdir()
    elsewhere = tmp_path / "lain"
    elsewhere.mkdir()
    (elsewhere / "penting.db").write_bytes(b"milik orang lain")
    # What an operator (or a stranger with write access) may have put beside the backups.
    keep = {
        "warta-prod.db": lambda p: p.write_bytes(b"operator's own copy"),
        "warta-before-upgrade.db": lambda p: p.write_bytes(b"kept by hand"),
        "warta-20200101-000000.db": lambda p: p.symlink_to(tmp_path / "tidak-ada"),  # dangling
        "warta-20200102-000000.db": lambda p: p.symlink_to(elsewhere / "penting.db"),
        "warta-20200103-000000.db": lambda p: p.mkdir(),
        "warta-20200104-000000.db.partial": lambda p: p.write_bytes(b""),
    }
    for name, make in keep.items():
        make(folder / name)
    services = services_with_backups(make_settings, clock, folder, keep=2)
    written = []
    try:
        for _ in range(4):
            written.append(services.upkeep.daily_backup(clock.now))
            clock.advance(days=1)
    finally:
        services.core.db.close()
    left = {path.name for path in folder.iterdir()}
    assert left == set(keep) | {path.name for path in written[-2:]}
    assert (elsewhere / "penting.db").read_bytes() == b"milik orang lain"


@pytest.mark.parametrize("points_at", ["a folder", "nothing"])
def test_a_symlinked_backup_folder_is_not_followed(
    make_settings, clock, tmp_path, caplog, points_at
):
    target = tmp_path / "tempat-lain"
    if points_at == "a folder":
        target.mkdir()
        (target / "warta-20200101-000000.db").write_bytes(b"bukan punya Warta")
    link = tmp_path / "cadangan"
    link.symlink_to(target)
    services = services_with_backups(make_settings, clock, link, keep=1)
    try:
        with caplog.at_level(logging.ERROR):
            for _ in range(2):  # two days: no failure, the same clear line each day
                assert services.upkeep.daily_backup(clock.now) is None
                clock.advance(days=1)
    finally:
        services.core.db.close()
    assert [r.getMessage() for r in caplog.records].count(
        f"No backup written: BACKUP_DIR {link} is a symbolic link; set BACKUP_DIR to the "
        "folder itself"
    ) == 2
    if points_at == "a folder":
        assert [p.name for p in target.iterdir()] == ["warta-20200101-000000.db"]
    else:
        assert not target.exists()
