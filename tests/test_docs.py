"""The documentation stays true: every setting and every command is where a newcomer looks."""

import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.config import Settings
from bot.text.texts import t
from handlers import build_handlers
from handlers.commands import ADMIN_COMMANDS, MENU_COMMANDS, SUBSCRIBER_COMMANDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")


def registered_commands() -> set[str]:
    return {c for h in build_handlers() for c in getattr(h, "commands", ())}


@pytest.mark.parametrize("name", [f.name.upper() for f in fields(Settings)])
def test_every_setting_is_documented(name):
    assert re.search(rf"^#? ?{name}=", ENV_EXAMPLE, re.M), f"{name} missing from .env.example"
    assert f"| `{name}` |" in README, f"{name} missing from the README's configuration table"


def test_registered_commands_are_the_documented_ones():
    assert registered_commands() == set(SUBSCRIBER_COMMANDS) | set(ADMIN_COMMANDS)
    assert set(MENU_COMMANDS) <= set(SUBSCRIBER_COMMANDS)


@pytest.mark.parametrize("command", sorted(set(SUBSCRIBER_COMMANDS) | set(ADMIN_COMMANDS)))
def test_every_command_is_in_the_readme(command):
    assert f"`/{command}" in README, f"/{command} missing from the README"


@pytest.mark.parametrize("language", ["id", "en"])
def test_help_names_every_command(language):
    text = t(language, "help") + t(language, "help_admin")
    for command in set(SUBSCRIBER_COMMANDS) - {"start"} | set(ADMIN_COMMANDS):
        assert f"/{command}" in text, f"/{command} missing from /help ({language})"


def test_readme_names_each_dependency_and_why():
    requirements = "".join(
        (ROOT / name).read_text() for name in ("requirements.txt", "requirements-dev.txt")
    )
    direct = [
        "python-telegram-bot",
        "feedparser",
        "sqlite-utils",
        "httpx",
        "python-dotenv",
        "tzdata",
        "pytest",
        "pytest-asyncio",
        "pytest-timeout",
        "aiohttp",
        "ruff",
        "hypothesis",
        "trafilatura",
        "defusedxml",
        "matplotlib",
        "PySastrawi",
        "sniffio",
        "tornado",
        "pytest-xdist",
        "PyYAML",
    ]
    for name in direct:
        assert name in requirements
        assert f"`{name}`" in README, f"the README does not say why {name} is there"


def _layout_section() -> str:
    return README.split("### Layout\n", 1)[1].split("\n### ", 1)[0]


@pytest.mark.parametrize(
    "package",
    sorted(str(p.parent.relative_to(ROOT)) for p in (ROOT / "bot").glob("*/__init__.py")),
)
def test_the_layout_names_every_package(package):
    """A newcomer finds each part by the README's Layout: a new package must be placed there."""
    assert f"{package}/" in _layout_section(), f"{package}/ missing from the README's Layout"


def test_every_file_the_layout_names_exists():
    named = set(re.findall(r"`((?:bot|storage|handlers)/[\w/]+\.py)`", _layout_section()))
    assert named, "the Layout names no file"
    assert sorted(p for p in named if not (ROOT / p).exists()) == []


# Paths from the repository's root that the README may name anywhere (prose, tables, diagrams).
_NAMED_PATH = re.compile(
    r"(?<![\w/.-])((?:bot|storage|handlers|tests|bench|deploy)/[\w/.-]*\w/?)(?![\w<*])"
)


def test_every_path_the_readme_names_exists():
    """A newcomer who follows a path in the README finds it: a module or folder that moves must
    be renamed there too (bot/delivery.py became bot/delivery/, tests/fakes/ tests/support/)."""
    named = set(_NAMED_PATH.findall(README))
    assert len(named) > 50, "the README's paths are no longer found by this test's pattern"
    assert sorted(p for p in named if not (ROOT / p).exists()) == []
