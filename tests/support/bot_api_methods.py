"""The Bot API methods the fake answers (getMe, getUpdates, sendMessage, getChat...), each taking
decoded params and returning the result or raising ApiError. Tests only; imports only sibling
fakes from the project.
"""

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from tests.support.bot_api_wire import ApiError, Upload, require
from tests.support.telegram_html import MAX_CAPTION_LENGTH, formatted_text, message_text, utf16_len

_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
# Fields PTB's ChatFullInfo requires (de_json fails without them).
_GIFT_TYPES = (
    "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels".split()
)


class BotApiMethods:
    """FakeTelegramAPI's method handlers; a mixin, its table and state set up by _init_methods().

    Relies on FakeTelegramAPI's updates queue and `_closing`, and on ChatStore.
    """

    def _init_methods(self) -> None:
        self._poll_generation = 0
        self._settings: dict[str, Any] = {}
        self._webhook_url = ""
        setting, getting = self._set_setting, self._get_setting
        self._methods: dict[str, Callable] = {
            "getMe": self._get_me, "logOut": self._true, "close": self._true,
            "setWebhook": self._set_webhook, "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info, "getUpdates": self._get_updates,
            "sendMessage": self._send_message, "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
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
            lambda: (
                bool(self._updates)
                or generation != self._poll_generation
                or self._outage is not None
                or self._closing.is_set()
            ),
            max(0.0, float(params.get("timeout", 0))),
        )
        if generation != self._poll_generation:
            raise ApiError(409, _POLL_CONFLICT)
        # A long poll open when Telegram went down behind its front ends as the others do.
        await self._apply_outage()
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
        text, entities = message_text(params)
        return self._store(self._new_message(params), text=text, entities=entities)

    async def _send_document(self, params: dict) -> dict:
        caption, entities = formatted_text(params, "caption", "caption_entities")
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

    async def _send_photo(self, params: dict) -> dict:
        caption, entities = formatted_text(params, "caption", "caption_entities")
        if utf16_len(caption) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        upload = params.get("photo")
        if not isinstance(upload, Upload) or not upload.content:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if len(upload.content) > 10 * 1024 * 1024:  # Telegram's limit for photos
            raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        file_id = f"AgACAgIAAx{len(self._files) + 1:06d}"
        self._files[file_id] = upload.content
        # Telegram answers with the sizes it made; one is enough for the bot's needs.
        size = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "width": 1280,
            "height": 960,
            "file_size": len(upload.content),
        }
        message = self._new_message(params) | {"photo": [size]}
        return self._store(message, caption=caption, caption_entities=entities)

    async def _edit_message_text(self, params: dict) -> dict | bool:
        if "inline_message_id" in params:
            return True
        old = self._find(params, "Bad Request: message to edit not found")
        text, entities = message_text(params)
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
        return self._chat(require(params, "chat_id")) | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(_GIFT_TYPES, False),
        }

    async def _get_chat_member(self, params: dict) -> dict:
        chat_id, user_id = require(params, "chat_id"), require(params, "user_id")
        return self._member(chat_id, user_id)

    async def _get_chat_administrators(self, params: dict) -> list[dict]:
        chat_id = require(params, "chat_id")
        if self._chat_type(chat_id) == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [self._member(chat_id, user_id) for user_id in self._admin_ids(chat_id)]

    async def _get_file(self, params: dict) -> dict:
        file_id = require(params, "file_id")
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(self._files[file_id]),
            "file_path": f"documents/{file_id}",
        }


def _setting_key(field: str, params: dict) -> tuple:
    scope = json.dumps(params.get("scope", {"type": "default"}), sort_keys=True)
    return field, scope, params.get("language_code", "")
