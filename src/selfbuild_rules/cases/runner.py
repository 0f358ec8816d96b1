"""Running cases: evaluate each case's facts and set its results beside what it expects.

>>> from selfbuild_rules.cases.format import parse
>>> text = '''
... facts: {format: selfbuild-rules.facts/1, team: {id: t, name: 班子}, members: []}
... period: 2018
... as_of: 2019-03-01
... cases:
...   - name: held on 31 Dec
...     patch: {add: {democratic_life_meetings: [{id: dl-1, date: 2018-12-31}]}}
...     expect: {team: {6.democratic-life-meeting: {status: compliant, measured: 1}}}
... '''
>>> outcome = run_case(parse(text, "demo.cases.yaml").cases[0])
>>> outcome.passed, outcome.line()
(True, '✓ held on 31 Dec')
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import attrs
from msgspec import UnsetType

from selfbuild_rules.cases.files import case_files
from selfbuild_rules.cases.format import Case, Expectation
from selfbuild_rules.cases.nodes import CaseFileError
from selfbuild_rules.engine.results import Explanation, Result
from selfbuild_rules.evaluation import evaluate
from selfbuild_rules.facts.loading import FactsError
from selfbuild_rules.internal.i18n import N_, _, language
from selfbuild_rules.report.document import Report

__all__ = ["Mismatch", "Outcome", "case_files", "run_case"]


@attrs.frozen
class Mismatch:
    """One expected value that the result does not have (``got`` is ``None`` when there is
    no such result), with the result's explanation."""

    expectation: Expectation
    field: str
    expected: object
    got: object
    explanation: Explanation | None = None


@attrs.frozen
class Outcome:
    """A case and what did not match (nothing, when it passed)."""

    case: Case
    mismatches: tuple[Mismatch, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.mismatches

    def line(self) -> str:
        """``✓ name`` or ``✗ name``."""
        return f"{'✓' if self.passed else '✗'} {self.case.name}"

    def details(self) -> list[str]:
        """Per result: expected against got, then the result's explanation."""
        lines = []
        for e, group in itertools.groupby(self.mismatches, key=lambda m: m.expectation):
            found = list(group)
            wanted = ", ".join(f"{m.field} {m.expected}" for m in found)
            got = ", ".join(f"{m.field} {m.got}" for m in found)
            told = _("{rule} / {subject} (line {line}): expected {wanted}; got {got}")
            lines.append("  " + told.format(rule=e.rule, subject=e.subject, line=e.line,
                                            wanted=wanted, got=got))  # fmt: skip
            explanation = found[0].explanation
            if explanation is not None:  # its own words in the language: zh or en
                because = _("because: {explanation}")
                lines.append("    " + because.format(explanation=getattr(explanation, language())))
        return lines


def _number(result: Result, name: str) -> int | None:
    if name == "still_needed":
        needed = result.still_needed
        return None if isinstance(needed, UnsetType) else needed.amount
    requirement = result.requirement
    return None if requirement is None else getattr(requirement, name)


def _compare(expectation: Expectation, report: Report) -> Iterator[Mismatch]:
    try:
        result = report.result(expectation.rule, expectation.subject)
    except KeyError:
        yield Mismatch(expectation, "result", expectation.status.value, "no such result")
        return
    why = result.explanation
    if result.status is not expectation.status:
        yield Mismatch(expectation, "status", expectation.status.value, result.status.value, why)
    for name, wanted in expectation.numbers:
        got = _number(result, name)
        if got != wanted:
            yield Mismatch(expectation, name, wanted, got, why)


_CASE = N_("case {name}: {message}")


def _error(case: Case, message: str) -> CaseFileError:
    # The field names the case; the whole reads as the catalog's template, so that the
    # command line finds and tells it (the name kept as written).
    field = _CASE.format(name=repr(case.name), message="").partition(": ")[0]
    return CaseFileError(case.path, case.line, field, message)


def run_case(case: Case) -> Outcome:
    """Evaluate ``case`` (only the rules it expects) and compare; :class:`CaseFileError`
    when its facts, parameters, modules or rules are not right."""
    try:
        report = evaluate(
            case.facts, case.period, case.as_of, parameters=case.parameters, rules=case.rules,
            modules=case.modules, regulation=case.regulation,
        )  # fmt: skip
    except FactsError as exc:
        raise _error(case, f"facts: {exc.problems[0]}") from None
    except (ValueError, KeyError) as exc:  # parameters, rules, modules (ModuleError)
        raise _error(case, str(exc).strip("'\"")) from None
    found = (m for e in case.expectations for m in _compare(e, report))
    return Outcome(case, tuple(found))
