"""The command-line tools: `poll`, `tag`, `evaluate`, `topics` and `feeds` export|import,
`backup`, `restore` and `doctor`.

They use the services, not Telegram, and print results to standard output (logs go to
standard error)."""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO, TypeVar

from bot.config import Settings
from bot.errors import FeedParseError, UsageError
from bot.feeds.clean import clean_item
from bot.models import RawEntry
from bot.ops.evaluation import evaluate, format_report
from bot.ops.runlock import RunLock
from bot.runtime.core import utc_now
from bot.services.admin import AdminService
from bot.services.container import Services
from bot.tagging.defaults import topics_from_toml, topics_to_toml
from bot.text.shaping import masked_url
from storage import backup as backup_store
from storage.files import write_private_file

T = TypeVar("T")


def _run(
    settings: Settings, use: Callable[[Services], Awaitable[T] | T], *, online: bool = False
) -> T:
    """Open the services, `use` them, close them: the one place a command does either.

    online: start them first (feed HTTP client and worker pool), for commands that fetch.
    """

    async def run() -> T:
        services = Services.open(settings)
        try:
            if online:
                await services.start()
            result = use(services)
            return await result if inspect.isawaitable(result) else result
        finally:
            await services.aclose()

    return asyncio.run(run())


def poll(settings: Settings, out: TextIO = sys.stdout) -> int:
    """Poll every feed once and print one line per feed and a total; 1 if every feed failed."""
    summary = _run(settings, lambda services: services.ingest.poll_all(), online=True)
    for result in summary.results:
        state = (
            f"error: {result.error}"
            if result.error
            else ("not modified" if result.not_modified else f"{result.new} new of {result.found}")
        )
        print(f"{result.feed_id:>4}  {result.title or masked_url(result.url)}  {state}", file=out)
    print(
        f"{summary.feeds} feeds polled, {summary.new} new items, {len(summary.errors)} failed",
        file=out,
    )
    return 1 if summary.results and len(summary.errors) == summary.feeds else 0


def tag(settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Read JSON lines (title, summary, optional link); write each with its `tags`.

    Applies exactly the cleaning and tagging of ingestion, with the database's topics.
    """
    tagger = _run(settings, lambda services: services.core.tagger())
    status = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            print(f"line {number}: not a JSON object ({exc})", file=sys.stderr)
            print(json.dumps({"error": "invalid JSON"}), file=out)
            status = 1
            continue
        raw = RawEntry(
            title=str(record.get("title") or ""),
            link=str(record.get("link") or "https://example.invalid/"),
            summary=str(record.get("summary") or ""),
        )
        item = clean_item(raw, now=utc_now())
        tags = list(tagger.tag(item.title, item.summary)) if item else []
        print(json.dumps({**record, "tags": tags}, ensure_ascii=False), file=out)
    return status


def evaluate_file(settings: Settings, path: Path | list[Path], out: TextIO = sys.stdout) -> int:
    """Print precision, recall and F1 per topic, and the misclassified items, of each file
    (under a line naming it when there are several)."""
    paths = path if isinstance(path, list) else [path]
    topics = _run(settings, lambda services: services.core.topics())
    for number, one in enumerate(paths):
        with one.open(encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        if len(paths) > 1:
            print(f"{'' if number == 0 else chr(10)}== {one} ==", file=out)
        print(format_report(evaluate(records, topics)), file=out)
    return 0


def export_topics(settings: Settings, out: TextIO = sys.stdout) -> int:
    """Print every topic and its rule as TOML."""
    print(
        topics_to_toml(_run(settings, lambda services: services.core.topics())), end="", file=out
    )
    return 0


def import_topics(settings: Settings, path: Path, out: TextIO = sys.stdout) -> int:
    """Create or update the topics of a TOML file; 2 (nothing changed) if the file is bad."""
    try:
        with path.open("rb") as handle:
            topics = topics_from_toml(tomllib.load(handle))
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        print(f"Cannot read {path}: {exc}", file=sys.stderr)
        return 2
    try:
        report = _run(settings, lambda services: services.topics.import_topics(topics))
    except UsageError as exc:
        print(f"Nothing imported: {exc}", file=sys.stderr)
        return 2
    for label, slugs in (
        ("added", report.added),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("kept, not in the file", report.not_in_file),
    ):
        if slugs:
            print(f"{label}: {', '.join(slugs)}", file=out)
    return 0


def import_feeds(settings: Settings, path: Path, out: TextIO = sys.stdout) -> int:
    """Add every feed of an OPML file, fetching each as /addfeed does; 2 if the file is bad."""
    try:
        feeds = AdminService.read_opml(path.read_bytes())
    except (OSError, FeedParseError) as exc:
        print(f"Cannot read {path}: {exc}", file=sys.stderr)
        return 2
    result = _run(settings, lambda services: services.admin.import_feeds(feeds), online=True)
    for url in result.added:
        print(f"added      {url}", file=out)
    for url in result.duplicate:
        print(f"duplicate  {url}", file=out)
    for url, reason in result.failed:
        print(f"failed     {url}  ({reason})", file=out)
    print(
        f"{len(result.added)} added, {len(result.duplicate)} duplicate, "
        f"{len(result.failed)} failed",
        file=out,
    )
    return 0


def export_feeds(settings: Settings, path: Path) -> int:
    """Write the feed list as OPML to a file ("-" for standard output)."""
    data, count = _run(settings, lambda services: services.admin.export_opml())
    if str(path) == "-":
        sys.stdout.buffer.write(data)
    else:
        write_private_file(path, data)  # the feeds' URLs may carry their credentials
        print(f"{count} feeds written to {path}", file=sys.stderr)
    return 0


def backup(settings: Settings, path: Path, out: TextIO = sys.stdout) -> int:
    """Copy the database to a file with SQLite's online backup API (the bot may be running)."""
    source = settings.database_path
    if not source.exists():
        print(
            f"Nothing to back up: {source} does not exist (check DATABASE_PATH)", file=sys.stderr
        )
        return 2
    try:
        size = backup_store.backup_database(source, path)
    except OSError as exc:
        print(f"Cannot write {path}: {exc}", file=sys.stderr)
        return 2
    check = backup_store.check_file(path)
    if check.integrity != "ok":
        print(f"The backup {path} fails its integrity check: {check.integrity}", file=sys.stderr)
        return 1
    print(
        f"Backed up {source} to {path} ({size:,} bytes, "
        f"{len(check.applied)} migrations, integrity ok)",
        file=out,
    )
    return 0


def restore(settings: Settings, path: Path, out: TextIO = sys.stdout) -> int:
    """Replace the database with a backup, after checking it; refused while the bot runs.

    The database being replaced is first copied beside it (warta.db.before-restore), so a
    restore of the wrong file can itself be undone.
    """
    target = settings.database_path
    if not path.is_file():
        print(f"Cannot read {path}: no such file", file=sys.stderr)
        return 2
    lock = RunLock(target)
    if not lock.acquire():
        print(
            f"Warta is running on {target}: stop it first (systemctl stop warta, or "
            f"docker compose stop), then restore again. Nothing was changed.",
            file=sys.stderr,
        )
        return 1
    try:
        check = backup_store.check_file(path)
        problem = (
            f"it fails its integrity check ({check.integrity})"
            if check.integrity != "ok"
            else "it is not a Warta database"
            if not check.is_warta
            else f"it was made by a newer Warta (migrations {', '.join(check.unknown)}); "
            "update Warta first"
            if check.unknown
            else "its schema is not Warta's own ("
            + ", ".join(check.schema[:10])
            + (f", and {len(check.schema) - 10} more" if len(check.schema) > 10 else "")
            + "): a changed copy, which Warta would trust"
            if check.schema
            else None
        )
        if problem:
            print(f"Not restored: {path}: {problem}. Nothing was changed.", file=sys.stderr)
            return 1
        if target.exists():
            keep = target.with_name(target.name + ".before-restore")
            backup_store.backup_database(target, keep)
            print(f"The current database was saved as {keep}", file=out)
        backup_store.restore_database(path, target)
    finally:
        lock.release()
    pending = (
        f"; {len(check.pending)} migrations will be applied at the next start"
        if check.pending
        else ""
    )
    print(f"Restored {path} into {target} (integrity ok{pending})", file=out)
    return 0


def doctor(
    settings: Settings | None,
    config_error: str | None = None,
    *,
    service: bool = False,
    out: TextIO = sys.stdout,
) -> int:
    """Print one ✔/✘ line per check; 0 when every check passed, 1 otherwise."""
    # Here, not at the top: only the doctor asks Telegram (getMe), and loading PTB costs the
    # other commands a quarter of a second each.
    from bot.ops.doctor import run_checks

    checks = run_checks(settings or Settings(), config_error, service=service)
    for check in checks:
        print(check, file=out)
    failed = sum(not check.ok for check in checks)
    print(f"{len(checks) - failed} of {len(checks)} checks passed", file=out)
    return 1 if failed else 0
