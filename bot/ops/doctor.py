"""`python main.py doctor`: is this Warta healthy? One line per check, ✔ or ✘, and for a ✘
what to do. The exit code (0 all well, 1 not) serves scripts and the container's HEALTHCHECK.

It changes nothing: the database is opened read-only, and the token is checked with getMe.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.feeds.fetch import tls_context
from bot.ops.runlock import is_running
from bot.runtime.core import utc_now
from bot.text.texts import describe_failure
from storage import backup as backup_store
from storage import feeds as feed_store
from storage.db import open_read_only

# Below this much free space on the database's disk, SQLite may soon fail to write.
MIN_FREE_BYTES = 200 * 1024 * 1024
GETME_TIMEOUT = 15.0


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    ok: bool
    text: str

    def __str__(self) -> str:
        return f"{'✔' if self.ok else '✘'} {self.text}"


def run_checks(
    settings: Settings, config_error: str | None = None, *, service: bool = False
) -> list[Check]:
    """Every check, in the order an operator would fix things.

    With `service` (the container's HEALTHCHECK), the bot must be running, and the feeds are
    left out: one news site down does not make the service unhealthy.
    """
    if config_error:
        return [
            Check(
                False,
                f"configuration: {config_error}. Fix it in .env or the "
                "environment (see .env.example)",
            )
        ]
    mode = f"webhook at {settings.webhook_url}" if settings.webhook_url else "long polling"
    checks = [
        Check(
            True,
            f"configuration: {mode}, database {settings.database_path}, "
            f"{len(settings.admin_ids)} admins, items kept "
            f"{settings.retain_days} days",
        )
    ]
    checks.append(_token(settings))
    checks.extend(_database(settings, service))
    return checks


def _token(settings: Settings) -> Check:
    """getMe against TELEGRAM_API_BASE_URL; the token itself is never printed."""
    if not settings.telegram_bot_token:
        return Check(
            False,
            "token: TELEGRAM_BOT_TOKEN is not set. Get one from @BotFather "
            "(/newbot) and put it in .env",
        )
    where = settings.telegram_api_base_url

    async def get_me() -> str:
        # On the process's TLS context: PTB would build one for each of the bot's two
        # clients, a tenth of the check's time (it runs every 5 minutes in the container).
        requests = [
            HTTPXRequest(connection_pool_size=1, httpx_kwargs={"verify": tls_context()})
            for _ in range(2)
        ]
        async with Bot(
            settings.telegram_bot_token,
            base_url=where,
            request=requests[0],
            get_updates_request=requests[1],
        ) as bot:
            return bot.username

    try:
        username = asyncio.run(asyncio.wait_for(get_me(), GETME_TIMEOUT))
    except InvalidToken:
        return Check(
            False,
            f"token: Telegram ({where}) refused it. Copy it again from "
            "@BotFather (/mybots → API Token) into TELEGRAM_BOT_TOKEN",
        )
    except (NetworkError, TimeoutError, OSError) as exc:
        return Check(
            False,
            f"token: cannot reach {where} ({type(exc).__name__}). Check the "
            "network, a firewall, or TELEGRAM_API_BASE_URL",
        )
    except TelegramError as exc:
        return Check(False, f"token: {where} answered {exc.message}")
    return Check(True, f"token: works, the bot is @{username}")


def _database(settings: Settings, service: bool) -> Iterator[Check]:
    path = settings.database_path
    folder = path.parent.resolve()
    if not folder.is_dir():
        yield Check(
            False,
            f"database folder {folder} does not exist. Create it (mkdir -p "
            f"{folder}) writable by the bot's user, or fix DATABASE_PATH",
        )
        return
    free = shutil.disk_usage(folder).free
    yield Check(
        free >= MIN_FREE_BYTES,
        f"disk: {free // 2**20:,} MB free for {folder}"
        + (
            ""
            if free >= MIN_FREE_BYTES
            else f", under {MIN_FREE_BYTES // 2**20} MB. Free some space, lower "
            "RETAIN_DAYS or BACKUP_KEEP, or move DATABASE_PATH"
        ),
    )
    if not path.exists():
        yield Check(
            False,
            f"database {path} does not exist yet. Start the bot once (make run): it creates it",
        )
        return
    yield from _database_file(settings, path, service)


def _database_file(settings: Settings, path: Path, service: bool) -> Iterator[Check]:
    check = backup_store.check_file(path, quick=True)
    if check.integrity != "ok":
        yield Check(
            False,
            f"database {path} is damaged ({check.integrity}). Stop the bot "
            "and restore the latest backup: python main.py restore FILE",
        )
        return
    if check.unknown:
        yield Check(
            False,
            f"database {path} was made by a newer Warta "
            f"({', '.join(check.unknown)}). Update Warta",
        )
    elif check.schema:
        yield Check(
            False,
            f"database {path}: its schema is not Warta's own "
            f"({', '.join(check.schema[:5])}): someone changed it. Stop the bot "
            "and restore a backup: python main.py restore FILE",
        )
    elif check.pending:
        yield Check(
            False,
            f"database {path}: {len(check.pending)} migrations not applied "
            f"({', '.join(check.pending)}). Start the bot: it applies them",
        )
    else:
        size = path.stat().st_size
        yield Check(
            True,
            f"database: integrity ok, {len(check.applied)} migrations applied, "
            f"{size / 2**20:.1f} MB",
        )
    running = is_running(path)
    yield Check(
        running or not service,
        "bot: running (it holds the database lock)"
        if running
        else "bot: not running on this database"
        + (". Look at its log (journalctl -u warta, docker compose logs)" if service else ""),
    )
    if settings.backup_dir is not None:
        yield _backups(settings.backup_dir)
    if service:
        return
    db = open_read_only(path)
    try:
        feeds = feed_store.list_feeds(db)
    finally:
        db.close()
    if not feeds:
        yield Check(False, "feeds: none. Add one with /addfeed URL or /addsite DOMAIN")
    for feed in feeds:
        yield _feed(feed, utc_now())


def _backups(folder: Path) -> Check:
    if folder.is_symlink():
        return Check(
            False,
            f"backups: BACKUP_DIR {folder} is a symbolic link, and the bot "
            "writes no backup through one; set BACKUP_DIR to the folder itself",
        )
    backups = backup_store.list_daily_backups(folder)
    if not backups:
        return Check(
            False,
            f"backups: none in {folder} yet. The bot writes one a day; "
            "check BACKUP_DIR exists and the bot may write to it",
        )
    newest = backups[-1]
    age = utc_now().timestamp() - newest.stat().st_mtime
    return Check(
        age < 2 * 86400,
        f"backups: {len(backups)} in {folder}, newest {newest.name}"
        + ("" if age < 2 * 86400 else ", over 2 days old: is the bot running?"),
    )


def _feed(feed, now: datetime) -> Check:
    name = f"feed {feed.id} {feed.title or feed.url}"
    if not feed.is_enabled:
        return Check(
            False,
            f"{name}: disabled ({feed.disabled_reason or 'gone'}). Find its "
            f"new address, or remove it: /removefeed {feed.id}",
        )
    if feed.failing_since is not None or (feed.last_error and feed.last_success_at is None):
        reason = describe_failure("en", feed.last_error_kind, feed.last_error)
        return Check(
            False,
            f"{name}: failing ({reason}). Open {feed.url} in a browser; if "
            f"it moved, /removefeed {feed.id} and /addfeed the new URL",
        )
    if feed.last_success_at is None:
        return Check(True, f"{name}: not polled yet")
    minutes = int((now - feed.last_success_at).total_seconds() // 60)
    ago = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
    return Check(True, f"{name}: ok, last success {ago} ago")
