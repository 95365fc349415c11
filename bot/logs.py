"""Logging set-up: to standard error, with every secret (the bot token) redacted.

httpx logs each request URL at INFO and PTB logs its API URL at DEBUG; both contain the token.
Redacting the formatted line, traceback included, covers every logger at every level.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

REDACTED = "<redacted>"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """A formatter that replaces each secret (and its URL-encoded form) in the final line."""

    def __init__(self, secrets: Iterable[str], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        forms = set()
        for secret in secrets:
            if secret:
                forms.update({secret, quote(secret, safe=""), quote(secret)})
        # Longest first, so a form that contains another is replaced whole.
        self._secrets = sorted(forms, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """Format as usual, then redact."""
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def _not_a_rejected_token(record: logging.LogRecord) -> bool:
    """Drop PTB's report of a failed start-up (a traceback around PTB's own message, which
    for a rejected token quotes the token): main.py says it in one line, the token masked."""
    # By name: importing telegram here would load it into every feed worker (main.py imports
    # this module, and spawned workers import main.py afresh).
    error = record.exc_info[1] if record.exc_info else None
    if type(error).__name__ == "InvalidToken":
        return False
    return not (isinstance(error, Exception) and "Bootstrap" in record.getMessage()
                and type(error).__name__ in ("NetworkError", "TimedOut"))


def configure_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    """Send all logs to stream (stderr by default) through the redacting formatter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets))
    handler.addFilter(_not_a_rejected_token)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Request-by-request lines from the HTTP stack and each scheduler tick are noise at INFO.
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(quiet)
