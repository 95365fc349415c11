"""Logging set-up: to standard error, with every secret redacted from every line.

httpx logs each request URL at INFO and PTB logs its API URL at DEBUG, both with the token; PTB
logs setWebhook's parameters, the webhook secret among them, at DEBUG; a feed added as
https://user:password@host/rss carries its password into every line that names its URL. One
filter on the one handler redacts each record's message, traceback and stack, so every logger
at every level is covered, whatever formats it afterwards.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

REDACTED = "<redacted>"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The user-information part of any URL (a feed's, or a Bot API server's behind a proxy):
# "https://user:password@host" -> "https://<redacted>@host", and the same percent-encoded
# (a URL passed as a query parameter). Up to the last "@" before the path, as urlsplit reads it.
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/\s]*@|(?i:(?<=%3A%2F%2F))[^/\s]*?%40")
_TRACEBACKS = logging.Formatter()


class SecretFilter(logging.Filter):
    """Replaces each secret (raw and URL-encoded) and any URL's credentials in a record."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        forms = set()
        for secret in secrets:
            if not secret:
                continue
            parts = {secret}
            # The token's part after the colon is its secret: redacted even where it shows
            # without the bot id in front (long enough never to be an ordinary word).
            if len(secret.partition(":")[2]) >= 16:
                parts.add(secret.partition(":")[2])
            for part in parts:
                forms.update({part, quote(part, safe=""), quote(part)})
        # Longest first, so a form that contains another is replaced whole.
        self._secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text with every secret and URL credential replaced."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _URL_CREDENTIALS.sub(f"{REDACTED}@", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place: message (its arguments filled in), traceback, stack."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  # a bad format string still must not leak its arguments
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def _not_a_rejected_token(record: logging.LogRecord) -> bool:
    """Drop PTB's report of a failed start-up (a traceback around PTB's own message, which
    for a rejected token quotes the token): main.py says it in one line, the token masked."""
    # By name: importing telegram here would load it into every feed worker (main.py imports
    # this module, and spawned workers import main.py afresh).
    error = record.exc_info[1] if record.exc_info else None
    if type(error).__name__ == "InvalidToken":
        return False
    return not (
        isinstance(error, Exception)
        and "Bootstrap" in record.getMessage()
        and type(error).__name__ in ("NetworkError", "TimedOut")
    )


def configure_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    """Send all logs to stream (stderr by default), every secret in `secrets` (the token, the
    webhook secret) and every URL's credentials redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(_not_a_rejected_token)
    handler.addFilter(SecretFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Request-by-request lines from the HTTP stack and each scheduler tick are noise at INFO,
    # and so is tornado's line for each malformed request a stranger sends the webhook.
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(quiet)


QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "tornado.general", "tornado.access")
