"""Files and folders only Warta's own user may read: every folder it creates is 0700 and every
file 0600, whatever the umask (issue 27: under the usual 022, backups and restored databases
were 0644 in 0755 folders). Stdlib only.

The mode is set explicitly after creating, not left to the mode argument alone, which the
umask can only narrow: a umask of 0277 would otherwise leave a file its owner cannot write.
SQLite gives a database's -wal, -shm and -journal files the database file's own mode, so a
0600 database keeps them 0600 too.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_private_folder(folder: Path) -> None:
    """Create `folder` and every missing folder above it, each 0700; folders that already
    exist are left as they are (an operator's /var/backups is not ours to change)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process, or a dangling symlink: not ours
        os.chmod(path, FOLDER_MODE)


def create_private_file(path: Path) -> None:
    """Create `path` as a new, empty 0600 file (its folders too); FileExistsError if it is
    there, a symlink included."""
    make_private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` (replacing what was there), the file 0600."""
    make_private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
    finally:
        os.close(fd)


def make_private(path: Path) -> None:
    """Make an existing database file and its -wal and -shm files 0600."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and not file.is_symlink():
            os.chmod(file, FILE_MODE)
