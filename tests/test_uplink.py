"""The Uplink's rules, with a probe of our own standing in for getMe: a failure after another
call was answered is no outage; concurrent failures share one probe; a failed probe begins one
outage (heard once), the first answer ends it (heard once), and the waiters go."""

import asyncio
from datetime import UTC, datetime
from time import monotonic

from bot.errors import TelegramUnreachable
from bot.runtime.uplink import JITTER, Uplink, jittered


class Telegram:
    """What the probe asks: up or down; counts the probes."""

    def __init__(self) -> None:
        self.up = True
        self.probes = 0

    async def probe(self) -> None:
        self.probes += 1
        await asyncio.sleep(0)
        if not self.up:
            raise TelegramUnreachable("probe: Bad Gateway (502)")


def uplink(telegram: Telegram) -> tuple[Uplink, list[str]]:
    link = Uplink(lambda: datetime(2026, 11, 26, tzinfo=UTC), probe_max=0.01)
    link.probe = telegram.probe
    heard: list[str] = []
    link.on_down.append(lambda outage: heard.append(f"down: {outage.reason}"))
    link.on_up.append(lambda outage, seconds: heard.append("up"))
    return link, heard


async def test_a_failure_after_another_answer_is_that_calls_bad_luck():
    telegram = Telegram()
    link, heard = uplink(telegram)
    begun = monotonic()
    link.answered()  # another call got its answer after ours began
    assert await link.check(begun, "timeout")
    assert telegram.probes == 0 and heard == []


async def test_failures_at_once_share_one_probe_and_begin_one_outage():
    telegram = Telegram()
    telegram.up = False
    link, heard = uplink(telegram)
    begun = monotonic()
    answers = await asyncio.gather(*(link.check(begun, "502") for _ in range(24)))
    assert answers == [False] * 24 and link.down
    assert telegram.probes == 1 and heard == ["down: 502"]
    assert not await link.check(monotonic(), "502")  # known down: no new probe
    assert telegram.probes == 1


async def test_the_prober_ends_the_outage_once_telegram_answers_and_waiters_go():
    telegram = Telegram()
    telegram.up = False
    link, heard = uplink(telegram)
    assert not await link.check(monotonic(), "502")
    waiters = [asyncio.create_task(link.wait_back()) for _ in range(3)]
    await asyncio.sleep(0)
    assert not any(w.done() for w in waiters)
    telegram.up = True
    assert all(await asyncio.gather(*waiters))  # the prober's next probe got an answer
    assert heard == ["down: 502", "up"] and not link.down
    link.close()


async def test_close_lets_the_waiters_go_without_telegram():
    telegram = Telegram()
    telegram.up = False
    link, _ = uplink(telegram)
    assert not await link.check(monotonic(), "502")
    waiter = asyncio.create_task(link.wait_back())
    link.close()
    assert await waiter is False


def test_jitter_stays_within_a_quarter():
    assert jittered(4.0, lambda: 0.0) == 4.0 * (1 - JITTER)
    assert jittered(4.0, lambda: 1.0) == 4.0 * (1 + JITTER)
