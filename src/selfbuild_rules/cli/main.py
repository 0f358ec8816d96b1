"""The ``selfbuild-rules`` command line: evaluate, validate, schema, catalog, explain.

Exit status: 0 when the command did its work (whatever the compliance found), 1 when
``--fail-on`` names a status some result has, 2 for bad input or usage, with one line
per problem on stderr and never a traceback. ``-o`` writes through a temporary file,
so on any error no partial file exists.

Every line meant for a person (errors, ``validate``, the text forms) is made
:func:`~selfbuild_rules.internal.text.printable`; JSON output is written faithfully,
a lone surrogate as the JSON escape ``\\ud800``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from selfbuild_rules.cli.output import Output, UsageError, write_atomically
from selfbuild_rules.cli.progress import Progress
from selfbuild_rules.engine.results import Status
from selfbuild_rules.engine.run import prepared, results
from selfbuild_rules.engine.setup import MAX_JOBS, Setup
from selfbuild_rules.evaluation import base_for, load_facts, setup_for
from selfbuild_rules.facts.loading import FactsError
from selfbuild_rules.facts.records import CATEGORIES, Facts
from selfbuild_rules.facts.schema import facts_line_schema, facts_schema
from selfbuild_rules.internal.text import printable, printable_lines, quoted
from selfbuild_rules.law.periods import Period, parse_day
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.discovery import installed_modules, installed_regulations, load_module
from selfbuild_rules.plugins.modules import Module, ModuleError, NewProvision
from selfbuild_rules.report import catalog as _catalog
from selfbuild_rules.report.document import Report
from selfbuild_rules.report.stream import json_report
from selfbuild_rules.rules.ruleset import Rule

__all__ = ["build_parser", "main"]

FORMATS = ("table", "text", "json", "markdown", "html")
_BY_SUFFIX = {".json": "json", ".html": "html", ".htm": "html", ".md": "markdown"}
_BY_SUFFIX |= {".markdown": "markdown", ".txt": "text"}
FAIL_ON = tuple(s.value for s in Status)

#: The exit status of a command, or how to tell it once its output has been written.
ExitStatus = int | Callable[[], int]


def _json(document: object) -> str:
    """Indented JSON, UTF-8 as is; a lone surrogate (which UTF-8 cannot hold, but a
    problem path may) written as its JSON escape, the only place it can stand."""
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _parameter(text: str) -> tuple[str, object]:
    name, sep, raw = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"{quoted(text)}: use NAME=VALUE")
    try:
        value: object = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON (or nested past reading): the text
        value = raw
    return name.strip(), value


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _jobs(text: str) -> int:
    # ASCII digits only: int() would also read "1_0" and other scripts' digits.
    value = int(text) if text.isascii() and text.isdigit() and len(text) < 6 else 0
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{quoted(text)}: use a whole number from 1 to {MAX_JOBS}")
    return value


def _statuses(text: str) -> list[str]:
    found = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in found if s not in FAIL_ON]
    if unknown or not found:
        raise argparse.ArgumentTypeError(
            f"{quoted(text)}: use one or more of {', '.join(FAIL_ON)} (comma-separated)"
        )
    return found


def _facts_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "facts", help="facts file: JSON, or JSON Lines if it ends in .jsonl/.ndjson; - for stdin"
    )
    parser.add_argument(
        "--input-format",
        choices=("json", "jsonl"),
        help="read the facts as this (default: by the file name's ending; stdin: json)",
    )
    _regulation_argument(parser)


def _regulation_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--regulation",
        metavar="ID",
        help="the base regulation (default: the one the modules extend, else tianjin-2018; "
        "see 'selfbuild-rules regulations')",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also the source of the command-line reference)."""
    parser = argparse.ArgumentParser(
        prog="selfbuild-rules",
        description="Evaluate a leadership team's facts against a base regulation "
        "(by default the Tianjin 2018 regulation) and its local modules.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ev = commands.add_parser("evaluate", help="evaluate a facts file for a period")
    _facts_argument(ev)
    ev.add_argument("--period", required=True, type=_period, help="YYYY, YYYY-Qn or YYYY-MM")
    ev.add_argument(
        "--as-of", help="date the facts are known to (YYYY-MM-DD); default today in China"
    )
    ev.add_argument(
        "--format",
        choices=FORMATS,
        help="report format (default: by the -o file's ending; table on a terminal; else text)",
    )
    ev.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the report")
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
        type=_statuses,
        default=[],
        metavar="STATUS",
        help="exit 1 if any result has this status: non_compliant, pending, undetermined… "
        "(repeatable or comma-separated)",
    )
    ev.add_argument("--redact", action="store_true", help="replace member names with their ids")
    ev.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="evaluate the members in N parallel processes (same report; default 1)",
    )
    ev.add_argument("-o", "--output", help="write the report to this file instead of stdout")

    va = commands.add_parser("validate", help="check a facts file; list every problem")
    _facts_argument(va)
    va.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    sc = commands.add_parser("schema", help="print the JSON Schema of the facts format")
    sc.add_argument(
        "--lines", action="store_true", help="the schema of one JSON Lines line instead"
    )
    sc.add_argument("-o", "--output", help="write the schema to this file instead of stdout")

    cat = commands.add_parser("catalog", help="list every provision of the regulation")
    cat.add_argument("--format", choices=("text", "json"), default="text")
    _regulation_argument(cat)
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
    _regulation_argument(ex)
    return parser


def _base(args: argparse.Namespace, modules: list[Module] | None = None) -> Base:
    try:
        return base_for(args.regulation, modules or ())
    except ModuleError as exc:
        raise UsageError(str(exc)) from None


def _load(args: argparse.Namespace, progress: Progress, base: Base) -> Facts:
    lines = None if args.input_format is None else args.input_format == "jsonl"
    source: Any = args.facts
    if args.facts == "-":
        source = sys.stdin.buffer
    progress("reading facts")
    return load_facts(source, lines=lines, progress=progress.records, regulation=base)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return _BY_SUFFIX.get(Path(args.output).suffix.lower(), "text")
    return "table" if sys.stdout.isatty() else "text"


def _color(args: argparse.Namespace) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if args.output or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _render(report: Report, form: str, args: argparse.Namespace) -> Output:
    if form == "html":
        return report.to_html(args.lang)
    if form == "markdown":
        return report.to_markdown(args.lang)
    if form == "table":
        return report.to_table(args.lang, color=_color(args))
    return report.to_text(args.lang)


def _setup(args: argparse.Namespace) -> Setup:
    as_of = args.as_of
    if as_of is not None:
        try:
            as_of = parse_day(as_of)
        except ValueError as exc:
            raise UsageError(f"--as-of: {exc}") from None
    try:
        return setup_for(
            args.period, as_of, parameters=dict(args.parameters), rules=args.rules,
            modules=args.modules, module_order=args.module_order, jobs=args.jobs,
            regulation=args.regulation,
        )  # fmt: skip
    except ValueError as exc:  # bad parameters or modules (ModuleError)
        raise UsageError(str(exc)) from None


def _evaluate(args: argparse.Namespace, progress: Progress) -> tuple[Output, ExitStatus]:
    setup = _setup(args)
    facts = _load(args, progress, setup.base)
    form = _format(args)
    doing = f"evaluating {len(facts.members):,} members"
    progress(f"{doing}, writing the json report" if form == "json" else doing)
    failing = {s for group in args.fail_on for s in group}
    try:
        if form == "json":  # written as it is evaluated: never held whole
            streamed = json_report(facts, setup, redact=args.redact)
            return streamed, lambda: int(any(streamed.counts[s] for s in failing))
        run = prepared(facts, setup)
    except ValueError as exc:  # bad rules, or modules that do not apply (ModuleError)
        raise UsageError(str(exc)) from None
    report = Report.of(run, results(run))
    if args.redact:
        report = report.redacted()
    progress(f"writing the {form} report")
    status = int(any(r.status.value in failing for r in report.results))
    return _render(report, form, args), status


def _validate(args: argparse.Namespace, progress: Progress) -> tuple[str, int]:
    base = _base(args)
    try:
        facts = _load(args, progress, base)
    except FactsError as exc:
        if args.format == "json":
            found = [attrs.asdict(p) for p in exc.problems]
            document = {"valid": False, "problems": found}
            return _json(document), 2
        count = len(exc.problems)
        tail = f"invalid: {count} problem{'s' if count != 1 else ''}"
        return "".join(f"{p}\n" for p in exc.problems) + tail + "\n", 2
    counts = {c: None if getattr(facts, c) is None else len(getattr(facts, c)) for c in CATEGORIES}
    if args.format == "json":
        document = {"valid": True, "counts": counts}
        return _json(document), 0
    given = ", ".join(f"{c} {n:,}" for c, n in counts.items() if n is not None)
    absent = [c for c, n in counts.items() if n is None]
    tail = f"; not supplied: {', '.join(absent)}" if absent else ""
    return f"valid: {given}{tail}\n", 0


def _schema(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    schema = facts_line_schema() if args.lines else facts_schema()
    return _json(schema), 0


def _module(name: str) -> Module:
    try:
        return load_module(name)
    except ModuleError as exc:
        raise UsageError(str(exc)) from None


def _explain(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    rule: Rule | None = None
    base = _base(args)
    try:
        provision = base.regulation.provision(args.rule)
    except KeyError:
        # A module's provision names its module (``example-district/4.x``): load just that one.
        module_id, _, _ = args.rule.partition("/")
        own = [c for c in _module(module_id).changes if isinstance(c, NewProvision)] if _ else []
        found = [c for c in own if c.provision.id == args.rule]
        if not found:
            raise UsageError(
                f"{args.rule}: no such provision (see 'selfbuild-rules catalog')"
            ) from None
        provision, rule = found[0].provision, found[0].rule
    if args.format == "json":
        entry = _catalog.describe(base, provision, rule)
        return _json(entry), 0
    return printable_lines(_catalog.explain_text(base, provision, rule)), 0


def _catalog_command(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    modules = [_module(name) for name in args.modules]
    base = _base(args, modules)
    if args.format == "json":
        document = _catalog.catalog(base)
        document["modules"] = [_catalog.module_entry(base, m) for m in modules]
        return _json(document), 0
    blocks = [_catalog.catalog_text(base), *(_catalog.module_text(base, m) for m in modules)]
    return printable_lines("\n".join(blocks)), 0


def _listing(installed: dict[str, str], form: str, none: str) -> tuple[str, int]:
    if form == "json":
        document = [{"id": name, "entry_point": where} for name, where in installed.items()]
        return _json(document), 0
    if not installed:
        return none + "\n", 0
    return "".join(printable(f"{name:<28} {where}") + "\n" for name, where in installed.items()), 0


def _modules(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    try:
        installed = installed_modules()  # read from package metadata: nothing is imported
    except ModuleError as exc:
        raise UsageError(str(exc)) from None
    return _listing(installed, args.format, "no local modules installed")


def _regulations(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    try:
        installed = installed_regulations()
    except ModuleError as exc:
        raise UsageError(str(exc)) from None
    return _listing(installed, args.format, "no base regulations installed")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    handlers = {
        "evaluate": _evaluate,
        "validate": _validate,
        "schema": _schema,
        "catalog": _catalog_command,
        "explain": _explain,
        "modules": _modules,
        "regulations": _regulations,
    }
    progress = Progress()
    try:
        text, status = handlers[args.command](args, progress)
        output = getattr(args, "output", None)
        if output is None:
            progress.done()  # the status line must not run into what is written
        write_atomically(text, output)  # a JSON report is still being evaluated here
        progress.done()
    except FactsError as exc:
        progress.done()
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)  # a Problem escapes itself
        return 2
    except (UsageError, OSError) as exc:
        progress.done()
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 2
    return status if isinstance(status, int) else status()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
