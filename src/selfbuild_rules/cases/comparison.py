"""What changes between two ways of evaluating the same facts: two sides, each a set of
local modules and parameter values (the base regulation alone when both are empty).

A side is written ``module=ID,set=NAME=VALUE,…`` (items repeatable, VALUE read as JSON
when it is JSON, else as text; ``""`` is the base alone), or given as a :class:`Side`.

>>> Side.parse("module=example-district,set=research.pro_rating=none").label()
'module=example-district,set=research.pro_rating=none'
>>> Side.parse("").label()
'base'
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from selfbuild_rules.engine.results import Requirement, Result
from selfbuild_rules.evaluation import FactsSource, Regulation, evaluate, load_facts
from selfbuild_rules.law.periods import Period
from selfbuild_rules.plugins.modules import Module
from selfbuild_rules.report.document import Report

__all__ = ["COMPARISON_FORMAT", "Change", "Comparison", "Side", "compare"]

COMPARISON_FORMAT = "selfbuild-rules.comparison/1"
#: How a result that one side does not have is shown (a module's own provision).
ABSENT = "absent"


def _value(raw: str) -> object:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


@attrs.frozen
class Side:
    """One side of a comparison: the modules applied (installed ones' ids, or
    :class:`~selfbuild_rules.Module` objects) and the parameter values set.

    >>> Side(("example-district",), {"research.months": 4}).label()
    'module=example-district,set=research.months=4'
    """

    modules: tuple[str | Module, ...] = ()
    parameters: Mapping[str, object] = attrs.field(factory=dict)

    @classmethod
    def parse(cls, text: str) -> Side:
        """A side from ``module=ID,set=NAME=VALUE,…``; ``ValueError`` naming a bad item."""
        modules: list[str | Module] = []
        parameters: dict[str, object] = {}
        for item in (i.strip() for i in text.split(",")):
            key, _, value = item.partition("=")
            name, sep, raw = value.partition("=")
            if key == "module" and value:
                modules.append(value)
            elif key == "set" and sep and name:
                parameters[name.strip()] = _value(raw)
            elif item:
                raise ValueError(f"{item!r}: use module=ID or set=NAME=VALUE")
        return cls(tuple(modules), parameters)

    def label(self) -> str:
        """The side in the syntax it is written in (``base`` for the base alone)."""
        items = [f"module={_id(m)}" for m in self.modules]
        items += [f"set={k}={json.dumps(v, ensure_ascii=False).strip(chr(34))}"
                  for k, v in self.parameters.items()]  # fmt: skip
        return ",".join(items) or "base"

    def to_dict(self) -> dict[str, Any]:
        modules = [_id(m) for m in self.modules]
        return {"modules": modules, "set": dict(sorted(self.parameters.items()))}


def _id(module: str | Module) -> str:
    return module if isinstance(module, str) else module.id


def _requirement(r: Result | None) -> Requirement | None:
    return None if r is None else r.requirement


@attrs.frozen
class Change:
    """One result that differs: its status or its requirement (``None`` on the side that
    has no such result)."""

    rule: str
    subject: str
    left: Result | None
    right: Result | None

    @property
    def transition(self) -> str:
        """``compliant → non_compliant`` (``absent`` for a side without the result)."""
        return f"{_status(self.left)} → {_status(self.right)}"

    @property
    def status_changed(self) -> bool:
        return _status(self.left) != _status(self.right)

    def requirement_changes(self) -> list[tuple[str, int | None, int | None]]:
        """(``measured``/``minimum``/``maximum``, left, right) for each number that differs."""
        a, b = _requirement(self.left), _requirement(self.right)
        found = []
        for name in ("measured", "minimum", "maximum"):
            x, y = getattr(a, name, None), getattr(b, name, None)
            if x != y:
                found.append((name, x, y))
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "subject": self.subject,
            "transition": self.transition,
            "left": _side_result(self.left),
            "right": _side_result(self.right),
            "requirement": {n: [x, y] for n, x, y in self.requirement_changes()},
        }


def _status(r: Result | None) -> str:
    return ABSENT if r is None else r.status.value


def _side_result(r: Result | None) -> dict[str, Any] | None:
    if r is None:
        return None
    req = r.requirement
    return {
        "status": r.status.value,
        "explanation": {"zh": r.explanation.zh, "en": r.explanation.en},
        "requirement": None if req is None else attrs.asdict(req),
    }


@attrs.frozen
class Comparison:
    """What changes from the ``left`` side to the ``right`` one, for the same facts.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": [{"id": "m01", "name": "甲", "post": "mayor",
    ...                     "tenure": {"start": "2017-01-01", "end": None}}],
    ...        "research_trips": [{"id": "rt-1", "member": "m01",
    ...                            "start": "2018-03-01", "end": "2018-04-29"}]}
    >>> c = sr.compare(doc, period="2018", as_of="2019-03-01",
    ...                left="", right="set=research.months=3")
    >>> c.transitions(), c.changes[0].requirement_changes()
    ({'compliant → non_compliant': 1}, [('minimum', 55, 83)])
    """

    regulation: str
    team: str
    period: str
    as_of: _dt.date
    left: Side
    right: Side
    compared: int
    changes: tuple[Change, ...]

    def transitions(self) -> dict[str, int]:
        """How many results went from each status to each other, most first."""
        counts = Counter(c.transition for c in self.changes if c.status_changed)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict[str, Any]:
        """The ``selfbuild-rules.comparison/1`` document."""
        return {
            "format": COMPARISON_FORMAT,
            "regulation": self.regulation,
            "team": self.team,
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "left": self.left.to_dict(),
            "right": self.right.to_dict(),
            "compared": self.compared,
            "changed": len(self.changes),
            "transitions": self.transitions(),
            "changes": [c.to_dict() for c in self.changes],
        }

    def to_json(self) -> str:
        """The document, deterministic: keys sorted, two-space indentation."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def to_table(self, lang: str = "en") -> str:
        """Plain text for a terminal: the transitions, then each change."""
        from selfbuild_rules.cases.compare_render import table

        return table(self, lang)

    def to_markdown(self, lang: str = "en") -> str:
        from selfbuild_rules.cases.compare_render import markdown

        return markdown(self, lang)

    def to_html(self, lang: str = "en") -> str:
        """One self-contained page in the style of the HTML report."""
        from selfbuild_rules.cases.compare_render import html

        return html(self, lang)


def _side(value: Side | str) -> Side:
    return value if isinstance(value, Side) else Side.parse(value)


def _changes(a: Report, b: Report) -> tuple[int, tuple[Change, ...]]:
    left = {(r.rule, r.subject): r for r in a.results}
    right = {(r.rule, r.subject): r for r in b.results}
    keys = list(dict.fromkeys([*left, *right]))  # the law's order; a module's own after
    found = []
    for rule, subject in keys:
        change = Change(rule, subject, left.get((rule, subject)), right.get((rule, subject)))
        if change.status_changed or change.requirement_changes():
            found.append(change)
    return len(keys), tuple(found)


def compare(
    facts: FactsSource,
    period: str | int | Period,
    as_of: str | _dt.date | None = None,
    *,
    left: Side | str = "",
    right: Side | str = "",
    rules: Sequence[str] | None = None,
    regulation: Regulation = None,
) -> Comparison:
    """Evaluate ``facts`` on both sides (see :class:`Side`) and return what changes.

    >>> import selfbuild_rules as sr
    >>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...        "members": []}
    >>> sr.compare(doc, "2018", "2019-03-01").changes
    ()
    """
    sides = _side(left), _side(right)
    loaded = load_facts(facts, regulation=regulation)  # once, for both sides
    a, b = (
        evaluate(loaded, period, as_of, parameters=s.parameters, modules=s.modules,
                 regulation=regulation)
        for s in sides
    )  # fmt: skip
    if rules is not None:  # a module's own rule is on one side only: filter afterwards
        known = {r.rule for r in (*a.results, *b.results)}
        unknown = sorted(set(rules) - known)
        if unknown:
            raise ValueError(f"unknown rule(s): {', '.join(unknown)}")
        a, b = (attrs.evolve(r, results=tuple(x for x in r.results if x.rule in rules))
                for r in (a, b))  # fmt: skip
    compared, changes = _changes(a, b)
    return Comparison(a.regulation, a.team.name, a.period, a.as_of, *sides, compared, changes)
