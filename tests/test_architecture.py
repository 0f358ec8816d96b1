"""The package's floor plan, checked: layers import only downwards, no import circles, and
no generic layer reaches a particular regulation.

Imports are read from the source (module level and inside functions alike; only those under
``if TYPE_CHECKING:`` are left out, since they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "selfbuild_rules"

#: The layers from the bottom up: a module may import its own layer and those below it.
LAYERS = ("internal", "law", "facts", "rules", "plugins", "engine", "report")
#: Regulation packages plug in above ``plugins``: they are what the generic layers never name.
REGULATIONS = ("tianjin2018",)
#: The front doors may import anything.
FRONT_DOORS = ("__init__", "evaluation", "module_api", "cli", "extra")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in (SRC / PACKAGE).rglob("*.py")}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST, here: str, is_package: bool) -> Iterator[str]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking(child):
            yield from (name for n in child.orelse for name in _imports(n, here, is_package))
            continue
        if isinstance(child, ast.Import):
            yield from (a.name for a in child.names)
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                anchor = here if is_package else here.rpartition(".")[0]
                for _ in range(child.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            for alias in child.names:
                yield f"{base}.{alias.name}"  # a submodule, or a name in ``base``
            yield base
        yield from _imports(child, here, is_package)


@cache
def graph() -> dict[str, frozenset[str]]:
    """Each module of the package and the modules of the package it imports."""
    known = modules()
    edges = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text("utf-8"))
        found = set()
        for target in _imports(tree, name, path.name == "__init__.py"):
            if target in known and target != name:
                found.add(target)
        # ``from a.b import c`` names both ``a.b.c`` and ``a.b``: keep the submodule alone.
        edges[name] = frozenset(
            t for t in found if not any(o.startswith(t + ".") and o in found for o in found)
        )
    return edges


def layer(module: str) -> str:
    """The first folder (or front-door module) below the package a module belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def closure(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph()[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_graph_covers_every_layer() -> None:
    # The check below must not pass for want of modules to check.
    found = {layer(m) for m in graph()}
    assert set(LAYERS) | set(REGULATIONS) | {"evaluation", "module_api", "cli", "extra"} <= found
    assert sum(len(v) for v in graph().values()) > 100


def test_there_is_no_import_circle() -> None:
    circles = [m for m in graph() if m in closure(m)]
    assert circles == []


@pytest.mark.parametrize("module", sorted(m for m in modules() if layer(m) in LAYERS))
def test_generic_layers_import_only_their_own_layer_or_below(module: str) -> None:
    mine = LAYERS.index(layer(module))
    above = [t for t in graph()[module] if layer(t) not in LAYERS[: mine + 1]]
    assert above == [], f"{module} imports a higher layer, a regulation or a front door"


@pytest.mark.parametrize("module", sorted(m for m in modules() if layer(m) in LAYERS))
def test_generic_layers_never_reach_a_regulation(module: str) -> None:
    reached = {layer(t) for t in closure(module)}
    assert not reached & {*REGULATIONS, *FRONT_DOORS}


@pytest.mark.parametrize("module", sorted(m for m in modules() if layer(m) in REGULATIONS))
def test_a_regulation_plugs_into_the_layers_below_the_engine(module: str) -> None:
    allowed = {*LAYERS[: LAYERS.index("plugins") + 1], layer(module)}
    assert {layer(t) for t in graph()[module]} <= allowed


def test_the_walker_sees_a_circle_and_a_function_level_import(tmp_path: Path) -> None:
    # The walker itself, on code written for it: imports inside functions count,
    # those under TYPE_CHECKING do not.
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from selfbuild_rules.report.document import Report\n"
        "def f():\n    from selfbuild_rules.engine import run\n"
    )
    found = set(_imports(ast.parse(source), "selfbuild_rules.law.x", False))
    assert "selfbuild_rules.engine.run" in found
    assert "selfbuild_rules.report.document.Report" not in found
