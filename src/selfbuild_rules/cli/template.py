"""``selfbuild-rules template``: write a workbook for a clerk to fill in with a team's facts.

The workbook itself is made by :mod:`selfbuild_rules.cli.template_book`, imported only
when it is asked for, so that the command line starts without it.

>>> check_destination("team-2018.xls")
Traceback (most recent call last):
...
selfbuild_rules.cli.output.UsageError: team-2018.xls: a workbook's name must end in .xlsx
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from selfbuild_rules.cli.output import UsageError
from selfbuild_rules.internal.i18n import _, translated

if TYPE_CHECKING:
    from selfbuild_rules.facts.records import Facts
    from selfbuild_rules.law.periods import Period
    from selfbuild_rules.plugins.base import Base

__all__ = ["add_parser", "check_destination", "run", "template"]


def template(base: Base, period: Period, facts: Facts | None = None) -> bytes:
    """The workbook for ``period`` (the bytes of an ``.xlsx`` file): blank, or holding
    ``facts``' records.

    >>> from selfbuild_rules.evaluation import base_for
    >>> from selfbuild_rules.law.periods import Period
    >>> template(base_for(), Period.parse("2018"))[:2]
    b'PK'
    """
    from selfbuild_rules.cli.template_book import write_template

    return write_template(base, period, facts)


def add_parser(commands: Any) -> None:
    """Add the ``template`` command."""
    parser = commands.add_parser(
        "template",
        help="write an Excel workbook to fill in with a team's facts",
        description="Write an Excel workbook (.xlsx) to fill in: one sheet per category, "
        "drop-downs, and one row per judgment provision and subject to assess.",
    )
    parser.add_argument("--period", required=True, help="YYYY, YYYY-Qn or YYYY-MM")
    parser.add_argument("--facts", metavar="FILE", help="fill it with these facts (JSON or xlsx)")
    parser.add_argument(
        "--regulation", metavar="ID", help="the base regulation (default tianjin-2018)"
    )
    parser.add_argument("-o", "--output", help="the workbook to write (.xlsx)")


def run(args: argparse.Namespace, progress: Any) -> tuple[bytes, int]:
    """The ``template`` command: the workbook's bytes, to be written by the caller."""
    from selfbuild_rules.cli.lookup import base_of
    from selfbuild_rules.evaluation import load_facts
    from selfbuild_rules.law.periods import Period

    check_destination(args.output)
    try:
        period = Period.parse(args.period)
    except ValueError as exc:
        raise UsageError(f"--period: {translated(str(exc))}") from None
    base = base_of(args)
    facts = None
    if args.facts is not None:
        progress(_("reading facts"))
        facts = load_facts(args.facts, progress=progress.records, regulation=base)
    progress(_("writing the workbook"))
    return template(base, period, facts), 0


def check_destination(output: str | None) -> None:
    """A workbook is binary: refused on a terminal, written to a pipe or a redirect; a file
    must end in ``.xlsx``, the ending spreadsheet programs open it by."""
    if output is None and sys.stdout.isatty():
        raise UsageError(_("an .xlsx workbook is binary: name a file with -o, or redirect stdout"))
    if output is not None and not output.lower().endswith(".xlsx"):
        raise UsageError(_("{path}: a workbook's name must end in .xlsx").format(path=output))
