"""The ``selfbuild-rules`` command line: evaluate, catalog, explain.

Bad input or usage exits with status 2 and one line per problem on stderr, never a
traceback; ``-o`` writes through a temporary file so no partial report is left.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import _catalog
from ._tianjin2018 import TIANJIN_2018
from .engine import evaluate
from .loading import FactsError
from .periods import Period

__all__ = ["build_parser", "main"]


class UsageError(Exception):
    """A problem with how the command was called (exit status 2)."""


def _parameter(text: str) -> tuple[str, object]:
    name, sep, raw = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r}: use NAME=VALUE")
    try:
        value: object = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return name.strip(), value


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also the source of the command-line reference)."""
    parser = argparse.ArgumentParser(
        prog="selfbuild-rules",
        description="Evaluate a leadership team's facts against the Tianjin 2018 regulation.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ev = commands.add_parser("evaluate", help="evaluate a facts file for a period")
    ev.add_argument("facts", help="facts file (selfbuild-rules.facts/1 JSON)")
    ev.add_argument("--period", required=True, type=_period, help="YYYY, YYYY-Qn or YYYY-MM")
    ev.add_argument(
        "--as-of", help="date the facts are known to (YYYY-MM-DD); default today in China"
    )
    ev.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    ev.add_argument("--lang", choices=("zh", "en"), default="en", help="language of text output")
    ev.add_argument(
        "--set",
        dest="parameters",
        action="append",
        type=_parameter,
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
    ev.add_argument("-o", "--output", help="write the report to this file instead of stdout")

    cat = commands.add_parser("catalog", help="list every provision of the regulation")
    cat.add_argument("--format", choices=("text", "json"), default="text")

    ex = commands.add_parser("explain", help="show one provision: text, rule, parameters")
    ex.add_argument("rule", help="provision id, e.g. 3.research-days")
    ex.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    target = Path(output)
    handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _evaluate(args: argparse.Namespace) -> str:
    as_of = args.as_of
    if as_of is not None:
        try:
            as_of = _dt.date.fromisoformat(as_of)
        except ValueError:
            raise UsageError(f"--as-of: {args.as_of!r} is not a date (YYYY-MM-DD)") from None
    try:
        report = evaluate(
            args.facts, args.period, as_of, parameters=dict(args.parameters), rules=args.rules
        )
    except ValueError as exc:
        if isinstance(exc, FactsError):
            raise
        raise UsageError(str(exc)) from None
    return report.to_json() if args.format == "json" else report.to_text(args.lang)


def _explain(args: argparse.Namespace) -> str:
    try:
        provision = TIANJIN_2018.provision(args.rule)
    except KeyError:
        raise UsageError(
            f"{args.rule}: no such provision (see 'selfbuild-rules catalog')"
        ) from None
    if args.format == "json":
        return json.dumps(_catalog.describe(provision), ensure_ascii=False, indent=2) + "\n"
    return _catalog.explain_text(provision)


def _catalog_command(args: argparse.Namespace) -> str:
    if args.format == "json":
        return json.dumps(_catalog.catalog(), ensure_ascii=False, indent=2) + "\n"
    return _catalog.catalog_text()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    handlers = {"evaluate": _evaluate, "catalog": _catalog_command, "explain": _explain}
    try:
        text = handlers[args.command](args)
        _write(text, getattr(args, "output", None))
    except FactsError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except (UsageError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
