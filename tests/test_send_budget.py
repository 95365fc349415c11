"""bot.delivery.send_budget: answers to readers go before broadcasts, and a stop lets every
waiting call go."""

import asyncio

import pytest

from bot.delivery.send_budget import Pacer


async def test_an_answer_waiting_goes_before_a_broadcast_waiting():
    pacer = Pacer(rate=1000, burst=1)
    await pacer.turn(broadcast=True)  # spends the burst: the next ones wait their turn
    order: list[str] = []

    async def call(name: str, broadcast: bool) -> None:
        await pacer.turn(broadcast=broadcast)
        order.append(name)

    broadcasts = [asyncio.create_task(call(f"broadcast {n}", True)) for n in range(3)]
    answer = asyncio.create_task(call("answer", False))
    await asyncio.gather(*broadcasts, answer)
    assert order[0] == "answer"
    assert sorted(order[1:]) == ["broadcast 0", "broadcast 1", "broadcast 2"]
    await pacer.close()


async def test_closing_lets_every_waiting_call_go_instead_of_hanging():
    pacer = Pacer(rate=0.001, burst=1)  # one turn, then the next in 1,000 s
    await pacer.turn(broadcast=False)
    waiting = [asyncio.create_task(pacer.turn(broadcast=b)) for b in (False, True, True)]
    await asyncio.sleep(0)  # let them queue
    assert pacer.waiting(broadcast=False) == 1 and pacer.waiting(broadcast=True) == 2
    await pacer.close()
    done, pending = await asyncio.wait(waiting, timeout=5)
    assert not pending
    for task in done:
        with pytest.raises(asyncio.CancelledError):
            task.result()
