"""The services container and the CallbackContext subclass that hands it to every handler.

Handlers reach the core as `context.services.<area>.<method>(...)`, never through string keys
in bot_data (PTB examples/contexttypesbot.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.services.admin import AdminService
from bot.services.alerts import AlertService
from bot.services.core import Core
from bot.services.digests import DigestService
from bot.services.ingest import IngestService
from bot.services.limits import ChatLimits
from bot.services.outbox import MessageSender, Offline, OutboxService
from bot.services.search import SearchService
from bot.services.subscribers import SubscriberService
from bot.services.top import TopService
from bot.services.topics import TopicService
from bot.services.upkeep import UpkeepService


@dataclass
class Services:
    """One instance of each service, sharing one Core."""

    core: Core
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

    @classmethod
    def create(cls, core: Core, sender: MessageSender | None = None) -> Services:
        """Wire the services around a core; messages go out through `sender` (Telegram in
        the bot; without one, as in the command-line tools, nothing is sent)."""
        subscribers = SubscriberService(core)
        ingest = IngestService(core)
        outbox = OutboxService(core, sender or Offline())
        return cls(
            core=core,
            ingest=ingest,
            subscribers=subscribers,
            digests=DigestService(core, subscribers, outbox),
            outbox=outbox,
            admin=AdminService(core, ingest, outbox.sender),
            topics=TopicService(core),
            limits=ChatLimits(lambda: core.now().timestamp(),
                              enabled=core.settings.flood_protection),
            upkeep=UpkeepService(core),
            search=SearchService(core, subscribers),
            alerts=AlertService(core, subscribers, outbox),
            top=TopService(core),
        )

    @property
    def settings(self) -> Settings:
        """The settings the bot was started with."""
        return self.core.settings

    @property
    def sender(self) -> MessageSender:
        """What the outbox sends through."""
        return self.outbox.sender


class BotData:
    """The application's bot_data: a typed holder instead of a dict of string keys."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.digest_check_interval: float = 60.0
        self.delivery: asyncio.Task | None = None  # the task sending the outbox


class BotContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """CallbackContext with typed access to the services."""

    def __init__(self, application: Application, chat_id: int | None = None,
                 user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        """The services of this application."""
        services = self.bot_data.services
        assert services is not None, "build_application() installs the services"
        return services

    @property
    def settings(self) -> Settings:
        """The settings the bot was started with."""
        return self.services.settings
