"""The default topics, read from `bot/data/default_topics.toml`. Stdlib and bot.models only."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.models import DEFAULT_THRESHOLD, Frame, FrameEffect, TermKind, Topic, TopicRule

DEFAULT_TOPICS_PATH = Path(__file__).resolve().parents[1] / "data" / "default_topics.toml"


def topics_from_toml(data: Mapping) -> list[Topic]:
    """Build topics from a decoded TOML document with a [[topic]] array."""
    return [
        Topic(
            slug=entry["slug"],
            name=entry["name"],
            rule=TopicRule(
                include=tuple(entry.get("include", ())),
                require=tuple(entry.get("require", ())),
                exclude=tuple(entry.get("exclude", ())),
                threshold=float(entry.get("threshold", DEFAULT_THRESHOLD)),
                frames=tuple(frame_from_dict(f) for f in entry.get("frame", ())),
            ),
        )
        for entry in data.get("topic", ())
    ]


def frame_from_dict(data: Mapping) -> Frame:
    """A Frame from a [[topic.frame]] table (or its JSON form): name, effect ("in"/"out"),
    cues (a list of groups, each a list of terms; a flat list is one group), terms, note.

    Raises:
        ValueError: no name, an unknown effect, no cues, or an `out` frame without terms.
    """
    name = str(data.get("name", "")).strip()
    effect = str(data.get("effect", ""))
    cues = list(data.get("cues", ()))
    groups = tuple(tuple(str(t) for t in g) for g in cues) if cues and not isinstance(
        cues[0], str) else (tuple(str(t) for t in cues),)
    terms = tuple(str(t) for t in data.get("terms", ()))
    if not name or effect not in tuple(FrameEffect) or not all(groups) or not groups[0]:
        raise ValueError(f"frame {name!r}: needs a name, effect in/out and cues")
    if effect == FrameEffect.OUT and not terms:
        raise ValueError(f"frame {name!r}: an out frame needs the terms it takes out")
    unless = tuple(str(t) for t in data.get("unless", ()))
    return Frame(name, effect, groups, terms, str(data.get("note", "")), unless)


def frame_to_dict(frame: Frame) -> dict:
    """The JSON-ready form of a Frame, read back by frame_from_dict."""
    out: dict = {"name": frame.name, "effect": str(frame.effect),
                 "cues": [list(group) for group in frame.cues]}
    if frame.terms:
        out["terms"] = list(frame.terms)
    if frame.note:
        out["note"] = frame.note
    if frame.unless:
        out["unless"] = list(frame.unless)
    return out


def default_topics() -> list[Topic]:
    """The default topics: kaltim, foreign_cooperation, education, investment (in order)."""
    with DEFAULT_TOPICS_PATH.open("rb") as handle:
        return topics_from_toml(tomllib.load(handle))


def topics_to_toml(topics: Sequence[Topic]) -> str:
    """Topics as a TOML document with a [[topic]] array, readable by topics_from_toml."""
    lines = [
        "# Warta topics: python main.py topics export > topics.toml;"
        " python main.py topics import topics.toml",
        "# A topic matches when its include terms weigh at least its threshold (headline 3,"
        " first sentence 2, later 1;",
        "# each distinct term once), one require term (if any) occurs too, and no exclude term"
        " occurs.",
    ]
    for topic in topics:
        lines += ["", "[[topic]]", f"slug = {_string(topic.slug)}"]
        lines.append(f"name = {_string(topic.name)}")
        lines.append(f"threshold = {topic.rule.threshold:g}")
        for kind in TermKind:
            terms = getattr(topic.rule, kind)
            if terms:
                body = "".join(f"    {_string(term)},\n" for term in terms)
                lines.append(f"{kind} = [\n{body}]")
        for frame in topic.rule.frames:
            lines += ["", "[[topic.frame]]", f"name = {_string(frame.name)}",
                      f"effect = {_string(str(frame.effect))}"]
            if frame.note:
                lines.append(f"note = {_string(frame.note)}")
            if frame.terms:
                lines.append(f"terms = [{', '.join(map(_string, frame.terms))}]")
            groups = "".join(f"    [{', '.join(map(_string, g))}],\n" for g in frame.cues)
            lines.append(f"cues = [\n{groups}]")
            if frame.unless:
                lines.append(f"unless = [{', '.join(map(_string, frame.unless))}]")
    return "\n".join(lines) + "\n"


def _string(value: str) -> str:
    # json.dumps gives a valid TOML basic string for any text (TOML shares JSON's escapes).
    return json.dumps(value, ensure_ascii=False)
