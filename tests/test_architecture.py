"""The import rules of STYLE.md section 3, turned into a failing test."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# module prefix -> prefixes it must not import
FORBIDDEN = {
    "bot.models": ["bot.", "storage", "handlers", "telegram", "httpx", "feedparser",
                   "sqlite_utils"],
    "bot.errors": ["bot.", "storage", "handlers", "telegram", "httpx", "feedparser",
                   "sqlite_utils"],
    "bot.texts": ["bot.feeds", "bot.tagging", "bot.digest", "bot.services", "storage",
                  "handlers", "telegram", "httpx", "feedparser", "sqlite_utils"],
    "bot.feeds": ["storage", "bot.services", "telegram", "handlers", "sqlite_utils"],
    "bot.tagging": ["bot.feeds", "storage", "telegram", "handlers", "httpx", "feedparser",
                    "sqlite_utils", "bot.services"],
    "bot.digest": ["storage", "telegram", "httpx", "handlers", "bot.services", "sqlite_utils"],
    "storage": ["bot.feeds", "bot.services", "bot.tagging", "bot.digest", "telegram",
                "handlers", "httpx", "feedparser"],
    "bot.services": ["telegram", "handlers", "bot.app", "bot.jobs", "bot.delivery",
                     "bot.context"],
    "handlers": ["storage", "sqlite_utils", "sqlite3", "bot.feeds", "bot.services",
                 "bot.tagging", "bot.digest", "httpx", "feedparser"],
}


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


@pytest.mark.parametrize(("module", "path"), list(modules()), ids=lambda v: str(v))
def test_imports_follow_the_layers(module, path):
    rules = [bad for prefix, bads in FORBIDDEN.items()
             if module == prefix or module.startswith(prefix + ".") for bad in bads]
    wrong = sorted(
        name for name in imports_of(path)
        for bad in rules
        if name == bad.rstrip(".") or name.startswith(bad if bad.endswith(".") else bad + ".")
    )
    assert not wrong, f"{module} imports {wrong}"


def test_no_module_shadows_a_dependency():
    names = {p.stem for p in ROOT.rglob("*.py") if ".venv" not in p.parts}
    assert not names & {"telegram", "feedparser", "sqlite_utils", "httpx", "utils"}
