"""The import rules of STYLE.md section 3, turned into a failing test."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The layers of STYLE.md section 3 as an allow-list: for each layer, the project's layers and
# the third-party packages it may import (the standard library is always allowed). A module
# whose layer is not listed fails, so a new package must be given its place here. An entry may
# also name one module of a layer (handlers may import bot.adapter.context, not the jobs).
#
# The floors, bottom up: the foundation (models, errors; then config, logs, text); the way in
# (feeds), tagging and storage; digest (pure composing and drawing); runtime (the Core, locks,
# the worker pool); services; delivery (the way out, which knows no service); the Telegram
# adapter and the operator tools; handlers; and bot.app, the composition root, on top.
FOUNDATION = {"bot.models", "bot.errors"}
RUNTIME_MAY = FOUNDATION | {
    "bot.runtime",
    "bot.config",
    "bot.text",
    "bot.feeds",
    "bot.tagging",
    "storage",
    "httpx",
    "sqlite_utils",
}
SERVICES_MAY = RUNTIME_MAY | {"bot.services", "bot.digest"}
ANYTHING = None  # the composition root
ALLOWED: dict[str, set[str] | None] = {
    "bot": set(),  # bot/__init__.py stays empty
    "bot.models": set(),
    "bot.errors": set(),
    "bot.config": {"bot.errors"},
    "bot.logs": set(),  # main.py imports it, so feed workers do: it stays stdlib only
    # texts, shaping (message length, packing: no words) and the locales
    "bot.text": {"bot.models", "bot.text"},
    "bot.feeds": FOUNDATION
    | {"bot.feeds", "bot.text", "httpx", "httpcore", "feedparser", "defusedxml", "trafilatura"},
    "bot.tagging": FOUNDATION | {"bot.tagging", "Sastrawi"},
    # bot.tagging for its one diacritic fold (bot.tagging.normalize, stdlib only)
    "bot.digest": FOUNDATION | {"bot.digest", "bot.text", "bot.tagging", "matplotlib"},
    "storage": FOUNDATION | {"storage", "sqlite_utils"},
    "bot.runtime": RUNTIME_MAY,
    "bot.services": SERVICES_MAY,
    # The way out knows Telegram and its own transport, never the services that use it; it
    # tells the runtime's Uplink whether Telegram answers (the outbox waits on the same one).
    "bot.delivery": FOUNDATION
    | {
        "bot.delivery",
        "bot.config",
        "bot.text",
        "telegram",
        "aiohttp",
        "certifi",
        "bot.runtime.uplink",
    },
    "bot.adapter": SERVICES_MAY | {"bot.adapter", "bot.delivery", "telegram", "tornado"},
    "bot.ops": SERVICES_MAY | {"bot.ops", "telegram"},
    "handlers": FOUNDATION | {"handlers", "bot.adapter.context", "bot.text", "telegram"},
    "bot.app": ANYTHING,
}
# Single modules allowed more than their layer: the pipeline's one sequence runs the tagger.
MODULE_EXTRA: dict[str, set[str]] = {
    "bot.feeds.prepare": {"bot.tagging"},
}


def layer_of(module: str) -> str:
    """bot.feeds.fetch -> bot.feeds; storage.items -> storage; handlers.x -> handlers."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" else parts[0]


def modules():
    for folder in ("bot", "handlers", "storage"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
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
    """ "bot.feeds may import bot.errors, bot.feeds, …": how a layer shows in `pytest -v`."""
    allowed = ALLOWED[layer]
    if allowed is ANYTHING:
        return f"{layer} may import anything"
    return f"{layer} may import {', '.join(sorted(allowed)) or 'the standard library only'}"


@pytest.mark.parametrize("layer", list(ALLOWED), ids=describe)
def test_every_layer_of_the_table_has_modules(layer):
    """`pytest tests/test_architecture.py -v` lists the layers; none is a stale entry."""
    assert any(layer_of(module) == layer for module, _ in modules())


@pytest.mark.parametrize(
    ("module", "path"),
    list(modules()),
    ids=[f"{module} in {layer_of(module)}" for module, _ in modules()],
)
def test_imports_follow_the_layers(module, path):
    layer = layer_of(module)
    assert layer in ALLOWED, f"{module}: layer {layer} has no place in ALLOWED yet"
    wrong = wrong_imports(layer, imports_of(path), module)
    assert not wrong, f"{module} ({layer}) may not import {wrong}"


def wrong_imports(layer: str, names: set[str], module: str = "") -> list[str]:
    """The imports a module of `layer` may not make, by the allow-list."""
    allowed = ALLOWED[layer]
    if allowed is ANYTHING:
        return []
    allowed = allowed | MODULE_EXTRA.get(module, set())
    return sorted(
        name
        for name in names
        if name.split(".")[0] not in sys.stdlib_module_names
        and layer_of(name) not in allowed
        and not any(name == entry or name.startswith(entry + ".") for entry in allowed)
    )


@pytest.mark.parametrize(
    ("layer", "name"),
    [
        ("bot.delivery", "bot.services.outbox.engine"),  # the way out knows no service
        ("bot.delivery", "bot.runtime.workers"),  # of the runtime, only the Uplink
        ("bot.services", "bot.delivery.sender"),
        ("bot.services", "bot.adapter.jobs"),
        ("bot.runtime", "bot.services.digests"),
        ("bot.feeds", "storage.items"),
        ("bot.feeds", "bot.tagging.tagger"),  # only the pipeline's sequence runs the tagger
        ("bot.ops", "bot.adapter.jobs"),
        ("bot.adapter", "handlers.start"),
        ("handlers", "bot.adapter.jobs"),  # handlers reach the adapter's context only
        ("handlers", "storage.items"),
        ("bot.text", "bot.config"),
    ],
)
def test_a_wrong_way_import_is_caught(layer, name):
    assert wrong_imports(layer, {name}) == [name]


def test_no_two_layers_may_import_each_other():
    """The table is a direction: where A may import B, B may not import A."""
    both = [
        (a, b)
        for a, may in ALLOWED.items()
        for b in (may or ())
        if a < b and b in ALLOWED and ALLOWED[b] is not None and a in ALLOWED[b]
    ]
    assert not both


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
