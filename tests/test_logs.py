"""The bot token never reaches a log line, whatever the level."""

import io
import logging

import pytest

from bot.app import shutdown, startup
from bot.logs import RedactingFormatter, configure_logging
from tests.conftest import READER_ID

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def captured_logs():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(logging.NOTSET)


async def test_token_never_in_debug_logs(make_settings, build_bot, telegram_api, clock,
                                         captured_logs):
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


def test_redaction_covers_tracebacks():
    formatter = RedactingFormatter(["123:SECRET"])
    try:
        raise RuntimeError("failed calling https://api.example/bot123:SECRET/getMe")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom %s", ("123:SECRET",),
                                   exc_info=True)
        import sys

        record.exc_info = sys.exc_info()
    text = formatter.format(record)
    assert "SECRET" not in text and "boom <redacted>" in text


def test_settings_repr_masks_token(settings):
    assert settings.telegram_bot_token not in repr(settings)
