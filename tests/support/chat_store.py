"""The fake Bot API's chat registry and message store: chat types, channels, admins and members,
the bot's messages (ids, edits) and stored files. Tests only; imports only
tests.support.factories and sibling fakes from the project.
"""

import dataclasses
import time
from typing import Any

from tests.support import factories
from tests.support.bot_api_wire import ApiError, require

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
# Fields PTB's ChatMemberAdministrator requires (de_json fails without them).
_ADMIN_RIGHTS = (
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_promote_members can_change_info can_invite_users can_post_stories can_edit_stories "
    "can_delete_stories"
).split()


@dataclasses.dataclass
class _Channel:
    username: str  # without "@"
    title: str
    bot_is_admin: bool


class ChatStore:
    """FakeTelegramAPI's chats and messages; a mixin, its state set up by _init_store()."""

    bot_user: dict  # set by FakeTelegramAPI

    def _init_store(self) -> None:
        self._admins: dict[int | str, list[int]] = {}
        self._channels: dict[int, _Channel] = {}
        self._messages: dict[tuple[int | str, int], dict] = {}
        self._last_message_id: dict[int | str, int] = {}
        self._files: dict[str, bytes] = {}

    # -- setting up chats and files --------------------------------------------------------

    def add_file(self, file_id: str, content: bytes) -> None:
        """Make `file_id` downloadable through getFile (e.g. a document a user sent)."""
        self._files[file_id] = content

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

    def message(self, chat_id: int | str, message_id: int) -> dict | None:
        """A bot message as Telegram now stores it (parsed text and entities, after edits)."""
        return self._messages.get((chat_id, message_id))

    # -- chats -----------------------------------------------------------------------------

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

    # -- message store ---------------------------------------------------------------------

    def _new_message(self, params: dict) -> dict:
        chat = self._chat(require(params, "chat_id"))
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
        key = (require(params, "chat_id"), require(params, "message_id"))
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


def _id_chat_type(chat_id: int | str) -> str:
    """Telegram's id ranges: users positive, basic groups negative, supergroups -100…"""
    if isinstance(chat_id, str):
        return "channel"
    if chat_id > 0:
        return "private"
    return "supergroup" if chat_id <= -1_000_000_000_000 else "group"
