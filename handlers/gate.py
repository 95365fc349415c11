"""The gate every update passes before any handler runs (handler group -1).

It stops, before any work is done: edited messages (an edit must never run a command again),
commands meant for other bots in a group, chats over their budget of commands (Warta's admins
have none), and commands
whose arguments are longer than the command can need. A stopped update reaches no other handler
(ApplicationHandlerStop).
"""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.adapter.context import BotContext
from bot.models import Admission
from bot.text.texts import has_text, t
from handlers.commands import ADMIN_COMMANDS, SUBSCRIBER_COMMANDS
from handlers.common import is_admin, language_of, reply, topic_names

GATE_GROUP = -1
KNOWN_COMMANDS = frozenset(SUBSCRIBER_COMMANDS + ADMIN_COMMANDS)


def command_of(message: Message | None) -> tuple[str, str, str] | None:
    """(command, bot it is addressed to or "", argument text) of a message that starts with a
    command, in its text or in a document's caption; None for anything else."""
    if message is None:
        return None
    text, entities = message.text, message.entities
    if text is None:
        text, entities = message.caption, message.caption_entities
    first = entities[0] if entities else None
    if not text or first is None or first.type != MessageEntity.BOT_COMMAND or first.offset:
        return None
    name, _, target = text[1 : first.length].partition("@")
    return name.lower(), target.lower(), text[first.length :].strip()


async def gate(update: Update, context: BotContext) -> None:
    """Let the update through, or stop it here (see the module docstring)."""
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
    chat = update.effective_chat
    command = command_of(update.message)
    if chat is None or (command is None and update.callback_query is None):
        return  # plain messages and other updates cost nothing: no handler answers them
    if command is not None:
        name, target, _ = command
        if target and target != (context.bot.username or "").lower():
            raise ApplicationHandlerStop  # /ban@OtherBot: not ours to answer
        if name not in KNOWN_COMMANDS and not target and chat.type != ChatType.PRIVATE:
            raise ApplicationHandlerStop  # a bare unknown command in a group is another bot's
    limits = context.services.limits
    # Warta's admins are trusted (issue 22): setting up a newsroom's topics is a hundred
    # commands in a row, and each must be answered.
    admission = Admission.ALLOW if is_admin(update, context) else limits.admit(chat.id)
    if admission is Admission.DROP:
        raise ApplicationHandlerStop
    if admission is Admission.WARN:
        await _answer(update, context, "slow_down")
        raise ApplicationHandlerStop
    if command is not None and not limits.arguments_fit(command[0], command[2]):
        usage = f"{command[0]}_usage"
        # The usage lines of /subscribe and /unsubscribe list the topics one may name.
        await reply(
            update,
            context,
            usage if has_text(usage) else "command_too_long",
            topics=topic_names(context.services.topics.all(), language_of(update, context)),
        )
        raise ApplicationHandlerStop


async def _answer(update: Update, context: BotContext, key: str) -> None:
    if update.callback_query is not None:
        # A tap is answered on the button (an alert), not with a message in the chat.
        await update.callback_query.answer(t(language_of(update, context), key), show_alert=True)
    else:
        await reply(update, context, key)


def handlers() -> list[BaseHandler]:
    """The gate, to be registered in group GATE_GROUP (before every other handler)."""
    return [TypeHandler(Update, gate)]
