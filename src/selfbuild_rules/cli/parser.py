"""The command line's parser: every command, option and help text.

The help texts are written in English here and looked up in the catalogs when printed
(:mod:`selfbuild_rules.cli.language`); the command-line reference in the docs and the
message extraction are generated from :func:`build_parser`.

>>> build_parser().parse_args(["catalog"]).command
'catalog'
"""

from __future__ import annotations

import argparse
from importlib import metadata
from typing import Any

from selfbuild_rules.cases import cli as _toolkit
from selfbuild_rules.cli import arguments, faults, language
from selfbuild_rules.cli import template as _template
from selfbuild_rules.service.command import add_parser as _add_serve

__all__ = ["FORMATS", "build_parser"]

FORMATS = ("table", "text", "json", "jsonl", "markdown", "html", "xlsx", "csv", "parquet")


def _version() -> str:
    try:
        return metadata.version("selfbuild-rules")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


_DEBUG = "on an internal error, show the traceback (the exit status is 3 either way)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also the source of the command-line reference)."""
    parser = language.Parser(
        prog="selfbuild-rules",
        description="Evaluate a leadership team's facts against a base regulation\n"
        "(by default the Tianjin 2018 regulation) and its local modules.",
        epilog=faults.exit_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the table as it is
    )
    parser.add_argument("--debug", action="store_true", help=_DEBUG)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    language.add_option(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_evaluate(commands)
    _add_others(commands)
    _template.add_parser(commands)
    _add_serve(commands)
    _toolkit.add_commands(commands)
    for sub in commands.choices.values():  # also after the command, where one adds it
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG)
        if "--lang" not in sub._option_string_actions:
            language.add_option(sub)
    return parser


def _add_evaluate(commands: Any) -> None:
    ev = commands.add_parser(
        "evaluate",
        help="evaluate a facts file for a period",
        epilog=faults.exit_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    arguments.facts_argument(ev, many=True)
    ev.add_argument(
        "--period", required=True, type=arguments.period, help="YYYY, YYYY-Qn or YYYY-MM"
    )
    ev.add_argument(
        "--as-of", help="date the facts are known to (YYYY-MM-DD); default today in China"
    )
    ev.add_argument(
        "--format",
        choices=FORMATS,
        help="report format (default: by the -o file's ending; json into a folder; table on a "
        "terminal; else text); csv and parquet: the results table",
    )
    ev.add_argument(
        "--indent",
        action="store_true",
        help="indent the JSON report for people (two spaces; default: compact)",
    )
    language.add_option(ev, help="language of the report and the messages: zh or en (default: "
                        "SELFBUILD_LANG, else the locale)")  # fmt: skip
    ev.add_argument(
        "--set",
        dest="parameters",
        action="append",
        type=arguments.parameter,
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable)",
    )
    ev.add_argument(
        "--rule",
        dest="rules",
        action="append",
        metavar="ID",
        help="evaluate only this rule (repeatable)",
    )
    ev.add_argument(
        "--subjects",
        action="append",
        type=arguments.subjects,
        metavar="ID",
        help="results only for these members, and the team's only if 'team' is named "
        "(repeatable or comma-separated; the report lists only these members)",
    )
    ev.add_argument(
        "--module",
        dest="modules",
        action="append",
        default=[],
        metavar="NAME",
        help="apply this installed local module (repeatable)",
    )
    ev.add_argument(
        "--module-order",
        action="store_true",
        help="the modules' order is intended: where two change one thing, the later wins",
    )
    ev.add_argument(
        "--fail-on",
        dest="fail_on",
        action="append",
        type=arguments.statuses,
        default=[],
        metavar="STATUS",
        help="exit 1 if any result has this status: non_compliant, pending, undetermined… "
        "(repeatable or comma-separated)",
    )
    ev.add_argument("--redact", action="store_true", help="replace member names with their ids")
    ev.add_argument(
        "--jobs",
        type=arguments.jobs,
        default=1,
        metavar="N",
        help="evaluate the members (or, given many shards, the shards) in N parallel "
        "processes, at most one a usable CPU (same report; default 1)",
    )
    ev.add_argument(
        "-o",
        "--output",
        help="write the report to this file instead of stdout; a folder (ending in /): "
        "one report per team",
    )
    ev.add_argument(
        "--trace",
        action="store_true",
        help="give each result the figures behind it, step by step, each citing its clause",
    )


def _add_others(commands: Any) -> None:
    """validate, schema, catalog, modules, regulations and explain."""
    va = commands.add_parser("validate", help="check a facts file; list every problem")
    arguments.facts_argument(va)
    va.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    sc = commands.add_parser("schema", help="print the JSON Schema of the facts format")
    sc.add_argument(
        "--lines", action="store_true", help="the schema of one JSON Lines line instead"
    )
    sc.add_argument("--cases", action="store_true", help="the schema of a case file instead")
    sc.add_argument("--report", action="store_true", help="the schema of the JSON report instead")
    sc.add_argument("-o", "--output", help="write the schema to this file instead of stdout")

    cat = commands.add_parser("catalog", help="list every provision of the regulation")
    cat.add_argument("--format", choices=("text", "json"), default="text")
    arguments.regulation_argument(cat)
    cat.add_argument(
        "--module",
        dest="modules",
        action="append",
        default=[],
        metavar="NAME",
        help="also list this installed module's changes and provisions (repeatable)",
    )

    mo = commands.add_parser(
        "modules", help="list installed local modules (without importing them)"
    )
    mo.add_argument("--format", choices=("text", "json"), default="text")

    re_ = commands.add_parser(
        "regulations", help="list installed base regulations (without importing them)"
    )
    re_.add_argument("--format", choices=("text", "json"), default="text")

    ex = commands.add_parser("explain", help="show one provision: text, rule, parameters")
    ex.add_argument("rule", help="provision id, e.g. 3.research-days")
    ex.add_argument("--format", choices=("text", "json"), default="text")
    arguments.regulation_argument(ex)
