"""Settings: every environment variable read once, validated, into a frozen dataclass.

This is the only module that reads the environment; `main.py` loads `.env` before calling
`Settings.from_env(os.environ)`. Tests pass a plain dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError

TELEGRAM_API_DEFAULT = "https://api.telegram.org/bot"
LANGUAGES = ("id", "en")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_TRUE = {"1", "true", "yes", "on", "ya"}
_FALSE = {"0", "false", "no", "off", "tidak", ""}


@dataclass(frozen=True)
class Settings:
    """Every setting of the bot; field names are the variable names in lower case."""

    telegram_bot_token: str = field(default="", repr=False)
    telegram_api_base_url: str = TELEGRAM_API_DEFAULT
    admin_ids: frozenset[int] = frozenset()
    database_path: Path = Path("data/warta.db")
    feed_poll_interval: int = 600
    default_timezone: str = "Asia/Makassar"
    default_language: str = "id"
    default_digest_times: tuple[str, ...] = ("07:00",)
    digest_catch_up_hours: int = 6
    seed_default_feeds: bool = True
    allow_private_feed_urls: bool = False
    flood_protection: bool = True
    paid_broadcast: bool = False
    broadcast_rate: int = 30
    feed_cpu_seconds: int = 20
    read_leads: bool = True
    lead_pages_per_feed: int = 10
    lead_page_max_kb: int = 2048
    log_level: str = "INFO"
    retain_days: int = 90
    backup_dir: Path | None = None
    backup_keep: int = 7
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str = field(default="", repr=False)
    telegram_probe_seconds: float = 3.0
    outage_alert_minutes: int = 15

    def __repr__(self) -> str:
        # The token is masked so a settings object can be logged or shown in a traceback.
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"Settings(telegram_bot_token='***', webhook_secret='***', {shown})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Parse and validate the settings; raise ConfigError naming the first bad variable."""

        def get(name: str) -> str | None:
            value = environ.get(name)
            return value.strip() if value is not None and value.strip() != "" else None

        values: dict[str, object] = {}
        for f in fields(cls):
            raw = get(f.name.upper())
            if raw is None:
                continue
            parser = _PARSERS.get(f.name, lambda name, value: value)
            values[f.name] = parser(f.name.upper(), raw)
        settings = cls(**values)
        # Telegram signs every webhook call with this secret; without it anyone who finds the
        # URL could post updates as if they came from Telegram.
        if settings.webhook_url and not settings.webhook_secret:
            raise ConfigError(
                "WEBHOOK_SECRET is required when WEBHOOK_URL is set "
                "(1-256 letters, digits, _ or -)"
            )
        return settings

    def require_token(self) -> str:
        """The bot token, or a ConfigError that says how to get one."""
        if not self.telegram_bot_token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram "
                "(/newbot), then copy .env.example to .env and put the token there."
            )
        return self.telegram_bot_token


def parse_time_list(text: str) -> tuple[str, ...]:
    """Parse "7:00, 19.30" into ("07:00", "19:30"), sorted, deduplicated; ValueError if bad."""
    times = set()
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        m = _TIME.match(part)
        if not m:
            raise ValueError(part)
        times.add(f"{int(m.group(1)):02d}:{m.group(2)}")
    if not times:
        raise ValueError(text)
    return tuple(sorted(times))


def is_valid_timezone(name: str) -> bool:
    """True for an IANA zone name such as Asia/Makassar."""
    # The longest IANA name is 32 characters; a longer one would reach the file system as a
    # path the OS refuses (OSError: file name too long) before ZoneInfo could say no.
    if len(name) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _token(name: str, value: str) -> str:
    if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", value):
        raise ConfigError(f"{name} does not look like a bot token (digits, a colon, then letters)")
    return value


def _url(name: str, value: str) -> str:
    if not re.match(r"^https?://[^/\s]+", value):
        raise ConfigError(f"{name} must be an http(s) URL ending in /bot, got {value!r}")
    return value.rstrip("/")


def _admin_ids(name: str, value: str) -> frozenset[int]:
    ids = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?\d+", part):
            raise ConfigError(f"{name} must be comma-separated Telegram user ids, got {part!r}")
        ids.add(int(part))
    return frozenset(ids)


def _positive_int(name: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of seconds (1 or more), got {value!r}")
    return int(value)


def _lead_pages(name: str, value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 100:
        raise ConfigError(f"{name} must be a number of pages from 0 to 100, got {value!r}")
    return int(value)


def _lead_page_kb(name: str, value: str) -> int:
    # Below 64 KB most article pages would not fit; above 5 MB (the feeds' cap) is no page.
    if not value.isdigit() or not 64 <= int(value) <= 5120:
        raise ConfigError(f"{name} must be kilobytes from 64 to 5120, got {value!r}")
    return int(value)


def _probe_seconds(name: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0.01 <= seconds <= 600:
        raise ConfigError(f"{name} must be seconds from 0.01 to 600, got {value!r}")
    return seconds


def _minutes(name: str, value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 1440:
        raise ConfigError(
            f"{name} must be a whole number of minutes from 1 to 1440, got {value!r}"
        )
    return int(value)


def _broadcast_rate(name: str, value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise ConfigError(f"{name} must be messages a second from 1 to 1000, got {value!r}")
    return int(value)


def _catch_up_hours(name: str, value: str) -> int:
    if not value.isdigit() or int(value) > 48:
        raise ConfigError(f"{name} must be a whole number of hours from 0 to 48, got {value!r}")
    return int(value)


def _timezone(name: str, value: str) -> str:
    if not is_valid_timezone(value):
        raise ConfigError(f"{name} is not a known timezone (e.g. Asia/Makassar), got {value!r}")
    return value


def _language(name: str, value: str) -> str:
    if value.lower() not in LANGUAGES:
        raise ConfigError(f"{name} must be one of {', '.join(LANGUAGES)}, got {value!r}")
    return value.lower()


def _times(name: str, value: str) -> tuple[str, ...]:
    try:
        return parse_time_list(value)
    except ValueError:
        raise ConfigError(f"{name} must be times like 07:00,19:00, got {value!r}") from None


def _bool(name: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def _log_level(name: str, value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise ConfigError(f"{name} must be one of {', '.join(LOG_LEVELS)}, got {value!r}")
    return value.upper()


def _days(name: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of days (1 or more), got {value!r}")
    return int(value)


def _count(name: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number (1 or more), got {value!r}")
    return int(value)


def _webhook_url(name: str, value: str) -> str:
    if not re.match(r"^https://[^/\s]+", value):
        raise ConfigError(
            f"{name} must be the public https:// URL Telegram posts to, got {value!r}"
        )
    return value


def _port(name: str, value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"{name} must be a port number from 1 to 65535, got {value!r}")
    return int(value)


def _secret(name: str, value: str) -> str:
    # Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
        raise ConfigError(f"{name} must be 1-256 letters, digits, _ or -")
    return value


_PARSERS = {
    "telegram_bot_token": _token,
    "telegram_api_base_url": _url,
    "admin_ids": _admin_ids,
    "database_path": lambda name, value: Path(value),
    "feed_poll_interval": _positive_int,
    "default_timezone": _timezone,
    "default_language": _language,
    "default_digest_times": _times,
    "digest_catch_up_hours": _catch_up_hours,
    "seed_default_feeds": _bool,
    "allow_private_feed_urls": _bool,
    "flood_protection": _bool,
    "paid_broadcast": _bool,
    "broadcast_rate": _broadcast_rate,
    "feed_cpu_seconds": _positive_int,
    "read_leads": _bool,
    "lead_pages_per_feed": _lead_pages,
    "lead_page_max_kb": _lead_page_kb,
    "log_level": _log_level,
    "retain_days": _days,
    "backup_dir": lambda name, value: Path(value),
    "backup_keep": _count,
    "webhook_url": _webhook_url,
    "webhook_port": _port,
    "webhook_secret": _secret,
    "telegram_probe_seconds": _probe_seconds,
    "outage_alert_minutes": _minutes,
}
