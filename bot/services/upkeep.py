"""Keeping a long-running bot small and safe: retention of old items, and backups."""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.runtime.core import Core
from bot.runtime.patience import patiently
from storage import backup as backup_store
from storage import items as item_store

logger = logging.getLogger(__name__)
# Items deleted per transaction, and pages of the search index merged per transaction: a few
# milliseconds each, so a reader's command never waits long behind retention.
PRUNE_BATCH = 500
MERGE_PAGES = 100
MAX_MERGE_STEPS = 10_000


@dataclass(frozen=True)
class PruneResult:
    """What one retention pass removed."""

    items: int
    kept: int


class UpkeepService:
    """Retention and backups."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.batch = PRUNE_BATCH
        self.merge_pages = MERGE_PAGES
        self.batches = 0  # transactions the last prune took (tests look between them)

    async def prune(self) -> PruneResult:
        """Delete items older than RETAIN_DAYS (tags, deliveries and finished outbox messages
        with them), keeping their keys as tombstones.

        A tombstone lives as long as a feed lists its story, and RETAIN_DAYS after the last
        time one did; so an old story never comes back as new, and the tombstones of stories
        that left every feed are forgotten, keeping that table bounded too.

        In batches of `batch` items, and the search index merged `merge_pages` pages at a
        time, each a short transaction with the event loop let go in between: one long
        delete held the write lock (and the loop) for as long as it took, and every reader's
        command waited behind it. Each batch waits out another process's lock (patiently).
        """
        now = self.core.now()
        keep = timedelta(days=self.core.settings.retain_days)
        db, deleted = self.core.db, 0
        self.batches = 0
        while True:
            count = await patiently(
                lambda: item_store.prune_items(
                    db, now - keep, now, forget_tombstones_before=now - keep, limit=self.batch
                )
            )
            deleted += count
            self.batches += 1
            await asyncio.sleep(0)  # a reader's command goes between two batches
            if count < self.batch:
                break
        await patiently(
            functools.partial(item_store.prune_leftovers, db, now - keep, merge_pages=0)
        )
        for _ in range(MAX_MERGE_STEPS if deleted else 0):  # bounded, whatever FTS5 says
            if not await patiently(
                functools.partial(item_store.merge_search_index, db, self.merge_pages)
            ):
                break
            self.batches += 1  # the index needs more merging: one more short step
            await asyncio.sleep(0)
        kept = item_store.count_items(db)
        if deleted:
            logger.info(
                "Retention: %d items older than %d days pruned, %d kept", deleted, keep.days, kept
            )
        return PruneResult(deleted, kept)

    def backup(self, target: Path) -> int:
        """Copy the database to `target` (safe while the bot runs); returns its size.

        Blocking: the bot calls it in a thread. It opens its own connection, as SQLite
        connections belong to the thread that made them.
        """
        return backup_store.backup_database(self.core.settings.database_path, target)

    def daily_backup(self, now: datetime) -> Path | None:
        """A dated backup in BACKUP_DIR, keeping the newest BACKUP_KEEP; None when unset, or
        when BACKUP_DIR is a symbolic link (said in the log, as the doctor says it).

        Retention removes only the backups this names itself (storage.backup's exact daily
        name), regular files only: nothing else in the folder, and no symbolic link, is ever
        followed or removed.
        """
        folder = self.core.settings.backup_dir
        if folder is None:
            return None
        if folder.is_symlink():
            # Following it would write, and prune, wherever the link points (or fail every
            # day if it points nowhere).
            logger.error(
                "No backup written: BACKUP_DIR %s is a symbolic link; set BACKUP_DIR "
                "to the folder itself",
                folder,
            )
            return None
        target = folder / backup_store.daily_backup_name(now)
        size = self.backup(target)
        logger.info("Backup written to %s (%d bytes)", target, size)
        for old in backup_store.list_daily_backups(folder)[: -self.core.settings.backup_keep]:
            old.unlink(missing_ok=True)
            logger.info("Old backup %s removed", old)
        return target
