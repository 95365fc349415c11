"""Schema migrations. Add a new function for every change; never edit an applied one."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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


@MIGRATIONS()
def m007_reader_digest(db: Database) -> None:
    """What a reader's digest needs (issue 12): a topic's kind (a region such as Kaltim, or a
    subject) and English name; per chat, the stories shown per topic (NULL: the default, 0:
    all), whether subjects are narrowed to the chat's regions, and the newest item id already
    offered; an outlet name per feed; and, per outbox message, whether it arrives without a
    sound and which items count as offered once it is sent."""
    db.execute("ALTER TABLE topics ADD COLUMN kind TEXT NOT NULL DEFAULT 'subject'")
    db.execute("ALTER TABLE topics ADD COLUMN name_en TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE topics SET kind = 'region' WHERE slug = 'kaltim'")
    for slug, name in _ENGLISH_NAMES.items():
        db.execute("UPDATE topics SET name_en = ? WHERE slug = ? AND name_en = ''", [name, slug])
    db.execute("ALTER TABLE subscribers ADD COLUMN digest_cap INTEGER")
    db.execute("ALTER TABLE subscribers ADD COLUMN region_only INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE subscribers ADD COLUMN offered_through INTEGER")
    db.execute("ALTER TABLE feeds ADD COLUMN outlet TEXT")
    db.execute("ALTER TABLE outbox ADD COLUMN silent INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE outbox ADD COLUMN offered_through INTEGER")


# The default topics' English names, for databases made before topics had them.
_ENGLISH_NAMES = {
    "kaltim": "East Kalimantan",
    "foreign_cooperation": "Foreign Cooperation",
    "education": "Education",
    "investment": "Investment",
}


@MIGRATIONS()
def m008_item_tombstones(db: Database) -> None:
    """Retention: the keys of pruned items, so a feed that still lists an old story does not
    bring it back as new. last_seen_at is when a feed last listed it (or when it was pruned):
    a tombstone is forgotten only once no feed has listed its story for a while."""
    db.execute(
        """CREATE TABLE item_tombstones (
            item_key TEXT PRIMARY KEY,
            last_seen_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX item_tombstones_last_seen ON item_tombstones(last_seen_at)")


@MIGRATIONS()
def m011_search_index(db: Database) -> None:
    """Full-text search of every item's title and summary (/cari). The triggers index each item
    as it is stored; unicode61 with remove_diacritics 2 folds case and accents, so "Türkiye"
    is found by "turkiye"."""
    db.table("items").enable_fts(
        ["title", "summary"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )
    # A search's words outlive the message: its page buttons carry only this row's id.
    db.execute(
        """CREATE TABLE searches (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES subscribers(chat_id)
                ON DELETE CASCADE ON UPDATE CASCADE,
            query TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )


@MIGRATIONS()
def m012_alerts(db: Database) -> None:
    """Urgent alerts: readers' watch words, topics switched to instant, quiet hours, and the
    alerts matched but not yet queued (one row per chat and item, so each goes out once;
    held says why one waits: 'quiet' hours or the hourly 'cap')."""
    db.execute(
        """CREATE TABLE watch_words (
            chat_id INTEGER NOT NULL REFERENCES subscribers(chat_id)
                ON DELETE CASCADE ON UPDATE CASCADE,
            words TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, words)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE alerts (
            chat_id INTEGER NOT NULL REFERENCES subscribers(chat_id)
                ON DELETE CASCADE ON UPDATE CASCADE,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            held TEXT,
            queued_at TEXT,
            PRIMARY KEY (chat_id, item_id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX alerts_pending ON alerts(state, chat_id)")
    # Alert messages wait in the same outbox as digests; the kind counts them against the
    # hourly cap.
    db.execute("ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'digest'")
    db.execute("ALTER TABLE subscriber_topics ADD COLUMN is_urgent INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE subscribers ADD COLUMN quiet_hours TEXT")
    # Items stored before alerts existed are not news to alert about: matching starts here.
    db.execute(
        """INSERT OR REPLACE INTO meta (key, value)
           SELECT 'alerts_matched_through', coalesce(max(id), 0) FROM items"""
    )


@MIGRATIONS()
def m013_index_new_items_per_feed(db: Database) -> None:
    """New items enter the search index in one statement per feed (storage.items.insert_new),
    not through a trigger row by row: 10,000 items cost 0.31 s of the bot's CPU that way
    instead of 0.73 s, the largest part of storing a poll. Deletions and updates keep their
    triggers."""
    db.execute("DROP TRIGGER IF EXISTS items_ai")


@MIGRATIONS()
def m014_search_prefix_index(db: Database) -> None:
    """The search index again, with prefix indexes of 2 and 3 characters: a starred word of
    three letters ("pem*") is one entry of the index instead of a walk through every word it
    begins (issue 27: eight such words cost 0.6 s a search on 100,000 items). The index is
    built anew from the items (100,000 items: see the README's bench_search figures)."""
    db.execute("DROP TABLE IF EXISTS items_fts")
    db.execute(
        """CREATE VIRTUAL TABLE items_fts USING fts5(
            title, summary, tokenize='unicode61 remove_diacritics 2', content='items',
            prefix='2 3')"""
    )
    db.execute("INSERT INTO items_fts (items_fts) VALUES ('rebuild')")


@MIGRATIONS()
def m015_offered_per_topic(db: Database) -> None:
    """What a digest already offered, per chat and topic (issue 22): with one mark per chat, a
    topic followed later started after the items the chat's other topics had been offered,
    and showed none of the day's news. Each followed topic now keeps when it was followed (its
    first digest reaches back a day before that) and the newest item id offered under it;
    existing rows take the chat's start and its one mark, so nothing changes for them. An
    outbox message names the topics its mark is for (`offered_topics`, a JSON list): a topic
    followed while the digest waited is not marked by it. subscribers.offered_through stays,
    unread."""
    db.execute("ALTER TABLE subscriber_topics ADD COLUMN followed_at TEXT")
    db.execute("ALTER TABLE subscriber_topics ADD COLUMN offered_through INTEGER")
    db.execute(
        """UPDATE subscriber_topics SET
             followed_at = (SELECT s.created_at FROM subscribers s
                            WHERE s.chat_id = subscriber_topics.chat_id),
             offered_through = (SELECT s.offered_through FROM subscribers s
                                WHERE s.chat_id = subscriber_topics.chat_id)"""
    )
    db.execute("ALTER TABLE outbox ADD COLUMN offered_topics TEXT")
    # A digest waiting across the upgrade was composed from the chat's topics of the moment.
    db.execute(
        """UPDATE outbox SET offered_topics = (
             SELECT json_group_array(st.topic_slug) FROM subscriber_topics st
             WHERE st.chat_id = outbox.chat_id)
           WHERE state = 'pending' AND offered_through IS NOT NULL"""
    )


@MIGRATIONS()
def m016_feed_kind_and_site(db: Database) -> None:
    """How each feed follows its outlet (kind: feed, sitemap or googlenews), the site it
    stands for, and when that site was last looked at for a source of its own (issue 24).

    Google News site searches stored before get their kind and site, and are left to be
    looked at: the next start finds the site's own feed or news sitemap where it has one.
    """
    db.execute("ALTER TABLE feeds ADD COLUMN kind TEXT NOT NULL DEFAULT 'feed'")
    db.execute("ALTER TABLE feeds ADD COLUMN site TEXT")
    db.execute("ALTER TABLE feeds ADD COLUMN site_checked_at TEXT")
    for row in list(db.query("SELECT id, url FROM feeds")):
        parts = urlsplit(row["url"])
        if not parts.path.rstrip("/").endswith("/rss/search"):
            continue
        query = (parse_qs(parts.query).get("q") or [""])[0].strip()
        if query.startswith("site:") and len(query) > len("site:"):
            db.execute(
                "UPDATE feeds SET kind = 'googlenews', site = ? WHERE id = ?",
                [query.removeprefix("site:").lower(), row["id"]],
            )
    db.execute("CREATE INDEX feeds_site ON feeds(site)")


@MIGRATIONS()
def m018_topic_frames(db: Database) -> None:
    """Issue 25: a topic's frames (bot.models.Frame, a JSON list), and the bundled topics'
    terms that relied on matching every derivation of their root written as root forms
    ("sepakat" -> "~sepakat"): a plain word now matches itself and its inflections only.
    The bundled topics (by slug, where a database still has them) get the frames and root
    forms bot/data/default_topics.toml had when this was written (migration_data/); their
    other terms, an admin's own, are left as they are."""
    db.execute("ALTER TABLE topics ADD COLUMN frames TEXT NOT NULL DEFAULT '[]'")
    # The bundled topics' root forms and frames as they were when this migration was written,
    # frozen beside it: a later edit of bot/data/default_topics.toml must not change what an
    # old migration does.
    path = Path(__file__).resolve().parent / "migration_data" / "m018_bundled_topics.json"
    bundled = json.loads(path.read_text(encoding="utf-8"))
    for slug, entry in bundled.items():
        rows = list(db.query("SELECT * FROM topics WHERE slug = ?", [slug]))
        if not rows:
            continue
        roots = {term[1:]: term for term in entry["roots"]}
        changes = {"frames": json.dumps(entry["frames"], ensure_ascii=False)}
        for column in ("include_terms", "require_terms", "exclude_terms"):
            terms = json.loads(rows[0][column])
            changes[column] = json.dumps(
                [roots.get(term, term) for term in terms], ensure_ascii=False
            )
        db["topics"].update(slug, changes)
