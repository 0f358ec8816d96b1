"""Evaluate the example facts of a fictional Tianjin leadership team and list what fails.

Usage: python examples/evaluate_team.py [FACTS.json] [PERIOD] [AS_OF]

Defaults: the tianjin-2018.json next to this script, period 2018, as of 2019-03-01.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import selfbuild_rules as sr

DEFAULT_FACTS = Path(__file__).with_name("tianjin-2018.json")
DEFAULT_PERIOD = "2018"
DEFAULT_AS_OF = "2019-03-01"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    defaults = [str(DEFAULT_FACTS), DEFAULT_PERIOD, DEFAULT_AS_OF]
    facts, period, as_of = args + defaults[len(args) :]
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    try:
        report = sr.evaluate(facts, period=period, as_of=as_of)
    except ValueError as exc:  # FactsError, or a malformed period or date
        print(exc, file=sys.stderr)
        return 1

    print(f"{report.team.name}  period {report.period}  as of {report.as_of}")
    for status, count in report.summary().items():
        print(f"  {status:<17} {count:>4}")

    failing = [r for r in report.results if r.status is sr.Status.NON_COMPLIANT]
    print(f"\nNon-compliant ({len(failing)}):")
    for r in failing:
        print(f"- {r.rule} [{r.subject}]")
        print(f"    zh: {r.explanation.zh}")
        print(f"    en: {r.explanation.en}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
