"""The default topics, read from `bot/data/default_topics.toml`. Stdlib and bot.models only."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.models import DEFAULT_THRESHOLD, Frame, TermKind, Topic, TopicRule

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
                frames=tuple(Frame.from_dict(f) for f in entry.get("frame", ())),
            ),
        )
        for entry in data.get("topic", ())
    ]


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
            lines += [
                "",
                "[[topic.frame]]",
                f"name = {_string(frame.name)}",
                f"effect = {_string(str(frame.effect))}",
            ]
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
