"""The layering of docs/ARCHITECTURE.md, checked on the source: every import of a troly module
(top-level, inside functions, under TYPE_CHECKING) must point to the same layer or one below,
siblings of one layer do not import each other, and no module imports itself back through
others (no circles, at module and at package level)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("assistant", "connectors", "corpus", "evals", "indexing", "ui")

# Lowest first. A module belongs to the longest unit that names it. Each unit may import itself
# and the units listed for it, nothing else: siblings of one row (indexing, connectors) stay
# apart, and the query side (`assistant`) sees the store and encoders only through the
# Protocols of `assistant.core`.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("assistant.core",),
    ("indexing", "connectors"),
    ("assistant",),
    ("assistant.app",),
    ("ui",),
    ("evals",),
    ("assistant.cli",),
)
ALLOWED: dict[str, set[str]] = {
    "assistant.core": set(),
    "indexing": {"assistant.core"},
    "connectors": {"assistant.core"},
    "assistant": {"assistant.core"},
    "assistant.app": {"assistant.core", "indexing", "connectors", "assistant"},
    "ui": {"assistant.core", "indexing", "connectors", "assistant", "assistant.app"},
    "evals": {"assistant.core", "indexing", "connectors", "assistant", "assistant.app", "ui"},
    "assistant.cli": {"assistant.core", "indexing", "connectors", "assistant", "assistant.app", "ui", "evals"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts and "versions" in path.parts:
                continue  # Alembic revision scripts are loaded by path, not imported
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The troly module an import names (`a.b.c` may be module a.b with attribute c)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            target = _resolve(name)
            if target is not None and target != module:
                targets.add(target)
    return targets


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _unit(module: str) -> str:
    """The layer unit (a row entry of LAYERS) a module belongs to."""
    best = ""
    for row in LAYERS:
        for unit in row:
            if (module == unit or module.startswith(unit + ".")) and len(unit) > len(best):
                best = unit
    return best or module.split(".")[0]


def _rank(unit: str) -> int:
    for rank, row in enumerate(LAYERS):
        if unit in row:
            return rank
    raise AssertionError(f"{unit} is in no layer of LAYERS")


def test_allowed_imports_only_point_down():
    for unit, allowed in ALLOWED.items():
        assert all(_rank(lower) < _rank(unit) for lower in allowed), unit


def test_every_package_has_a_layer():
    units = {_unit(module) for module in MODULES}
    assert all(any(unit in row for row in LAYERS) for unit in units - {"corpus"}), units


def test_no_module_imports_a_higher_layer_or_a_sibling():
    wrong = []
    for module, targets in GRAPH.items():
        source = _unit(module)
        for target in sorted(targets):
            destination = _unit(target)
            if destination == source:
                continue
            if destination not in ALLOWED[source]:
                wrong.append(f"{module} -> {target}  ({source} may not import {destination})")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles_between_modules():
    graph = {module: {t for t in targets if not _is_parent(t, module)} for module, targets in GRAPH.items()}
    assert not _cycles(graph), _cycles(graph)


def _is_parent(package: str, module: str) -> bool:
    """A submodule importing its own package's __init__ is not a circle of ours: Python runs the
    package first either way."""
    return module.startswith(package + ".")


def test_no_import_circles_between_packages():
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in GRAPH.items():
        source = module.rpartition(".")[0] if MODULES[module].name != "__init__.py" else module
        for target in targets:
            owner = target.rpartition(".")[0] if MODULES[target].name != "__init__.py" else target
            if owner != source and not _is_parent(owner, source) and not _is_parent(source, owner):
                packages[source].add(owner)
    assert not _cycles(packages), _cycles(packages)


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("indexing.pipeline", "assistant.core.domain", True),
        ("assistant.core.domain", "indexing.pipeline", False),
        ("indexing.pipeline", "connectors.igate", False),
        ("ui.app", "assistant.app.troly", True),
        ("assistant.app.troly", "ui.app", False),
        ("assistant.retrieval", "indexing.store.client", False),
        ("assistant.retrieval", "assistant.core.interfaces", True),
    ],
)
def test_layer_rule_itself(importer, imported, allowed):
    source, destination = _unit(importer), _unit(imported)
    assert (destination == source or destination in ALLOWED[source]) is allowed
