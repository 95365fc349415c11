"""What one chat may ask of Warta: a budget of updates per chat, cool-downs on the commands
that cost the most, and bounds on a command's arguments. Pure but for the clock it is given.
Warta's admins (ADMIN_IDS) are trusted: the gate and the cool-downs leave them out.

Telegram lets a bot send one message a second to a chat and about 30 a second in all, and a
429 halts every send of the bot for its retry_after. A chat that types faster than a person
would (a script, a stuck key) must therefore be slowed down before its answers eat the budget
every other reader and the morning digests share.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from bot.models import Admission

# A burst a person can type (a few commands in a row), then one every few seconds.
BURST = 10
REFILL_SECONDS = 3.0
# Seconds between two runs of the commands that read many items or poll every feed.
COOLDOWNS = {"digest": 15, "latest": 5}
# Chats remembered at once; the least recently seen are forgotten first (a forgotten chat
# starts again with a full budget, which is harmless).
MAX_CHATS = 10_000

# Characters and words of a command's arguments. Telegram caps a message at 4,096 characters;
# these bounds keep the work a command may cause small before any of it is done.
DEFAULT_ARGUMENTS = (256, 16)
ARGUMENT_LIMITS = {
    "subscribe": (512, 40),
    "unsubscribe": (512, 40),
    "latest": (256, 20),
    "addfeed": (2048, 1),
    "topic": (2048, 200),
    "testtopic": (4096, 1000),
    "addtopic": (128, 12),
    "timezone": (64, 1),
    "pantau": (1024, 80),  # up to 20 watch words of a few words each, in one command
}


@dataclass
class _Budget:
    tokens: float
    at: float
    warned: bool = False


class ChatLimits:
    """Per-chat budgets and cool-downs, kept in memory (a restart forgives everyone)."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        enabled: bool = True,
        burst: int = BURST,
        refill_seconds: float = REFILL_SECONDS,
    ) -> None:
        self.clock = clock  # seconds
        self.enabled = enabled
        self.burst = burst
        self.refill_seconds = refill_seconds
        self._budgets: OrderedDict[int, _Budget] = OrderedDict()
        self._last_run: OrderedDict[tuple[int, str], tuple[float, Hashable]] = OrderedDict()

    @staticmethod
    def arguments_fit(command: str, arguments: str) -> bool:
        """True when a command's arguments are within its bounds of characters and words."""
        chars, words = ARGUMENT_LIMITS.get(command, DEFAULT_ARGUMENTS)
        # Splitting stops past the bound, so a 4,000-word message is not split in full.
        return len(arguments) <= chars and len(arguments.split(None, words)) <= words

    def admit(self, chat_id: int) -> Admission:
        """Spend one of the chat's budget for a command or a button tap arriving now."""
        if not self.enabled:
            return Admission.ALLOW
        now = self.clock()
        budget = self._budgets.pop(chat_id, None) or _Budget(float(self.burst), now)
        self._budgets[chat_id] = budget  # most recently seen last
        _forget_oldest(self._budgets)
        budget.tokens = min(self.burst, budget.tokens + (now - budget.at) / self.refill_seconds)
        budget.at = now
        if budget.tokens >= 1:
            budget.tokens -= 1
            budget.warned = False
            return Admission.ALLOW
        if budget.warned:
            return Admission.DROP
        budget.warned = True
        return Admission.WARN

    def cooldown_left(self, chat_id: int, command: str, state: Hashable = None) -> int:
        """Whole seconds until `command` may run again in this chat; 0 means it may run now,
        and the cool-down starts.

        `state` is what the command's answer depends on (for /digest, the chat's topics and
        settings): when it changed since the last run, the answer would differ, so the
        cool-down does not apply (issue 22: a reader's /digest right after following a topic
        was refused).
        """
        seconds = COOLDOWNS.get(command)
        if not self.enabled or seconds is None:
            return 0
        now = self.clock()
        key = (chat_id, command)
        last = self._last_run.get(key)
        if last is not None and now - last[0] < seconds and last[1] == state:
            return max(1, int(seconds - (now - last[0]) + 0.999))
        self._last_run.pop(key, None)
        self._last_run[key] = (now, state)
        _forget_oldest(self._last_run)
        return 0


def _forget_oldest(table: OrderedDict) -> None:
    while len(table) > MAX_CHATS:
        table.popitem(last=False)
