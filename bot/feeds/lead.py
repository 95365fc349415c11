"""An article's lead: its first paragraphs, read out of the article's own page.

For an item whose feed gives no body (a Google News item, a title-only feed). The page's bytes
are decoded here (the HTTP charset, then the page's own <meta charset>, then UTF-8 or
Windows-1252), its text is extracted by trafilatura (which tells an article's paragraphs from
menus, related links and comments), and the first paragraphs that are the story's own are kept:
not the headline again, not a "Baca juga" / "Baca:" link, a photo credit or a byline. They are
cleaned like any feed summary (bot.feeds.clean). Where no paragraph is left, the page's
description meta stands in. Pure and blocking: runs in the feed worker processes.
Imports stdlib, trafilatura (on first use), bot.feeds and bot.text.shaping.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from bot.feeds.clean import MAX_SUMMARY, clean_text
from bot.text.shaping import shorten

# The lead is the story's first paragraphs: enough for a snippet and for the tagger's "first
# sentence" and a little of the body (issue 24 measured the headline with its first paragraph).
LEAD_CHARS = 600
LEAD_PARAGRAPHS = 3
# A paragraph shorter than this is a crumb, a caption or a credit, not the story.
MIN_PARAGRAPH = 40
# Extraction reads at most this much of a page: an article's lead is near its top, and lxml's
# cost grows with the page.
MAX_CHARS = 1_500_000

# A paragraph that is only a pointer to another story, a credit or a byline (Tribun's "Baca:",
# Kompas' "Baca juga:", Disway's "Baca Juga :", captions' "Foto:").
_NOT_THE_STORY = re.compile(
    r"^\W*(?:baca(?:\s+juga)?|simak(?:\s+juga)?|lihat(?:\s+juga)?|artikel\s+terkait"
    r"|berita\s+terkait|foto|sumber\s+foto|penulis|pewarta|editor|reporter|ikuti\s+berita)"
    r"\s*[:：\-–—|]"
    # A list item: related links, or a "Ringkasan Berita" box of bullets above the story.
    r"|^[-•*]\s"
    # Kompas' invitation to its WhatsApp channel, and "Ikuti berita … di Google News".
    r"|^\W*simak\s+breaking\s+news|^\W*ikuti\s+(?:berita|kami|update)",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]{1,40})", re.I)


def decode_page(body: bytes, content_type: str = "") -> str:
    """The page as text: its HTTP charset, else its <meta charset>, else UTF-8, else cp1252
    (what a page calling itself ISO-8859-1 or saying nothing most often really is)."""
    declared = _HTTP_CHARSET.search(content_type or "")
    found = declared.group(1) if declared else None
    if found is None:
        meta = _META_CHARSET.search(body[:4096])
        found = meta.group(1).decode("ascii", "replace") if meta else None
    candidates = [found] if found else []
    for encoding in (*candidates, "utf-8"):
        try:
            # WHATWG: a page labelled latin-1 is read as windows-1252.
            if encoding.lower().replace("_", "-") in ("iso-8859-1", "latin-1", "us-ascii"):
                encoding = "cp1252"
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", "replace")


class _Description(HTMLParser):
    """The page's description meta (og:description, then description), read from its head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {name.lower(): value or "" for name, value in attrs}
            name = (values.get("property") or values.get("name") or "").lower()
            if name in ("og:description", "description", "twitter:description"):
                self.found.setdefault(name, values.get("content", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            raise _HeadDone


class _HeadDone(Exception):
    """The head is read: the body holds no description meta worth parsing."""


def description_of(page: str) -> str:
    """The page's description meta, cleaned; "" when it has none."""
    parser = _Description()
    try:
        parser.feed(page[:200_000])
        parser.close()
    except _HeadDone:
        pass
    for name in ("og:description", "description", "twitter:description"):
        text = clean_text(html.unescape(parser.found.get(name, "")))
        if text:
            return text
    return ""


def _paragraphs(page: str, url: str | None) -> list[str]:
    """The article's paragraphs as trafilatura finds them, one per line."""
    # Imported here: the worker processes load lxml and trafilatura only when a page comes.
    from trafilatura import extract

    text = extract(
        page[:MAX_CHARS],
        url=url,
        output_format="txt",
        with_metadata=False,
        fast=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
    )
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _same(a: str, b: str) -> bool:
    fold = lambda s: " ".join(re.findall(r"[^\W_]+", s.casefold()))  # noqa: E731
    return fold(a) == fold(b)


def lead_of(page: str, title: str, url: str | None = None) -> str:
    """The article's first paragraphs (at most LEAD_PARAGRAPHS, about LEAD_CHARS), cleaned;
    the description meta when the page gives none; "" when it has neither."""
    kept: list[str] = []
    size = 0
    for paragraph in _paragraphs(page, url):
        if _NOT_THE_STORY.match(paragraph) or _same(paragraph, title):
            continue
        text = clean_text(paragraph)
        if len(text) < MIN_PARAGRAPH:
            continue
        kept.append(text)
        size += len(text)
        if size >= LEAD_CHARS or len(kept) >= LEAD_PARAGRAPHS:
            break
    lead = "\n".join(kept) or description_of(page)
    if _same(lead, title):
        return ""
    return shorten(lead, MAX_SUMMARY)
