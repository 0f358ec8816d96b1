"""The documentation in two languages: what is translated, and links between the twins.

The English build is the source; the Simplified Chinese build applies the catalogs in
``docs/locale/zh_CN/LC_MESSAGES`` (``sphinx-build -D language=zh_CN``). Some text is
kept as it is in every language, and so never enters the catalogs:

- the law itself (class ``law-text``) and its English rendering (class
  ``untranslated``), which the regulation pages show beside the Chinese;
- text with nothing to translate (no Latin letter: Chinese, numbers, symbols);
- the docstrings of the code (the API reference), which change with every commit of
  the code and are written for Python programmers;
- the changelog (``CHANGELOG.md``), a record that changes with every commit.

The English pages are served from the root of the site and the Chinese ones from
``zh_CN/`` below it (:data:`LANGUAGES`); every page links to its twin.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

#: Classes whose text stays as written in every language.
KEPT_CLASSES = frozenset({"law-text", "untranslated"})
#: Sources whose text stays in English in every language (see the module docstring).
KEPT_SOURCES = re.compile(r"(:docstring of |CHANGELOG\.md$)")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


class Language(NamedTuple):
    """One language of the site: Sphinx's code, the label shown, the folder it lives in."""

    code: str
    label: str
    folder: str


#: The languages of the site, the source language first.
LANGUAGES = (Language("en", "English", ""), Language("zh_CN", "中文", "zh_CN"))


def is_chinese(language: str | None) -> bool:
    """Whether a build in ``language`` shows the Chinese first."""
    return (language or "en").lower().startswith("zh")


def _kept(node: nodes.Element) -> bool:
    if KEPT_SOURCES.search(node.source or ""):
        return True
    if not _LATIN_LETTER.search(node.astext()):
        return True
    ancestor: nodes.Element | None = node
    while ancestor is not None:
        if KEPT_CLASSES.intersection(ancestor.get("classes", ())):
            return True
        ancestor = ancestor.parent
    return False


class KeepUntranslated(SphinxTransform):
    """Mark the text that stays as written, before the catalogs are read or applied."""

    default_priority = 15  # before sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.TextElement):
            if not isinstance(node, nodes.Inline) and _kept(node):
                node["translatable"] = False


def twin_links(pagename: str, current: str) -> list[dict[str, Any]]:
    """Relative links from ``pagename`` in language ``current`` to every language's page.

    >>> [x["url"] for x in twin_links("reference/cli", "en")]
    ['cli.html', '../zh_CN/reference/cli.html']
    >>> [x["url"] for x in twin_links("index", "zh_CN")]
    ['../index.html', 'index.html']
    """
    here = next((x for x in LANGUAGES if x.code == current), LANGUAGES[0])
    up = "../" * (pagename.count("/") + (1 if here.folder else 0))
    links = []
    for language in LANGUAGES:
        if language == here:
            url = pagename.rsplit("/", 1)[-1] + ".html"
        else:
            url = up + (language.folder + "/" if language.folder else "") + pagename + ".html"
        links.append(
            {
                "code": language.code,
                "lang": language.code.replace("_", "-"),
                "label": language.label,
                "url": url,
                "current": language == here,
            }
        )
    return links


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    context["selfbuild_languages"] = twin_links(pagename, app.config.language or "en")


def setup(app: Sphinx) -> None:
    app.add_transform(KeepUntranslated)
    app.connect("html-page-context", page_context)
