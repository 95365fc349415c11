"""Shared fixtures: the loopback fakes that stand in for Telegram and the news sites.

Both servers run inside the test's own event loop on a free 127.0.0.1 port (never a fixed one),
and are stopped after the test so no socket or pending request outlives it.
"""

import pytest

from tests.support.feed_host import FeedHost
from tests.support.telegram_api import FakeTelegramAPI


@pytest.fixture
async def telegram_api():
    """A started fake Bot API; build the bot with `base_url(telegram_api.base_url)`."""
    async with FakeTelegramAPI() as api:
        yield api


@pytest.fixture
async def feed_host():
    """A started fake news site; register paths with `feed_host.add(...)`."""
    async with FeedHost() as host:
        yield host


# --- The bot under test ------------------------------------------------------------------------

import itertools  # noqa: E402
import shutil  # noqa: E402
from collections.abc import Awaitable, Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

from telegram.ext import Application  # noqa: E402

from bot.app import build_application, shutdown  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.feeds.fetch import new_client  # noqa: E402
from bot.runtime.workers import PreparePool  # noqa: E402
from bot.services.container import Services  # noqa: E402
from storage.db import open_database  # noqa: E402
from tests.support.chats import ADMIN_ID, READER_ID, Chat, Clock, services_of  # noqa: E402


@pytest.fixture
def clock() -> Clock:
    """Wednesday 25 November 2026, 10:00 UTC (18:00 WITA)."""
    return Clock(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """A database file with every migration applied, made once per test process: a test's
    database starts as a copy of it (1 ms) rather than migrating a new file (12 ms), hundreds
    of times a run. A new file is still migrated from nothing wherever a test names a database
    of its own (the command-line tools, the doctor, the file modes), and older schemas are
    brought up to date in test_topic_tools.py (m006) and test_search.py (m013)."""
    path = tmp_path_factory.mktemp("migrated") / "warta.db"
    open_database(path).close()  # the last connection closed: the WAL is folded in
    return path


@pytest.fixture
def make_settings(tmp_path, telegram_api, migrated_database) -> Callable[..., Settings]:
    """Settings.from_env over test defaults; keyword arguments override variables. The default
    database starts migrated (a copy of migrated_database); one a test names starts empty."""
    default = tmp_path / "warta.db"
    if not default.exists():
        shutil.copyfile(migrated_database, default)
        default.chmod(0o600)

    def make(**overrides: str) -> Settings:
        env = {
            "TELEGRAM_BOT_TOKEN": telegram_api.token,
            "TELEGRAM_API_BASE_URL": telegram_api.base_url,
            "ADMIN_IDS": str(ADMIN_ID),
            "DATABASE_PATH": str(default),
            "SEED_DEFAULT_FEEDS": "false",
            "ALLOW_PRIVATE_FEED_URLS": "true",
            # Journeys type faster than a person; tests/test_abuse_readers.py turns it on.
            "FLOOD_PROTECTION": "false",
            # Title-only fixtures would otherwise have their (missing) article pages asked
            # for in every test that polls; tests/test_leads.py turns it on.
            "READ_LEADS": "false",
        }
        env.update({key.upper(): value for key, value in overrides.items()})
        return Settings.from_env(env)

    return make


@pytest.fixture
def settings(make_settings) -> Settings:
    """The default test settings."""
    return make_settings()


@pytest.fixture(scope="session")
def prepare_pool():
    """ONE worker pool for the whole run (one per xdist worker process), lent to every bot and
    Services the fixtures build: spawning two workers and importing the pipeline in each took
    about a second after every test that polled. Tests of the pool itself (a worker killed, a
    feed over its CPU budget counting replacements) build Services that own a pool of their
    own instead."""
    pool = PreparePool()
    yield pool
    pool.stop()


def quick_pacing(services: Services) -> None:
    """Pauses shortened where no test asserts them: a chat's messages a real second apart
    (Telegram's limit, which the fake enforces only in telegram_api.rate_limit() mode) and
    network errors retried after seconds. Tests of the pacing itself set the real values."""
    services.outbox.chat_gap = 0.0
    services.outbox.retry_delays = (0.05, 0.1)


@pytest.fixture
def build_bot(prepare_pool) -> Callable[..., Awaitable[Application]]:
    """build_application with the shared worker pool and quick pacing, its services started
    (the feed HTTP client open); the test enters it, and calls bot.app.shutdown after."""

    async def build(settings: Settings, **options) -> Application:
        application = build_application(settings, pool=prepare_pool, **options)
        services = application.bot_data.services
        quick_pacing(services)
        await services.start()
        return application

    return build


@pytest.fixture
async def app(settings, clock, build_bot):
    """The real Application, initialised against the fake API (jobs not running), sharing the
    session's worker pool."""
    application = await build_bot(settings, clock=clock)
    async with application:
        yield application
    await shutdown(application)


@pytest.fixture
async def guarded(make_settings, build_bot, clock):
    """The real bot, flood protection on, running (updates are taken from its queue)."""
    application = await build_bot(make_settings(flood_protection="true"), clock=clock)
    async with application:
        await application.start()
        yield application
        await application.stop()
    await shutdown(application)


_chat_ids = itertools.count(5000)


@pytest.fixture
def reader(app, telegram_api) -> Chat:
    """A subscriber's private chat."""
    return Chat(app, telegram_api, READER_ID)


@pytest.fixture
def admin(app, telegram_api) -> Chat:
    """An admin's private chat."""
    return Chat(app, telegram_api, ADMIN_ID)


@pytest.fixture
async def services(settings, clock, prepare_pool):
    """The services on a real SQLite file, without Telegram, started with the session's
    worker pool: for ingestion tests."""
    services = Services.open(settings, clock=clock, pool=prepare_pool)
    quick_pacing(services)
    await services.start()
    yield services
    await services.aclose()


async def _every_name_is_loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


@pytest.fixture
async def sites(app, feed_host) -> FeedHost:
    """The feed host answering for every site name (kaltimtoday.co, …) the bot looks up, and
    for Google News searches: the bot's feed client resolves every name to 127.0.0.1 (through
    fetch.py's own resolver hook), and a domain's home page is on the host's port. For
    /addsite and discovery, which start from a name; nothing reaches the network."""
    services = services_of(app)
    previous, services.core.http = services.core.http, new_client(resolver=_every_name_is_loopback)
    if previous is not None:
        await previous.aclose()
    services.sources.site_address = f"http://{{domain}}:{feed_host.port}/"
    services.sources.google_news_search = feed_host.url("/rss/search")
    return feed_host


# --- Figures the suite measures, printed at the end of every run -------------------------------

_MEASURED: list[str] = []


@pytest.fixture
def measured(request) -> Callable[[str], None]:
    """Record a line of figures (tagging quality, clustering, corpus walk) for the summary.

    Kept on the test's report, so that under xdist the line travels from the worker process
    that ran the test to the one that prints the summary."""
    return lambda line: request.node.user_properties.append(("measured", line))


_SECONDS = {"all": 0.0, "slow": 0.0}
_SLOW_TESTS: set[str] = set()


def pytest_runtest_logreport(report) -> None:
    """Collect the figures of each finished test (its teardown report carries them all), and
    the seconds of every test phase, those of tests marked slow apart."""
    _SECONDS["all"] += report.duration
    if "slow" in report.keywords:
        _SECONDS["slow"] += report.duration
        _SLOW_TESTS.add(report.nodeid)
    if report.when == "teardown":
        _MEASURED.extend(value for key, value in report.user_properties if key == "measured")


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the recorded figures after the test results, and the share of the slow tests."""
    if _MEASURED:
        terminalreporter.section("measured figures")
        for line in _MEASURED:
            terminalreporter.write_line(line)
    if _SECONDS["all"]:
        terminalreporter.write_line(
            f"slow tests (rate-bound or subprocess, marked slow): {len(_SLOW_TESTS)}, "
            f"{_SECONDS['slow']:.0f} s of {_SECONDS['all']:.0f} s of test time "
            f"({_SECONDS['slow'] / _SECONDS['all']:.0%}; summed over the xdist workers)"
        )
