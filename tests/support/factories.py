"""Builders of raw Telegram update dicts, shaped as the Bot API sends them (not PTB objects).

The analogue of PTB's tests/auxil/build_messages.py. Feed them to the fake API's getUpdates
queue (`telegram_api.push_update`) or, on the fast path, to
`app.process_update(to_update(payload, app.bot))`.
"""

import itertools
import time

from telegram import Bot, Update

# Matches FakeTelegramAPI's default token "123456:..." and its getMe answer.
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Warta", "username": "warta_test_bot"}
# Sender of group messages when a test does not care who wrote them.
DEFAULT_GROUP_USER_ID = 424242

_update_ids = itertools.count(1)
# Starts high so ids made here rarely collide with the fake's own per-chat counters.
_message_ids = itertools.count(10_000)
_callback_ids = itertools.count(1)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def user(user_id: int, *, username: str | None = None, language_code: str | None = "id") -> dict:
    """A human `User` object."""
    data = {"id": user_id, "is_bot": False, "first_name": f"Pembaca {user_id}"}
    if username:
        data["username"] = username
    if language_code:
        data["language_code"] = language_code
    return data


def chat(chat_id: int, chat_type: str = "private") -> dict:
    """A `Chat` object: private chats carry the user's name, groups a title."""
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": f"Pembaca {chat_id}"}
    data = {"id": chat_id, "type": chat_type, "title": f"Grup {chat_id}"}
    if chat_type == "supergroup":
        data["is_forum"] = False
    return data


def command_entities(text: str) -> list[dict]:
    """A `bot_command` entity for a leading "/command[@bot]", as Telegram clients attach it."""
    if not text.startswith("/"):
        return []
    word = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(word)}]


def message(
    chat_id: int,
    *,
    user_id: int | None = None,
    chat_type: str = "private",
    message_id: int | None = None,
    thread_id: int | None = None,
    username: str | None = None,
    language_code: str | None = "id",
) -> dict:
    """A bare `Message` without content; the builders below add text, caption or document."""
    if user_id is None:
        user_id = chat_id if chat_type == "private" else DEFAULT_GROUP_USER_ID
    data = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "date": int(time.time()),
        "chat": chat(chat_id, chat_type),
        "from": user(user_id, username=username, language_code=language_code),
    }
    if thread_id is not None:
        # Forum topics: Telegram marks both the chat and the message.
        data["chat"]["is_forum"] = True
        data["message_thread_id"] = thread_id
        data["is_topic_message"] = True
    return data


def _update(kind: str, payload: dict, update_id: int | None) -> dict:
    data = {kind: payload}
    if update_id is not None:
        data["update_id"] = update_id
    return data


def message_update(
    chat_id: int,
    text: str,
    *,
    user_id: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
    message_id: int | None = None,
    thread_id: int | None = None,
    username: str | None = None,
    language_code: str | None = "id",
) -> dict:
    """An update with a text message; "/cmd args" gets its bot_command entity.

    Without `update_id` the dict has none: `push_update` or `to_update` assigns one, so ids stay
    increasing however updates are mixed.
    """
    msg = message(
        chat_id,
        user_id=user_id,
        chat_type=chat_type,
        message_id=message_id,
        thread_id=thread_id,
        username=username,
        language_code=language_code,
    )
    msg["text"] = text
    if entities := command_entities(text):
        msg["entities"] = entities
    return _update("message", msg, update_id)


def callback_update(
    chat_id: int,
    message_id: int,
    data: str,
    *,
    user_id: int | None = None,
    message_text: str = "...",
    chat_type: str = "private",
    update_id: int | None = None,
    bot_message: dict | None = None,
) -> dict:
    """An update for a press on an inline button under the bot's message `message_id`.

    `bot_message` is the pressed message as Telegram stores it (the fake passes its own copy);
    otherwise a plain bot message with `message_text` is made up.
    """
    if user_id is None:
        user_id = chat_id if chat_type == "private" else DEFAULT_GROUP_USER_ID
    if bot_message is None:
        bot_message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat(chat_id, chat_type),
            "from": dict(BOT_USER),
            "text": message_text,
        }
    query = {
        "id": str(next(_callback_ids)),
        "from": user(user_id),
        "message": bot_message,
        "chat_instance": str(abs(chat_id) * 7919),
        "data": data,
    }
    return _update("callback_query", query, update_id)


def document_update(
    chat_id: int,
    file_id: str,
    *,
    file_name: str = "feeds.opml",
    mime_type: str = "text/x-opml",
    file_size: int = 0,
    caption: str | None = None,
    user_id: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
) -> dict:
    """An update with a document message (register the bytes with `telegram_api.add_file`)."""
    msg = message(chat_id, user_id=user_id, chat_type=chat_type)
    msg["document"] = {
        "file_id": file_id,
        "file_unique_id": f"u-{file_id}",
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": file_size,
    }
    if caption is not None:
        msg["caption"] = caption
        if entities := command_entities(caption):
            msg["caption_entities"] = entities
    return _update("message", msg, update_id)


def to_update(payload: dict, bot: Bot) -> Update:
    """`Update.de_json` for `app.process_update`, filling in an update_id when there is none."""
    if "update_id" not in payload:
        payload = {**payload, "update_id": next(_update_ids)}
    return Update.de_json(payload, bot)
