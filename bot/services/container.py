"""The services container: one instance of each service around one Core, and the owner of the
process's resources (database, feed HTTP client, worker pool, delivery task).

The bot (bot/app.py), the command-line tools (bot/ops/cli.py), the test fixtures and
tests/support/fleet.py each open one and close it; nothing else opens or closes those
resources. It knows nothing of Telegram, so the command-line tools start without loading it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.feeds.fetch import new_client
from bot.runtime.core import Core, utc_now
from bot.runtime.workers import PreparePool
from bot.services.admin import AdminService
from bot.services.alerts import AlertService
from bot.services.command_budget import ChatLimits
from bot.services.digests import DigestService
from bot.services.ingest import IngestService
from bot.services.outbox.engine import MessageSender, Offline, OutboxService
from bot.services.search import SearchService
from bot.services.sources import SourceService
from bot.services.subscribers import SubscriberService
from bot.services.top import TopService
from bot.services.topics import TopicService
from bot.services.upkeep import UpkeepService
from storage import feeds as feed_store
from storage.db import BUSY_TIMEOUT, open_database

logger = logging.getLogger(__name__)

# How long stopping waits for the messages being sent to be answered.
STOP_GRACE = 10


@dataclass
class Services:
    """One instance of each service, sharing one Core; the owner of the process's resources.

    The database is opened by `open()`, the feed HTTP client and the worker pool are started
    by `start()`, and `aclose()` closes all three: the app, the CLI, the test fixtures and
    tests/support/fleet.py each make these calls and nothing else opens or closes them.
    """

    core: Core
    pool: PreparePool
    ingest: IngestService
    subscribers: SubscriberService
    digests: DigestService
    outbox: OutboxService
    admin: AdminService
    topics: TopicService
    limits: ChatLimits
    upkeep: UpkeepService
    search: SearchService
    alerts: AlertService
    top: TopService
    sources: SourceService
    # False when the pool was lent by the caller (a test session shares one across many
    # bots): then aclose() leaves it running for the next one, and the lender stops it.
    owns_pool: bool = True
    delivery: asyncio.Task | None = None  # the task sending the outbox, while the bot runs

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utc_now,
        sender: MessageSender | None = None,
        pool: PreparePool | None = None,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> Services:
        """Open the database (migrated, topics and feeds seeded) and wire the services around
        it; `pool`, when given, is borrowed instead of made. `busy_timeout`: how long a write
        waits for another connection's lock (the bot's event loop: a moment, see
        bot/runtime/patience.py)."""
        core = Core(
            open_database(settings.database_path, busy_timeout=busy_timeout), settings, clock=clock
        )
        services = cls.create(core, sender, pool=pool)
        services.admin.bootstrap()
        return services

    @classmethod
    def create(
        cls, core: Core, sender: MessageSender | None = None, *, pool: PreparePool | None = None
    ) -> Services:
        """Wire the services around a core (whose database is already open); messages go out
        through `sender` (Telegram in the bot; without one, as in the command-line tools,
        nothing is sent)."""
        owns_pool = pool is None
        pool = PreparePool() if pool is None else pool
        subscribers = SubscriberService(core)
        ingest = IngestService(core, pool)
        outbox = OutboxService(core, sender or Offline())
        return cls(
            core=core,
            pool=pool,
            owns_pool=owns_pool,
            ingest=ingest,
            subscribers=subscribers,
            digests=DigestService(core, subscribers, outbox),
            outbox=outbox,
            admin=AdminService(core, ingest, outbox.sender),
            topics=TopicService(core),
            limits=ChatLimits(
                lambda: core.now().timestamp(), enabled=core.settings.flood_protection
            ),
            upkeep=UpkeepService(core),
            search=SearchService(core, subscribers),
            alerts=AlertService(core, subscribers, outbox),
            top=TopService(core),
            sources=SourceService(core, ingest),
        )

    @property
    def settings(self) -> Settings:
        """The settings the bot was started with."""
        return self.core.settings

    @property
    def sender(self) -> MessageSender:
        """What the outbox sends through."""
        return self.outbox.sender

    async def start(self, *, deliver: bool = False) -> None:
        """Open the feed HTTP client and, when there are feeds, start the worker pool, its
        tagger compiled in each worker so the first poll does not pay for it; with `deliver`,
        start the delivery task last. Calling it again changes nothing."""
        if self.core.http is None:
            self.core.http = new_client()
        if feed_store.count_feeds(self.core.db):
            # Without feeds there is nothing to prepare: the workers (~40 MB each) start with
            # the first /addfeed instead, which then waits about a third of a second for them.
            await self.pool.start(tuple(self.core.topics()))
        if deliver and self.delivery is None:
            # Sending runs in its own task, beside the job queue and the handlers: a morning
            # run of thousands of chats takes minutes and must hold up neither commands nor
            # the next check. It first finishes what a stopped or killed process left.
            self.delivery = asyncio.create_task(self.outbox.serve(), name="warta-delivery")

    async def stop_delivery(self, grace: float = STOP_GRACE) -> None:
        """Stop the delivery task: the messages being sent get their answer and are recorded
        (cut off, they would go out again after a restart); the rest stay in the outbox."""
        task, self.delivery = self.delivery, None
        if task is None:
            return
        self.outbox.stop()
        try:
            await asyncio.wait_for(task, timeout=grace)
        except TimeoutError:
            logger.warning(
                "Delivery did not stop within %d s; the unanswered messages will be "
                "sent again after the restart",
                grace,
            )

    async def aclose(self) -> None:
        """Stop delivery (first), close the feed HTTP client, stop the worker pool if it is
        ours, stop the composing thread, close the database; safe on services that were
        never started."""
        await self.stop_delivery()
        http, self.core.http = self.core.http, None
        if http is not None:
            await http.aclose()
        if self.owns_pool:
            self.pool.stop()
        self.digests.close()
        self.core.db.close()
