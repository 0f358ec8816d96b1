"""The package's floor plan, checked: layers import only downwards, no import circles, and
no generic layer reaches a particular regulation (imports read by ``docs/_ext/package_layers``,
which also draws the diagram of "How the package is built").
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))  # the walker the docs draw the diagram with

from package_layers import (  # noqa: E402
    FRONT_DOORS,
    LAYERS,
    REGULATIONS,
    imports,
    layer,
)
from package_layers import graph as _graph  # noqa: E402
from package_layers import modules as _modules  # noqa: E402

SRC = ROOT / "src"


@cache
def graph() -> dict[str, frozenset[str]]:
    return _graph(SRC)


@cache
def modules() -> dict[str, Path]:
    return _modules(SRC)


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
    found = set(imports(ast.parse(source), "selfbuild_rules.law.x", False))
    assert "selfbuild_rules.engine.run" in found
    assert "selfbuild_rules.report.document.Report" not in found


def _names_of_regulations() -> set[str]:
    """How a bundled regulation is named in code and text: its package and its id."""
    from selfbuild_rules.evaluation import base_for

    return {*REGULATIONS, base_for().regulation.id}


@pytest.mark.parametrize("module", sorted(m for m in modules() if layer(m) in LAYERS))
def test_generic_layers_never_name_a_regulation(module: str) -> None:
    # Not even in a docstring's example: the base reaches them as a value (``base_for()``,
    # an entry's ``source``), so an example runs the same for any base.
    text = modules()[module].read_text(encoding="utf-8")
    named = sorted(n for n in _names_of_regulations() if n in text)
    assert named == [], f"{module} names {named}"
