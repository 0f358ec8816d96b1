"""The package's import graph, read from its source: for the architecture test and the
diagram on "How the package is built".

Imports are read with :mod:`ast` (module level and inside functions alike; those under
``if TYPE_CHECKING:`` are left out, since they never run), so nothing is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = "selfbuild_rules"
#: The layers from the bottom up: a module may import its own layer and those below it.
LAYERS = ("internal", "law", "facts", "rules", "plugins", "engine", "report")
#: Regulation packages plug in above ``plugins``; the generic layers never name them.
REGULATIONS = ("tianjin2018",)
#: The front doors, which may import anything.
FRONT_DOORS = ("__init__", "evaluation", "module_api", "cli", "extra", "service", "cases")
#: What each layer is for, in a few words (the diagram's labels).
ROLES = {
    "internal": "memory, the collector",
    "law": "periods, text, parameters, timelines",
    "facts": "records, loading, checks, schema",
    "rules": "conditions, context, rule sets",
    "plugins": "bases, modules, the amended law, discovery",
    "tianjin2018": "the bundled base regulation",
    "engine": "setup, provisions, results, workers",
    "report": "document, renderers, catalog, stream",
    "evaluation": "evaluate(), load_facts()",
    "module_api": "what authors import",
    "cli": "the command line",
    "extra": "Dask",
    "service": "the HTTP service",
    "cases": "case files, compare, the scaffold, the pytest plugin",
    "__init__": "the public names",
}


def module_name(src: Path, path: Path) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(src: Path) -> dict[str, Path]:
    """Every module of the package under ``src``, by dotted name."""
    return {module_name(src, p): p for p in sorted((src / PACKAGE).rglob("*.py"))}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(node: ast.AST, here: str, is_package: bool) -> Iterator[str]:
    """What the code under ``node`` imports: modules, and ``module.name`` for each name."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking(child):
            yield from (name for n in child.orelse for name in imports(n, here, is_package))
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
            yield from (f"{base}.{alias.name}" for alias in child.names)
            yield base
        yield from imports(child, here, is_package)


def graph(src: Path) -> dict[str, frozenset[str]]:
    """Each module of the package and the modules of the package it imports."""
    known = modules(src)
    edges = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text("utf-8"))
        found = {t for t in imports(tree, name, path.name == "__init__.py") if t in known}
        found.discard(name)
        # ``from a.b import c`` names ``a.b.c`` and ``a.b``: keep the submodule alone.
        edges[name] = frozenset(t for t in found if not any(o.startswith(t + ".") for o in found))
    return edges


def layer(module: str) -> str:
    """The folder (or front-door module) right below the package that a module is in."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer_edges(edges: Mapping[str, frozenset[str]]) -> set[tuple[str, str]]:
    """Which layer imports which, from the module graph."""
    return {(layer(a), layer(b)) for a, targets in edges.items() for b in targets} - {
        (x, x) for x in {layer(m) for m in edges}
    }


def dot(src: Path) -> str:
    """The layers as a graphviz diagram, the lowest at the bottom: each box lists its
    modules, each arrow says that some module of one imports some module of the other."""
    edges = graph(src)
    members: dict[str, list[str]] = {}
    for module in edges:
        members.setdefault(layer(module), []).append(module.rsplit(".", 1)[-1])
    lines = [
        "digraph layers {",
        '  rankdir=TB; node [shape=box, style="rounded,filled", fillcolor="#f6f8fa",',
        '  fontname="sans-serif", fontsize=10]; edge [color="#8c959f", arrowsize=0.6];',
    ]
    for name in (*LAYERS, *REGULATIONS, *FRONT_DOORS):
        if name not in members:
            continue
        inner = sorted(m for m in members[name] if m not in (name, PACKAGE))
        listed = "\\n".join(", ".join(inner[i : i + 4]) for i in range(0, len(inner), 4))
        folder = (src / PACKAGE / name).is_dir()
        title = f"{name}/" if folder else f"{name}.py"
        label = f"{title}\\n{ROLES.get(name, '')}" + (f"\\n\\n{listed}" if inner else "")
        fill = ', fillcolor="#ddf4ff"' if name in FRONT_DOORS else ""
        fill = ', fillcolor="#fff8c5"' if name in REGULATIONS else fill
        lines.append(f'  "{name}" [label="{label}"{fill}];')
    doors = " ".join(f'"{d}";' for d in FRONT_DOORS if d in members)
    lines.append(f"  {{ rank=min; {doors} }}")
    # Only the arrows between neighbours in the order of layers, and those that skip none,
    # would hide nothing: draw them all, but the front doors' (they import everything).
    for a, b in sorted(layer_edges(edges)):
        if a not in FRONT_DOORS:
            lines.append(f'  "{a}" -> "{b}";')
    lines.append("}")
    return "\n".join(lines) + "\n"
