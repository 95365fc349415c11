"""Turning a raw feed entry into a clean Item: HTML to plain text, the boilerplate of Indonesian
news sites removed, a usable title and link. Imports only stdlib, bot.models, bot.errors and
bot.feeds.urls.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit

from bot.feeds.urls import item_key, without_credentials
from bot.models import Item, RawEntry
from bot.text.shaping import shorten

MAX_TITLE = 300
# What is stored of a summary: the digest shows a snippet of it, tagging and clustering read
# its start; a feed carrying whole articles (or a flood of text) is cut here.
MAX_SUMMARY = 2_000
TITLE_FROM_SUMMARY = 80

# Links are kept as text between these marks until the boilerplate rules have seen them, so a
# "BACA JUGA:" can take its whole link with it and nothing else.
LINK_OPEN, LINK_CLOSE = "\x02", "\x03"
_SKIPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "svg",
        "math",
        "head",
        "title",
        "figcaption",
        "select",
        "textarea",
        "button",
    }
)  # contents never read as text; figcaption is a photo caption
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "hr",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "figure",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "aside",
    }
)
_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][\w:-]*[\s/>]|/[a-zA-Z][\w:-]*\s*>|!--|!\[CDATA\[)")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Applied to a line whose white space is single spaces already (see _tidy): a pattern that
# starts with a plain space is searched for quickly, where one that starts with \s+ is tried at
# every character.
_SPACE_BEFORE_PUNCT = re.compile(r" ([.,;:!?])(?= |$)")
_SPACED_PUNCT = (" .", " ,", " ;", " :", " !", " ?")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_HAS_WORD = re.compile(r"[^\W_]")
# The longest tag or comment read as markup: a "<" whose ">" (or a "<!--" whose "-->") is
# further away is text. HTMLParser scans to the end of the input again from every "<" it cannot
# close, which is quadratic on "<a href=x" or "<!--" repeated; see _escape_unclosed.
MAX_TAG = 2_000

_I = re.IGNORECASE
# "BACA JUGA:", "Baca juga :", "Simak Juga -", "Baca Juga Berita Lainnya:".
_MARKER_WORDS = (
    r"\b(?:baca|simak|lihat)\s+(?:juga|pula)\b"
    r"(?:\s+(?:berita|artikel)(?:\s+(?:lain(?:nya)?|terkait))?)?"
)
_SEPARATOR = r"\s*[:：\-–—]"
_MARKER = rf"{_MARKER_WORDS}(?:{_SEPARATOR})?"
# Without a link after it, the marker must look like one: a colon or dash, or written in
# capitals. "Kita lihat juga nanti." is prose and stays.
_PLAIN_MARKER = rf"(?:{_MARKER_WORDS}{_SEPARATOR}|(?-i:\bBACA\s+JUGA\b)(?:{_SEPARATOR})?)"
_LINK = rf"{LINK_OPEN}[^{LINK_CLOSE}]*{LINK_CLOSE}"
_READ_ALSO = [
    # The marker inside the link text: <a>Baca juga: Judul</a>.
    re.compile(rf"{LINK_OPEN}\s*{_MARKER}[^{LINK_CLOSE}]*{LINK_CLOSE}", _I),
    # The marker, then one or more links: <strong>BACA JUGA:</strong> <a>Judul</a>.
    re.compile(rf"{_MARKER}\s*(?:{_LINK}[\s|,;/•·]*)+", _I),
    # Plain text: the marker and the headline after it, up to the end of that sentence or line.
    re.compile(rf"{_PLAIN_MARKER}[^\n]*?(?:[.!?](?=\s|$)|(?=\n)|$)", _I),
]
_OUTLET = (
    r"(?:kaltim\s*post|disway|tribun\w*|antara\w*|kompas\w*|detik\w*|prokal|katakaltim|"
    r"kaltimkece|kaltim\s*today|idn\s*times|[\w-]+\.(?:com|co\.id|co|id|net))"
)
_CREDIT_LEAD = (
    r"(?:foto|photo|dok(?:umentasi)?|ist(?:imewa)?|ilustrasi|grafis|kredit\s+foto|"
    r"antara\s+foto|sumber(?:\s+foto)?\s*:)"
)
_PAREN_CREDITS = (
    # "(Foto: Ist/Disway Kaltim)", "(Ist/Disway Kaltim)", "(Dok. Humas Pemprov Kaltim)".
    rf"\(\s*{_CREDIT_LEAD}(?![^\W_])[^()\n]{{0,120}}\)",
    # "(Ferry/Kaltim Post)", "(ANTARA/Nama Fotografer)": a name, a slash and an outlet.
    rf"\(\s*[^()/\n]{{1,40}}/[^()\n]{{0,40}}?\b{_OUTLET}\b[^()\n]{{0,30}}\)",
    r"\(\s*antara(?:\s+foto)?\s*/[^()\n]{0,60}\)",
)
_CREDITS = [
    # A bracketed credit, with the caption sentence just before it ("Ilustrasi siswa mengerjakan
    # ujian. (Foto: Ist/Disway Kaltim)"): both describe the photo, not the story.
    re.compile(
        rf"(?P<caption>(?:^|(?<=[.!?]\s))[^.!?\n]{{1,160}}[.!?]?\s{{0,10}})?"
        rf"(?:{'|'.join(_PAREN_CREDITS)})",
        _I | re.MULTILINE,
    ),
    # Unbracketed "Foto: Ferry/Kaltim Post" and "Foto: Istimewa".
    re.compile(
        r"\b(?:foto|photo)\s*:\s*[^\n()/]{0,60}/\s*[\w.-]+"
        r"(?:\s+(?:post|pos|kaltim|kaltara|times|news|today|indonesia|foto)\b)?",
        _I,
    ),
    re.compile(r"\b(?:foto|photo)\s*:\s*(?:ist(?:imewa)?|dok(?:umentasi)?)\b\.?", _I),
]
_TRAILERS = [
    # "Cek Berita dan Artikel yang lain di Google News", "Ikuti kami di WhatsApp Channel".
    re.compile(
        r"\b(?:cek|simak|ikuti|baca|dapatkan|pantau|follow|update|gabung)\b[^.!?\n]{0,150}?"
        r"\b(?:google\s+news|whatsapp\s+channel|saluran\s+whatsapp|grup\s+telegram|"
        r"channel\s+telegram|telegram\s+channel)\b[^.!?\n]{0,80}[.!?]?",
        _I,
    ),
    re.compile(r"\bcopyright\s*©?[^\n]{0,60}$", _I | re.MULTILINE),
    # [ \t], not \s: "^\s*" would run over every following empty line from each line start.
    re.compile(
        r"^[ \t]*(?:pewarta|editor|penulis|reporter|redaktur|penyunting)[ \t]*:[^\n]{0,80}$",
        _I | re.MULTILINE,
    ),
    re.compile(r"\b(?:ADVERTISEMENT|SCROLL TO CONTINUE WITH CONTENT)\b"),
]
# WordPress's [caption ...]...[/caption] shortcode; see _strip_shortcode_captions.
_CAPTION_OPEN = re.compile(r"\[caption", _I)
_CAPTION_CLOSE = re.compile(r"\[/caption\]", _I)


class _TextExtractor(HTMLParser):
    """Collects the readable text of an HTML fragment: blocks become line breaks, links are
    marked, images and the contents of script/style/captions are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        # Link marks come in pairs, never nested: an unclosed <a> would let the "BACA JUGA"
        # patterns look for its closing mark from every marker to the end of the text.
        self.in_link = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        """Open a skipped element, a block or a link."""
        if tag in _SKIPPED:
            self.skipping += 1
        elif not self.skipping:
            self._mark(tag, LINK_OPEN)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        """A self-closing tag: <br/> breaks a line, <img/> is dropped."""
        if not self.skipping and tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a skipped element, a block or a link."""
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif not self.skipping:
            self._mark(tag, LINK_CLOSE)

    def handle_data(self, data: str) -> None:
        """Text: white space inside HTML is one space."""
        if not self.skipping:
            self.parts.append(_one_space(data))

    def _mark(self, tag: str, link_mark: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            if self.in_link:
                self.parts.append(LINK_CLOSE)
            if link_mark == LINK_OPEN:
                self.parts.append(LINK_OPEN)
            self.in_link = link_mark == LINK_OPEN

    def close(self) -> None:
        """Flush the parser and close a link left open."""
        super().close()
        if self.in_link:
            self.parts.append(LINK_CLOSE)
            self.in_link = False


def _one_space(text: str) -> str:
    r"""re.sub(r"\s+", " ", text), by str.split (which splits on the same white space): the
    pattern replaced every single space too, and cost a fifth of cleaning."""
    words = text.split()
    if not words:
        return " " if text else ""
    joined = " ".join(words)
    if text[0].isspace():
        joined = " " + joined
    if text[-1].isspace():
        joined += " "
    return joined


def _escape_unclosed(markup: str) -> str:
    """Escape each "<" that starts no tag or comment closed within MAX_TAG characters.

    One pass: the next ">" and "-->" are looked up again only once passed, so each character
    is read a bounded number of times."""
    if len(markup) <= MAX_TAG and _all_closed(markup):
        return markup  # nearly every summary: short, and nothing left open
    pieces, last, never = [], 0, len(markup) + MAX_TAG + 1
    ends = {">": -1, "-->": -1, "]>": -1, "]]>": -1}  # the next of each, once looked up

    def distance(start: int, end: str) -> int:
        if ends[end] < start:
            found = markup.find(end, start)
            ends[end] = never if found == -1 else found
        return ends[end] - start

    start = markup.find("<")
    while start != -1:
        unclosed = distance(start, ">") > MAX_TAG
        if not unclosed and markup.startswith("<!--", start):
            unclosed = distance(start, "-->") > MAX_TAG
        elif not unclosed and markup.startswith("<![", start):
            # A marked section: "<![if ...]>" ends at "]>", "<![CDATA[" at "]]>".
            unclosed = distance(start, "]>") > MAX_TAG or (
                not markup.startswith(("<![if", "<![else", "<![endif"), start)
                and distance(start, "]]>") > MAX_TAG
            )
        if unclosed:
            pieces += [markup[last:start], "&lt;"]
            last = start + 1
        start = markup.find("<", start + 1)
    pieces.append(markup[last:])
    return "".join(pieces)


def _all_closed(markup: str) -> bool:
    """Whether the last "<", "<!--" and "<![" each have their end after them (then, in a text
    no longer than MAX_TAG, every one does)."""
    # ">=": both -1 when neither is there; an end never starts where its opening does.
    return (
        markup.rfind(">") >= markup.rfind("<")
        and markup.rfind("-->") >= markup.rfind("<!--")
        and markup.rfind("]]>") >= markup.rfind("<![")
    )


def _unwrap_cdata(text: str) -> str:
    r"""The text with each <![CDATA[...]]> wrapper that survived the feed parser removed (what
    re.sub(r"<!\[CDATA\[(.*?)\]\]>", r"\1") does, without rescanning from every opening
    that is never closed)."""
    start = text.find("<![CDATA[")
    if start == -1:
        return text
    pieces, last = [], 0
    while start != -1:
        end = text.find("]]>", start + 9)
        if end == -1:
            break
        pieces += [text[last:start], text[start + 9 : end]]
        last = end + 3
        start = text.find("<![CDATA[", last)
    pieces.append(text[last:])
    return "".join(pieces)


def _html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment, with link marks."""
    markup = _escape_unclosed(markup)
    parser = _TextExtractor()
    if not _read_simple(markup, parser):
        parser = _TextExtractor()
        parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


# A tag as feed summaries write nearly all of theirs: a name, attributes with plain or quoted
# values, "/>" or ">". An end tag has only its name. White space is HTML's own (ASCII) only:
# HTMLParser reads "<br\xa0>" as a tag named "br\xa0", so any other is left to it.
_SIMPLE_TAG = re.compile(
    r"""<(?:/([a-zA-Z][a-zA-Z0-9]*)[ \t\n\r\f]*|([a-zA-Z][a-zA-Z0-9]*)"""
    r"""(?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*"""
    r"""(?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:"[^"<]*"|'[^'<]*'|[^ \t\n\r\f"'=<>`]+))?)*"""
    r"""[ \t\n\r\f]*(/?))>"""
)
# Elements whose content HTMLParser reads as raw text (or may, in another Python version):
# left to it.
_RAW_TEXT = frozenset(
    {
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
    }
)


def _read_simple(markup: str, parser: _TextExtractor) -> bool:
    """Hand the parser's handlers the text and tags of markup made of simple tags only (see
    _SIMPLE_TAG) and return True; return False, having read part of it, at anything else (a
    comment, a declaration, an odd tag, a raw-text element), which HTMLParser then reads
    from the start. HTMLParser's own scanner is a quarter of cleaning; this loop finds each
    tag with one pattern and unescapes the text between as HTMLParser does (issue 13)."""
    at = 0
    while True:
        lt = markup.find("<", at)
        text = markup[at:] if lt == -1 else markup[at:lt]
        if text:
            parser.handle_data(html.unescape(text) if "&" in text else text)
        if lt == -1:
            return True
        tag = _SIMPLE_TAG.match(markup, lt)
        if tag is None:
            return False
        closing, opening, self_closing = tag.groups()
        name = (closing or opening).lower()
        if name in _RAW_TEXT:
            return False
        if closing:
            parser.handle_endtag(name)
        elif self_closing:
            parser.handle_startendtag(name, [])
        else:
            parser.handle_starttag(name, [])
        at = tag.end()


def _decode(text: str) -> str:
    """HTML or plain text to text with link marks; one more round for double-escaped input."""
    text = text.replace(LINK_OPEN, " ").replace(LINK_CLOSE, " ")
    text = _unwrap_cdata(text)
    for _ in range(2):  # feeds that escape twice deliver "&lt;p&gt;" and "&amp;amp;"
        if _LOOKS_LIKE_HTML.search(text):
            text = _html_to_text(text)
        elif _ENTITY.search(text):
            text = html.unescape(text)
        else:
            break
    return text


def _keep_lead_sentence(match: re.Match) -> str:
    """Replacement for a credit: drop it and its caption, unless that "caption" is the first
    sentence of the whole text (then it is the story itself, credited without a caption)."""
    caption = match.groupdict().get("caption")
    # Matched from the start rather than testing a copy of everything before the match, which
    # made each credit cost the length of the text before it.
    if caption and _LEADING_BLANK.match(match.string, 0, match.start()).end() == match.start():
        return caption
    return " "


_LEADING_BLANK = re.compile(f"[ \n{LINK_OPEN}{LINK_CLOSE}]*")


_PAREN_CREDIT = re.compile("|".join(_PAREN_CREDITS), _I)
# How far before a bracketed credit its caption can start: 160 characters of caption, its full
# stop and the spaces before the bracket, with room to spare.
_CAPTION_REACH = 400


def _strip_captioned_credits(text: str) -> str:
    """_CREDITS[0].sub(_keep_lead_sentence, text), but looking for each match just before the
    next bracketed credit: the pattern's optional caption would otherwise be tried, and
    backtracked over, at every sentence start of the text."""
    pieces, last = [], 0
    for paren in _PAREN_CREDIT.finditer(text):
        if paren.start() < last:
            continue  # already inside the caption of an earlier match
        match = _credit_before(text, max(last, paren.start() - _CAPTION_REACH), paren.start())
        if match is None:
            break
        pieces += [text[last : match.start()], _keep_lead_sentence(match)]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


# Where a match of _CREDITS[0] can start: a caption at the start of a line or after a
# sentence's end (the pattern's "(?:^|(?<=[.!?]\s))"), a credit at its "(".
_MATCH_STARTS = re.compile(r"\n|[.!?]\s|\(")


def _credit_before(text: str, low: int, credit: int) -> re.Match | None:
    """_CREDITS[0].search(text, low), given that a bracketed credit starts at `credit`: the
    pattern is matched only where a match can start, left to right, up to the credit (where
    one always does). A search tried the pattern at each of the hundreds of characters of
    the window, which cost a sixth of cleaning (issue 13)."""
    starts = [0] if low == 0 else []
    for boundary in _MATCH_STARTS.finditer(text, max(0, low - 2), credit + 1):
        starts.append(boundary.start() if boundary.group() == "(" else boundary.end())
    for start in starts:
        if low <= start <= credit and (match := _CREDITS[0].match(text, start)):
            return match
    return None


def _strip_shortcode_captions(text: str) -> str:
    r"""Remove each "[caption" up to the first "]" after it and then the first "[/caption]"
    after that (what r"\[caption[^\]]*\].*?\[/caption\]" removed), in one pass: the pattern
    scanned to the end of the text from every "[caption" that was never closed."""
    closes = [(m.start(), m.end()) for m in _CAPTION_CLOSE.finditer(text)]
    pieces, last, k, bracket = [], 0, 0, -1
    for opening in _CAPTION_OPEN.finditer(text):
        if opening.start() < last:
            continue  # inside a caption already removed
        if bracket < opening.end():  # searched from past the last "]": each character once
            bracket = text.find("]", opening.end())
            if bracket == -1:
                break  # no "]" after this opening, so none after any later one
        while k < len(closes) and closes[k][0] <= bracket:
            k += 1
        if k == len(closes):
            break
        pieces += [text[last : opening.start()], " "]
        last = closes[k][1]
    pieces.append(text[last:])
    return "".join(pieces)


class _Anchor(NamedTuple):
    """The words (lower-case ASCII) that every match of a pattern contains, read as IGNORECASE
    reads them; with `leads`, every match starts with one of them."""

    words: tuple[str, ...]
    leads: bool = True


def _ascii_folded(text: str) -> str:
    """The text with each character that IGNORECASE matches to an ASCII letter made that
    letter in lower case, and every character kept in its place (same length). Besides A-Z,
    only four do: "İ" and dotless "ı" (i), long "ſ" (s) and the Kelvin sign (k);
    tests/test_clean.py checks that against every code point."""
    if text.isascii():
        return text.lower()
    # "İ".lower() is two characters: it is made "i" before the rest is lowered.
    return text.replace("\u0130", "i").lower().replace("\u0131", "i").replace("\u017f", "s")


def _places(text: str, word: str) -> Iterator[int]:
    """Where `word` starts in `text`, left to right."""
    at = text.find(word)
    while at != -1:
        yield at
        at = text.find(word, at + 1)


def _sub_anchored(
    pattern: re.Pattern, anchor: _Anchor, replacement: str | Callable, text: str
) -> str:
    r"""pattern.sub(replacement, text), the pattern tried only where it can match.

    The regex engine tries an IGNORECASE pattern that starts with \b or a group of words at
    every character of the text, and those tries were most of the cost of cleaning (issue 13).
    Here the places where one of its words starts are found with str.find in the folded text,
    and the pattern is matched at those only: the same matches, left to right, each search
    going on from the end of the last match as sub does. `replacement` is a plain string (no
    group references) or a function of the match.
    """
    folded = _ascii_folded(text)
    if not anchor.leads:
        found = any(word in folded for word in anchor.words)
        return pattern.sub(replacement, text) if found else text
    starts = sorted({at for word in anchor.words for at in _places(folded, word)})
    pieces, last = [], 0
    for start in starts:
        if start < last:
            continue  # inside the last match
        match = pattern.match(text, start)
        if match is not None:
            pieces += [
                text[last:start],
                replacement if isinstance(replacement, str) else replacement(match),
            ]
            last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _substitute(
    patterns: Sequence[re.Pattern], replacement: str | Callable, anchors: Sequence[_Anchor]
) -> Callable[[str], str]:
    """A step that applies each pattern in turn with the same replacement."""

    def step(text: str) -> str:
        for pattern, anchor in zip(patterns, anchors, strict=True):
            text = _sub_anchored(pattern, anchor, replacement, text)
        return text

    return step


_MARKER_STARTS = _Anchor(("baca", "simak", "lihat"))
# The steps, in order; each runs only when a word it needs is in the text: most summaries have
# none of them, and the patterns are the dearest part of cleaning.
_STEPS = (
    (
        ("juga", "pula"),
        _substitute(_READ_ALSO, " ", [_Anchor((LINK_OPEN,)), _MARKER_STARTS, _MARKER_STARTS]),
    ),
    (
        ("google", "whatsapp", "telegram"),
        _substitute(
            _TRAILERS[:1],
            " ",
            [
                _Anchor(
                    (
                        "cek",
                        "simak",
                        "ikuti",
                        "baca",
                        "dapatkan",
                        "pantau",
                        "follow",
                        "update",
                        "gabung",
                    )
                )
            ],
        ),
    ),
    (
        ("copyright", ":", "advertisement", "scroll"),
        _substitute(
            _TRAILERS[1:],
            " ",
            [
                _Anchor(("copyright",)),
                _Anchor(
                    ("pewarta", "editor", "penulis", "reporter", "redaktur", "penyunting"),
                    leads=False,
                ),  # the pattern starts at the start of the line
                _Anchor(("advertisement", "scroll to continue with content")),
            ],
        ),
    ),
    (("[caption",), _strip_shortcode_captions),
    (("(",), _strip_captioned_credits),
    (
        ("foto", "photo"),
        _substitute(_CREDITS[1:], _keep_lead_sentence, [_Anchor(("foto", "photo"))] * 2),
    ),
)


def _remove_boilerplate(text: str) -> str:
    """Drop "BACA JUGA" teasers, photo credits and site trailers."""
    # The words are looked for in the original text: the steps only ever remove text. Within
    # a step, each pattern is tried only where its own words are left (_sub_anchored).
    folded = text.casefold()
    for words, step in _STEPS:
        if any(word in folded for word in words):
            text = step(text)
    return text.replace(LINK_OPEN, "").replace(LINK_CLOSE, "")


def _tidy(text: str) -> str:
    """One space between words, one line per paragraph, no empty or punctuation-only lines."""
    lines = []
    if not text.isascii():  # the invisible characters are none of them ASCII
        text = text.translate(_INVISIBLE)
    for line in text.split("\n"):
        line = " ".join(line.split())
        # Each pattern only where it can match: most lines have neither, and the patterns
        # were a sixth of cleaning.
        if "(" in line or "[" in line:
            line = " ".join(_EMPTY_BRACKETS.sub(" ", line).split())
        if any(spaced in line for spaced in _SPACED_PUNCT):
            line = _SPACE_BEFORE_PUNCT.sub(r"\1", line)
        if _HAS_WORD.search(line):
            lines.append(line)
    return "\n".join(lines)


def clean_text(text: str) -> str:
    """HTML (or plain text) to plain text with the news-site boilerplate removed."""
    if not text:
        return ""
    return _tidy(_remove_boilerplate(_decode(text)))


def _usable_link(link: str) -> str | None:
    """The link if it is an absolute http(s) URL with a host, without credentials."""
    value = (link or "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return without_credentials(value)


def _drop_repeated_title(title: str, summary: str) -> str:
    """Remove the title when the summary starts by repeating it."""
    words = title.split()
    if not words or not summary:
        return summary
    # Most summaries do not start with the title: skip compiling a pattern for them.
    if not summary.lstrip()[: len(words[0])].casefold() == words[0].casefold():
        return summary
    repeated = re.compile(
        r"\s*" + r"\s+".join(map(re.escape, words)) + r"(?![^\W_])[\s.:|\-–—]*", _I
    )
    match = repeated.match(summary)
    return summary[match.end() :] if match else summary


def _as_utc(moment: datetime) -> datetime:
    """A timezone-aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def clean_item(raw: RawEntry, *, now: datetime) -> Item | None:
    """Clean a raw entry; None when it has no usable title (or summary) or no http(s) link."""
    link = _usable_link(raw.link)
    if link is None:
        return None
    title = " ".join(clean_text(raw.title or "").split())
    summary = _drop_repeated_title(title, clean_text(raw.summary or ""))
    if len(summary) > MAX_SUMMARY:
        summary = shorten(summary, MAX_SUMMARY)
    if not title:
        title = shorten(summary, TITLE_FROM_SUMMARY)
    if not title:
        return None
    guid = raw.guid.strip() if raw.guid and raw.guid.strip() else None
    return Item(
        key=item_key(guid, link),
        title=shorten(title, MAX_TITLE),
        link=link,
        summary=summary,
        published_at=_as_utc(raw.published_at or now),
        guid=guid,
    )
