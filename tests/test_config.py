"""Settings: defaults, parsing, and one clear line naming a bad variable."""

from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import ConfigError


def test_defaults_match_the_documented_ones():
    settings = Settings.from_env({})
    assert settings.database_path == Path("data/warta.db")
    assert settings.feed_poll_interval == 600
    assert settings.default_timezone == "Asia/Makassar"
    assert settings.default_language == "id"
    assert settings.default_digest_times == ("07:00",)
    assert settings.seed_default_feeds is True
    assert settings.allow_private_feed_urls is False
    assert settings.admin_ids == frozenset()
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"


def test_values_are_parsed():
    settings = Settings.from_env({
        "ADMIN_IDS": " 12, 34 ,", "FEED_POLL_INTERVAL": "120",
        "DEFAULT_DIGEST_TIMES": "19:00,6.30",
        "SEED_DEFAULT_FEEDS": "no", "DEFAULT_LANGUAGE": "EN", "LOG_LEVEL": "debug",
    })
    assert settings.admin_ids == {12, 34}
    assert settings.feed_poll_interval == 120
    assert settings.default_digest_times == ("06:30", "19:00")
    assert settings.seed_default_feeds is False
    assert (settings.default_language, settings.log_level) == ("en", "DEBUG")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FEED_POLL_INTERVAL", "sepuluh"),
        ("FEED_POLL_INTERVAL", "0"),
        ("DEFAULT_TIMEZONE", "Asia/Samarinda"),
        ("ADMIN_IDS", "12,abc"),
        ("DEFAULT_LANGUAGE", "jv"),
        ("DEFAULT_DIGEST_TIMES", "7 pagi"),
        ("SEED_DEFAULT_FEEDS", "mungkin"),
        ("LOG_LEVEL", "LOUD"),
        ("TELEGRAM_BOT_TOKEN", "not a token"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org"),
    ],
)
def test_bad_value_names_the_variable(name, value):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({name: value})
    message = str(caught.value)
    assert message.startswith(name) and "\n" not in message


def test_missing_token_says_how_to_get_one():
    with pytest.raises(ConfigError, match="@BotFather") as caught:
        Settings.from_env({}).require_token()
    assert ".env" in str(caught.value)
