"""The composition root: builds the PTB Application with its services, handlers and jobs."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.adapter.chat_order import ChatOrderProcessor
from bot.adapter.context import BotContext, BotData
from bot.adapter.errorhandler import error_handler, patient
from bot.adapter.jobs import (
    JOB_BACKUP,
    JOB_DIGESTS,
    JOB_POLL,
    JOB_PRUNE,
    JOB_SITES,
    backup_job,
    check_sites_job,
    poll_feeds_job,
    prune_items_job,
    queue_digests_job,
)
from bot.adapter.webhook import run_webhook
from bot.config import LANGUAGES, Settings
from bot.delivery.send_budget import LanedRateLimiter
from bot.delivery.sender import AiohttpRequest, TelegramSender, UpdatesRequest
from bot.errors import ConfigError
from bot.feeds.fetch import tls_context
from bot.ops.runlock import RunLock
from bot.runtime.core import utc_now
from bot.runtime.workers import PreparePool
from bot.services.container import Services
from bot.services.outbox.engine import CONCURRENCY
from bot.text.texts import t
from handlers import build_gate, build_handlers
from handlers.commands import MENU_COMMANDS
from handlers.gate import GATE_GROUP

logger = logging.getLogger(__name__)

# Messages a second: just under Telegram's 30, so the jitter of the network never pushes a
# second over it (29.5 reached 0.984 of 30 with no 429 in bench_delivery); and a burst of 3
# instead of a whole second's worth at once. Some burst is needed: with none, every wake-up's
# delay is lost for good and the pace sags to about 28. PTB's limiter behind the lanes keeps
# the hard limit of 30.
SEND_RATE = 29.5
SEND_BURST = 3
# How often due digests are looked for; digest times are whole minutes.
DIGEST_CHECK_INTERVAL = 60.0
# How long after the minute begins the check runs (the clock of the job queue may lag a bit).
MINUTE_MARGIN = 0.2
DAY = 24 * 3600.0
# Retention and backups start a little after the bot, so a restart loop does not redo them
# every few seconds and start-up stays quick.
PRUNE_FIRST = 60.0
BACKUP_FIRST = 600.0
# How long the bot's connection waits for SQLite's write lock before it gives the event loop
# back (bot/runtime/patience.py tries the write again later): the loop must never stand still
# while an operator's session or another tool writes.
LOOP_BUSY_TIMEOUT = 0.02
# How long a reader's command waits for that lock before being asked to send it again.
LOCK_PATIENCE = 60.0


def build_application(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utc_now,
    digest_check_interval: float = DIGEST_CHECK_INTERVAL,
    pool: PreparePool | None = None,
    lock_patience: float = LOCK_PATIENCE,
) -> Application:
    """Build the bot: open the database, wire services and handlers (jobs start in startup).

    `pool` lends a running worker pool (the tests share one); by default the bot makes its own.
    """
    token = settings.require_token()
    base_url = settings.telegram_api_base_url
    # Chats sent to at once: for paid broadcasts, enough to keep BROADCAST_RATE messages a
    # second in flight at Telegram's 100-250 ms a call.
    concurrency = (
        max(CONCURRENCY, settings.broadcast_rate // 4) if settings.paid_broadcast else CONCURRENCY
    )
    # Both clients tell the services' Uplink whether Telegram answers (wired below).
    request = AiohttpRequest()
    updates_request = UpdatesRequest(
        connection_pool_size=1, httpx_kwargs={"verify": tls_context()}
    )
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_url.removesuffix("/bot") + "/file/bot")
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .request(request)
        # getUpdates stays on PTB's httpx client: one long call at a time, on the feeds' TLS
        # context rather than one built for it (bot/feeds/fetch.py, tls_context).
        .get_updates_request(updates_request)
        # Telegram's flood limits: PTB's limiter paces every call, keeps each group to 20
        # messages a minute, and on a 429 halts all calls for its retry_after, then retries.
        # Answers to readers take their turn before digest messages (bot/delivery/send_budget.py).
        .rate_limiter(
            LanedRateLimiter(
                AIORateLimiter(
                    overall_max_rate=SEND_BURST, overall_time_period=SEND_BURST / 30, max_retries=3
                ),
                rate=SEND_RATE,
                burst=SEND_BURST,
                paid_rate=settings.broadcast_rate,
            )
        )
        # A slow /addfeed must not hold up every other chat's commands; a chat's own are
        # answered in the order they came (bot/adapter/chat_order.py).
        .concurrent_updates(ChatOrderProcessor())
        .post_init(startup)
        .post_stop(stop_delivery)
        .post_shutdown(shutdown)
        .build()
    )
    services = Services.open(
        settings,
        clock=clock,
        pool=pool,
        sender=TelegramSender(application.bot, paid=settings.paid_broadcast),
        busy_timeout=LOOP_BUSY_TIMEOUT,
    )
    services.outbox.concurrency = concurrency
    request.uplink = updates_request.uplink = services.outbox.uplink
    application.bot_data.services = services
    application.bot_data.digest_check_interval = digest_check_interval
    application.add_handlers(build_gate(), group=GATE_GROUP)
    application.add_handlers(build_handlers())
    application.add_error_handler(error_handler)
    # Another process holding the write lock makes a command wait (not the loop), then it is
    # applied; past the patience the reader is asked to send it again (errorhandler.patient).
    for handlers in application.handlers.values():
        for handler in handlers:
            handler.callback = patient(handler.callback, lock_patience)
    return application


def run(settings: Settings) -> None:
    """Run the bot until SIGTERM or Ctrl-C: long polling, or webhook mode with WEBHOOK_URL.

    Holds the database's run lock all along, so a second bot on the same file refuses to
    start and `restore` knows not to touch it. Raises ConfigError when the lock is taken.
    """
    lock = RunLock(settings.database_path)
    if not lock.acquire():
        raise ConfigError(
            f"Warta is already running on {settings.database_path} "
            f"(lock {lock.path} is held); stop that one first"
        )
    try:
        application = build_application(settings)
        _meet_telegram(application)
        if settings.webhook_url:
            # Warta's own server, not PTB's: it refuses a request without the secret before
            # reading its body, and bounds bodies, times and connections (bot/adapter/webhook.py).
            run_webhook(application, settings)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        lock.release()


def _meet_telegram(application: Application) -> None:
    """Introduce the bot to Telegram (getMe) on the event loop it then runs on, so that on a
    refusal its HTTP client is closed on that loop before the error goes up (PTB closes the
    loop without shutting the bot down, and aiohttp reports a session left open)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(application.bot.initialize())
    except BaseException:
        loop.run_until_complete(application.bot.shutdown())
        loop.close()
        raise


def services_of(application: Application) -> Services:
    """The services installed by build_application."""
    return application.bot_data.services


async def startup(application: Application) -> None:
    """Start the services (feed HTTP client, worker pool, delivery), schedule the jobs,
    publish the command menu."""
    services = services_of(application)
    await services.start(deliver=True)
    jobs = application.job_queue
    # Each job waits out another process's write lock as a command does, rather than fail.
    polling = patient(poll_feeds_job, LOCK_PATIENCE)
    queueing = patient(queue_digests_job, LOCK_PATIENCE)
    pruning = patient(prune_items_job, LOCK_PATIENCE)
    backing_up = patient(backup_job, LOCK_PATIENCE)
    interval = services.settings.feed_poll_interval
    # The first poll is its own one-off job: jobs added here are scheduled only when the job
    # queue starts, and an interval job whose first run already passed by then would wait a
    # whole interval; a one-off job with no misfire limit runs as soon as the queue is up.
    jobs.run_once(polling, when=0, name=JOB_POLL, job_kwargs={"misfire_grace_time": None})
    jobs.run_repeating(polling, interval=interval, first=interval, name=JOB_POLL)
    # Sites waiting for their own source to be found are looked at in the background: start-up
    # never waits on a news site.
    jobs.run_once(check_sites_job, when=0, name=JOB_SITES, job_kwargs={"misfire_grace_time": None})
    check = application.bot_data.digest_check_interval
    jobs.run_once(queueing, when=0, name=JOB_DIGESTS, job_kwargs={"misfire_grace_time": None})
    # Digest times are whole minutes: the checks run just after each minute begins, so a
    # digest due at 07.00 is composed at 07.00, not up to a minute later.
    first = check
    if check == DIGEST_CHECK_INTERVAL:
        first = DIGEST_CHECK_INTERVAL - time.time() % DIGEST_CHECK_INTERVAL + MINUTE_MARGIN
    # Two may overlap, so APScheduler never logs a skipped run; the second returns at once.
    jobs.run_repeating(
        queueing, interval=check, first=first, name=JOB_DIGESTS, job_kwargs={"max_instances": 2}
    )
    jobs.run_repeating(pruning, interval=DAY, first=PRUNE_FIRST, name=JOB_PRUNE)
    if services.settings.backup_dir is not None:
        jobs.run_repeating(backing_up, interval=DAY, first=BACKUP_FIRST, name=JOB_BACKUP)
    # The menu in the default language for everyone, and in each other language for
    # Telegram clients set to it.
    default = services.settings.default_language
    for language in LANGUAGES:
        commands = [BotCommand(name, t(language, f"menu_{name}")) for name in MENU_COMMANDS]
        await application.bot.set_my_commands(
            commands, language_code=None if language == default else language
        )
    logger.info("Warta started as @%s", application.bot.username)


async def stop_delivery(application: Application) -> None:
    """Stop the delivery task before PTB closes the bot's HTTP client (PTB's post_stop)."""
    await services_of(application).stop_delivery()


async def shutdown(application: Application) -> None:
    """Close the services: delivery (if post_stop did not stop it already), the HTTP client,
    the worker pool, the database."""
    await services_of(application).aclose()
