"""The command line in the reader's language: its help, argparse's own words, ``--lang``.

Help is told when it is printed, not when the parser is built: :class:`Parser` gives
every parser (its sub-commands' too) a formatter that looks each help string,
description and section title up in the catalog (:mod:`selfbuild_rules.internal.i18n`).
So an option added with a plain English ``help=`` is translated as soon as the
catalog has its entry; ``tests/test_cli_language.py`` lists the ones it lacks.

argparse tells its own words ("usage:", "the following arguments are required") through
its module's ``_`` and ``ngettext``, bound to :func:`gettext.gettext`, which reads the
process-wide domain and the locale. Rather than change either for the whole process,
:func:`argparse_speaking` points those two names at our ``argparse`` catalog while a
command line is parsed, and puts them back after.

``--lang`` must rule the help it comes before (``evaluate --lang zh --help``), but
argparse prints the help the moment it meets ``--help``; :func:`given` therefore reads
``--lang`` from the arguments before they are parsed.

>>> given(["evaluate", "x.json", "--lang", "zh", "--help"]), given(["--lang=en"])
('zh', 'en')
>>> given(["--lang", "fr"]) is None, given(["--", "--lang", "zh"]) is None
(True, True)
"""

from __future__ import annotations

import argparse
import contextlib
import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from selfbuild_rules.internal import i18n
from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.report.view import width

__all__ = ["Parser", "add_option", "argparse_speaking", "given", "help_texts", "told"]

_OPTION = "--lang"
#: argparse's own, in its catalog (a name, not a literal: extraction must not take it).
_USAGE = "usage: "
#: As ``evaluate --lang`` has always listed them (``{zh,en}``).
_CHOICES = ("zh", "en")
_HELP = N_("language of messages and help: zh or en (default: SELFBUILD_LANG, else the locale)")


def given(argv: Sequence[str]) -> str | None:
    """The language ``--lang`` names in ``argv`` (the last one, as argparse keeps), if it
    names one; argparse's unique prefixes (``--la zh``) count too. A bad value is left
    for the parser to refuse."""
    found = None
    for at, token in enumerate(argv):
        if token == "--":
            break
        name, sep, value = token.partition("=")
        if len(name) > 2 and _OPTION.startswith(name):
            value = value if sep else (argv[at + 1] if at + 1 < len(argv) else "")
            found = value if value in i18n.LANGUAGES else found
    return found


def add_option(parser: argparse.ArgumentParser, help: str = _HELP) -> None:
    """Give ``parser`` the ``--lang`` option (``lang`` in the namespace, once chosen)."""
    parser.add_argument(_OPTION, choices=_CHOICES, default=argparse.SUPPRESS, help=help)


def told(text: str) -> str:
    """A string of the parser (help, description, title) in the current language: from
    our catalog, else from argparse's (its own help options and section titles)."""
    if not text or text == argparse.SUPPRESS:
        return text
    found = i18n._(text)
    if found == text:
        found = i18n.catalog(i18n.language(), "argparse").gettext(text)
    return found


_TOKEN = re.compile(r"\s+|[\x21-\x7e]+|.")
#: Punctuation a line never starts with: it stays at the end of the line before.
_NO_START = frozenset("，。、；：！？）」』”’…")


def _wrapped(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` terminal columns (a Chinese character
    takes two, and a line may break between two of them)."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            line += " " if line else ""
        elif line and width(line) + width(token) > columns and token not in _NO_START:
            lines.append(line.rstrip())
            line = token
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


class _Translating(argparse.HelpFormatter):
    """Tells help, descriptions and section titles from the catalog as it formats them."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        return told(text) if text else text

    def add_text(self, text: str | None) -> None:
        super().add_text(told(text) if text else text)

    def start_section(self, heading: str | None) -> None:
        said = told(heading) if heading else heading
        if said and not said.isascii():  # before 3.13, argparse puts an ASCII colon after it
            self._headings = [*getattr(self, "_headings", []), said]
        super().start_section(said)

    def format_help(self) -> str:
        text = _aligned(super().format_help())
        for heading in getattr(self, "_headings", []):
            text = text.replace(f"{heading}:\n", f"{heading}：\n")
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        if text.isascii():
            return super()._split_lines(text, width)
        return _wrapped(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.isascii() or isinstance(self, argparse.RawDescriptionHelpFormatter):
            return super()._fill_text(text, width, indent)  # a raw text stays as written
        lines = _wrapped(" ".join(text.split()), width - len(indent))
        return "\n".join(indent + line for line in lines)


def _aligned(text: str) -> str:
    """The usage's further lines moved right as far as its prefix is wider on a terminal
    than it is long (``用法：`` takes six columns), so they line up under the first line."""
    prefix = i18n.catalog(i18n.language(), "argparse").gettext(_USAGE)
    extra = width(prefix) - len(prefix)
    if not extra or not text.startswith(prefix):
        return text
    usage, blank, rest = text.partition("\n\n")
    first, *more = usage.split("\n")
    moved = [" " * extra + line if line.strip() else line for line in more]
    return "\n".join([first, *moved]) + blank + rest


@cache
def _translating(formatter: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    if issubclass(formatter, _Translating):
        return formatter
    return type(f"Translating{formatter.__name__}", (_Translating, formatter), {})


class Parser(argparse.ArgumentParser):
    """An argument parser whose help is told in the current language (its sub-command
    parsers are made of this class too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        formatter = kwargs.get("formatter_class", argparse.HelpFormatter)
        kwargs["formatter_class"] = _translating(formatter)
        super().__init__(*args, **kwargs)


@contextlib.contextmanager
def argparse_speaking(lang: str) -> Iterator[None]:
    """argparse tells its own words in ``lang`` inside the block."""
    table = i18n.catalog(lang, "argparse")
    before = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = table.gettext, table.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before  # type: ignore[attr-defined]


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # an alias names one twice
                yield from _parsers(sub)


def help_texts(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Every string of ours the help of ``parser`` and its sub-commands tells from the
    catalog: descriptions, help of arguments and of sub-commands, section titles
    (argparse's own, told from its catalog, left out)."""
    with argparse_speaking("en"):  # argparse's words, as it says them untranslated
        own = set(_texts(_argparse_own()))
    yield from (text for text in _texts(parser) if text not in own)


def _argparse_own() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=True)
    parser.add_argument("--version", action="version")
    return parser


def _texts(parser: argparse.ArgumentParser) -> Iterator[str]:
    for each in _parsers(parser):
        if each.description:
            yield each.description
        for group in each._action_groups:
            if group.title:
                yield group.title
        for action in each._actions:
            if action.help and action.help != argparse.SUPPRESS:
                yield action.help
            if isinstance(action, argparse._SubParsersAction):
                yield from (a.help for a in action._choices_actions if a.help)
