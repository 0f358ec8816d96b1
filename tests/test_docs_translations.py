"""The Chinese documentation: every message translated, in the reports' own words.

Reads the catalogs in docs/locale with Babel, which the ``docs`` extra installs (it
comes with Sphinx); without it these tests skip. ``python docs/i18n.py --check`` (CI)
also regenerates the messages from the pages, so a page changed without its
translation fails there; these tests check the committed catalogs themselves.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from selfbuild_rules.engine.results import Status
from selfbuild_rules.report.view import label

pofile = pytest.importorskip(
    "babel.messages.pofile", reason="the docs extra (Sphinx, Babel) is not installed"
)
NO_DOCS_TOOLS = "the docs extra (sphinx-intl) is not installed"

DOCS = Path(__file__).resolve().parent.parent / "docs"
CATALOGS = DOCS / "locale" / "zh_CN" / "LC_MESSAGES"
_LITERAL = re.compile(r"``.+?``", re.DOTALL)
LAW_TEXT = (
    DOCS.parent / "src" / "selfbuild_rules" / "tianjin2018" / "tianjin-2018-selfbuild.zh.txt"
).read_text("utf-8")


def catalog(name: str) -> dict[str, str]:
    with (CATALOGS / f"{name}.po").open("rb") as f:
        return {str(m.id): str(m.string) for m in pofile.read_po(f) if m.id}


def every_message() -> list[tuple[str, object]]:
    found = []
    for path in sorted(CATALOGS.rglob("*.po")):
        with path.open("rb") as f:
            name = path.relative_to(CATALOGS).as_posix()
            found += [(name, m) for m in pofile.read_po(f) if m.id]
    return found


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem + "_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_is_a_catalog_for_every_hand_written_page() -> None:
    pages = {
        p.relative_to(DOCS).with_suffix("").as_posix()
        for p in [*DOCS.glob("*.rst"), *DOCS.glob("*.md"), *DOCS.glob("reference/*.rst")]
    }
    catalogs = {p.relative_to(CATALOGS).with_suffix("").as_posix() for p in CATALOGS.rglob("*.po")}
    assert pages - catalogs == set()


def test_every_message_has_a_translation_that_is_not_fuzzy() -> None:
    messages = every_message()
    assert len(messages) > 1000
    missing = [f"{name}: {m.id!r}" for name, m in messages if not m.string]  # type: ignore[attr-defined]
    fuzzy = [f"{name}: {m.id!r}" for name, m in messages if m.fuzzy]  # type: ignore[attr-defined]
    assert missing == []
    assert fuzzy == []


def test_code_stays_as_it_is_in_the_translation() -> None:
    changed = [
        f"{name}: {literal}"
        for name, m in every_message()
        for literal in _LITERAL.findall(str(m.id))  # type: ignore[attr-defined]
        if literal not in str(m.string)  # type: ignore[attr-defined]
    ]
    assert changed == []


@pytest.mark.parametrize("status", list(Status))
def test_the_glossary_names_each_status_as_the_reports_do(status: Status) -> None:
    english = label(status, "en")
    assert label(status, "zh") in catalog("glossary")[english]


@pytest.mark.parametrize(
    ("term", "law"),
    [
        ("member", "领导班子成员"),
        ("contact point", "联系点"),
        ("livelihood project", "民心工程"),
        ("personal matters report", "个人有关事项报告"),
        ("research trip", "调研"),
        ("central-group study", "中心组学习"),
        ("collective decision", "集体"),
    ],
)
def test_the_glossary_uses_the_regulations_own_words(term: str, law: str) -> None:
    assert law in catalog("glossary")[term]
    assert law in LAW_TEXT


def test_each_page_links_to_its_twin_by_a_relative_url() -> None:
    i18n = load(DOCS / "_ext" / "selfbuild_docs" / "i18n.py")
    english = {x["code"]: x["url"] for x in i18n.twin_links("reference/cli", "en")}
    chinese = {x["code"]: x["url"] for x in i18n.twin_links("reference/cli", "zh_CN")}
    assert english == {"en": "cli.html", "zh_CN": "../zh_CN/reference/cli.html"}
    assert chinese == {"en": "../../reference/cli.html", "zh_CN": "cli.html"}
    top = {x["code"]: x["url"] for x in i18n.twin_links("index", "zh_CN")}
    assert top == {"en": "../index.html", "zh_CN": "index.html"}


def test_only_code_needs_no_translator() -> None:
    pytest.importorskip("sphinx_intl", reason=NO_DOCS_TOOLS)
    tool = load(DOCS / "i18n.py")
    assert tool.nothing_to_translate("``--period 2018``")
    assert not tool.nothing_to_translate("the ``period``")
    assert not tool.nothing_to_translate("``a`` and ``b``")
    assert tool.nothing_to_translate(":provision:`3.research-days` — 不少于2个月")
    assert not tool.nothing_to_translate(":ref:`the law <regulation>`")
