"""Telegram text formatting for the fake Bot API: UTF-16 lengths, parse_mode=HTML into entities,
and the text and caption limits. Tests only; imports nothing from the project.
"""

import html
import re

from tests.support.bot_api_wire import ApiError

MAX_TEXT_LENGTH = 4096  # telegram.constants.MessageLimit.MAX_TEXT_LENGTH
MAX_CAPTION_LENGTH = 1024  # telegram.constants.MessageLimit.CAPTION_LENGTH

_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
_ATTR_RE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
# The Bot API accepts only these named entities plus numeric ones ("Formatting options").
_CHAR_REF_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|(lt|gt|amp|quot));")


_SPECIAL_RE = re.compile(r"[&<]")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts limits and offsets in."""
    return len(text.encode("utf-16-le")) // 2


def _entity_error(source: str, index: int | None, what: str, detail: str = "") -> ApiError:
    where = f" at byte offset {len(source[:index].encode())}" if index is not None else ""
    return ApiError(400, f"Bad Request: can't parse entities: {what}{where}{detail}")


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Parse `parse_mode=HTML` text into (plain text, entities) roughly as Telegram does.

    Stricter than Telegram in one place on purpose: a bare "&" is an error (the docs require
    escaping it; the real server lets it through), so tests catch unescaped feed text.
    """
    out: list[str] = []
    length = 0  # of the plain text so far, in UTF-16 units
    stack: list[tuple[str, dict | None]] = []
    entities: list[dict] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            ref = _CHAR_REF_RE.match(source, i)
            if not ref:
                raise _entity_error(source, i, "Unsupported HTML entity")
            number, hex_number, name = ref.groups()
            code = int(number) if number else int(hex_number, 16) if hex_number else None
            if code is not None and not (0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF):
                raise _entity_error(source, i, "Unsupported HTML entity")
            char = chr(code) if code is not None else html.unescape(f"&{name};")
            i = ref.end()
        elif char == "<":
            tag = _TAG_RE.match(source, i)
            if not tag:
                raise _entity_error(source, i, "Unclosed start tag")
            closing, name, attrs = tag.group(1), tag.group(2).lower(), tag.group(3)
            if closing:
                _close_tag(source, i, name, stack, entities, length)
            else:
                stack.append((name, _open_tag(source, i, name, attrs, length)))
            i = tag.end()
            continue
        else:
            # A run of plain text up to the next tag or entity, in one step.
            end = _SPECIAL_RE.search(source, i)
            stop = end.start() if end else len(source)
            char = source[i:stop]
            i = stop
        out.append(char)
        length += utf16_len(char)
    if stack:
        what = f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"'
        raise _entity_error(source, None, what)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _open_tag(source: str, index: int, name: str, attrs: str, offset: int) -> dict | None:
    if name not in _ENTITY_TYPES:
        raise _entity_error(source, index, f'Unsupported start tag "{name}"')
    values = {m[0].lower(): html.unescape("".join(m[1:])) for m in _ATTR_RE.findall(attrs)}
    entity = {"type": _ENTITY_TYPES[name], "offset": offset}
    if name == "span" and values.get("class") != "tg-spoiler":
        raise _entity_error(source, index, 'Tag "span" must have class "tg-spoiler"')
    if name == "a":
        if not values.get("href"):
            return None  # Telegram keeps the text and drops a link without href.
        entity["url"] = values["href"]
    if name == "tg-emoji":
        if "emoji-id" not in values:
            raise _entity_error(source, index, 'Tag "tg-emoji" must have attribute "emoji-id"')
        entity["custom_emoji_id"] = values["emoji-id"]
    if name == "blockquote" and "expandable" in values:
        entity["type"] = "expandable_blockquote"
    if name == "code" and values.get("class", "").startswith("language-"):
        entity["language"] = values["class"].removeprefix("language-")
    return entity


def _close_tag(
    source: str, index: int, name: str, stack: list, entities: list[dict], offset: int
) -> None:
    if not stack:
        raise _entity_error(source, index, f'Unexpected end tag "{name}"')
    expected, entity = stack.pop()
    if expected != name:
        detail = f', expected "</{expected}>", found "</{name}>"'
        raise _entity_error(source, index, "Unmatched end tag", detail)
    if entity is None or offset == entity["offset"]:
        return  # empty entities are dropped
    entity["length"] = offset - entity["offset"]
    language = entity.pop("language", None)
    parent = stack[-1][1] if stack else None
    if language and parent is not None and parent["type"] == "pre":
        parent["language"] = language  # <pre><code class="language-x"> is one pre entity
        return
    entities.append(entity)


def message_text(params: dict) -> tuple[str, list[dict]]:
    """The parsed `text` of sendMessage/editMessageText, checked against Telegram's limits."""
    text, entities = formatted_text(params, "text", "entities")
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > MAX_TEXT_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")
    return text, entities


def formatted_text(params: dict, field: str, entities_field: str) -> tuple[str, list[dict]]:
    """(plain text, entities) of `field`: parsed if parse_mode is HTML, else as sent."""
    raw = params.get(field, "")
    if str(params.get("parse_mode", "")).lower() == "html":
        return parse_html(raw)
    return raw, list(params.get(entities_field, []))
