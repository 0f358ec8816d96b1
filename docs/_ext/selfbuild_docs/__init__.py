"""A small Sphinx extension that writes the documentation's generated pages.

At ``builder-inited`` it regenerates, from the installed ``selfbuild_rules``:

- ``regulation/``: an overview, one page per principle (一 to 六) and the legal
  coverage, from ``TIANJIN_2018``, ``tianjin2018.BASE.rules`` and ``PARAMETERS``;
- ``_generated/facts-categories.rst``: the facts-format tables, from
  ``facts.CATEGORIES`` and the attrs fields of the record classes;
- ``_generated/cli.rst``: the command-line reference, from ``cli.build_parser()``;
- ``_generated/api.rst``: autodoc directives for ``selfbuild_rules.__all__``;
- ``_generated/layers.dot``: the diagram of the package's layers, from its imports
  (``package_layers``, which the architecture test also reads).

It also adds three cross-reference types, ``:provision:``, ``:parameter:`` and
``:facts-category:``, resolves references to public names by their canonical
``selfbuild_rules.<Name>`` spelling, and (with ``selfbuild_require_examples``)
warns about public docstrings without a runnable example.
"""

from __future__ import annotations

import pkgutil
import sys
from pathlib import Path
from typing import Any

import package_layers
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

import selfbuild_rules
from selfbuild_rules.facts.records import CATEGORIES

from . import api_reference, cli_reference, facts_format, i18n, regulation_pages
from ._rst import write_if_changed

logger = logging.getLogger(__name__)


def _internal_object(target: str) -> bool:
    """Whether ``target`` names a real object of the package that is not public.

    Public signatures mention a few such types (say, an enumeration of one field);
    they are shown unlinked instead of failing the build, and listed at the end of
    it. A misspelt or vanished name still fails.
    """
    if "." not in target:  # a bare name in a docstring: defined in one of the modules?
        return any(
            getattr(getattr(module, target, None), "__module__", None) == name
            for name, module in list(sys.modules.items())
            if name.startswith("selfbuild_rules.")
        )
    if not target.startswith("selfbuild_rules."):
        return False
    try:
        pkgutil.resolve_name(target)
    except (ImportError, AttributeError, ValueError):
        return False
    return True


_RECORD_CATEGORY = {cls.__name__: name for name, cls in CATEGORIES.items()}
_RECORD_CATEGORY["Team"] = "team"


def _warn(message: str) -> None:
    logger.warning(message, type="selfbuild", subtype="generate")


def generate(app: Sphinx) -> None:
    """Regenerate every generated page (files that did not change are left untouched)."""
    source = Path(app.srcdir)
    # The gettext builder sees the pages as the Chinese build lays them out, so the
    # catalogs hold exactly the messages that build shows.
    chinese_first = app.builder.name == "gettext" or i18n.is_chinese(app.config.language)
    regulation_pages.generate(source / "regulation", _warn, chinese_first=chinese_first)
    generated = source / "_generated"
    facts_format.generate(generated, _warn)
    cli_reference.generate(generated)
    api_reference.generate(generated, _warn)
    src = source.parent / "src"  # the checkout's own package, as the architecture test reads it
    write_if_changed(generated / "layers.dot", package_layers.dot(src).splitlines())


def resolve(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve ``selfbuild_rules.<module>.<Name>`` to the public, documented name."""
    if node.get("refdomain") != "py":
        return None
    target: str = node["reftarget"]
    if "." not in target and str(node.get("py:module", "")).startswith("selfbuild_rules"):
        if _internal_object(target):
            app.env.selfbuild_unlinked.add(target)  # type: ignore[attr-defined]
            return contnode
        return None
    if not target.startswith("selfbuild_rules."):
        return None
    name = target.rsplit(".", 1)[-1]
    if name in selfbuild_rules.__all__ and target != f"selfbuild_rules.{name}":
        py = env.get_domain("py")
        return py.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], f"selfbuild_rules.{name}",
            node, contnode,
        )  # fmt: skip
    if target.startswith("selfbuild_rules.facts.records.") and name in _RECORD_CATEGORY:
        std = env.get_domain("std")
        found = std.objects.get(("facts-category", _RECORD_CATEGORY[name]))  # type: ignore[attr-defined]
        if found:
            docname, labelid = found[0], found[1]
            return make_refnode(app.builder, node["refdoc"], docname, labelid, contnode)
    if target == "selfbuild_rules.facts.records.Tenure":
        std = env.get_domain("std")
        docname, labelid, _title = std.labels.get("facts-tenure", (None, None, None))  # type: ignore[attr-defined]
        if docname:
            return make_refnode(app.builder, node["refdoc"], docname, labelid, contnode)
    if _internal_object(target):
        app.env.selfbuild_unlinked.add(target)  # type: ignore[attr-defined]
        return contnode
    return None


def check_example(
    app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    """Note public functions and classes whose docstring has no ``>>>`` example.

    Public data (``PARAMETERS``, ``TIANJIN_2018``) has no docstring of its own, and
    autodoc would show its type's instead; the API page gives its description.
    """
    if what == "data" and name.startswith("selfbuild_rules."):
        lines[:] = []
        return
    if what not in ("function", "class", "exception"):
        return
    if not name.startswith("selfbuild_rules.") or name.count(".") != 1:
        return
    if any(line.lstrip().startswith(">>>") for line in lines):
        return
    missing: set[str] = app.env.selfbuild_missing_examples  # type: ignore[attr-defined]
    missing.add(name)
    if app.config.selfbuild_require_examples:
        logger.warning(
            f"{name}: the docstring has no example (>>>)", type="selfbuild", subtype="example"
        )


def init_env(app: Sphinx) -> None:
    app.env.selfbuild_missing_examples = set()  # type: ignore[attr-defined]
    app.env.selfbuild_unlinked = set()  # type: ignore[attr-defined]


def summarise(app: Sphinx, exception: BaseException | None) -> None:
    unlinked = sorted(getattr(app.env, "selfbuild_unlinked", ()))
    if unlinked and exception is None:
        logger.info(
            "non-public types in public signatures (shown unlinked): " + ", ".join(unlinked),
            color="darkgray",
        )
    missing = sorted(getattr(app.env, "selfbuild_missing_examples", ()))
    if missing and exception is None and not app.config.selfbuild_require_examples:
        logger.info("public docstrings without an example: " + ", ".join(missing), color="darkgray")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("selfbuild_require_examples", False, "env", types=[bool])
    app.add_crossref_type(
        "provision", "provision", indextemplate="pair: %s; provision", objname="provision"
    )
    app.add_object_type(
        "parameter", "parameter", indextemplate="pair: %s; parameter", objname="parameter"
    )
    app.add_crossref_type(
        "facts-category",
        "facts-category",
        indextemplate="pair: %s; facts category",
        objname="facts category",
    )
    app.connect("builder-inited", generate)
    app.connect("builder-inited", init_env)
    app.connect("missing-reference", resolve)
    app.connect("autodoc-process-docstring", check_example)
    app.connect("build-finished", summarise)
    app.add_css_file("selfbuild.css")
    i18n.setup(app)
    return {"version": "1", "parallel_read_safe": False, "parallel_write_safe": True}
