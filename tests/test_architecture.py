"""The import rules of STYLE.md section 3, turned into a failing test."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The layers of STYLE.md section 3 as an allow-list: for each layer, the project's layers and
# the third-party packages it may import (the standard library is always allowed). A module
# whose layer is not listed fails, so a new package must be given its place here.
PURE = {"bot.models", "bot.errors", "bot.shaping"}
SERVICES_MAY = PURE | {
    "bot.config", "bot.texts", "bot.locales", "bot.feeds", "bot.tagging", "bot.digest",
    "bot.charts", "bot.services", "storage", "httpx", "sqlite_utils",
}
ANYTHING = None  # the composition root and the Telegram adapter
ALLOWED: dict[str, set[str] | None] = {
    "bot": set(),  # bot/__init__.py stays empty
    "bot.models": set(),
    "bot.errors": set(),
    "bot.shaping": set(),  # message length, packing, shortening: no words, so no locales
    "bot.locales": set(),
    "bot.config": {"bot.errors"},
    "bot.texts": {"bot.models", "bot.locales"},
    "bot.feeds": PURE | {"bot.feeds", "httpx", "httpcore", "feedparser", "defusedxml"},
    "bot.tagging": PURE | {"bot.tagging", "Sastrawi"},
    # bot.tagging for its one diacritic fold (bot.tagging.normalize, stdlib only)
    "bot.digest": PURE | {"bot.digest", "bot.texts", "bot.tagging"},
    "storage": PURE | {"storage", "sqlite_utils"},
    "bot.services": SERVICES_MAY,
    "handlers": PURE | {"handlers", "bot.context", "bot.texts", "telegram"},
    "bot.app": ANYTHING,
    "bot.jobs": ANYTHING,
    "bot.delivery": ANYTHING,
    "bot.ratelimit": ANYTHING,
    "bot.chat_order": ANYTHING,  # PTB's update processor: the Telegram adapter
    "bot.context": ANYTHING,
    "bot.errorhandler": ANYTHING,
    "bot.cli": ANYTHING,
    "bot.logs": set(),  # main.py imports it, so feed workers do: it stays stdlib only
    "bot.runlock": set(),
    "bot.charts": PURE | {"bot.texts", "matplotlib"},  # pure drawing, like bot.digest
    "bot.doctor": ANYTHING,  # an operator's check of every part, like bot.cli
}


def layer_of(module: str) -> str:
    """bot.feeds.fetch -> bot.feeds; storage.items -> storage; handlers.x -> handlers."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" else parts[0]


def modules():
    for folder in ("bot", "handlers", "storage"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(
                ".__init__"
            )
            yield name, path


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def describe(layer: str) -> str:
    """"bot.feeds may import bot.errors, bot.feeds, …": how a layer shows in `pytest -v`."""
    allowed = ALLOWED[layer]
    if allowed is ANYTHING:
        return f"{layer} may import anything"
    return f"{layer} may import {', '.join(sorted(allowed)) or 'the standard library only'}"


@pytest.mark.parametrize("layer", list(ALLOWED), ids=describe)
def test_every_layer_of_the_table_has_modules(layer):
    """`pytest tests/test_architecture.py -v` lists the layers; none is a stale entry."""
    assert any(layer_of(module) == layer for module, _ in modules())


@pytest.mark.parametrize(("module", "path"), list(modules()),
                         ids=[f"{module} in {layer_of(module)}" for module, _ in modules()])
def test_imports_follow_the_layers(module, path):
    layer = layer_of(module)
    assert layer in ALLOWED, f"{module}: layer {layer} has no place in ALLOWED yet"
    allowed = ALLOWED[layer]
    if allowed is ANYTHING:
        return
    wrong = sorted(
        name for name in imports_of(path)
        if name.split(".")[0] not in sys.stdlib_module_names and layer_of(name) not in allowed
    )
    assert not wrong, f"{module} ({layer}) may not import {wrong}"


def test_no_module_shadows_a_dependency():
    names = {p.stem for p in ROOT.rglob("*.py") if ".venv" not in p.parts}
    assert not names & {"telegram", "feedparser", "sqlite_utils", "httpx", "utils"}


def test_handlers_reach_services_not_the_core():
    """Handlers call services (`context.services.topics.all()`), never the shared Core the
    services are built on: what a handler needs is a service method, so it can be tested and
    reused without Telegram."""
    reaching = []
    for module, path in modules():
        if layer_of(module) != "handlers":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "core":
                reaching.append(f"{module}:{node.lineno}")
    assert not reaching, f"handlers use the Core directly: {reaching}"
