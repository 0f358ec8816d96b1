"""The toolkit's commands: ``test``, ``compare``, ``new-module`` and ``schema --cases``.

:func:`add_commands` adds them to the command line's parser and :data:`HANDLERS` runs
them, so the command line itself only names this module.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfbuild_rules.cases.comparison import Comparison, Side, compare
from selfbuild_rules.cases.files import SUFFIX, case_files
from selfbuild_rules.cli.output import UsageError
from selfbuild_rules.facts.loading import FactsError
from selfbuild_rules.internal.i18n import _, translated

if TYPE_CHECKING:
    from selfbuild_rules.cases.format import CaseFile

# The parser of case files needs PyYAML, about a tenth of the command line's start-up:
# the handlers that read case files import it, so other commands never pay for it.

__all__ = ["HANDLERS", "add_commands", "schema_text"]

_BY_SUFFIX = {".json": "json", ".html": "html", ".htm": "html", ".md": "markdown"}


def schema_text() -> str:
    """The case-file format's JSON Schema, as ``schema --cases`` prints it."""
    from selfbuild_rules.cases.schema import cases_schema

    return json.dumps(cases_schema(), ensure_ascii=False, indent=2) + "\n"


def add_commands(commands: Any) -> None:
    """Add ``test``, ``compare`` and ``new-module`` to the subcommands ``commands``."""
    te = commands.add_parser("test", help=f"run the {SUFFIX} case files under the paths")
    te.add_argument("paths", nargs="+", metavar="PATH", help="case files, or folders to search")

    co = commands.add_parser("compare", help="what changes between two sets of modules/values")
    co.add_argument("facts", help="facts file (JSON)")
    co.add_argument("--period", required=True, help="YYYY, YYYY-Qn or YYYY-MM")
    co.add_argument("--as-of", help="date the facts are known to (default today in China)")
    for side in ("left", "right"):
        co.add_argument(
            f"--{side}", metavar="SPEC",
            help="the side's modules and values: module=ID,set=NAME=VALUE,… (each item "
            "repeatable; none or empty: the base alone)",
        )  # fmt: skip
    co.add_argument("--rule", dest="rules", action="append", metavar="ID",
                    help="compare only this rule (repeatable)")  # fmt: skip
    co.add_argument("--regulation", metavar="ID", help="the base regulation")
    co.add_argument("--format", choices=("table", "json", "markdown", "html"),
                    help="default: by the -o file's ending, else table")  # fmt: skip
    co.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                    help="language of the reasons and the messages: zh or en (default: "
                    "SELFBUILD_LANG, else the locale)")  # fmt: skip
    co.add_argument("-o", "--output", help="write to this file instead of stdout")

    nm = commands.add_parser("new-module", help="write a ready local-module package skeleton")
    nm.add_argument("name", help="the module id, e.g. my-district (lowercase, digits, -)")
    nm.add_argument("--dir", help="the new folder to write (default: ./NAME); must not exist")


def _loaded(paths: list[str]) -> list[CaseFile]:
    from selfbuild_rules.cases.format import load
    from selfbuild_rules.cases.nodes import CaseFileError

    try:
        files = case_files(paths)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    if not files:
        told = _("no {suffix} files under {paths}")
        raise UsageError(told.format(suffix=SUFFIX, paths=" ".join(paths)))
    errors, loaded = [], []
    for path in files:
        try:
            loaded.append(load(path))
        except CaseFileError as exc:
            errors.append(translated(str(exc)))  # each told here: main tells one line
    if errors:  # every malformed file, one line each (the first carries main's prefix)
        raise UsageError(("\n" + _("error: {message}")).format(message="").join(errors))
    return loaded


def _test(args: argparse.Namespace, _progress: object) -> tuple[Iterator[bytes], Callable[[], int]]:
    from selfbuild_rules.cases.nodes import CaseFileError
    from selfbuild_rules.cases.runner import run_case

    loaded = _loaded(args.paths)
    counts = {"passed": 0, "failed": 0, "errors": 0}

    def lines() -> Iterator[bytes]:  # written as the cases run
        for file in loaded:
            yield f"{file.path}\n".encode()
            for case in file.cases:
                try:
                    outcome = run_case(case)
                except CaseFileError as exc:
                    counts["errors"] += 1
                    told = _("error: {message}").format(message=translated(str(exc)))
                    print(told, file=sys.stderr)
                    continue
                counts["passed" if outcome.passed else "failed"] += 1
                text = [outcome.line(), *outcome.details()]
                yield "".join(f"{t}\n" for t in text).encode()
        # English in every language: CI tooling reads this line.
        yield f"{counts['passed']} passed, {counts['failed']} failed\n".encode()

    def status() -> int:
        return 2 if counts["errors"] else int(counts["failed"] > 0)

    return lines(), status


def _side(text: str, which: str) -> Side:
    try:
        return Side.parse(text)
    except ValueError as exc:
        raise UsageError(f"--{which}: {exc}") from None


def _render(comparison: Comparison, form: str, lang: str) -> str:
    if form == "json":
        return comparison.to_json()
    if form == "markdown":
        return comparison.to_markdown(lang)
    if form == "html":
        return comparison.to_html(lang)
    return comparison.to_table(lang)


def _compare(args: argparse.Namespace, _progress: object) -> tuple[str, int]:
    left, right = _side(args.left or "", "left"), _side(args.right or "", "right")
    if args.as_of is not None:
        try:
            _dt.date.fromisoformat(args.as_of)
        except ValueError:
            told = _("--as-of: {value} is not a date (YYYY-MM-DD)")
            raise UsageError(told.format(value=repr(args.as_of))) from None
    try:
        comparison = compare(
            args.facts, args.period, args.as_of, left=left, right=right, rules=args.rules,
            regulation=args.regulation,
        )  # fmt: skip
    except FactsError:
        raise
    except ValueError as exc:  # period, parameters, modules (ModuleError), rules
        raise UsageError(str(exc)) from None
    form = args.format or _BY_SUFFIX.get(Path(args.output or "").suffix.lower(), "table")
    return _render(comparison, form, args.lang), 0


def _new_module(args: argparse.Namespace, _progress: object) -> tuple[str, int]:
    from selfbuild_rules.cases.scaffold import ScaffoldError, scaffold

    target = Path(args.dir or args.name)
    try:
        written = scaffold(args.name, target)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    listed = "".join(f"  {p.relative_to(target).as_posix()}\n" for p in written)
    steps = _("next: pip install -e {folder} && cd {folder} && selfbuild-rules test cases")
    return _("wrote {folder}/").format(
        folder=target
    ) + f"\n{listed}{steps.format(folder=target)}\n", 0


#: The handlers, by command (the command line's own signature: args, progress).
HANDLERS: dict[str, Callable[..., Any]] = {
    "test": _test,
    "compare": _compare,
    "new-module": _new_module,
}
