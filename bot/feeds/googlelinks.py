"""Google News article links (`news.google.com/rss/articles/CBMi…`) and the outlet's address
behind them.

Google's article id is base64url of a small protobuf message. In the form Google used until
mid-2024 the outlet's URL is inside it (field 4, after the bytes 08 13 22 and its length) and is
read here without asking anyone. In the current form the message holds an opaque token
("AU_yqL…"), and the article page answers 200 with a page, not a redirect: the page carries a
signature and a timestamp (`data-n-a-sg`, `data-n-a-ts`), and one POST to Google's
`batchexecute` endpoint with the id, timestamp and signature answers with the URL. This module
only reads and writes those shapes; the requests go through bot.feeds.fetch, like every other.
Pure; stdlib only.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from urllib.parse import quote, urlsplit, urlunsplit

GOOGLE_NEWS_HOST = "news.google.com"
BATCH_PATH = "/_/DotsSplashUi/data/batchexecute"
_ID = re.compile(r"^[A-Za-z0-9_-]{8,2000}$")
_SIGNATURE = re.compile(r'data-n-a-sg="([^"]{1,500})"')
_TIMESTAMP = re.compile(r'data-n-a-ts="(\d{1,20})"')
_ARTICLE_DIRS = ("articles", "read")


def article_id(url: str, hosts: frozenset[str] = frozenset({GOOGLE_NEWS_HOST})) -> str | None:
    """The article id of a Google News article link on one of `hosts`; None for any other
    link. (Tests serve Google's shapes from loopback, so the hosts are a parameter.)"""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if (parts.hostname or "").lower() not in hosts:
        return None
    segments = parts.path.rstrip("/").split("/")
    if len(segments) < 2 or segments[-2] not in _ARTICLE_DIRS:
        return None
    return segments[-1] if _ID.match(segments[-1]) else None


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while at < len(data) and shift < 35:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7
    raise ValueError("truncated varint")


def decode_article_id(article: str) -> str | None:
    """The outlet's URL written inside an article id of the older form; None for the current
    (opaque) form or anything else."""
    try:
        data = base64.urlsafe_b64decode(article + "=" * (-len(article) % 4))
    except (binascii.Error, ValueError):
        return None
    # Field 1 (varint 0x13) then field 4, length-delimited: the URL.
    if not data.startswith(b"\x08\x13\x22"):
        return None
    try:
        length, start = _varint(data, 3)
    except ValueError:
        return None
    raw = data[start : start + length]
    if len(raw) != length or not raw.startswith((b"http://", b"https://")):
        return None
    try:
        url = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    return url if url.isprintable() and " " not in url else None


def page_url(link: str) -> str:
    """The address of the article's page that carries its signature (the RSS form, in
    Indonesian for Indonesia, as Warta's Google News searches)."""
    parts = urlsplit(link)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "hl=id&gl=ID&ceid=ID:id", ""))


def signature_of(page: str) -> tuple[str, str] | None:
    """(signature, timestamp) from an article page of the current form; None without them."""
    signature, timestamp = _SIGNATURE.search(page), _TIMESTAMP.search(page)
    if signature is None or timestamp is None:
        return None
    return signature.group(1), timestamp.group(1)


def batch_url(link: str) -> str:
    """The batchexecute endpoint on the article link's own host."""
    parts = urlsplit(link)
    return urlunsplit((parts.scheme, parts.netloc, BATCH_PATH, "rpcids=Fbv4je", ""))


def batch_form(article: str, timestamp: str, signature: str) -> str:
    """The url-encoded form of one batchexecute request for the article's URL ("Fbv4je",
    "garturlreq": the names Google's own page uses)."""
    context = [
        [
            "id",
            "ID",
            ["FINANCE_TOP_INDICES", "WEB_TEST_1_0_0"],
            None,
            None,
            1,
            1,
            "ID:id",
            None,
            180,
            None,
            None,
            None,
            None,
            None,
            0,
            None,
            None,
            [int(timestamp), 0],
        ],
        "id",
        "ID",
        1,
        [2, 3, 4, 8],
        1,
        0,
        "655000234",
        0,
        0,
        None,
        0,
    ]
    inner = json.dumps(
        ["garturlreq", context, article, int(timestamp), signature], separators=(",", ":")
    )
    request = json.dumps([[["Fbv4je", inner, None, "generic"]]], separators=(",", ":"))
    return f"f.req={quote(request, safe='')}"


def url_from_batch(answer: str) -> str | None:
    """The outlet's URL in a batchexecute answer (")]}'" then JSON rows, the row "wrb.fr",
    "Fbv4je" holding ["garturlres", URL, …] as a JSON string); None when it holds none."""
    body = answer.split("\n\n", 1)[1] if "\n\n" in answer else answer
    body = body.lstrip()
    if body.startswith(")]}'"):
        body = body[4:].lstrip()
    # Asked for chunks (rt=c), each JSON row comes after a line with its length.
    first, _, rest = body.partition("\n")
    if first.strip().isdigit():
        body = rest
    try:
        rows, _ = json.JSONDecoder().raw_decode(body.lstrip())
    except ValueError:
        return None
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, list) and len(row) >= 3 and row[:2] == ["wrb.fr", "Fbv4je"]:
            try:
                payload = json.loads(row[2]) if isinstance(row[2], str) else row[2]
            except ValueError:
                continue
            if (
                isinstance(payload, list)
                and len(payload) >= 2
                and payload[0] == "garturlres"
                and isinstance(payload[1], str)
                and payload[1].startswith(("http://", "https://"))
            ):
                return payload[1]
    return None
