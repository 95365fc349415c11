"""The fake Bot API's wire format: recorded Calls, Uploads, ApiError answers, request decoding.

Tests only; imports nothing from the project.
"""

import dataclasses
import json
from typing import Any

from aiohttp import web

# PTB sends a str parameter as is and JSON-dumps everything else (ints, bools, lists, dicts;
# telegram/request/_requestparameter.py), so all values but these free-text ones are JSON.
_STRING_PARAMS = frozenset(
    "text caption description short_description callback_query_id inline_message_id url "
    "secret_token language_code ip_address title name file_id data query custom_title "
    "parse_mode message_effect_id business_connection_id emoji question address".split()
)


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


class ApiError(Exception):
    """An error answer: `{"ok": false, "error_code": status, "description": ...}`, or, with
    `page`, that HTML page instead (what Telegram's front answers when Telegram is down)."""

    def __init__(
        self,
        status: int,
        description: str,
        parameters: dict | None = None,
        page: str | None = None,
    ):
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters
        self.page = page


def require(params: dict, name: str) -> Any:
    """The value of a required parameter; 400 "<name> is empty" when missing."""
    if params.get(name) in (None, ""):
        raise ApiError(400, f"Bad Request: {name} is empty")
    return params[name]


async def read_params(request: web.Request) -> dict[str, Any]:
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


def error_response(error: ApiError) -> web.Response:
    """The JSON answer for an ApiError (or its HTML page), with its HTTP status."""
    if error.page is not None:
        return web.Response(status=error.status, text=error.page, content_type="text/html")
    body = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.status)
