"""The CallbackContext subclass that hands the services to every handler, and the typed
bot_data that holds them.

Handlers reach the core as `context.services.<area>.<method>(...)`, never through string keys
in bot_data (PTB examples/contexttypesbot.py).
"""

from __future__ import annotations

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.services.container import Services


class BotData:
    """The application's bot_data: a typed holder instead of a dict of string keys."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.digest_check_interval: float = 60.0


class BotContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """CallbackContext with typed access to the services."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
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
