"""The two locales say the same things: the same keys, the same fields in each text, and every
key that code builds at run time (rule_<code>, fail_<kind>, menu_<command>, reason_<failure>,
feed_alert_<alert>, channel_action_<action>, …) present. A reader never meets a missing text or
a Python KeyError in their language. And the words stay in the locales: no code outside them
picks words by language or spells a day or a month."""

import ast
import re
import string
from datetime import datetime
from pathlib import Path

import pytest

from bot.models import DeliveryFailure, FeedAlert, FeedKind, TopicKind
from bot.services.subscribers import LANGUAGES
from bot.text.locales import english, indonesian
from bot.text.texts import (
    accepted_words,
    describe_times,
    format_date,
    format_decimal,
    format_short_date,
    join_words,
    plural,
    t,
    word_list,
)
from handlers.channel import CHANNEL_ACTIONS
from handlers.commands import MENU_COMMANDS

ROOT = Path(__file__).resolve().parents[1]
LOCALES = {"id": indonesian.TEXTS, "en": english.TEXTS}


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def source(*parts: str) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for part in parts for path in sorted(ROOT.glob(part))
    )


def dynamic_keys() -> set[str]:
    """Every key code builds from a prefix and a value, found in the code that makes them."""
    rules = set(re.findall(r'RuleError\(\s*"(\w+)"', source("bot/**/*.py")))
    kinds = set(re.findall(r'^\s+return "(\w+)",', source("bot/errors.py"), re.M))
    assert rules and kinds, "the patterns above no longer find the codes"
    return (
        {f"rule_{code}" for code in rules}
        | {f"fail_{kind}" for kind in kinds}
        | {f"reason_{failure}" for failure in DeliveryFailure}
        | {f"feed_alert_{alert}" for alert in FeedAlert}
        | {f"kind_{kind}" for kind in FeedKind}
        | {f"{kind}_set" for kind in TopicKind}
        | {f"language_name_{language}" for language in LANGUAGES}
        | {f"channel_action_{action}" for action in CHANNEL_ACTIONS}
        | {f"menu_{name}" for name in MENU_COMMANDS}
    )


def test_both_locales_have_the_same_keys():
    assert sorted(set(LOCALES["id"]) ^ set(LOCALES["en"])) == []


@pytest.mark.parametrize("key", sorted(indonesian.TEXTS))
def test_both_locales_fill_in_the_same_fields(key):
    assert fields_of(indonesian.TEXTS[key]) == fields_of(english.TEXTS[key])


@pytest.mark.parametrize("key", sorted(dynamic_keys()))
def test_every_key_built_at_run_time_exists(key):
    for texts in LOCALES.values():
        assert key in texts


def test_a_missing_key_is_an_error_not_a_text_in_another_language():
    with pytest.raises(KeyError):
        t("en", "no_such_text_anywhere")


@pytest.mark.parametrize(("key", "length"), [("day_names", 7), ("month_names", 12)])
def test_day_and_month_names_are_complete(key, length):
    for lang in LOCALES:
        names = word_list(lang, key)
        assert len(names) == length and all(name == name.strip() != "" for name in names)


def test_dates_and_times_are_written_as_each_language_writes_them():
    moment = datetime(2026, 8, 19, 7, 30)
    assert format_date("id", moment) == "Rabu, 19 Agustus 2026"
    assert format_date("en", moment) == "Wednesday, 19 August 2026"
    assert format_short_date("id", moment) == "19 Agu"
    assert (format_decimal("id", 7.94), format_decimal("en", 7.94)) == ("7,9", "7.9")
    times = ("07:00", "12:00", "19:30")
    assert describe_times("id", times) == "07.00, 12.00 dan 19.30"
    assert describe_times("en", times) == "07:00, 12:00 and 19:30"
    assert describe_times("id", ("07:00@12345", "w09:00@6")) == (
        "07.00 (Senin–Jumat) dan 09.00 (mingguan, setiap Sabtu)"
    )


def test_a_list_of_one_has_no_joiner():
    assert (join_words("id", ["07.00"]), join_words("en", [])) == ("07.00", "")


def test_words_a_reader_types_work_in_every_chat_whatever_its_language():
    assert {"off", "mati", "nonaktif"} <= accepted_words("schedule_off_words")
    assert {"topik", "topics"} <= accepted_words("channel_action_topics")


@pytest.mark.parametrize(("count", "expected"), [(1, "1 item"), (2, "2 items"), (0, "0 items")])
def test_english_counts_agree_with_their_noun(count, expected):
    assert plural("en", "n_items", count) == expected
    assert plural("id", "n_items", count) == f"{count} berita"


def code_files():
    for folder in ("bot", "handlers", "storage"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "locales" not in path.parts:
                yield path


def test_no_code_outside_the_locales_picks_words_by_language():
    """`" dan " if lang == "id" else " and "` is how words leak out of the locales: a language
    code is compared with nothing but a locale's own texts."""
    found = []
    for path in code_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                isinstance(side, ast.Constant) and side.value in LOCALES
                for side in (node.left, *node.comparators)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_no_day_or_month_name_is_spelled_outside_the_locales():
    names = {
        name
        for lang in LOCALES
        for key in ("day_names", "month_names")
        for name in word_list(lang, key)
    }
    found = []
    for path in code_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {word}"
                    for word in re.findall(r"\w+", node.value)
                    if word in names
                ]
    assert found == []


@pytest.mark.parametrize(
    "key", sorted(k.removesuffix("_one") for k in english.TEXTS if k.endswith("_one"))
)
def test_every_english_count_has_a_singular(key):
    """ "1 feed", "1 day", "+1 more urgent item": an English reader never sees "1 items"."""
    one, other = plural("en", key, 1), plural("en", key, 2)
    assert one.replace("1", "2") != other and one.startswith(("1", "+1"))
