"""The case-file format (``*.cases.yaml``): cases of facts with the results they must give.

A file holds ``cases``; fields given at the top (``facts``, ``period``, ``as_of``,
``modules``, ``set``, ``regulation``) are shared by every case, which may override
them (``set`` is merged, the case's values winning) and vary the shared facts with
``patch``. ``expect`` maps a subject (a member id, or ``team``) to its rules, each
with a status, or a status and the requirement's numbers. See
:doc:`/reference/case-format`.

>>> text = '''
... facts: {format: selfbuild-rules.facts/1, team: {id: t, name: 班子}, members: []}
... period: 2018
... as_of: 2019-03-01
... cases:
...   - name: no meeting
...     patch: {add: {democratic_life_meetings: []}}
...     expect: {team: {6.democratic-life-meeting: non_compliant}}
... '''
>>> [case] = parse(text, "demo.cases.yaml").cases
>>> case.name, case.period, case.line, case.expectations[0].status.value
('no meeting', '2018', 6, 'non_compliant')
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping as AnyMapping
from pathlib import Path
from typing import Any

import attrs
import yaml

from selfbuild_rules.cases.files import SUFFIX
from selfbuild_rules.cases.nodes import CaseFileError, Mapping, compose, fail, line_of, plain
from selfbuild_rules.cases.patch import PatchError, patched
from selfbuild_rules.engine.results import Status
from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.law.periods import Period

__all__ = [
    "EXPECTED_NUMBERS",
    "REQUIREMENT_FIELDS",
    "SUFFIX",
    "Case",
    "CaseFile",
    "Expectation",
    "load",
    "parse",
]

#: The numbers of a result's requirement an expectation may pin.
REQUIREMENT_FIELDS = ("measured", "minimum", "maximum")
#: Every number an expectation may pin: the requirement's, and the amount a pending
#: result still needs (``still_needed``).
EXPECTED_NUMBERS = (*REQUIREMENT_FIELDS, "still_needed")
SHARED = ("facts", "period", "as_of", "modules", "set", "regulation")
CASE_FIELDS = {"name", "patch", "expect", *SHARED}
STATUSES = {s.value: s for s in Status}


@attrs.frozen
class Expectation:
    """What one result must be: its status and, if given, requirement numbers (``None``
    for a number that must be absent), with the line it is written on."""

    subject: str
    rule: str
    status: Status
    numbers: tuple[tuple[str, int | None], ...] = ()
    line: int = 0


@attrs.frozen(eq=False)
class Case:
    """One evaluation with its expected results; ``facts`` is the facts document."""

    name: str
    path: str
    line: int
    facts: AnyMapping[str, Any]
    period: str
    as_of: _dt.date
    expectations: tuple[Expectation, ...]
    modules: tuple[str, ...] = ()
    parameters: AnyMapping[str, object] = attrs.field(factory=dict)
    regulation: str | None = None

    @property
    def rules(self) -> list[str]:
        """The rules the expectations name, in order: the only ones evaluated."""
        return sorted({e.rule for e in self.expectations})


@attrs.frozen(eq=False)
class CaseFile:
    """The cases of one file, in the file's order."""

    path: str
    cases: tuple[Case, ...]


def _text(m: Mapping, name: str) -> str:
    value = plain(m.fields[name])
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise m.fail(name, N_("must be a text"))
    return str(value)


def _period(m: Mapping, name: str) -> str:
    value = _text(m, name)
    try:
        return str(Period.parse(value))
    except ValueError as exc:
        raise m.fail(name, str(exc)) from None


def _date(m: Mapping, name: str) -> _dt.date:
    value = _text(m, name)
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise m.fail(
            name, N_("{value} is not a date (YYYY-MM-DD)").format(value=repr(value))
        ) from None


def _texts(m: Mapping, name: str) -> tuple[str, ...]:
    value = plain(m.fields[name])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise m.fail(name, N_("must be a list of module ids"))
    return tuple(value)


def _parameters(m: Mapping, name: str) -> dict[str, object]:
    value = plain(m.fields[name])
    if not isinstance(value, dict):
        raise m.fail(name, N_("must map parameter names to values"))
    return dict(value)


def _facts(m: Mapping, name: str, here: Path) -> dict[str, Any]:
    node = m.fields[name]
    value = plain(node)
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise m.fail(name, N_("must be a facts document, or the path of one"))
    target = here.parent / value  # relative to the case file, wherever it is run from
    try:
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise m.fail(
            name,
            N_("cannot read {source}: {reason}").format(source=target, reason=exc.strerror or exc),
        ) from None
    if target.suffix != ".json":  # YAML, read like the case file (its own lines in errors)
        loaded = plain(compose(text, str(target)))
    else:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise m.fail(
                name, N_("{source} is not JSON: {error}").format(source=target, error=exc)
            ) from None
    if not isinstance(loaded, dict):
        raise m.fail(name, N_("{source} does not hold a facts document").format(source=target))
    return loaded


def _patched(m: Mapping, facts: dict[str, Any]) -> dict[str, Any]:
    patch = Mapping.of(m.fields["patch"], m.path, m.field("patch"))
    patch.only({"add", "remove"})
    parts: dict[str, dict[str, list[Any]]] = {}
    for part in ("add", "remove"):
        node = patch.get(part)
        value = {} if node is None else plain(node)
        if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
            raise patch.fail(part, N_("must map categories to lists"))
        if part == "remove" and not all(isinstance(i, str) for v in value.values() for i in v):
            raise patch.fail(part, N_("must list record ids (texts) per category"))
        parts[part] = value
    try:
        return patched(facts, parts["add"], parts["remove"])
    except PatchError as exc:
        raise fail(m.path, patch.node, patch.field(exc.field), str(exc)) from None


def _expected(m: Mapping, subject: str, rule: str, node: yaml.Node) -> Expectation:
    where = f"{m.field(subject)}.{rule}"
    value = plain(node)
    numbers: list[tuple[str, int | None]] = []
    if isinstance(value, dict):
        row = Mapping.of(node, m.path, where)
        row.only({"status", *EXPECTED_NUMBERS})
        if "status" not in row.fields:
            raise row.fail("status", N_("required field missing"))
        for name in EXPECTED_NUMBERS:
            if name in value:
                number = value[name]
                if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
                    raise row.fail(name, N_("must be a whole number, or null for none"))
                numbers.append((name, number))
        value = value["status"]
    if value not in STATUSES:
        raise fail(
            m.path,
            node,
            where,
            N_("{value} is not a status ({choices})").format(
                value=repr(value), choices=", ".join(STATUSES)
            ),
        )
    return Expectation(subject, rule, STATUSES[value], tuple(numbers), line_of(node))


def _expectations(m: Mapping) -> tuple[Expectation, ...]:
    expect = Mapping.of(m.fields["expect"], m.path, m.field("expect"))
    found = []
    for subject, node in expect.items():
        rules = Mapping.of(node, m.path, expect.field(subject))
        found += [_expected(expect, subject, rule, value) for rule, value in rules.items()]
    if not found:
        raise m.fail("expect", N_("expects no result"))
    return tuple(found)


def _case(m: Mapping, top: Mapping, here: Path) -> Case:
    m.only(CASE_FIELDS)
    for name in ("name", "expect"):
        if name not in m.fields:
            raise m.fail(name, N_("required field missing"))

    def own(name: str) -> Mapping | None:  # the case's field, else the file's
        return m if name in m.fields else top if name in top.fields else None

    for name in ("facts", "period", "as_of"):
        if own(name) is None:
            raise m.fail(name, N_("required field missing (in the case or at the top)"))
    source = own("facts")
    assert source is not None
    facts = _facts(source, "facts", here)
    if "patch" in m.fields:
        facts = _patched(m, facts)
    regulation = own("regulation")
    modules = own("modules")
    parameters = _parameters(top, "set") if "set" in top.fields else {}
    if "set" in m.fields:
        parameters |= _parameters(m, "set")
    period, as_of = own("period"), own("as_of")
    assert period is not None and as_of is not None
    return Case(
        name=_text(m, "name"),
        path=m.path,
        line=m.line("name"),
        facts=facts,
        period=_period(period, "period"),
        as_of=_date(as_of, "as_of"),
        expectations=_expectations(m),
        modules=() if modules is None else _texts(modules, "modules"),
        parameters=parameters,
        regulation=None if regulation is None else _text(regulation, "regulation"),
    )


def parse(text: str, path: str) -> CaseFile:
    """The cases in ``text``, read from the file ``path``; :class:`CaseFileError` if not."""
    top = Mapping.of(compose(text, path), path, "")
    top.only({"cases", *SHARED})
    node = top.get("cases")
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise top.fail("cases", N_("must be a list of one or more cases"))
    cases: list[Case] = []
    for i, item in enumerate(node.value):
        case = _case(Mapping.of(item, path, f"cases[{i}]"), top, Path(path))
        if any(c.name == case.name for c in cases):
            raise fail(
                path,
                item,
                f"cases[{i}].name",
                N_("{name} is the name of another case").format(name=repr(case.name)),
            )
        cases.append(case)
    return CaseFile(path, tuple(cases))


def load(path: str | Path) -> CaseFile:
    """The cases of the file at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(
            str(path), 1, "", N_("cannot read: {error}").format(error=exc)
        ) from None
    return parse(text, str(path))
