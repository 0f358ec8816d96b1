"""Refresh the documentation's translation catalogs and list what needs translating.

After editing the documentation (or a docstring the regulation pages show), run

    python docs/i18n.py

It rebuilds the message templates (``sphinx-build -b gettext``), merges them into
``docs/locale/zh_CN/LC_MESSAGES/*.po`` (``sphinx-intl update``), fills the messages
that have nothing to translate (only code), and lists every message still
untranslated or fuzzy (a changed message keeps its old translation, marked fuzzy,
until someone checks it), catalog by catalog. Translate those in the ``.po``
files, delete their ``#, fuzzy`` lines, and run it again: it exits 0 when none is
left.

``python docs/i18n.py --check`` does the same on a temporary copy and leaves the
tree alone; CI runs it, so a change to the documentation without its translation
fails. Needs the ``docs`` extra (Sphinx, sphinx-intl and Babel).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from sphinx_intl.catalog import dump_po, load_po

DOCS = Path(__file__).resolve().parent
LANGUAGE = "zh_CN"
LINE_WIDTH = 76
# Code, and references whose text is an id (a provision, a parameter, a category).
_CODE = re.compile(r"``.+?``|:(?:provision|parameter|facts-category):`[^`]+`")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


class Todo(NamedTuple):
    """A message that needs a translator: its catalog, why, and its text."""

    catalog: str
    reason: str
    msgid: str


def templates(out: Path) -> None:
    """Write the .pot files of the English documentation to ``out``."""
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "gettext", str(DOCS), str(out)]
    subprocess.run(command, check=True)


def merge(pot: Path, locale: Path) -> None:
    """Merge the templates into the language's catalogs; messages gone are dropped."""
    command = [
        *[sys.executable, "-m", "sphinx_intl", "update", "-p", str(pot), "-d", str(locale)],
        *["-l", LANGUAGE, "-w", str(LINE_WIDTH), "--no-obsolete", "-j", "1"],
    ]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def nothing_to_translate(msgid: str) -> bool:
    """Whether a message is only code and ids: no Latin letter outside them.

    >>> nothing_to_translate("``--period 2018``"), nothing_to_translate("the ``period``")
    (True, False)
    >>> nothing_to_translate(":provision:`3.research-days` — 不少于2个月")
    True
    """
    return not _LATIN_LETTER.search(_CODE.sub("", msgid))


def fill_code_only(catalogs: Path) -> None:
    """Give every message that is only code itself as its translation.

    That includes a fuzzy one: Babel's guess for a changed code-only message is the
    translation of some other message, never what it should be.
    """
    for path in sorted(catalogs.rglob("*.po")):
        catalog = load_po(path)
        filled = False
        for message in catalog:
            pending = not message.string or message.fuzzy
            if message.id and pending and nothing_to_translate(str(message.id)):
                message.string = message.id
                message.flags.discard("fuzzy")
                filled = True
        if filled:
            dump_po(path, catalog, width=LINE_WIDTH)


def todo(catalogs: Path, pot: Path) -> list[Todo]:
    """Every untranslated or fuzzy message, and every catalog whose page is gone."""
    found: list[Todo] = []
    for path in sorted(catalogs.rglob("*.po")):
        name = path.relative_to(catalogs).with_suffix("").as_posix()
        if not (pot / f"{name}.pot").is_file():
            found.append(Todo(name, "no such page any more: delete the catalog", ""))
            continue
        for message in load_po(path):
            if not message.id:
                continue
            if not message.string:
                found.append(Todo(name, "untranslated", str(message.id)))
            elif message.fuzzy:
                found.append(Todo(name, "fuzzy", str(message.id)))
    return found


def refresh(locale: Path, work: Path) -> list[Todo]:
    """Refresh the catalogs under ``locale`` and return what still needs translating."""
    pot = work / "gettext"
    templates(pot)
    merge(pot, locale)
    catalogs = locale / LANGUAGE / "LC_MESSAGES"
    fill_code_only(catalogs)
    return todo(catalogs, pot)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="work on a temporary copy of the catalogs and leave the tree alone",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="selfbuild-i18n-") as tmp:
        work = Path(tmp)
        locale = DOCS / "locale"
        if args.check:
            shutil.copytree(locale, work / "locale")
            locale = work / "locale"
        found = refresh(locale, work)
        total = sum(
            1 for p in (locale / LANGUAGE / "LC_MESSAGES").rglob("*.po") for m in load_po(p) if m.id
        )
    for item in found:
        first = item.msgid.splitlines()[0] if item.msgid else ""
        print(f"{item.catalog}.po: {item.reason}: {first[:100]}")
    where = "docs/locale/" + LANGUAGE + "/LC_MESSAGES"
    if found:
        print(f"{len(found)} of {total} messages need a translator in {where}", file=sys.stderr)
        return 1
    print(f"all {total} messages translated ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
