"""What a fetch brings back, as plain data. Apart from fetch.py, so that the feed workers, which
parse it, do not load httpx (about 15 MB in each worker process)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FetchResult:
    """What the server sent: status 200 with a body, or 304 with none."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    moved_to: str | None = None  # where a permanent redirect (301/308) says the feed now lives

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to our conditional GET."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        """The validator to send as If-None-Match next time."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The validator to send as If-Modified-Since next time."""
        return self.headers.get("last-modified")
