"""Warta's entry point: `python main.py [run|poll|tag|evaluate|topics|feeds] ...`.
No logic lives here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

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
    commands.add_parser("run", help="run the bot (long polling); the default")
    commands.add_parser("poll", help="poll every feed once, print a summary and exit")
    commands.add_parser(
        "tag", help="read JSON lines (title, summary, link) on stdin, write them with their tags"
    )
    evaluate = commands.add_parser(
        "evaluate", help="precision/recall per topic on a labelled JSON Lines file"
    )
    evaluate.add_argument("file", type=Path)
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
    feed_commands.add_parser("export", help="write the feeds to an OPML file (- for stdout)"
                             ).add_argument("file", type=Path)
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
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, [settings.telegram_bot_token])
    # Imported here, not at the top: the feed workers are spawned processes that import this
    # module afresh, and need neither Telegram nor the services.
    from telegram import Update

    from bot import cli
    from bot.app import build_application

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
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
