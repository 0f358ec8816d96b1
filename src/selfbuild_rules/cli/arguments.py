"""Reading the command line's values: parameters, periods, job counts, statuses, facts.

Each turns a text into a value or raises :class:`argparse.ArgumentTypeError`, which the
parser reports after its usage line (exit status 2).

>>> parameter("relay.deadline_days=10"), statuses("pending,non_compliant")
(('relay.deadline_days', 10), ['pending', 'non_compliant'])
"""

from __future__ import annotations

import argparse
import json

from selfbuild_rules.engine.results import Status
from selfbuild_rules.engine.setup import MAX_JOBS
from selfbuild_rules.internal.i18n import _, translated
from selfbuild_rules.internal.text import quoted
from selfbuild_rules.law.periods import Period

__all__ = [
    "FAIL_ON",
    "facts_argument",
    "jobs",
    "parameter",
    "period",
    "regulation_argument",
    "statuses",
    "subjects",
]

FAIL_ON = tuple(s.value for s in Status)


def parameter(text: str) -> tuple[str, object]:
    name, sep, raw = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(_("{text}: use NAME=VALUE").format(text=quoted(text)))
    try:
        value: object = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON (or nested past reading): the text
        value = raw
    return name.strip(), value


def period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(translated(str(exc))) from None


def jobs(text: str) -> int:
    # ASCII digits only: int() would also read "1_0" and other scripts' digits.
    value = int(text) if text.isascii() and text.isdigit() and len(text) < 6 else 0
    if not 1 <= value <= MAX_JOBS:
        told = _("{text}: use a whole number from 1 to {most}")
        raise argparse.ArgumentTypeError(told.format(text=quoted(text), most=MAX_JOBS))
    return value


def statuses(text: str) -> list[str]:
    found = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in found if s not in FAIL_ON]
    if unknown or not found:
        told = _("{text}: use one or more of {statuses} (comma-separated)")
        raise argparse.ArgumentTypeError(
            told.format(text=quoted(text), statuses=", ".join(FAIL_ON))
        )
    return found


def subjects(text: str) -> list[str]:
    found = [s.strip() for s in text.split(",") if s.strip()]
    if not found:
        told = _("{text}: use member ids or team, comma-separated")
        raise argparse.ArgumentTypeError(told.format(text=quoted(text)))
    return found


def facts_argument(parser: argparse.ArgumentParser, many: bool = False) -> None:
    what = (
        "facts file: JSON, JSON Lines if it ends in .jsonl/.ndjson, an Excel workbook if it "
        "ends in .xlsx; - for stdin"
    )
    if many:
        what += "; or many teams' shards: a folder of them, several files, a quoted glob"
    parser.add_argument("facts", nargs="+" if many else None, help=what)
    parser.add_argument(
        "--input-format",
        choices=("json", "jsonl", "xlsx"),
        help="read the facts as this (default: by the file name's ending; stdin: json)",
    )
    regulation_argument(parser)


def regulation_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--regulation",
        metavar="ID",
        help="the base regulation (default: the one the modules extend, else tianjin-2018; "
        "see 'selfbuild-rules regulations')",
    )
