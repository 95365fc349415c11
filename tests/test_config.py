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
    settings = Settings.from_env(
        {
            "ADMIN_IDS": " 12, 34 ,",
            "FEED_POLL_INTERVAL": "120",
            "DEFAULT_DIGEST_TIMES": "19:00,6.30",
            "SEED_DEFAULT_FEEDS": "no",
            "DEFAULT_LANGUAGE": "EN",
            "LOG_LEVEL": "debug",
        }
    )
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
        ("RETAIN_DAYS", "0"),
        ("RETAIN_DAYS", "tiga bulan"),
        ("BACKUP_KEEP", "-1"),
        ("WEBHOOK_URL", "http://warta.example.id/hook"),
        ("WEBHOOK_PORT", "70000"),
        ("WEBHOOK_SECRET", "rahasia kami!"),
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


def test_operations_settings_have_their_documented_defaults():
    settings = Settings.from_env({})
    assert (settings.retain_days, settings.backup_dir, settings.backup_keep) == (90, None, 7)
    assert (settings.webhook_url, settings.webhook_listen, settings.webhook_port) == (
        "",
        "127.0.0.1",
        8443,
    )


def test_webhook_mode_needs_a_secret_and_never_shows_it():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"WEBHOOK_URL": "https://warta.example.id/hook"})
    assert str(caught.value).startswith("WEBHOOK_SECRET")
    settings = Settings.from_env(
        {"WEBHOOK_URL": "https://warta.example.id/hook", "WEBHOOK_SECRET": "s3cret-Kaltim_2026"}
    )
    assert settings.webhook_secret == "s3cret-Kaltim_2026"
    assert "s3cret" not in repr(settings)
