"""A fake Telegram Bot API on 127.0.0.1 that the real PTB stack talks to over HTTP.

Answers like api.telegram.org (same JSON shapes, status codes and error texts), records every call,
and can be told to fail, stall, hold or rate-limit calls or refuse a chat. Tests only; imports
nothing from the project.
"""

import asyncio
import dataclasses
import html
import json
import logging
import re
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from aiohttp import web

from tests import factories
from tests.fakes.flood import FloodControl, is_sending

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-token-abcdefghijklmnop"
MAX_TEXT_LENGTH = 4096  # telegram.constants.MessageLimit.MAX_TEXT_LENGTH
MAX_CAPTION_LENGTH = 1024  # telegram.constants.MessageLimit.CAPTION_LENGTH

# PTB sends a str parameter as is and JSON-dumps everything else (ints, bools, lists, dicts;
# telegram/request/_requestparameter.py), so all values but these free-text ones are JSON.
_STRING_PARAMS = frozenset(
    "text caption description short_description callback_query_id inline_message_id url "
    "secret_token language_code ip_address title name file_id data query custom_title "
    "parse_mode message_effect_id business_connection_id emoji question address".split()
)
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
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
# Fields PTB's ChatFullInfo and ChatMemberAdministrator require (de_json fails without them).
_GIFT_TYPES = (
    "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels".split()
)
_ADMIN_RIGHTS = (
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_promote_members can_change_info can_invite_users can_post_stories can_edit_stories "
    "can_delete_stories"
).split()


@dataclasses.dataclass
class Call:
    """One request: decoded params; `status` is the HTTP status answered (None while pending)."""

    method: str
    params: dict[str, Any]
    time: float  # time.monotonic() on arrival
    status: int | None = None
    result: Any = None  # the "result" of a successful answer


@dataclasses.dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    content_type: str


@dataclasses.dataclass
class _Channel:
    username: str  # without "@"
    title: str
    bot_is_admin: bool


@dataclasses.dataclass
class _Rule:
    method: str
    remaining: int
    chat_id: int | str | None = None
    status: int = 0
    description: str = ""
    parameters: dict[str, float] | None = None
    delay: float = 0.0


class _Signal:
    """Wakes all waiters on notify(); unlike asyncio.Condition, notify() needs no await."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float | None) -> bool:
        """Wait until predicate() holds or `timeout` passes (None: no limit); return it."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    await self._event.wait()
        except TimeoutError:
            pass
        return predicate()


class ApiError(Exception):
    """An error answer: `{"ok": false, "error_code": status, "description": ...}`."""

    def __init__(self, status: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


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
            i += 1
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


class FakeTelegramAPI:
    """The fake Bot API server; tests/test_fakes.py shows each feature in use."""

    def __init__(self, token: str = DEFAULT_TOKEN):
        self.token = token
        self.bot_user = {**factories.BOT_USER, "id": int(token.split(":", 1)[0])}
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._calls: list[Call] = []
        self._calls_changed = _Signal()
        self._updates: list[dict] = []
        self._updates_changed = _Signal()
        self._next_update_id = 1
        self._poll_generation = 0
        self._rules: list[_Rule] = []
        self._blocked: set[int | str] = set()
        self._admins: dict[int | str, list[int]] = {}
        self._channels: dict[int, _Channel] = {}
        self._flood: FloodControl | None = None
        self.flood_refusals = 0  # 429s answered by rate_limit()'s flood control
        self._gates: dict[str, asyncio.Event] = {}  # hold(): set when released
        self._held: list[Call] = []  # calls waiting at a hold now
        self._tasks: set[asyncio.Task] = set()
        self._messages: dict[tuple[int | str, int], dict] = {}
        self._last_message_id: dict[int | str, int] = {}
        self._files: dict[str, bytes] = {}
        self._settings: dict[str, Any] = {}
        self._webhook_url = ""
        setting, getting = self._set_setting, self._get_setting
        self._methods: dict[str, Callable] = {
            "getMe": self._get_me, "logOut": self._true, "close": self._true,
            "setWebhook": self._set_webhook, "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info, "getUpdates": self._get_updates,
            "sendMessage": self._send_message, "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_reply_markup, "answerCallbackQuery": self._true,
            "deleteMessage": self._delete_message, "getChat": self._get_chat,
            "getChatMember": self._get_chat_member, "getFile": self._get_file,
            "getChatAdministrators": self._get_chat_administrators,
            "setMyCommands": partial(setting, "commands"),
            "getMyCommands": partial(getting, "commands"),
            "deleteMyCommands": partial(setting, "commands", delete=True),
            "setMyDescription": partial(setting, "description"),
            "getMyDescription": partial(getting, "description"),
            "setMyShortDescription": partial(setting, "short_description"),
            "getMyShortDescription": partial(getting, "short_description"),
        }  # fmt: skip
        # The Bot API matches method names case-insensitively.
        self._method_names = {name.lower(): name for name in self._methods}

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> "FakeTelegramAPI":
        """Listen on a free loopback port."""
        self._closing.clear()  # in case of a restart after stop()
        app = web.Application(client_max_size=50 * 1024 * 1024)  # the Bot API's upload limit
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/documents/{file_id}", self._download)
        # Pending long polls are woken by stop(); the short timeout only guards against a hang.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Wake pending long polls, delays and holds, then close the server."""
        self._closing.set()
        self._updates_changed.notify()
        self._calls_changed.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        # Calls whose clients went away are not waited for by aiohttp; finish them here.
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def __aenter__(self) -> "FakeTelegramAPI":
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`; PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder().base_file_url(...)`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- driving the bot -------------------------------------------------------------------

    def push_update(self, update: dict) -> dict:
        """Queue an update for getUpdates, numbering it if it has no update_id."""
        if "update_id" not in update:
            update = {**update, "update_id": self._next_update_id}
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._updates.append(update)
        self._updates_changed.notify()
        return update

    def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        thread_id: int | None = None,
    ) -> dict:
        """Queue a text message from a user ("/cmd args" gets its bot_command entity)."""
        # User messages share the chat's message_id sequence with the bot's, as in Telegram.
        message_id = self._new_message_id(chat_id)
        update = factories.message_update(
            chat_id, text, user_id=user_id, chat_type=chat_type, thread_id=thread_id,
            message_id=message_id,
        )  # fmt: skip
        return self.push_update(update)

    def push_callback(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
    ) -> dict:
        """Queue a press on an inline button under the bot's message `message_id`."""
        stored = self._messages.get((chat_id, message_id))
        chat_type = stored["chat"]["type"] if stored else self._chat_type(chat_id)
        update = factories.callback_update(
            chat_id, message_id, data, user_id=user_id, chat_type=chat_type, bot_message=stored
        )
        return self.push_update(update)

    def add_file(self, file_id: str, content: bytes) -> None:
        """Make `file_id` downloadable through getFile (e.g. a document a user sent)."""
        self._files[file_id] = content

    # -- failure injection -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: float | None = None,
        migrate_to_chat_id: int | None = None,
        chat_id: int | str | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next `count` calls of `method` (to `chat_id` only, if given) with an error.

        Telegram sends whole seconds for retry_after; a fraction like 0.1 keeps tests fast and
        PTB accepts it.
        """
        parameters = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        self._rules.append(_Rule(method, count, chat_id, status, description, parameters or None))

    def delay_next(self, method: str, seconds: float, *, count: int = 1) -> None:
        """Answer the next `count` calls of `method` only after `seconds` (to provoke timeouts)."""
        self._rules.append(_Rule(method, count, delay=seconds))

    def block_chat(self, chat_id: int | str) -> None:
        """Every send to `chat_id` answers 403, as after the user blocked the bot."""
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int | str) -> None:
        """Undo block_chat."""
        self._blocked.discard(chat_id)

    def set_chat_admins(self, chat_id: int | str, user_ids: list[int]) -> None:
        """Make getChatMember/getChatAdministrators report these users as administrators."""
        self._admins[chat_id] = list(user_ids)

    def add_channel(
        self,
        username: str,
        chat_id: int,
        *,
        admins: list[int],
        bot_is_admin: bool = True,
        title: str | None = None,
    ) -> None:
        """Register a channel, reachable as `chat_id` or "@username" (an unknown "@name" is
        400 "chat not found"). `admins` (first = creator) plus the bot, if `bot_is_admin`, are
        its administrators; else sends to it answer 403 as Telegram does."""
        self._channels[chat_id] = _Channel(username, title or f"Kanal {username}", bot_is_admin)
        self._admins[chat_id] = list(admins)

    def rate_limit(self, enabled: bool | None = True, /, **limits: Any) -> FloodControl | None:
        """Switch flood control on (FloodControl's keyword limits) or off (None/False).

        Over a limit, a sending call answers 429 "Too Many Requests: retry after N" (whole
        seconds) and counts in `flood_refusals`. Each call starts with full buckets; clear()
        refills them and zeroes `flood_refusals` but keeps the mode on.
        """
        self._flood = FloodControl(**limits) if enabled else None
        return self._flood

    def hold(self, method: str) -> None:
        """Make later calls of `method` wait (recorded, status None) until release() or stop().

        A released call then runs as usual (fail_next rules, flood control...) and takes effect
        even if its client has gone away meanwhile, as a request that reached Telegram does.
        """
        self._gates.setdefault(method, asyncio.Event())

    def release(self, method: str) -> None:
        """Let the calls held at `method` through and stop holding new ones."""
        gate = self._gates.pop(method, None)
        if gate is not None:
            gate.set()
            self._calls_changed.notify()

    # -- inspection ------------------------------------------------------------------------

    def held(self, method: str | None = None) -> int:
        """How many calls (of `method`) are waiting at a hold now."""
        return sum(method in (None, c.method) for c in self._held)

    async def wait_held(self, method: str, count: int = 1, *, timeout: float = 5.0) -> None:
        """Wait until `count` calls of `method` are waiting at a hold."""
        if not await self._calls_changed.wait_for(lambda: self.held(method) >= count, timeout):
            raise AssertionError(
                f"waited {timeout}s for {count} held {method} call(s), got {self.held(method)}"
            )

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls, oldest first, including failed and still pending ones."""
        return [c for c in self._calls if method is None or c.method == method]

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict]:
        """Params of accepted sendMessage calls (text as sent) plus the new `message_id`."""
        return self._accepted("sendMessage", chat_id)

    def sent_documents(self, chat_id: int | str | None = None) -> list[dict]:
        """Params of accepted sendDocument calls; `document` is an Upload or a file_id string."""
        return self._accepted("sendDocument", chat_id)

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        """The `text` of each accepted sendMessage, as the bot sent it (HTML unparsed)."""
        return [m["text"] for m in self.sent_messages(chat_id)]

    def message(self, chat_id: int | str, message_id: int) -> dict | None:
        """A bot message as Telegram now stores it (parsed text and entities, after edits)."""
        return self._messages.get((chat_id, message_id))

    async def wait_for(
        self, what: str | Callable[[Call], bool], *, count: int = 1, timeout: float = 5.0
    ) -> list[Call]:
        """Wait until `count` answered calls match a method name or predicate; return them."""
        matches = (lambda c: c.method == what) if isinstance(what, str) else what

        def found() -> list[Call]:
            return [c for c in self._calls if c.status is not None and matches(c)]

        if not await self._calls_changed.wait_for(lambda: len(found()) >= count, timeout):
            seen = ", ".join(f"{c.method}[{c.status}]" for c in self._calls[-30:])
            raise AssertionError(
                f"waited {timeout}s for {count} answered call(s) matching {what!r}, "
                f"got {len(found())}; last calls: {seen or 'none'}"
            )
        return found()

    def clear(self) -> None:
        """Forget recorded calls, queued updates, stored messages, failures and blocked chats.

        Refills flood control's buckets and zeroes flood_refusals (rate_limit() stays on).
        Holds, channels and chat admins stay, and so do calls waiting at a hold.
        """
        self._calls[:] = self._held
        self._updates.clear()
        self._rules.clear()
        self._blocked.clear()
        self._messages.clear()
        self.flood_refusals = 0
        if self._flood is not None:
            self._flood.reset()

    # -- HTTP plumbing ---------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        method = self._method_names.get(request.match_info["method"].lower())
        if method is None:
            logger.warning("fake Bot API: unknown method %s", request.match_info["method"])
            return _error_response(ApiError(404, "Not Found: method not found"))
        call = Call(method, await _read_params(request), time.monotonic())
        self._calls.append(call)
        # Answered by a task of its own, so that should aiohttp cancel this handler (its client
        # went away) a call that reached "Telegram" still takes effect and gets recorded.
        task = asyncio.create_task(self._respond(call))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(task)

    async def _respond(self, call: Call) -> web.Response:
        try:
            call.result = await self._answer(call)
            response = web.json_response({"ok": True, "result": call.result})
        except ApiError as error:
            response = _error_response(error)
        except Exception as error:  # a bug in the fake: answer, so wait_for() does not hang
            logger.exception("fake Bot API: %s failed", call.method)
            response = _error_response(ApiError(500, f"Internal Server Error: {error!r}"))
        call.status = response.status
        self._calls_changed.notify()
        return response

    async def _answer(self, call: Call) -> Any:
        gate = self._gates.get(call.method)
        if gate is not None:
            self._held.append(call)
            self._calls_changed.notify()
            try:
                await self._calls_changed.wait_for(
                    lambda: gate.is_set() or self._closing.is_set(), None
                )
            finally:
                self._held.remove(call)
        delay, failure = self._take_rule(call, delay=True), self._take_rule(call, delay=False)
        if delay:
            await self._sleep(delay.delay)
        if failure:
            raise ApiError(failure.status, failure.description, failure.parameters)
        params = call.params
        if "chat_id" in params:  # "@channel" -> its numeric id; recorded params stay as sent
            params = {**params, "chat_id": self._resolve_chat(params["chat_id"])}
        chat_id = params.get("chat_id")
        if is_sending(call.method):
            channel = self._channels.get(chat_id)
            if chat_id in self._blocked or (channel and not channel.bot_is_admin):
                raise ApiError(403, _blocked_description(self._chat_type(chat_id)))
            retry_after = self._flood and self._flood.check(call.method, chat_id)
            if retry_after:
                self.flood_refusals += 1
                description = f"Too Many Requests: retry after {retry_after}"
                raise ApiError(429, description, {"retry_after": retry_after})
        return await self._methods[call.method](params)

    def _take_rule(self, call: Call, *, delay: bool) -> _Rule | None:
        """Use up one turn of the oldest matching delay (or failure) rule."""
        for rule in self._rules:
            if (
                rule.method == call.method
                and rule.chat_id in (None, call.params.get("chat_id"))
                and bool(rule.delay) == delay
            ):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
                return rule
        return None

    async def _download(self, request: web.Request) -> web.Response:
        content = self._files.get(request.match_info["file_id"])
        if request.match_info["token"] != self.token or content is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=content, content_type="application/octet-stream")

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but end early when the server stops so cleanup never waits on us."""
        try:
            async with asyncio.timeout(seconds):
                await self._closing.wait()
        except TimeoutError:
            pass

    def _accepted(self, method: str, chat_id: int | str | None) -> list[dict]:
        if chat_id is not None:
            try:
                chat_id = self._resolve_chat(chat_id)
            except ApiError:
                return []
        return [
            {**c.params, "message_id": c.result["message_id"]}
            for c in self.calls(method)
            if c.status == 200 and chat_id in (None, c.result["chat"]["id"])
        ]

    def _resolve_chat(self, chat_id: Any) -> Any:
        """A registered channel's numeric id for its "@username"; other ids as they are."""
        if not (isinstance(chat_id, str) and chat_id.startswith("@")):
            return chat_id
        for channel_id, channel in self._channels.items():
            if channel.username.lower() == chat_id[1:].lower():
                return channel_id
        raise ApiError(400, "Bad Request: chat not found")

    def _chat_type(self, chat_id: int | str) -> str:
        return "channel" if chat_id in self._channels else _id_chat_type(chat_id)

    def _chat(self, chat_id: int | str) -> dict:
        """The Chat object for `chat_id`."""
        channel = self._channels.get(chat_id)
        if channel is None:
            return factories.chat(chat_id, self._chat_type(chat_id))
        title, username = channel.title, channel.username
        return {"id": chat_id, "type": "channel", "title": title, "username": username}

    def _admin_ids(self, chat_id: int | str) -> list[int]:
        admins = self._admins.get(chat_id, [])
        channel = self._channels.get(chat_id)
        if channel and channel.bot_is_admin and self.bot_user["id"] not in admins:
            return [*admins, self.bot_user["id"]]
        return admins

    def _new_message_id(self, chat_id: int | str) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    # -- Bot API methods (each takes decoded params, returns the result or raises ApiError) --

    async def _true(self, params: dict) -> bool:
        return True

    async def _get_me(self, params: dict) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _set_webhook(self, params: dict) -> bool:
        self._webhook_url = params.get("url", "")
        return True

    async def _delete_webhook(self, params: dict) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: dict) -> dict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _get_updates(self, params: dict) -> list[dict]:
        if self._webhook_url:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        offset = params.get("offset", 0)
        # "An update is considered confirmed as soon as getUpdates is called with an offset
        # higher than its update_id"; a negative offset keeps only the last -offset updates.
        if offset < 0:
            del self._updates[:offset]
        elif offset:
            self._updates[:] = [u for u in self._updates if u["update_id"] >= offset]
        # A newer getUpdates terminates an older long poll, as on the real server.
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_changed.notify()
        await self._updates_changed.wait_for(
            lambda: bool(self._updates)
            or generation != self._poll_generation
            or self._closing.is_set(),
            max(0.0, float(params.get("timeout", 0))),
        )
        if generation != self._poll_generation:
            raise ApiError(409, _POLL_CONFLICT)
        return self._updates[: min(max(params.get("limit", 100), 1), 100)]

    async def _set_setting(self, field: str, params: dict, *, delete: bool = False) -> bool:
        """setMy*/deleteMyCommands: kept per scope and language, as Telegram does."""
        self._settings[_setting_key(field, params)] = None if delete else params.get(field)
        return True

    async def _get_setting(self, field: str, params: dict) -> Any:
        value = self._settings.get(_setting_key(field, params))
        if field == "commands":
            return value or []
        return {field: value or ""}

    async def _send_message(self, params: dict) -> dict:
        text, entities = _message_text(params)
        return self._store(self._new_message(params), text=text, entities=entities)

    async def _send_document(self, params: dict) -> dict:
        caption, entities = _formatted(params, "caption", "caption_entities")
        if utf16_len(caption) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        upload = params.get("document")
        if isinstance(upload, Upload):
            file_id = f"BQACAgIAAx{len(self._files) + 1:06d}"
            self._files[file_id] = upload.content
            name, mime, size = upload.filename, upload.content_type, len(upload.content)
        elif isinstance(upload, str) and upload in self._files:
            file_id, name, mime, size = upload, None, None, len(self._files[upload])
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        document = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": size}
        document |= {k: v for k, v in (("file_name", name), ("mime_type", mime)) if v}
        message = self._new_message(params) | {"document": document}
        return self._store(message, caption=caption, caption_entities=entities)

    async def _edit_message_text(self, params: dict) -> dict | bool:
        if "inline_message_id" in params:
            return True
        old = self._find(params, "Bad Request: message to edit not found")
        text, entities = _message_text(params)
        # Like the real API: leaving out reply_markup removes the inline keyboard.
        return self._edit(old, params, text=text, entities=entities)

    async def _edit_reply_markup(self, params: dict) -> dict | bool:
        if "inline_message_id" in params:
            return True
        old = self._find(params, "Bad Request: message to edit not found")
        return self._edit(old, params)

    async def _delete_message(self, params: dict) -> bool:
        self._find(params, "Bad Request: message to delete not found")
        del self._messages[(params["chat_id"], params["message_id"])]
        return True

    async def _get_chat(self, params: dict) -> dict:
        return self._chat(_require(params, "chat_id")) | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(_GIFT_TYPES, False),
        }

    async def _get_chat_member(self, params: dict) -> dict:
        chat_id, user_id = _require(params, "chat_id"), _require(params, "user_id")
        return self._member(chat_id, user_id)

    async def _get_chat_administrators(self, params: dict) -> list[dict]:
        chat_id = _require(params, "chat_id")
        if self._chat_type(chat_id) == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [self._member(chat_id, user_id) for user_id in self._admin_ids(chat_id)]

    async def _get_file(self, params: dict) -> dict:
        file_id = _require(params, "file_id")
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(self._files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    # -- message store ---------------------------------------------------------------------

    def _new_message(self, params: dict) -> dict:
        chat = self._chat(_require(params, "chat_id"))
        message = {
            "message_id": self._new_message_id(chat["id"]),
            "from": dict(self.bot_user),
            "chat": chat,
            "date": int(time.time()),
        }
        if chat["type"] == "channel":  # a channel post is signed by the channel, not the bot
            del message["from"]
            message["sender_chat"] = chat
        if "message_thread_id" in params:
            message |= {"message_thread_id": params["message_thread_id"], "is_topic_message": True}
        markup = params.get("reply_markup")
        # Only inline keyboards come back in the Message; reply keyboards stay client-side.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message

    def _store(self, message: dict, **content: Any) -> dict:
        message |= {key: value for key, value in content.items() if value}
        self._messages[(message["chat"]["id"], message["message_id"])] = message
        return message

    def _find(self, params: dict, not_found: str) -> dict:
        key = (_require(params, "chat_id"), _require(params, "message_id"))
        if key not in self._messages:
            raise ApiError(400, not_found)
        return self._messages[key]

    def _edit(self, old: dict, params: dict, **content: Any) -> dict:
        new = {k: v for k, v in old.items() if k not in ("reply_markup", "edit_date", *content)}
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            new["reply_markup"] = markup
        new |= {key: value for key, value in content.items() if value}
        if {**new, "edit_date": None} == {**old, "edit_date": None}:
            raise ApiError(400, _NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        return self._store(new)

    def _member(self, chat_id: int | str, user_id: int) -> dict:
        user = dict(self.bot_user) if user_id == self.bot_user["id"] else factories.user(user_id)
        admins = self._admin_ids(chat_id)
        is_channel = chat_id in self._channels
        if user_id not in admins:
            left = is_channel and user_id == self.bot_user["id"]
            return {"status": "left" if left else "member", "user": user}
        # Every group has an owner; the first listed admin plays that part.
        if user_id == admins[0]:
            return {"status": "creator", "user": user, "is_anonymous": False}
        rights = dict.fromkeys(_ADMIN_RIGHTS, True)
        if is_channel:
            rights |= {"can_post_messages": True, "can_edit_messages": True}
        member = {"status": "administrator", "user": user, "can_be_edited": False}
        return member | {"is_anonymous": False} | rights


def _require(params: dict, name: str) -> Any:
    if params.get(name) in (None, ""):
        raise ApiError(400, f"Bad Request: {name} is empty")
    return params[name]


def _setting_key(field: str, params: dict) -> tuple:
    scope = json.dumps(params.get("scope", {"type": "default"}), sort_keys=True)
    return field, scope, params.get("language_code", "")


def _message_text(params: dict) -> tuple[str, list[dict]]:
    """The parsed `text` of sendMessage/editMessageText, checked against Telegram's limits."""
    text, entities = _formatted(params, "text", "entities")
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > MAX_TEXT_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")
    return text, entities


def _formatted(params: dict, field: str, entities_field: str) -> tuple[str, list[dict]]:
    raw = params.get(field, "")
    if str(params.get("parse_mode", "")).lower() == "html":
        return parse_html(raw)
    return raw, list(params.get(entities_field, []))


def _id_chat_type(chat_id: int | str) -> str:
    """Telegram's id ranges: users positive, basic groups negative, supergroups -100…"""
    if isinstance(chat_id, str):
        return "channel"
    if chat_id > 0:
        return "private"
    return "supergroup" if chat_id <= -1_000_000_000_000 else "group"


def _blocked_description(chat_type: str) -> str:
    return {
        "private": "Forbidden: bot was blocked by the user",
        "group": "Forbidden: bot was kicked from the group chat",
        "supergroup": "Forbidden: bot was kicked from the supergroup chat",
    }.get(chat_type, "Forbidden: bot is not a member of the channel chat")


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Decode a form, multipart, JSON or query-string request into Python values."""
    if request.content_type == "application/json":
        return await request.json() if request.can_read_body else {}
    params: dict[str, Any] = {}
    for source in (request.query, await request.post()):
        for name, value in source.items():
            if isinstance(value, web.FileField):
                params[name] = Upload(value.filename, value.file.read(), value.content_type)
            elif name in _STRING_PARAMS:
                params[name] = value
            else:
                try:
                    params[name] = json.loads(value)
                except ValueError:
                    params[name] = value  # e.g. chat_id="@channel", parse_mode="HTML"
    return params


def _error_response(error: ApiError) -> web.Response:
    body = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.status)
