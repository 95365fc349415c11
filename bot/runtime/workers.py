"""The worker processes that run the pipeline of bot/feeds/prepare.py, each feed under a CPU
budget.

Parsing, cleaning and tagging are CPU-bound pure Python: they run in worker processes, one per
core (at most two), so they neither hold the event loop nor fight it for the GIL. A feed that
costs more than its budget fails alone, and a pool whose worker died (out of memory, killed,
crashed) is replaced instead of failing every later poll.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from bot.errors import FeedTooCostly
from bot.feeds import expat
from bot.feeds.fetched import FetchResult
from bot.feeds.prepare import Page, Prepared, add_leads, prepare_items
from bot.models import Item, Topic
from bot.tagging.tagger import Tagger

WORKERS = max(1, min(2, os.cpu_count() or 1))


class _OverBudget(BaseException):
    """Raised in a worker when its CPU timer rings. A BaseException, so that the `except
    Exception` inside feedparser (which falls back to its loose parser) cannot swallow it."""


def _ring(signum: int, frame: object) -> None:
    raise _OverBudget


def _start_worker(parent: int) -> None:
    """Each worker: the CPU timer raises _OverBudget, a worker the kernel ends for CPU leaves
    no core file behind, feedparser reads with the buffered expat driver (bot.feeds.expat),
    and a worker whose bot process (`parent`) is gone leaves too.

    The parent's pid is handed over rather than read here: a worker that starts after its
    parent was killed (a pool's second worker is still starting when the first has done the
    work) would read the pid it was handed to, and watch that forever."""
    signal.signal(signal.SIGPROF, _ring)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    expat.use_in_feedparser()
    threading.Thread(
        target=_exit_with_parent, args=(parent,), daemon=True, name="warta-parent-watch"
    ).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone (killed, crashed): it holds its own end of the
    pool's queue, so it would otherwise wait for work forever, an orphan holding memory."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _compile_in_worker(topics: tuple[Topic, ...]) -> None:
    """Compile the tagger of these topics in a worker, ahead of the first poll: it is kept in
    the tagger's own cache of compiled rule sets (bot/tagging/tagger.py), where each feed's
    Tagger(topics) finds it."""
    Tagger(topics)


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _prepare_in_worker(
    fetched: FetchResult, topics: tuple[Topic, ...], now: datetime, cpu_seconds: float
) -> Prepared | None:
    """prepare_items in a worker process under a CPU budget; None when the budget ran out."""
    return _budgeted(topics, cpu_seconds, lambda tagger: prepare_items(fetched, tagger, now))


def _leads_in_worker(
    pages: list[tuple[Item, Page]], topics: tuple[Topic, ...], cpu_seconds: float
) -> list[Item] | None:
    """add_leads in a worker process under the same CPU budget; None when it ran out."""
    return _budgeted(topics, cpu_seconds, lambda tagger: add_leads(pages, tagger))


def _budgeted(topics: tuple[Topic, ...], cpu_seconds: float, step):
    """step(tagger) under a CPU budget; None when the budget ran out.

    Two limits: a timer on this process's CPU time interrupts Python code at the budget (it
    rings again every 50 ms in case something catches it); and, for code that never returns to
    the interpreter (a regular expression deep in C), the kernel's RLIMIT_CPU ends the worker
    at twice the budget plus a second, which the pool sees as a broken pool.
    """
    # Before the clock starts: compiling (once per rule set) is not the feed's cost.
    tagger = Tagger(topics)
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = math.ceil(_cpu_used() + 2 * cpu_seconds + 1)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
    try:
        signal.setitimer(signal.ITIMER_PROF, cpu_seconds, 0.05)
        try:
            return step(tagger)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except _OverBudget:
        return None
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


class PreparePool:
    """The worker processes: started on first use, replaced when one dies or overruns.

    One per process, made by whoever owns it (Services, or a test session that shares one
    across many bots) and handed to the ingest service.
    """

    def __init__(self, workers: int = WORKERS) -> None:
        self.workers = workers
        self.replaced = 0  # how many times a broken or overrun pool was replaced
        self._executor: ProcessPoolExecutor | None = None

    def _current(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # "spawn": the bot's process has threads (PTB, the job queue), and forking those
            # is unsafe; spawned workers import this module afresh.
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return self._executor

    async def start(self, topics: tuple[Topic, ...]) -> None:
        """Start the workers and compile the tagger in each, so that the first poll does not
        pay for it (about a third of a second per worker)."""
        loop = asyncio.get_running_loop()
        executor = self._current()
        await asyncio.gather(
            *(
                loop.run_in_executor(executor, _compile_in_worker, topics)
                for _ in range(self.workers)
            )
        )

    async def prepare(
        self, fetched: FetchResult, topics: tuple[Topic, ...], now: datetime, cpu_seconds: float
    ) -> Prepared:
        """prepare_items in a worker, within cpu_seconds of CPU time.

        Raises:
            FeedParseError: the document is not a usable feed.
            FeedTooCostly: it went past the budget, or its worker died twice (once may be
                another feed's doing: every feed in a broken pool fails with it, so each is
                tried once more in a fresh pool).
        """
        return await self._run(cpu_seconds, _prepare_in_worker, fetched, topics, now, cpu_seconds)

    async def add_leads(
        self, pages: list[tuple[Item, Page]], topics: tuple[Topic, ...], cpu_seconds: float
    ) -> list[Item]:
        """add_leads in a worker, within cpu_seconds of CPU time.

        Raises:
            FeedTooCostly: as prepare.
        """
        return await self._run(cpu_seconds, _leads_in_worker, pages, topics, cpu_seconds)

    async def _run(self, cpu_seconds: float, step, *args):
        """step(*args) in a worker; a broken pool is replaced and the step tried once more."""
        loop = asyncio.get_running_loop()
        for attempt in range(2):
            executor = self._current()
            try:
                prepared = await loop.run_in_executor(executor, step, *args)
            except BrokenProcessPool:
                self._replace(executor)
                if attempt:
                    raise FeedTooCostly(
                        "worker_died", "the worker preparing the feed died", cpu_seconds
                    ) from None
                continue
            if prepared is None:
                # The worker was interrupted at an arbitrary point: its state is not trusted.
                self._replace(executor)
                raise FeedTooCostly(
                    "cpu_budget", f"over the {cpu_seconds:g} s CPU-time budget", cpu_seconds
                )
            return prepared
        raise AssertionError("unreachable")

    def _replace(self, executor: ProcessPoolExecutor) -> None:
        """New work goes to a fresh pool; the old one ends when its current work is done."""
        if self._executor is executor:
            self._executor = None
            self.replaced += 1
        executor.shutdown(wait=False)

    def stop(self) -> None:
        """Stop the worker processes (a later prepare starts new ones)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
