"""The one way the fake servers wait: a sleep that ends early when the server stops."""

import asyncio


async def sleep_unless_closing(closing: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, or less if `closing` is set, so server cleanup never waits on us."""
    try:
        async with asyncio.timeout(seconds):
            await closing.wait()
    except TimeoutError:
        pass
