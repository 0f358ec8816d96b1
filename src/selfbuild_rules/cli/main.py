"""The ``selfbuild-rules`` command line: evaluate, validate, schema, catalog, explain.

Exit status (the table ``--help`` ends with, from :mod:`selfbuild_rules.cli.faults`)::

  0    done (evaluate: whatever the statuses of the results)
  1    evaluate --fail-on: a result has one of the statuses named
  2    bad input or usage: one "error:" line per problem
  3    internal error, or a worker process failed: one "error:" line
  129  hung up (SIGHUP)
  130  interrupted (SIGINT, Ctrl-C)
  141  standard output was closed early (piped into head, say)
  143  terminated (SIGTERM)

A problem is told in one line on stderr and never with a traceback, except that
``--debug`` adds the traceback of an internal error. ``-o`` writes through a temporary
file and renames it onto the target, so on an error or a signal the target is left as
it was and the temporary file removed (only SIGKILL, which nothing can catch, leaves
the hidden ``.NAME.XXXXXXXX`` behind); it replaces only a regular file with one name.

Every line meant for a person (errors, ``validate``, the text forms) is made
:func:`~selfbuild_rules.internal.text.printable`; JSON output is written faithfully,
a lone surrogate as the JSON escape ``\\ud800``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from selfbuild_rules.cases import cli as _toolkit
from selfbuild_rules.cli import faults, language, lookup, teams
from selfbuild_rules.cli import template as _template
from selfbuild_rules.cli.lookup import base_of
from selfbuild_rules.cli.output import (
    Output,
    UsageError,
    json_text,
    replaceable,
    write_atomically,
)
from selfbuild_rules.cli.parser import build_parser
from selfbuild_rules.cli.progress import Progress
from selfbuild_rules.cli.shards import ShardError, is_folder, shards_of
from selfbuild_rules.engine.parallel import start_method
from selfbuild_rules.engine.run import prepared, results
from selfbuild_rules.engine.setup import Options, Setup
from selfbuild_rules.evaluation import load_facts, setup_for
from selfbuild_rules.facts.digest import Digest
from selfbuild_rules.facts.loading import FactsError, is_lines, is_workbook
from selfbuild_rules.facts.records import CATEGORIES, Facts
from selfbuild_rules.facts.schema import facts_line_schema, facts_schema
from selfbuild_rules.internal import i18n
from selfbuild_rules.internal.i18n import _, ngettext
from selfbuild_rules.law.periods import parse_day
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.report.document import Report
from selfbuild_rules.report.in_parts import json_report_in_parts
from selfbuild_rules.report.results_table import TABLE_FORMATS, Table, run_pieces
from selfbuild_rules.report.stream import LAYOUTS, Streamed, json_report, layout_of
from selfbuild_rules.service.command import serve as _serve

__all__ = ["main"]

_BY_SUFFIX = {".json": "json", ".html": "html", ".htm": "html", ".md": "markdown"}
_BY_SUFFIX |= {".markdown": "markdown", ".txt": "text", ".csv": "csv", ".parquet": "parquet"}
_BY_SUFFIX |= {".xlsx": "xlsx", ".jsonl": "jsonl"}

#: The exit status of a command, or how to tell it once its output has been written.
ExitStatus = int | Callable[[], int]


def _lines(args: argparse.Namespace) -> bool | None:
    return None if args.input_format is None else args.input_format == "jsonl"


def _load(
    args: argparse.Namespace,
    progress: Progress,
    base: Base,
    named: str,
    digest: Digest | None = None,
) -> Facts:
    lines = _lines(args)
    source: Any = named
    if named == "-":
        source = sys.stdin.buffer
    progress(_("reading facts"))
    return load_facts(
        source, lines=lines, progress=progress.records, regulation=base,
        input_format=args.input_format, digest=digest,
    )  # fmt: skip


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if is_folder(args.output):
        return "json"
    if args.output:
        return _BY_SUFFIX.get(Path(args.output).suffix.lower(), "text")
    return "table" if sys.stdout.isatty() else "text"


def _color(args: argparse.Namespace) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if args.output or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _render(report: Report, form: str, args: argparse.Namespace) -> Output:
    if form == "xlsx":
        return report.to_xlsx(args.lang)
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
            raise UsageError(f"--as-of: {i18n.translated(str(exc))}") from None
    try:
        options = Options.of(
            args.period, as_of, parameters=dict(args.parameters), rules=args.rules,
            subjects=_flat(args.subjects), modules=args.modules,
            module_order=args.module_order, jobs=args.jobs, trace=args.trace,
        )  # fmt: skip
        return setup_for(options, args.regulation)
    except ValueError as exc:  # bad parameters or modules (ModuleError)
        raise UsageError(str(exc)) from None


def _flat(groups: list[list[str]] | None) -> list[str] | None:
    return None if groups is None else [item for group in groups for item in group]


def _evaluate(args: argparse.Namespace, progress: Progress) -> tuple[Output, ExitStatus]:
    setup = _setup(args)
    failing = {s for group in args.fail_on for s in group}
    if setup.options.jobs < args.jobs:  # said in a log too: it was asked for, not done
        used = setup.options.jobs
        note = ngettext(
            "note: --jobs {asked}: only {used} CPU is usable here; evaluating in {used} process",
            "note: --jobs {asked}: only {used} CPUs are usable here; "
            "evaluating in {used} processes",
            used,
        )
        faults.say(note.format(asked=args.jobs, used=used))
    form = _format(args)
    if form in TABLE_FORMATS:
        teams.table_form(form)  # a missing extra is said before any work
    if form == "parquet" and args.output is None:
        raise UsageError(_("--format parquet: name the file to write with -o"))
    shards = shards_of(args.facts)
    if shards is None and is_folder(args.output):
        if args.facts == ["-"]:
            told = _("-o names a folder: a report read from standard input needs a file")
            raise UsageError(told)
        shards = list(args.facts)  # one team, written into a folder
    if shards is not None and "xlsx" in (form, args.input_format):
        raise UsageError(_("xlsx: one team at a time (one facts file, and -o FILE.xlsx)"))
    if form == "xlsx":
        _template.check_destination(args.output)  # before the work, not after it
    if shards is not None:
        ready = _ready(teams.Job.of(setup, form, lang=args.lang, redact=args.redact,
                                    lines=_lines(args), indent=args.indent))  # fmt: skip
        text, counts = teams.evaluate_many(ready, shards, args.output, setup.options.jobs, progress)
        return text, lambda: int(any(counts()[s] for s in failing))
    if form in LAYOUTS:
        parted = _in_parts(args, setup, form, progress)
        if parted is not None:
            return parted, lambda: int(any(parted.counts[s] for s in failing))
    digest = Digest()
    facts = _load(args, progress, setup.base, args.facts[0], digest)
    count = f"{len(facts.members):,}"
    if form in LAYOUTS:
        told = _("evaluating {count} members, writing the {form} report")
        progress(told.format(count=count, form=form))
    else:
        progress(_("evaluating {count} members").format(count=count))
    try:
        if form in TABLE_FORMATS:
            run = prepared(facts, setup)
            table = Table(form, lambda: run_pieces(run, form))
            return table, lambda: int(any(table.counts[s] for s in failing))
        if form in LAYOUTS:  # written as it is evaluated: never held whole
            streamed = json_report(facts, setup, redact=args.redact, digest=digest.value(),
                                   layout=layout_of(form, args.indent))  # fmt: skip
            return streamed, lambda: int(any(streamed.counts[s] for s in failing))
        run = prepared(facts, setup)
    except ValueError as exc:  # bad rules, or modules that do not apply (ModuleError)
        raise UsageError(str(exc)) from None
    report = Report.of(run, results(run), digest.value())
    if args.redact:
        report = report.redacted()
    progress(_("writing the {form} report").format(form=form))
    status = int(any(r.status.value in failing for r in report.results))
    return _render(report, form, args), status


def _in_parts(
    args: argparse.Namespace, setup: Setup, form: str, progress: Progress
) -> Streamed | None:
    """The report of one large JSON document written into a file by ``--jobs`` workers
    that each load their own members' records (see :mod:`selfbuild_rules.report.in_parts`), if
    it can be."""
    named, layout = args.facts[0], layout_of(form, args.indent)
    document = args.input_format == "json" or not (
        args.input_format or is_lines(named) or is_workbook(named)
    )
    if named == "-" or args.output in (None, "-") or not document or start_method() != "fork":
        return None

    def whole() -> Streamed:
        digest = Digest()
        facts = _load(args, progress, setup.base, named, digest)
        return json_report(facts, setup, redact=args.redact, digest=digest.value(), layout=layout)

    progress(_("reading facts"))
    try:
        parted = json_report_in_parts(named, setup, whole, redact=args.redact, layout=layout)
    except OSError:
        return None  # said by the whole load, which reads it again
    except ValueError as exc:  # bad rules, or modules that do not apply (ModuleError)
        raise UsageError(str(exc)) from None
    if parted is not None:
        told = _("evaluating {count} members, writing the {form} report")
        progress(told.format(count=f"{len(parted.run.members):,}", form=form))
    return parted


def _ready(job: teams.Job) -> teams.Ready:
    try:
        return teams.Ready.of(job)
    except ValueError as exc:  # bad rules, or modules that do not apply (ModuleError)
        raise UsageError(str(exc)) from None


def _validate(args: argparse.Namespace, progress: Progress) -> tuple[str, int]:
    base = base_of(args)
    try:
        facts = _load(args, progress, base, args.facts)
    except FactsError as exc:
        if args.format == "json":
            found = [attrs.asdict(p) for p in exc.problems]
            document = {"valid": False, "problems": found}
            return json_text(document), 2
        count = len(exc.problems)
        tail = ngettext("invalid: {count} problem", "invalid: {count} problems", count)
        lines = "".join(f"{faults.problem_line(p)}\n" for p in exc.problems)
        return lines + tail.format(count=count) + "\n", 2
    counts = {c: None if getattr(facts, c) is None else len(getattr(facts, c)) for c in CATEGORIES}
    if args.format == "json":
        document = {"valid": True, "counts": counts}
        return json_text(document), 0
    given = ", ".join(f"{c} {n:,}" for c, n in counts.items() if n is not None)
    absent = [c for c, n in counts.items() if n is None]
    if absent:
        told = _("valid: {counts}; not supplied: {categories}")
        return told.format(counts=given, categories=", ".join(absent)) + "\n", 0
    return _("valid: {counts}").format(counts=given) + "\n", 0


def _schema(args: argparse.Namespace, _progress: Progress) -> tuple[str, int]:
    if args.cases:
        return _toolkit.schema_text(), 0
    if args.report:
        from selfbuild_rules.report.schema import report_schema

        return json_text(report_schema()), 0
    schema = facts_line_schema() if args.lines else facts_schema()
    return json_text(schema), 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = i18n.chosen(language.given(argv), os.environ)
    with i18n.use(lang):
        with language.argparse_speaking(lang):
            args = build_parser().parse_args(argv)
        args.lang = lang  # the report's too
        return _guarded(args)


def _guarded(args: argparse.Namespace) -> int:
    progress = Progress()
    with faults.signals_raised():
        try:
            return _run(args, progress)
        except faults.Signalled as exc:  # a report being written has been removed
            progress.done()
            return faults.interrupted(exc)


def _run(args: argparse.Namespace, progress: Progress) -> int:
    handlers = {
        "evaluate": _evaluate,
        "validate": _validate,
        "schema": _schema,
        "template": _template.run,
        "catalog": lookup.catalog,
        "explain": lookup.explain,
        "modules": lookup.modules,
        "regulations": lookup.regulations,
        "serve": _serve,
        **_toolkit.HANDLERS,
    }
    try:
        output = getattr(args, "output", None)
        folder = args.command == "evaluate" and is_folder(output)
        if output is not None and not folder:
            replaceable(output)  # refused before the work, not after it
        text, status = handlers[args.command](args, progress)
        if output is None:
            progress.done()  # the status line must not run into what is written
        if not folder:  # a folder of reports has been written by now
            write_atomically(text, output)  # a JSON report is still being evaluated here
        progress.done()
    except (FactsError, ShardError) as exc:
        progress.done()
        told = faults.problem_line
        lines = exc.lines(told) if isinstance(exc, ShardError) else map(told, exc.problems)
        for line in lines:
            faults.error(line)
        return faults.USAGE
    except BrokenPipeError:  # whoever read stdout has had enough: nothing to say
        return faults.broken_pipe()
    except (UsageError, OSError) as exc:
        progress.done()
        faults.error(i18n.translated(str(exc)))
        return faults.USAGE
    except Exception as exc:  # a bug, here or in a module's rule, or a failed worker
        progress.done()
        return faults.internal_error(exc, args.debug)
    return status if isinstance(status, int) else status()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
