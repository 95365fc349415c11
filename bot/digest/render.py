"""Rendering a digest as Telegram HTML messages of at most 4096 characters each.

Everything taken from a feed is escaped here. A digest is split between items, never inside
one; each chunk carries the ids of the items it shows so they are marked sent only once that
message was accepted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.digest.cluster import Story
from bot.digest.compose import Section
from bot.digest.datelines import strip_dateline
from bot.models import DigestChunk, StoredItem
from bot.text.shaping import MAX_MESSAGE, pack, shorten, telegram_length
from bot.text.texts import format_clock, format_date, format_short_date, plural, t, zone_label

# MAX_MESSAGE is Telegram's limit (telegram.constants.MessageLimit.MAX_TEXT_LENGTH). We count
# the HTML source, never shorter than the text Telegram counts after parsing, so a chunk
# within it is always accepted.
TITLE_LIMIT = 250
SNIPPET_LIMIT = 220
MAX_ALSO = 5  # "also:" links after a story; more outlets than this add nothing to read


def render_item(item: StoredItem, *, lang: str, tz: ZoneInfo, now: datetime) -> str:
    """One item: linked title, outlet and local time, then a one- or two-line snippet."""
    local = item.published_at.astimezone(tz)
    when = format_clock(lang, local)
    if local.date() != now.astimezone(tz).date():
        when = f"{format_short_date(lang, local)}, {when}"
    title = html.escape(shorten(item.title, TITLE_LIMIT), quote=False)
    link = html.escape(item.link, quote=True)
    lines = [
        f'▪️ <a href="{link}">{title}</a>',
        f"<i>{html.escape(item.source, quote=False)} · {when}</i>",
    ]
    if item.summary:
        snippet = shorten(strip_dateline(item.summary), SNIPPET_LIMIT)
        lines.append(html.escape(snippet, quote=False))
    return "\n".join(lines)


def render_story(story: Story, *, lang: str, tz: ZoneInfo, now: datetime) -> str:
    """A story: its primary item, then "also:" links to the other outlets that reported it."""
    text = render_item(story.primary, lang=lang, tz=tz, now=now)
    if not story.others:
        return text
    links = ", ".join(
        f'<a href="{html.escape(item.link, quote=True)}">'
        f"{html.escape(item.source, quote=False)}</a>"
        for item in story.others[:MAX_ALSO]
    )
    return f"{text}\n{t(lang, 'digest_also')} {links}"


def render_header(sections: Sequence[Section], *, lang: str, tz: ZoneInfo, now: datetime) -> str:
    """The digest's first line: what it is, when, and what is inside (the stories shown and
    the outlets they come from)."""
    local = now.astimezone(tz)
    stories = [story for section in sections for story in section.stories]
    outlets = {item.source for story in stories for item in story.items}
    return t(
        lang,
        "digest_header",
        date=format_date(lang, local, year=False),
        time=format_clock(lang, local),
        zone=zone_label(tz, now),
        stories=plural(lang, "n_stories", len(stories)),
        outlets=plural(lang, "n_outlets", len(outlets)),
    )


def render_more(section: Section, lang: str) -> str:
    """ "+12 berita lain — /latest pendidikan": the topic's items this digest left out."""
    return t(
        lang,
        "digest_more",
        more=plural(lang, "n_more", section.more),
        command=f"/latest {section.topic.label(lang).lower()}",
    )


def render_digest(
    sections: Sequence[Section], *, lang: str, tz: ZoneInfo, now: datetime
) -> list[DigestChunk]:
    """The digest as messages; a topic heading is repeated, marked, atop a continued topic.
    The last message ends with the footer line of settings commands."""
    chunks: list[DigestChunk] = []
    parts: list[str] = [render_header(sections, lang=lang, tz=tz, now=now)]
    ids: list[int] = []

    def add(block: str, lead: list[str], continued: list[str]) -> None:
        """Append a block (after `lead`); in a new message, after `continued`, if it is full."""
        if ids and telegram_length("\n\n".join([*parts, *lead, block])) > MAX_MESSAGE:
            chunks.append(DigestChunk("\n\n".join(parts), tuple(ids)))
            parts.clear()
            ids.clear()
            lead = continued
        parts.extend([*lead, block])

    for section in sections:
        heading = f"<b>{html.escape(section.topic.label(lang), quote=False)}</b>"
        continued = [f"{heading} {t(lang, 'digest_continued')}"]
        for index, story in enumerate(section.stories):
            block = render_story(story, lang=lang, tz=tz, now=now)
            add(block, [heading] if index == 0 else [], [heading] if index == 0 else continued)
            ids.extend(item.id for item in story.items)
        if section.more:
            add(render_more(section, lang), [], [])
    add(t(lang, "digest_footer"), [], [])
    if ids or chunks:  # nothing at all to show: no message
        chunks.append(DigestChunk("\n\n".join(parts), tuple(ids)))
    return chunks


def render_list(
    stories: Sequence[Story],
    *,
    header: str,
    footer: str = "",
    lang: str,
    tz: ZoneInfo,
    now: datetime,
) -> list[str]:
    """A list of stories (for /latest) under one header, split like a digest."""
    blocks = [render_story(story, lang=lang, tz=tz, now=now) for story in stories]
    return pack([header, *blocks, *([footer] if footer else [])])


def html_to_plain(text: str) -> str:
    """Our own digest HTML as plain text: tags dropped, entities decoded (a fallback for the
    rare message Telegram refuses to parse)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
