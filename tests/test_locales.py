"""The two locales say the same things: the same keys, the same fields in each text, and every
key that code builds at run time (rule_<code>, fail_<kind>, menu_<command>, reason_<failure>)
present. A reader never meets a missing text or a Python KeyError in their language."""

import re
import string
from pathlib import Path

import pytest

from bot.locales import english, indonesian
from bot.texts import t
from handlers.commands import MENU_COMMANDS

ROOT = Path(__file__).resolve().parents[1]
LOCALES = {"id": indonesian.TEXTS, "en": english.TEXTS}


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def source(*parts: str) -> str:
    return "\n".join(path.read_text(encoding="utf-8")
                     for part in parts for path in sorted(ROOT.glob(part)))


def dynamic_keys() -> set[str]:
    """Every key code builds from a prefix and a value, found in the code that makes them."""
    rules = set(re.findall(r'RuleError\(\s*"(\w+)"', source("bot/**/*.py")))
    kinds = set(re.findall(r'^\s+return "(\w+)",', source("bot/errors.py"), re.M))
    failures = set(re.findall(r'(?:ChatOutcome\([^)]*?|failure = )"(\w+)"',
                              source("bot/services/outbox.py")))
    assert rules and kinds and failures, "the patterns above no longer find the codes"
    return ({f"rule_{code}" for code in rules} | {f"fail_{kind}" for kind in kinds}
            | {f"reason_{failure}" for failure in failures}
            | {f"menu_{name}" for name in MENU_COMMANDS})


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
