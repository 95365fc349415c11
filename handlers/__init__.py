"""Thin Telegram handlers: parse arguments, call one service, reply from bot.texts.

Order matters only for the last group: the unknown-command fallback must come after every
command handler, so a real command never reaches it.
"""

from __future__ import annotations

from telegram.ext import BaseHandler

from handlers import admin, channel, digest, rules, schedule, settings, start, topics


def build_handlers() -> list[BaseHandler]:
    """Every handler, in priority order."""
    return [
        *start.handlers(),
        *topics.handlers(),
        *digest.handlers(),
        *schedule.handlers(),
        *settings.handlers(),
        *channel.handlers(),
        *admin.handlers(),
        *rules.handlers(),
        *start.fallback_handlers(),
    ]
