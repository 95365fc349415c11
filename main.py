"""Warta's entry point: `python main.py [run|poll|tag|evaluate|topics|feeds|backup|restore|
doctor] ...`. No logic lives here."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv

from bot.config import Settings
from bot.errors import ConfigError
from bot.logs import configure_logging

PROJECT = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Warta: a Telegram news-digest bot for East Kalimantan readers.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "run", help="run the bot (long polling, or a webhook with WEBHOOK_URL); the default"
    )
    commands.add_parser("poll", help="poll every feed once, print a summary and exit")
    commands.add_parser(
        "tag", help="read JSON lines (title, summary, link) on stdin, write them with their tags"
    )
    evaluate = commands.add_parser(
        "evaluate", help="precision/recall per topic on labelled JSON Lines files"
    )
    evaluate.add_argument("file", type=Path, nargs="+")
    topics = commands.add_parser("topics", help="export or import every topic's rule as TOML")
    topic_commands = topics.add_subparsers(dest="topics_command", metavar="ACTION", required=True)
    topic_commands.add_parser("export", help="print the topics as TOML on stdout")
    importing = topic_commands.add_parser("import", help="create or update topics from a file")
    importing.add_argument("file", type=Path)
    feeds = commands.add_parser("feeds", help="import or export the feed list as OPML")
    feed_commands = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    feed_commands.add_parser("import", help="add every feed of an OPML file").add_argument(
        "file", type=Path
    )
    feed_commands.add_parser(
        "export", help="write the feeds to an OPML file (- for stdout)"
    ).add_argument("file", type=Path)
    commands.add_parser(
        "backup", help="copy the database to FILE (safe while the bot runs)"
    ).add_argument("file", type=Path)
    commands.add_parser(
        "restore", help="replace the database with the backup FILE (the bot must be stopped)"
    ).add_argument("file", type=Path)
    commands.add_parser(
        "doctor",
        help="check settings, database, token, disk and feeds; "
        "exit code 0 when all is well, 1 when not",
    ).add_argument(
        "--service",
        action="store_true",
        help="as a health check: the bot must be running; feeds are left out",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Load .env, read the settings, and run the chosen command."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    load_dotenv(PROJECT / ".env")
    try:
        settings = Settings.from_env(os.environ)
        if args.command in (None, "run"):
            settings.require_token()
    except ConfigError as exc:
        if args.command == "doctor":
            from bot.ops import cli

            return cli.doctor(None, str(exc), service=args.service)
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, [settings.telegram_bot_token, settings.webhook_secret])
    if args.command not in (None, "run"):
        return run_tool(args, settings)
    # Imported here, not at the top: the feed workers are spawned processes that import this
    # module afresh, and need neither Telegram nor the services.
    with numpy_hidden():
        from telegram.error import InvalidToken, NetworkError

        from bot.app import run
    try:
        run(settings)
    except ConfigError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    except InvalidToken:
        # PTB's message carries the whole token; say which one without showing it.
        print(f"Telegram rejected TELEGRAM_BOT_TOKEN ({masked_token(settings)})", file=sys.stderr)
        return 2
    except NetworkError as exc:
        # Only start-up lets one out (PTB retries its own calls once running); the service
        # manager starts the bot again, and the operator reads why in one line.
        where = urlsplit(settings.telegram_api_base_url).netloc.rpartition("@")[2]
        print(
            f"Cannot reach Telegram at {where} ({exc}); check the network or "
            "TELEGRAM_API_BASE_URL, then start again",
            file=sys.stderr,
        )
        return 3
    return 0


def run_tool(args: argparse.Namespace, settings: Settings) -> int:
    """One of the command-line tools: every command but `run`. They use the services without
    Telegram, and start without loading it (a quarter of a second each)."""
    with numpy_hidden():
        from bot.ops import cli

    if args.command == "poll":
        return cli.poll(settings)
    if args.command == "tag":
        return cli.tag(settings)
    if args.command == "evaluate":
        return cli.evaluate_file(settings, args.file)
    if args.command == "topics":
        if args.topics_command == "export":
            return cli.export_topics(settings)
        return cli.import_topics(settings, args.file)
    if args.command == "feeds":
        if args.feeds_command == "export":
            return cli.export_feeds(settings, args.file)
        return cli.import_feeds(settings, args.file)
    if args.command == "backup":
        return cli.backup(settings, args.file)
    if args.command == "restore":
        return cli.restore(settings, args.file)
    if args.command == "doctor":
        return cli.doctor(settings, service=args.service)
    raise AssertionError(f"{args.command} is parsed but has no tool")


@contextlib.contextmanager
def numpy_hidden() -> Iterator[None]:
    """Load Warta's modules as if numpy were not installed.

    sqlite-utils imports numpy, when it is there, only to map numpy types to column types, and
    Warta stores none; matplotlib installs it for /stats' chart, which imports it when drawn.
    Not loading it at start spares about 20 MB in the bot's process.
    """
    hide = "numpy" not in sys.modules
    if hide:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy -> ImportError
    try:
        yield
    finally:
        if hide:
            sys.modules.pop("numpy", None)


def masked_token(settings: Settings) -> str:
    """The token's first four digits, enough to tell which bot it was: 7654…:***."""
    return f"{settings.telegram_bot_token[:4]}…:***"


if __name__ == "__main__":
    sys.exit(main())
