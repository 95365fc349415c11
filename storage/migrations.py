"""Schema migrations. Add a new function for every change; never edit an applied one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("warta")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Feeds, items, topics, subscribers and what was sent to whom."""
    # Raw DDL rather than table.create() because we want ON DELETE CASCADE: /stop and
    # /removefeed must forget everything hanging off the row in one statement.
    for statement in _INITIAL:
        db.execute(statement)


_INITIAL = [
    """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_polled_at TEXT,
        last_success_at TEXT,
        last_error TEXT,
        last_error_at TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,
        is_enabled INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        guid TEXT,
        title TEXT NOT NULL,
        link TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        published_at TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        UNIQUE (feed_id, item_key)
    )""",
    "CREATE INDEX items_published_at ON items(published_at)",
    """CREATE TABLE topics (
        slug TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        include_terms TEXT NOT NULL DEFAULT '[]',
        require_terms TEXT NOT NULL DEFAULT '[]',
        exclude_terms TEXT NOT NULL DEFAULT '[]',
        position INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE item_topics (
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        topic_slug TEXT NOT NULL REFERENCES topics(slug) ON DELETE CASCADE,
        PRIMARY KEY (item_id, topic_slug)
    ) WITHOUT ROWID""",
    "CREATE INDEX item_topics_by_topic ON item_topics(topic_slug, item_id)",
    """CREATE TABLE subscribers (
        chat_id INTEGER PRIMARY KEY,
        language TEXT NOT NULL,
        timezone TEXT NOT NULL,
        digest_times TEXT NOT NULL,
        is_paused INTEGER NOT NULL DEFAULT 0,
        paused_reason TEXT,
        created_at TEXT NOT NULL,
        last_slot_at TEXT
    )""",
    """CREATE TABLE subscriber_topics (
        chat_id INTEGER NOT NULL REFERENCES subscribers(chat_id) ON DELETE CASCADE,
        topic_slug TEXT NOT NULL REFERENCES topics(slug) ON DELETE CASCADE,
        PRIMARY KEY (chat_id, topic_slug)
    ) WITHOUT ROWID""",
    """CREATE TABLE deliveries (
        chat_id INTEGER NOT NULL REFERENCES subscribers(chat_id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, item_id)
    ) WITHOUT ROWID""",
]


@MIGRATIONS()
def m002_feed_health(db: Database) -> None:
    """Feed health: since when a feed fails, when to try it next, why it was disabled, and
    whether the admins were told."""
    for column in ("failing_since", "next_poll_at", "disabled_reason", "alerted_at"):
        db.execute(f"ALTER TABLE feeds ADD COLUMN {column} TEXT")


@MIGRATIONS()
def m003_item_key_index(db: Database) -> None:
    """Look items up by key across feeds: the same story in two feeds is stored once."""
    db.execute("CREATE INDEX items_item_key ON items(item_key)")


@MIGRATIONS()
def m004_feed_error_kind(db: Database) -> None:
    """The kind of a feed's last failure, so /feeds can explain it in the admin's language."""
    db.execute("ALTER TABLE feeds ADD COLUMN last_error_kind TEXT")


@MIGRATIONS()
def m005_outbox(db: Database) -> None:
    """The outbox: each digest message, composed once per chat and due time, waits here until
    Telegram accepts it, so a restart finishes a run instead of starting it again. And the
    forum topic (message_thread_id) a group's digest goes to."""
    db.execute(
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES subscribers(chat_id)
                ON DELETE CASCADE ON UPDATE CASCADE,
            due_at TEXT NOT NULL,
            seq INTEGER NOT NULL,
            thread_id INTEGER,
            text TEXT NOT NULL,
            item_ids TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_try_at TEXT NOT NULL,
            last_error TEXT,
            sent_at TEXT,
            UNIQUE (chat_id, due_at, seq)
        )"""
    )
    db.execute("CREATE INDEX outbox_pending ON outbox(state, next_try_at, chat_id)")
    db.execute("ALTER TABLE subscribers ADD COLUMN thread_id INTEGER")


@MIGRATIONS()
def m006_topic_threshold(db: Database) -> None:
    """Each topic's evidence threshold (bot.models.TopicRule.threshold): 2 = one include term
    in the headline or first sentence, or two later in the body. The bundled topics get
    the thresholds of bot/data/default_topics.toml as of this migration."""
    db.execute("ALTER TABLE topics ADD COLUMN threshold REAL NOT NULL DEFAULT 2")
    db.execute(
        "UPDATE topics SET threshold = 3 WHERE slug IN ('foreign_cooperation', 'education')"
    )
