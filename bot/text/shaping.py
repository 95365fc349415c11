"""Shaping text for Telegram and for logs: the message length limit as Telegram counts it,
packing parts into messages, shortening at a word, masking credentials in URLs.

Stdlib only and free of words in any language, so the feed pipeline can use it without
pulling in the locales (STYLE.md section 3).
"""

from __future__ import annotations

# Telegram's limit for one text message, in UTF-16 code units
# (telegram.constants.MessageLimit.MAX_TEXT_LENGTH).
MAX_MESSAGE = 4096


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def pack(parts: list[str], separator: str = "\n\n", limit: int = MAX_MESSAGE) -> list[str]:
    """Join parts into as few messages as fit the limit, never splitting a part."""
    messages: list[str] = []
    current: list[str] = []
    for part in parts:
        if current and telegram_length(separator.join([*current, part])) > limit:
            messages.append(separator.join(current))
            current = []
        current.append(part)
    if current:
        messages.append(separator.join(current))
    return messages


def shorten(text: str, limit: int) -> str:
    """Flatten whitespace and cut to at most `limit` characters at a word boundary, ending in
    "…" (titles and snippets, when stored and when shown)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if not flat[len(cut)].isspace() and space >= limit // 2:
        cut = cut[:space]  # back to the last whole word, unless that would lose too much
    return cut.rstrip(" ,;:.-–—(") + "…"


def masked_url(url: str) -> str:
    """The URL with any `user:password@` replaced by `***@`: what logs, /feeds and alerts show
    of a feed whose address carries credentials."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = min(
        (i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=len(rest)
    )
    authority = rest[:end]
    if "@" not in authority:
        return url
    return f"{scheme}://***@{authority.rpartition('@')[2]}{rest[end:]}"
