"""Failure injection for the fake Bot API: failing, delaying and holding calls, blocked chats and
flood control. Tests only; imports only sibling fakes from the project.
"""

import asyncio
import dataclasses
from typing import Any

from tests.support.bot_api_wire import ApiError, Call
from tests.support.flood import FloodControl
from tests.support.pause import sleep_unless_closing


@dataclasses.dataclass
class _Rule:
    method: str
    remaining: int
    chat_id: int | str | None = None
    status: int = 0
    description: str = ""
    parameters: dict[str, float] | None = None
    delay: float = 0.0


class FaultInjection:
    """FakeTelegramAPI's ways to misbehave; a mixin, its state set up by _init_faults().

    Relies on FakeTelegramAPI's `_calls_changed` and `_closing` and on ChatStore's chats.
    """

    def _init_faults(self) -> None:
        self._rules: list[_Rule] = []
        self._blocked: set[int | str] = set()
        self._flood: FloodControl | None = None
        self.flood_refusals = 0  # 429s answered by rate_limit()'s flood control
        self._gates: dict[str, asyncio.Event] = {}  # hold(): set when released
        self._held: list[Call] = []  # calls waiting at a hold now
        self._outage: str | None = None  # go_down(): "down"; hang(): "hang"
        self._outage_status = 502
        self._over = asyncio.Event()  # set by come_back(): hung calls are answered
        self.hung = 0  # calls hanging now
        self._hang_answers = True
        self.outage_answers = 0  # calls answered with the front's error page

    # -- failure injection -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: float | None = None,
        migrate_to_chat_id: int | None = None,
        chat_id: int | str | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next `count` calls of `method` (to `chat_id` only, if given) with an error.

        Telegram sends whole seconds for retry_after; a fraction like 0.1 keeps tests fast and
        PTB accepts it.
        """
        parameters = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        self._rules.append(_Rule(method, count, chat_id, status, description, parameters or None))

    def delay_next(self, method: str, seconds: float, *, count: int = 1) -> None:
        """Answer the next `count` calls of `method` only after `seconds` (to provoke timeouts)."""
        self._rules.append(_Rule(method, count, delay=seconds))

    def block_chat(self, chat_id: int | str) -> None:
        """Every send to `chat_id` answers 403, as after the user blocked the bot."""
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int | str) -> None:
        """Undo block_chat."""
        self._blocked.discard(chat_id)

    def rate_limit(self, enabled: bool | None = True, /, **limits: Any) -> FloodControl | None:
        """Switch flood control on (FloodControl's keyword limits) or off (None/False).

        Over a limit, a sending call answers 429 "Too Many Requests: retry after N" (whole
        seconds) and counts in `flood_refusals`. Each call starts with full buckets; clear()
        refills them and zeroes `flood_refusals` but keeps the mode on.
        """
        self._flood = FloodControl(**limits) if enabled else None
        return self._flood

    def go_down(self, status: int = 502) -> None:
        """Telegram is down behind its front: every call (getMe and getUpdates too) is answered
        `status` with nginx's HTML error page, until come_back()."""
        self._outage, self._outage_status = "down", status
        self._over.clear()
        self._updates_changed.notify()

    def hang(self, *, answer_at_end: bool = True) -> None:
        """Telegram's front accepts connections but never answers: every call waits, and is
        answered only at come_back(), with a 504 page, having never reached Telegram (or not
        at all, if its client gave up meanwhile). Without `answer_at_end`, the calls of the
        hang are never answered: their clients must time out, as with a front that lost them."""
        self._outage = "hang"
        self._hang_answers = answer_at_end
        self._over.clear()
        self._updates_changed.notify()

    def come_back(self) -> None:
        """End go_down() or hang(): calls are answered as usual again."""
        self._outage = None
        self._over.set()
        self._calls_changed.notify()

    async def wait_hung(self, count: int = 1, *, timeout: float = 5.0) -> None:
        """Wait until `count` calls hang at once."""
        if not await self._calls_changed.wait_for(lambda: self.hung >= count, timeout):
            raise AssertionError(f"waited {timeout}s for {count} hung call(s), got {self.hung}")

    def hold(self, method: str) -> None:
        """Make later calls of `method` wait (recorded, status None) until release() or stop().

        A released call then runs as usual (fail_next rules, flood control...) and takes effect
        even if its client has gone away meanwhile, as a request that reached Telegram does.
        """
        self._gates.setdefault(method, asyncio.Event())

    def release(self, method: str) -> None:
        """Let the calls held at `method` through and stop holding new ones."""
        gate = self._gates.pop(method, None)
        if gate is not None:
            gate.set()
            self._calls_changed.notify()

    def held(self, method: str | None = None) -> int:
        """How many calls (of `method`) are waiting at a hold now."""
        return sum(method in (None, c.method) for c in self._held)

    async def wait_held(self, method: str, count: int = 1, *, timeout: float = 5.0) -> None:
        """Wait until `count` calls of `method` are waiting at a hold."""
        if not await self._calls_changed.wait_for(lambda: self.held(method) >= count, timeout):
            raise AssertionError(
                f"waited {timeout}s for {count} held {method} call(s), got {self.held(method)}"
            )

    def _reset_faults(self) -> None:
        """clear()'s part: forget failures and blocked chats, refill flood control's buckets."""
        self._rules.clear()
        self._blocked.clear()
        self.flood_refusals = 0
        if self._flood is not None:
            self._flood.reset()

    # -- applying them to a call -----------------------------------------------------------

    async def _wait_at_hold(self, call: Call) -> None:
        """Keep `call` waiting while its method is held (until release() or stop())."""
        gate = self._gates.get(call.method)
        if gate is not None:
            self._held.append(call)
            self._calls_changed.notify()
            try:
                await self._calls_changed.wait_for(
                    lambda: gate.is_set() or self._closing.is_set(), None
                )
            finally:
                self._held.remove(call)

    async def _apply_outage(self) -> None:
        """Answer a call as a front whose Telegram is down (go_down) or hangs (hang)."""
        if self._outage == "hang":
            self.hung += 1
            self._calls_changed.notify()
            answers = self._hang_answers
            try:
                await self._calls_changed.wait_for(
                    lambda: (answers and self._over.is_set()) or self._closing.is_set(), None
                )
            finally:
                self.hung -= 1
            self.outage_answers += 1
            raise ApiError(504, "Gateway Time-out", page=_front_page(504, "Gateway Time-out"))
        if self._outage == "down":
            self.outage_answers += 1
            status = self._outage_status
            reason = {502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Error")
            raise ApiError(status, reason, page=_front_page(status, reason))

    async def _apply_rules(self, call: Call) -> None:
        """Delay and/or fail `call` as the oldest matching delay_next/fail_next rules say."""
        delay, failure = self._take_rule(call, delay=True), self._take_rule(call, delay=False)
        if delay:
            await self._sleep(delay.delay)
        if failure:
            raise ApiError(failure.status, failure.description, failure.parameters)

    def _check_sending(self, method: str, chat_id: Any, *, paid: bool = False) -> None:
        """Refuse a send to a blocked chat (403) or over a flood-control limit (429)."""
        channel = self._channels.get(chat_id)
        if chat_id in self._blocked or (channel and not channel.bot_is_admin):
            raise ApiError(403, _blocked_description(self._chat_type(chat_id)))
        retry_after = self._flood and self._flood.check(method, chat_id, paid=paid)
        if retry_after:
            self.flood_refusals += 1
            description = f"Too Many Requests: retry after {retry_after}"
            raise ApiError(429, description, {"retry_after": retry_after})

    def _take_rule(self, call: Call, *, delay: bool) -> _Rule | None:
        """Use up one turn of the oldest matching delay (or failure) rule."""
        for rule in self._rules:
            if (
                rule.method == call.method
                and rule.chat_id in (None, call.params.get("chat_id"))
                and bool(rule.delay) == delay
            ):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
                return rule
        return None

    async def _sleep(self, seconds: float) -> None:
        await sleep_unless_closing(self._closing, seconds)


def _blocked_description(chat_type: str) -> str:
    return {
        "private": "Forbidden: bot was blocked by the user",
        "group": "Forbidden: bot was kicked from the group chat",
        "supergroup": "Forbidden: bot was kicked from the supergroup chat",
    }.get(chat_type, "Forbidden: bot is not a member of the channel chat")


def _front_page(status: int, reason: str) -> str:
    """The error page an nginx front answers when the service behind it is down."""
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
