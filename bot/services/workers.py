"""The worker processes that parse, clean and tag fetched feeds, each feed under a CPU budget.

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
from dataclasses import dataclass, replace
from datetime import datetime

from bot.errors import FeedParseError, FeedTooCostly
from bot.feeds import expat, googlenews
from bot.feeds.clean import clean_item
from bot.feeds.document import parse_document
from bot.feeds.fetched import FetchResult
from bot.models import Item, Topic
from bot.tagging.tagger import Tagger

WORKERS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class Prepared:
    """A fetched document turned into taggable items."""

    title: str
    items: list[Item]
    skipped: int
    follow: tuple[str, ...] = ()  # a sitemap index: the news sitemaps to read instead


def prepare_items(fetched: FetchResult, tagger: Tagger, now: datetime) -> Prepared:
    """Parse, clean and tag a fetched document. Pure and blocking: runs in a worker process.

    Raises:
        FeedParseError: the document is not a usable feed.
    """
    parsed = parse_document(fetched.body, url=fetched.final_url, headers=fetched.headers)
    if googlenews.site_of(fetched.final_url):
        parsed = googlenews.tidy(parsed)
    items, skipped = [], 0
    for raw in parsed.entries:
        item = clean_item(raw, now=now)
        if item is None:
            skipped += 1
            continue
        # A feed's clock can run ahead; a story dated tomorrow would stick to the top forever.
        items.append(replace(
            item, published_at=min(item.published_at, now),
            tags=tagger.tag(item.title, item.summary),
        ))
    if parsed.entries and not items:
        raise FeedParseError(
            f"parser: none of the {len(parsed.entries)} entries has a title and an http(s) link"
        )
    return Prepared(parsed.title.strip(), items, skipped, parsed.follow)


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
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True,
                     name="warta-parent-watch").start()


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


def _prepare_in_worker(fetched: FetchResult, topics: tuple[Topic, ...], now: datetime,
                       cpu_seconds: float) -> Prepared | None:
    """prepare_items in a worker process under a CPU budget; None when the budget ran out.

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
            return prepare_items(fetched, tagger, now)
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
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(os.getpid(),),
            )
        return self._executor

    async def start(self, topics: tuple[Topic, ...]) -> None:
        """Start the workers and compile the tagger in each, so that the first poll does not
        pay for it (about a third of a second per worker)."""
        loop = asyncio.get_running_loop()
        executor = self._current()
        await asyncio.gather(*(
            loop.run_in_executor(executor, _compile_in_worker, topics)
            for _ in range(self.workers)
        ))

    async def prepare(self, fetched: FetchResult, topics: tuple[Topic, ...], now: datetime,
                      cpu_seconds: float) -> Prepared:
        """prepare_items in a worker, within cpu_seconds of CPU time.

        Raises:
            FeedParseError: the document is not a usable feed.
            FeedTooCostly: it went past the budget, or its worker died twice (once may be
                another feed's doing: every feed in a broken pool fails with it, so each is
                tried once more in a fresh pool).
        """
        loop = asyncio.get_running_loop()
        for attempt in range(2):
            executor = self._current()
            try:
                prepared = await loop.run_in_executor(
                    executor, _prepare_in_worker, fetched, topics, now, cpu_seconds
                )
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

