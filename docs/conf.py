"""Sphinx configuration for the selfbuild-rules documentation.

Build (both must pass warning-free, without network):

    sphinx-build -n -W --keep-going -b html docs docs/_build/html
    sphinx-build -n -W --keep-going -b doctest docs docs/_build/doctest

The Simplified Chinese build applies the catalogs in ``docs/locale`` and goes below
the English one, so that one web server serves both (each page links to its twin):

    sphinx-build -n -W --keep-going -b html -D language=zh_CN docs docs/_build/html/zh_CN

``python docs/i18n.py`` refreshes the catalogs after a change to the documentation
and lists every message that needs translating (see docs/architecture.rst).

Intersphinx links to Python, attrs and dateutil are optional: they are enabled when
``SELFBUILD_DOCS_INTERSPHINX=1`` is set (fetching the inventories over the network),
or for any inventory shipped as ``docs/_inventories/<name>.inv``.
"""

from __future__ import annotations

import doctest
import importlib.metadata
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

# -- Project ----------------------------------------------------------------------------------

project = "selfbuild-rules"
author = "selfbuild-rules contributors"
copyright = "selfbuild-rules contributors"
release = importlib.metadata.version("selfbuild-rules")
version = release
language = "en"

# -- General ----------------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "sphinx.ext.graphviz",
    "myst_parser",
    "selfbuild_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# _generated/ holds fragments included into hand-written pages, not pages of their own.
exclude_patterns = ["_build", "_generated", "_inventories", ".gitignore", "Thumbs.db"]
templates_path = ["_templates"]

nitpicky = True
default_role = "literal"

# -- Translations ------------------------------------------------------------------------------

# The gettext workflow: ``sphinx-build -b gettext`` writes the .pot files, sphinx-intl
# merges them into docs/locale/zh_CN/LC_MESSAGES/*.po, Sphinx compiles those at build
# time. One catalog per page (not per folder), so a change to a page touches one file;
# no source locations, so moving a paragraph does not rewrite every catalog (the
# untranslated messages are listed by docs/i18n.py, catalog by catalog).
locale_dirs = ["locale/"]
gettext_compact = False
gettext_location = False
gettext_uuid = False
gettext_last_translator = "selfbuild-rules contributors"
gettext_language_team = "selfbuild-rules contributors"

# -- Intersphinx (optional, never needs the network unless asked to) --------------------------

_INVENTORIES = {
    "python": "https://docs.python.org/3",
    "attrs": "https://www.attrs.org/en/stable",
    "dateutil": "https://dateutil.readthedocs.io/en/stable",
}
_ONLINE = os.environ.get("SELFBUILD_DOCS_INTERSPHINX") == "1"
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
for _name, _url in _INVENTORIES.items():
    _local = DOCS / "_inventories" / f"{_name}.inv"
    if _local.is_file():
        intersphinx_mapping[_name] = (_url, str(_local))
    elif _ONLINE:
        intersphinx_mapping[_name] = (_url, None)
if intersphinx_mapping:
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_timeout = 10

# msgspec publishes no Sphinx inventory: its marker for a result field left unset
# (``still_needed`` on a result that is not pending) stays unlinked.
nitpick_ignore = [("py:class", "msgspec.UnsetType")]

# Without the Python inventory, references to the standard library cannot resolve;
# these are the only targets the nitpicky build is allowed to leave unlinked.
if "python" not in intersphinx_mapping:
    nitpick_ignore_regex = [
        (
            r"py:(class|exc|obj|data|func)",
            r"(datetime|collections\.abc|typing|os|enum|json|pathlib|argparse)\..+",
        ),
        (r"py:(class|exc)", r"(ValueError|KeyError|Exception|TypeError|NoneType)"),
    ]

# -- Autodoc ----------------------------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = False
autodoc_class_signature = "mixed"
autodoc_default_options = {"members": True, "undoc-members": False}

# Set to True once every public docstring carries a runnable example: the build then
# warns (and, with -W, fails) for each public object whose docstring has no ``>>>``.
selfbuild_require_examples = True

# -- Doctest ----------------------------------------------------------------------------------

doctest_global_setup = f"""
import datetime
import pathlib
from datetime import date
import selfbuild_rules as sr
DOCS = pathlib.Path({str(DOCS)!r})
from selfbuild_rules import *  # noqa: F403 -- docstrings use the public names unqualified
"""
doctest_test_doctest_blocks = "default"
# Unlike Sphinx's default, compare exception messages too: they are part of the interface.
doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1

# -- MyST (the changelog is Markdown) ---------------------------------------------------------

myst_heading_anchors = 3

# -- HTML -------------------------------------------------------------------------------------

html_theme = "furo"
html_title = "selfbuild-rules"
html_static_path = ["_static"]
html_theme_options = {"navigation_with_keys": True}
html_show_sourcelink = False

# The architecture diagram (Debian's graphviz provides ``dot``), drawn as SVG.
graphviz_output_format = "svg"
