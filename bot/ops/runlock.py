"""The "is the bot running" check: the running bot holds an exclusive flock on a file beside
the database. The kernel drops the lock when the process ends, however it ends (SIGKILL,
power loss), so a stale lock file never blocks anything, unlike a PID file."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from storage.files import FILE_MODE, make_private_folder


def lock_path(database_path: Path) -> Path:
    """The lock file of a database: warta.db -> warta.db.lock."""
    return database_path.with_name(database_path.name + ".lock")


class RunLock:
    """An exclusive, non-blocking flock held as long as the object is open."""

    def __init__(self, database_path: Path) -> None:
        self.path = lock_path(database_path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; False if another process holds it."""
        make_private_folder(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # for a curious operator; never trusted
        self._fd = fd
        return True

    def release(self) -> None:
        """Let go of the lock."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def is_running(database_path: Path) -> bool:
    """True while a bot process holds the lock of this database."""
    if not lock_path(database_path).exists():
        return False
    probe = RunLock(database_path)
    if probe.acquire():
        probe.release()
        return False
    return True
