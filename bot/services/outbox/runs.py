"""The book of delivery: what one drain of the outbox did (DrainResult, chat by chat), and what
one scheduled run did from composing to the last message (Run, then RunSummary for /stats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from time import monotonic

from bot.models import DeliveryFailure
from storage.db import to_iso


@dataclass(frozen=True)
class ChatOutcome:
    """How sending one chat's pending messages went: how many Telegram accepted, and why the
    rest did not go ('blocked', 'later', 'rejected', 'expired'), or None if all went."""

    messages: int = 0
    failure: DeliveryFailure | None = None


@dataclass
class DrainResult:
    """What sending the outbox did, chat by chat."""

    chats: int = 0
    sent: int = 0  # chats whose every message went out
    failed: int = 0
    messages: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # failed chats by reason

    def add(self, outcome: ChatOutcome) -> None:
        """Count one chat's outcome."""
        self.chats += 1
        self.messages += outcome.messages
        if outcome.failure is None:
            self.sent += 1
        else:
            self.failed += 1
            self.reasons[outcome.failure] = self.reasons.get(outcome.failure, 0) + 1

    def merge(self, other: DrainResult) -> None:
        """Add another drain's counts to these (a run may take several drains)."""
        self.chats += other.chats
        self.sent += other.sent
        self.failed += other.failed
        self.messages += other.messages
        for kind, count in other.reasons.items():
            self.reasons[kind] = self.reasons.get(kind, 0) + count


@dataclass(frozen=True)
class RunSummary:
    """What one scheduled run did (shown by /stats)."""

    due: int = 0  # chats whose digest time came
    sent: int = 0  # chats whose digest went out whole
    empty: int = 0  # chats with nothing new: no message
    failed: int = 0  # chats with a message that did not go (reasons below)
    messages: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)  # failed chats by reason
    started_at: str = ""
    dropped: int = 0  # digest times missed for longer than the catch-up grace
    waiting: int = 0  # messages left in the outbox for a later try


@dataclass
class Run:
    """A run while it goes: composing (counted by the digests) and sending (by the drains)
    overlap, and it ends when both are done."""

    started_at: datetime
    started: float = field(default_factory=monotonic)
    due: int = 0
    empty: int = 0
    dropped: int = 0
    composing: int = 0  # composers at work; the run stays open while any is
    drained: DrainResult = field(default_factory=DrainResult)

    def summary(self, waiting: int) -> RunSummary:
        """The finished run's figures."""
        return RunSummary(
            due=self.due,
            sent=self.drained.sent,
            empty=self.empty,
            failed=self.drained.failed,
            messages=self.drained.messages,
            seconds=round(monotonic() - self.started, 3),
            reasons=self.drained.reasons,
            started_at=to_iso(self.started_at),
            dropped=self.dropped,
            waiting=waiting,
        )
