"""Thin Telegram handlers: parse arguments, call one service, reply from bot.text.texts.

Modules are named for who uses them: readers (start, topics, digest, search, alerts, schedule,
settings), channel admins (channel), Warta's admins (admin for feeds, stats for figures,
topic_admin for topics and their rules).

The gate (handlers/gate.py) runs first, in its own group, and may stop an update before any of
these sees it. Within the main group order matters only for the last handlers: the
unknown-command fallback must come after every command handler, so a real command never
reaches it.
"""

from __future__ import annotations

from telegram.ext import BaseHandler

from handlers import (
    admin,
    alerts,
    channel,
    digest,
    gate,
    schedule,
    search,
    settings,
    start,
    stats,
    topic_admin,
    topics,
)


def build_gate() -> list[BaseHandler]:
    """The handlers of the gate group, registered in handler group gate.GATE_GROUP."""
    return gate.handlers()


def build_handlers() -> list[BaseHandler]:
    """Every handler of the main group, in priority order."""
    return [
        *start.handlers(),
        *topics.handlers(),
        *digest.handlers(),
        *search.handlers(),
        *alerts.handlers(),
        *schedule.handlers(),
        *settings.handlers(),
        *channel.handlers(),
        *admin.handlers(),
        *stats.handlers(),
        *topic_admin.handlers(),
        *start.fallback_handlers(),
    ]
