"""The command-line tools: `poll`, `tag` and `evaluate`. They use the services, not Telegram,
and print results to standard output (logs go to standard error)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.context import Services
from bot.feeds.clean import clean_item
from bot.models import RawEntry
from bot.services.core import Core, utc_now
from bot.services.evaluation import evaluate, format_report
from storage.db import open_database


def _services(settings: Settings) -> Services:
    core = Core(open_database(settings.database_path), settings)
    services = Services.create(core)
    services.admin.bootstrap()
    return services


def poll(settings: Settings, out: TextIO = sys.stdout) -> int:
    """Poll every feed once and print one line per feed and a total; 1 if every feed failed."""
    services = _services(settings)

    async def run():
        try:
            return await services.ingest.poll_all()
        finally:
            if services.core.http is not None:
                await services.core.http.aclose()

    try:
        summary = asyncio.run(run())
    finally:
        services.core.db.close()
    for result in summary.results:
        state = f"error: {result.error}" if result.error else (
            "not modified" if result.not_modified else f"{result.new} new of {result.found}"
        )
        print(f"{result.feed_id:>4}  {result.title or result.url}  {state}", file=out)
    print(f"{summary.feeds} feeds polled, {summary.new} new items, "
          f"{len(summary.errors)} failed", file=out)
    return 1 if summary.results and len(summary.errors) == summary.feeds else 0


def tag(settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Read JSON lines (title, summary, optional link); write each with its `tags`.

    Applies exactly the cleaning and tagging of ingestion, with the database's topics.
    """
    services = _services(settings)
    tagger = services.core.tagger()
    services.core.db.close()
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


def evaluate_file(settings: Settings, path: Path, out: TextIO = sys.stdout) -> int:
    """Print precision, recall and F1 per topic, and the misclassified items, for a labelled file."""
    services = _services(settings)
    topics = services.core.topics()
    services.core.db.close()
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    print(format_report(evaluate(records, topics)), file=out)
    return 0
