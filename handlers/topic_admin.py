"""Warta's admins' commands for topics and their rules: /addtopic, /deltopic, /topic,
/testtopic, /retag, /region, /topicname. Each checks ADMIN_IDS on every call (admin_only).
(The readers' topic commands are in handlers/topics.py.)"""

from __future__ import annotations

import logging
import re
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.adapter.context import BotContext
from bot.errors import RuleError, TopicExists, UnknownTopic, UsageError
from bot.models import Evidence, TermKind, Topic, TopicKind, TopicMatch
from bot.text.texts import Html, accepted_words, format_number, plural, t
from handlers.common import admin_only, language_of, reply, reply_unknown_topics, send_html

logger = logging.getLogger(__name__)
EXAMPLES = 3
# The distinct words shown for each added term.
WORDS = 8
DEFAULT_RETAG_DAYS = 7
# A list entry is labelled "Guangxi (@negara_asing)" by the tagger.
_LIST_LABEL = re.compile(r"(.*) \(@(\w+)\)")


@admin_only
async def add_topic(update: Update, context: BotContext) -> None:
    """/addtopic <slug> <display name>."""
    args = context.args or []
    if len(args) < 2:
        await reply(update, context, "addtopic_usage")
        return
    try:
        topic = context.services.topics.add_topic(args[0], " ".join(args[1:]))
    except RuleError as exc:
        await reply(update, context, f"rule_{exc.code}", **exc.fields)
        return
    except TopicExists as exc:
        await reply(update, context, "addtopic_exists", slug=exc.slug)
        return
    except UsageError:
        await reply(update, context, "addtopic_usage", slug=args[0].lower())
        return
    await reply(update, context, "addtopic_ok", name=topic.name, slug=topic.slug)


@admin_only
async def delete_topic(update: Update, context: BotContext) -> None:
    """/deltopic <slug>."""
    args = context.args or []
    if len(args) != 1:
        await reply(update, context, "deltopic_usage")
        return
    try:
        context.services.topics.delete_topic(args[0])
    except UnknownTopic:
        await reply_unknown_topics(update, context, [args[0]])
        return
    await reply(update, context, "deltopic_ok", slug=args[0].lower())


@admin_only
async def edit_topic(update: Update, context: BotContext) -> None:
    """/topic <slug> shows the rule; /topic <slug> include|require|exclude|remove a, b edits it
    and shows what the edit would change on the last 7 days of items."""
    args = context.args or []
    if not args or len(args) == 2:
        await reply(update, context, "topic_usage")
        return
    topics, lang = context.services.topics, language_of(update, context)
    parts = []
    try:
        if len(args) == 1:
            topic = topics.topic(args[0])
        else:
            old = topics.topic(args[0])
            topic, missing, effect = await topics.edit_topic(args[0], args[1], " ".join(args[2:]))
            parts.append(t(lang, "topic_updated", slug=topic.slug))
            if missing:
                parts.append(
                    t(lang, "topic_unknown_terms", slug=topic.slug, terms=", ".join(missing))
                )
            parts.append(_effect(lang, effect.gained, effect.lost))
            added = [
                term
                for kind in TermKind
                for term in getattr(topic.rule, kind)
                if term not in getattr(old.rule, kind)
            ]
            if added:
                parts.append(_words(lang, await topics.term_words(added)))
    except UnknownTopic:
        await reply_unknown_topics(update, context, [args[0]])
        return
    except RuleError as exc:
        await reply(update, context, f"rule_{exc.code}", **exc.fields)
        return
    except UsageError:
        await reply(update, context, "topic_usage")
        return
    parts.append(_rule(lang, topic))
    if topic.rule.frames:
        parts.append(_frames(lang, topic))
    await send_html(update, context, "\n\n".join(parts))


@admin_only
async def test_topic(update: Update, context: BotContext) -> None:
    """/testtopic <text>: which topics the text gets, with the terms that decided it."""
    text = (update.effective_message.text or "").partition(" ")[2].strip()
    if not text:
        await reply(update, context, "testtopic_usage")
        return
    lang = language_of(update, context)
    lines = [t(lang, "testtopic_header")]
    for topic, match in context.services.topics.test_text(text):
        lines.append(_verdict(lang, topic, match))
    lines.append(t(lang, "testtopic_weights"))
    await send_html(update, context, "\n".join(lines))


@admin_only
async def retag(update: Update, context: BotContext) -> None:
    """/retag [days]: apply the current rules to the items of the last days (default 7)."""
    args = context.args or []
    if len(args) > 1 or (args and not args[0].isdigit()):
        await reply(update, context, "retag_usage")
        return
    days = int(args[0]) if args else DEFAULT_RETAG_DAYS
    try:
        changes = await context.services.topics.retag(days)
    except UsageError:
        await reply(update, context, "retag_usage")
        return
    lang = language_of(update, context)
    lines = [t(lang, "retag_done", days=plural(lang, "n_days", days))]
    names = {x.slug: x.name for x in context.services.topics.all()}
    for slug, effect in changes.items():
        lines.append(
            t(
                lang,
                "retag_line",
                name=names.get(slug, slug),
                gained=len(effect.gained),
                lost=len(effect.lost),
            )
        )
    if not changes:
        lines.append(t(lang, "retag_nothing"))
    await send_html(update, context, "\n".join(lines))


@admin_only
async def set_region(update: Update, context: BotContext) -> None:
    """/region samarinda: the topic is a place; /region samarinda off: a subject again."""
    args = context.args or []
    off = len(args) == 2 and args[1].casefold() in accepted_words("region_off_words")
    if len(args) not in (1, 2) or (len(args) == 2 and not off):
        await reply(update, context, "region_usage")
        return
    kind = TopicKind.SUBJECT if off else TopicKind.REGION
    try:
        topic = context.services.topics.set_kind(args[0], kind)
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    await reply(update, context, f"{kind}_set", name=topic.name)


@admin_only
async def set_topic_name(update: Update, context: BotContext) -> None:
    """/topicname education Education: a topic's name for English readers."""
    args = context.args or []
    if len(args) < 2:
        await reply(update, context, "topicname_usage")
        return
    try:
        topic = context.services.topics.set_english_name(args[0], " ".join(args[1:]))
    except UnknownTopic as exc:
        await reply_unknown_topics(update, context, exc.names)
        return
    except UsageError:
        await reply(update, context, "topicname_usage")
        return
    await reply(update, context, "topicname_set", name=topic.name, name_en=topic.name_en)


def _verdict(lang: str, topic: Topic, match: TopicMatch) -> str:
    """One topic's line of /testtopic: matched or why not, with the evidence."""
    score, threshold = format_number(lang, match.score), format_number(lang, match.threshold)
    evidence = Html(_evidence(lang, match.evidence))
    if match.matched:
        return t(
            lang,
            "testtopic_match",
            name=topic.name,
            slug=topic.slug,
            score=score,
            threshold=threshold,
            evidence=evidence,
        )
    if match.exclude:
        why = t(lang, "why_excluded", terms=", ".join(match.exclude))
    elif not any(e.kind == TermKind.INCLUDE for e in match.evidence):
        why = t(lang, "why_no_include")
    elif match.score < match.threshold:
        why = t(lang, "why_below_threshold", score=score, threshold=threshold)
    else:
        why = t(lang, "why_no_require", terms=", ".join(match.include))
    key = "testtopic_miss_evidence" if match.evidence else "testtopic_miss"
    return t(lang, key, name=topic.name, slug=topic.slug, why=Html(why), evidence=evidence)


def _evidence(lang: str, evidence: tuple[Evidence, ...]) -> str:
    """ "judul: kerja sama (kuat); isi: Guangxi (negara/wilayah asing)", grouped by place;
    the words matched beside a term they differ from ("pelaku «pelakunya»"), and the frame
    that took a term in or out."""
    groups: dict[str, list[str]] = {}
    for item in evidence:
        found = _LIST_LABEL.fullmatch(item.term)
        term, listed = (found.group(1), found.group(2)) if found else (item.term, None)
        shown = escape(term, quote=False)
        if item.frame.startswith("+"):
            shown = t(lang, "evidence_frame_in", name=item.frame[1:])
        if item.word and (item.frame.startswith("+") or _bare(term) != item.word):
            shown = f"{shown} «{escape(item.word, quote=False)}»"
        if item.kind == TermKind.EXCLUDE:
            note = t(lang, "evidence_exclude")
        elif item.kind == TermKind.REQUIRE:
            note = (
                t(lang, f"list_{listed}")
                if listed in ("negara_asing", "wilayah_kaltim")
                else t(lang, "evidence_require")
            )
        elif item.frame.startswith("-"):
            note = t(lang, "evidence_frame_out", name=item.frame[1:])
        else:
            note = t(lang, f"strength_{min(3, round(item.weight))}")
        groups.setdefault(item.where, []).append(f"{shown} ({note})")
    return "; ".join(
        f"{t(lang, 'where_' + where)}: {', '.join(terms)}" for where, terms in groups.items()
    )


def _bare(term: str) -> str:
    """A term as the words it is written with: no ~ or *, folded, single spaces."""
    return " ".join(term.lstrip("~").rstrip("*").casefold().replace("-", " ").split())


def _words(lang: str, found: list) -> str:
    """The words each added term matched in the last 7 days, most frequent first, and a
    warning for a term that mostly matches other words than the one typed (`found`: the
    TermWords of TopicService.term_words)."""
    lines = [t(lang, "topic_words_header")]
    for item in found:
        if not item.words:
            lines.append(t(lang, "topic_words_none", term=item.term))
            continue
        # Each piece is escaped once by t; the joined line is HTML by then.
        words = ", ".join(
            t(lang, "topic_word_count", word=word, count=count)
            for word, count in item.words[:WORDS]
        )
        lines.append(t(lang, "topic_words_line", term=item.term, words=Html(words)))
        if item.flagged:
            count = dict(item.words)[item.other]
            lines.append(
                t(
                    lang,
                    "topic_words_flag",
                    term=item.term,
                    other=item.other,
                    count=count,
                    typed=item.typed,
                )
            )
    return "\n".join(lines)


def _frames(lang: str, topic: Topic) -> str:
    """The topic's frames, one line each with its note."""
    lines = [
        t(
            lang,
            "topic_frame_line",
            name=frame.name,
            effect=Html(t(lang, f"frame_effect_{frame.effect}")),
            note=" ".join(frame.note.split()) or "-",
        )
        for frame in topic.rule.frames
    ]
    # t escapes each note once; the lines are HTML by then and must not be escaped again
    # (a note's quotes had reached the admin as &amp;quot;).
    return t(lang, "topic_frames", frames=Html("\n".join(lines)))


def _effect(lang: str, gained: tuple[str, ...], lost: tuple[str, ...]) -> str:
    lines = [
        t(
            lang,
            "topic_effect",
            gained=plural(lang, "n_items", len(gained)),
            lost=plural(lang, "n_items", len(lost)),
        )
    ]
    # Headlines are a feed's text: escaped, or a "<" or "&" in one breaks the whole reply.
    lines += [f"+ {escape(title, quote=False)}" for title in gained[:EXAMPLES]]
    lines += [f"− {escape(title, quote=False)}" for title in lost[:EXAMPLES]]
    if gained or lost:
        lines.append(t(lang, "topic_effect_retag"))
    return "\n".join(lines)


def _rule(lang: str, topic: Topic) -> str:
    rule = topic.rule
    return t(
        lang,
        "topic_rule",
        name=topic.name,
        slug=topic.slug,
        include=", ".join(rule.include) or "-",
        require=", ".join(rule.require) or "-",
        exclude=", ".join(rule.exclude) or "-",
        threshold=format_number(lang, rule.threshold),
        require_note=Html(t(lang, "topic_require_note")) if rule.require else "",
    )


def handlers() -> list[BaseHandler]:
    """The handlers of this module."""
    return [
        CommandHandler("addtopic", add_topic),
        CommandHandler("deltopic", delete_topic),
        CommandHandler("topic", edit_topic),
        CommandHandler("testtopic", test_topic),
        CommandHandler("retag", retag),
        CommandHandler("region", set_region),
        CommandHandler("topicname", set_topic_name),
    ]
