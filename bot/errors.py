"""The project's exception tree. Messages start with the area they come from."""

from __future__ import annotations


class WartaError(Exception):
    """Base of every error Warta raises on purpose."""


class ConfigError(WartaError):
    """A setting is missing or malformed; the message names the variable."""


class FetchError(WartaError):
    """A feed could not be fetched."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"fetcher: {reason}")
        self.url = url
        self.reason = reason


class FetchTimeout(FetchError):
    """The server did not answer in time."""


class FetchNetworkError(FetchError):
    """DNS, connection or TLS failure."""


class FetchHTTPError(FetchError):
    """The server answered with an error status."""

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(url, f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class FetchGone(FetchHTTPError):
    """410 Gone: the feed was removed for good."""


class FetchTooLarge(FetchError):
    """The response exceeded the size cap."""


class FetchRefused(FetchError):
    """The URL points at a loopback or private address and those are not allowed."""


class FetchDisallowed(FetchError):
    """A hop of the request is a page its site's robots.txt keeps Warta from reading."""


class FetchBadResponse(FetchError):
    """The server's answer cannot be read: a malformed header, redirect or chunk, a corrupt or
    stacked content coding."""


class FeedParseError(WartaError):
    """The document is not a usable RSS or Atom feed."""


class NoSource(WartaError):
    """Neither a feed, a news sitemap nor Google News gave anything to follow for a site;
    `google` is the failure of the Google News search, when it failed."""

    def __init__(self, site: str, google: FetchError | FeedParseError | None = None) -> None:
        super().__init__(f"sources: nothing to follow on {site}")
        self.site = site
        self.google = google


class TooManyFeeds(FeedParseError):
    """An OPML file lists more feeds than one import takes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"opml: more than {limit} feeds in one file")
        self.limit = limit


class FeedTooCostly(FeedParseError):
    """Preparing the feed went past its CPU-time budget, or ended the worker doing it (out of
    memory, a crash); `kind` is "cpu_budget" or "worker_died"."""

    def __init__(self, kind: str, message: str, seconds: float = 0.0) -> None:
        super().__init__(f"parser: {message}")
        self.kind = kind
        self.seconds = seconds


class UnknownTopic(WartaError):
    """A topic slug or name that does not exist."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"topics: unknown {', '.join(names)}")
        self.names = names


class UsageError(WartaError):
    """User input that does not fit the command."""


class TopicExists(UsageError):
    """A topic with this slug exists already (/addtopic)."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"topics: slug {slug} taken")
        self.slug = slug


class InputError(UsageError):
    """A reader's words a command cannot use (a search, a watch word, quiet hours).

    `key` is the texts key that explains it and `fields` fill that text, so the handler can
    answer in the reader's language.
    """

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


class DeliveryError(WartaError):
    """A message could not be delivered."""


class DeliveryRetry(DeliveryError):
    """A failure that may pass (network error, timeout, 5xx, a flood wait beyond our retries):
    the message stays in the outbox and is tried again later."""


class TelegramUnreachable(DeliveryRetry):
    """The call failed as a whole (no answer, a refused connection, a timeout, a 5xx from
    Telegram's front): maybe this chat's bad luck, maybe Telegram is down; a probe tells."""


class ThreadGone(DeliveryError):
    """The forum topic a digest was set up in was deleted."""


class RecipientGone(DeliveryError):
    """The chat blocked the bot, left, or no longer exists."""


class ChatMoved(DeliveryError):
    """A group became a supergroup; Telegram gives its new id."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"delivery: chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class MessageRejected(DeliveryError):
    """Telegram refused the message's formatting (an HTML parse error)."""


class DatabaseBusy(WartaError):
    """Another process held the database's write lock for longer than a write would wait."""


class DuplicateFeed(WartaError):
    """The feed URL (or its canonical form) is already stored."""

    def __init__(self, feed_id: int, title: str) -> None:
        super().__init__(f"feeds: already stored as {feed_id}")
        self.feed_id = feed_id
        self.title = title


class TooManyDigestTimes(UsageError):
    """More digest times than a chat may have."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"schedule: at most {limit} times")
        self.limit = limit


class RuleError(UsageError):
    """A topic term or slug an admin typed that cannot be used.

    `code` names the problem (texts key "rule_<code>") and `fields` fill that text, so the bot
    can explain it in the admin's language; str() stays an English message for the logs and
    the command line.
    """

    def __init__(self, code: str, message: str, **fields: object) -> None:
        super().__init__(f"rules: {message}")
        self.code = code
        self.fields = fields


def failure_reason(exc: FetchError | FeedParseError) -> str:
    """A feed failure in one English line, for logs and the command line."""
    return exc.reason if isinstance(exc, FetchError) else str(exc)


def failure_kind(exc: Exception) -> tuple[str, str]:
    """What kind of feed failure this is (texts key "fail_<kind>") and its detail, so it can be
    stored once and explained later in each admin's language."""
    if isinstance(exc, FetchGone):
        return "gone", ""
    if isinstance(exc, FetchHTTPError):
        return "http", str(exc.status)
    if isinstance(exc, FetchTimeout):
        return "timeout", ""
    if isinstance(exc, FetchRefused):
        return "refused", exc.reason
    if isinstance(exc, FetchTooLarge):
        return "too_large", ""
    if isinstance(exc, FetchBadResponse):
        return "bad_response", exc.reason
    if isinstance(exc, FeedTooCostly):
        return exc.kind, f"{exc.seconds:g}"
    if isinstance(exc, FetchError):
        return "network", exc.reason
    return "not_feed", str(exc)
