"""No secret reaches a log line, whatever the level: the bot token, the webhook secret, a feed
URL's credentials (tests/test_webhook.py runs the real bot in webhook mode at DEBUG too)."""

import io
import logging
import sys

import pytest

from bot.app import shutdown, startup
from bot.logs import QUIET_LOGGERS, SecretFilter, configure_logging
from tests.support.chats import READER_ID

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def captured_logs():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)


async def test_token_never_in_debug_logs(
    make_settings, build_bot, telegram_api, clock, captured_logs
):
    settings = make_settings(log_level="DEBUG")
    configure_logging("DEBUG", [settings.telegram_bot_token], stream=captured_logs)
    app = await build_bot(settings, clock=clock)
    async with app:
        await startup(app)
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        telegram_api.fail_next("sendMessage", status=500, description="Internal Server Error")
        telegram_api.push_text(READER_ID, "/start")
        telegram_api.push_text(READER_ID, "/help")
        await telegram_api.wait_for("sendMessage", count=2)
        await app.updater.stop()
        await app.stop()
    await shutdown(app)
    output = captured_logs.getvalue()
    # The logs did record the HTTP traffic (so the check below means something) ...
    assert "getUpdates" in output and "127.0.0.1" in output
    # ... but never the token, raw or URL-encoded.
    token = settings.telegram_bot_token
    assert token not in output
    assert token.replace(":", "%3A") not in output
    assert "<redacted>" in output


def formatted(record: logging.LogRecord, secrets: list[str]) -> str:
    """The line the configured handler writes for the record."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(SecretFilter(secrets))
    handler.handle(record)
    return stream.getvalue()


def test_redaction_covers_tracebacks_and_stacks():
    try:
        raise RuntimeError("failed calling https://api.example/bot123:SECRET/getMe")
    except RuntimeError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "boom %s", ("123:SECRET",), exc_info=sys.exc_info()
        )
    record.stack_info = "Stack (most recent call last):\n  in bot123:SECRET"
    text = formatted(record, ["123:SECRET"])
    assert "SECRET" not in text and "boom <redacted>" in text and "RuntimeError" in text


@pytest.mark.parametrize(
    "line",
    [
        "Feed failed feed_id=3 feed_url=https://redaksi:Rahasia-99@kabar.example/rss: timeout",
        'GET http://redaksi:Rahasia-99@127.0.0.1:8080/rss?page=1 "HTTP/1.1 200 OK"',
        "URL('https://redaksi:Rahasia-99@kabar.example/rss')",
        "https://redaksi:Rah@sia-99@kabar.example/rss",  # an unescaped @ in the password
        "next=https%3A%2F%2Fredaksi%3ARahasia-99%40kabar.example%2Frss",
    ],
)
def test_a_feed_urls_credentials_are_redacted(line):
    record = logging.LogRecord("x", logging.DEBUG, __file__, 1, "%s", (line,), None)
    text = formatted(record, [])
    assert "Rahasia" not in text and "Rah@sia" not in text
    assert "kabar.example" in text or "127.0.0.1" in text


def test_setwebhook_parameters_are_redacted():
    """What PTB logs at DEBUG before calling setWebhook, the webhook secret among them."""
    params = {
        "url": "https://warta.example.id/telegram/warta",
        "secret_token": "rahasia-Warta_2026",
        "allowed_updates": ["message"],
    }
    record = logging.LogRecord(
        "telegram.Bot",
        logging.DEBUG,
        __file__,
        1,
        "Calling Bot API endpoint `%s` with parameters `%s`",
        ("setWebhook", params),
        None,
    )
    text = formatted(record, ["123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", "rahasia-Warta_2026"])
    assert "rahasia-Warta_2026" not in text and "'secret_token': '<redacted>'" in text


def test_a_bad_format_string_does_not_leak_its_arguments():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "%d and %d", ("rahasia-Warta_2026",), None
    )
    assert "rahasia" not in formatted(record, ["rahasia-Warta_2026"])


def test_the_tokens_secret_part_is_redacted_on_its_own():
    record = logging.LogRecord(
        "x", logging.DEBUG, __file__, 1, "key=%s", ("ABCDEFGHIJKLMNOPQRSTUVWXYZ",), None
    )
    assert "ABCDEFGHIJ" not in formatted(record, ["123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"])


def test_settings_repr_masks_token(settings):
    assert settings.telegram_bot_token not in repr(settings)
