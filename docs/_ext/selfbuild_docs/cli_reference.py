"""The command-line reference, generated from ``selfbuild_rules.cli.parser.build_parser()``.

Walks the argparse parser (the same object the ``selfbuild-rules`` command runs)
and writes each subcommand's usage and arguments as Sphinx ``program`` and
``option`` directives, so ``:option:`` references are checked by the build.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from selfbuild_rules.cli.parser import build_parser

from ._rst import GENERATED_NOTICE, escape, heading, indent, write_if_changed

Subcommand = tuple[str, str, argparse.ArgumentParser]


def subcommands(parser: argparse.ArgumentParser) -> Iterator[Subcommand]:
    """Each subcommand's name, one-line help and parser, in the order they were added."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, helps.get(name, ""), sub


def option_signature(action: argparse.Action) -> str:
    """How the option is written: ``-o OUTPUT, --output OUTPUT`` or a positional name."""
    if not action.option_strings:
        return action.metavar if isinstance(action.metavar, str) else action.dest
    if action.nargs == 0:
        return ", ".join(action.option_strings)
    metavar = action.metavar or action.dest.upper()
    if action.choices is not None and action.metavar is None:
        metavar = "{" + ",".join(map(str, action.choices)) + "}"
    return ", ".join(f"{flag} {metavar}" for flag in action.option_strings)


def option_body(action: argparse.Action) -> list[str]:
    text = escape(action.help or "")
    if text and not text.endswith("."):
        text += "."
    facts = []
    if action.required and action.option_strings:
        facts.append("Required.")
    if action.choices is not None:
        facts.append("One of " + ", ".join(f"``{c}``" for c in action.choices) + ".")
    if isinstance(action, argparse._AppendAction) and "repeatable" not in text:
        facts.append("May be given more than once.")
    default = action.default
    if action.option_strings and default not in (None, [], argparse.SUPPRESS) and action.nargs != 0:
        facts.append(f"Default: ``{default}``.")
    return [" ".join([text[:1].upper() + text[1:], *facts]).strip(), ""]


def usage(parser: argparse.ArgumentParser) -> list[str]:
    """The usage line, wrapped at a fixed width whatever the terminal."""
    parser.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=88)
    text = parser.format_usage().strip()
    text = text.removeprefix("usage: ")
    return [".. code-block:: text", "", *indent(text.splitlines()), ""]


def generate(out: Path) -> None:
    parser = build_parser()
    prog = parser.prog
    lines = [*GENERATED_NOTICE, f".. _cli-{prog}:", ""]
    lines += heading(prog, "-")
    lines += [f".. program:: {prog}", ""]
    lines += usage(parser)
    if parser.description:
        lines += [escape(parser.description), ""]
    lines += [
        "Subcommands:",
        "",
        *(f"- :ref:`{n} <cli-{n}>` — {escape(text)}" for n, text, _ in subcommands(parser)),
        "",
    ]
    for name, help_, sub in subcommands(parser):
        lines += [f".. _cli-{name}:", ""]
        lines += heading(f"{prog} {name}", "-")
        lines += [escape(help_[:1].upper() + help_[1:]) + ".", ""] if help_ else []
        lines += [f".. program:: {prog} {name}", ""]
        lines += usage(sub)
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            lines += [f".. option:: {option_signature(action)}", ""]
            lines += indent(option_body(action))
    write_if_changed(out / "cli.rst", lines)
