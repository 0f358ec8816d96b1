"""Results with a trace: the steps behind each result of an evaluable provision.

With tracing on (``evaluate(..., trace=True)``, ``evaluate --trace``), the engine makes
each result as always, then works its obligation out a second time while the tallies
record (:func:`selfbuild_rules.rules.trace.recording`) and walks the condition made:
the result's window and its share of the year, each comparison with the records
counted and left out, each item with its due day, and the records of the categories
the rule reads that it did not count. Each step cites the provision, by the id of the
regulation or module whose text it applies: a module that tightens a rule has its own
steps cited to it. Without tracing none of this runs, and a result has no ``trace``.

>>> import selfbuild_rules as sr
>>> doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
...        "members": [], "democratic_life_meetings": [{"id": "dl-1", "date": "2018-12-20"}]}
>>> r = sr.evaluate(doc, "2018", "2019-03-01", rules=["6.democratic-life-meeting"],
...                 trace=True).results[0]
>>> [s.step for s in r.trace], r.trace[1].tally.facts
(['window', 'at_least'], ('dl-1',))
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs

from selfbuild_rules.engine.results import Result
from selfbuild_rules.facts.records import FREE_TEXT, Member
from selfbuild_rules.law.periods import DateRange, Period
from selfbuild_rules.law.timeline import Segment
from selfbuild_rules.rules import steps as _steps
from selfbuild_rules.rules import trace as _trace
from selfbuild_rules.rules.context import Context
from selfbuild_rules.rules.ruleset import Check, NotApplicable, Rule, RuleVersion, VersionKind

__all__ = ["NotCounted", "Noted", "Traced", "Window", "traced"]


@attrs.frozen
class Traced(Result):
    """A result with its ``trace``: the steps behind it, in order.

    >>> Traced.__mro__[1].__name__, attrs.fields(Traced)[-1].name
    ('Result', 'trace')
    """

    trace: tuple[Any, ...] = attrs.field(default=(), kw_only=True)


@attrs.frozen
class Window:
    """The days the obligation is measured over, and the days of its year: a yearly
    minimum is pro-rated by ``days`` / ``year_days`` where the rule says so.

    >>> from datetime import date
    >>> Window("demo 3.x", DateRange(date(2018, 2, 2), date(2018, 12, 31)), 333, 365).step
    'window'
    """

    cites: str
    window: DateRange
    days: int
    year_days: int
    step: str = "window"


@attrs.frozen
class Noted:
    """Why nothing was measured (``not_applicable``, ``repealed``), in both languages.

    >>> Noted("repealed", "demo 3.x", "已废止", "repealed").en
    'repealed'
    """

    step: str
    cites: str
    zh: str
    en: str


@attrs.frozen
class NotCounted:
    """Records of a category the rule reads, for the subject, that no step counted or
    left out: the rule did not select them (its condition says which it counts).

    >>> NotCounted("demo 2.x", "directives", ("d-9",)).step
    'not_counted'
    """

    cites: str
    category: str
    records: tuple[str, ...]
    step: str = "not_counted"


def _parts(
    ctx: Context, rule: Rule, version: RuleVersion, member: Member | None
) -> list[tuple[bool, Check | NotApplicable]]:
    """Each obligation that makes the result, and whether the base's own rule made it."""
    if version.kind is VersionKind.BASE or version.obligation is None:
        return [(True, rule.obligation(ctx, member))]
    amended = (False, version.obligation(ctx, member))
    if version.kind is VersionKind.REPLACE:
        return [amended]
    return [(True, rule.obligation(ctx, member)), amended]


def _ids(steps: tuple[Any, ...]) -> set[str]:
    """Every record a step names."""
    found: set[str] = set()
    for s in steps:
        tally = getattr(s, "tally", None)
        if tally is not None:
            found.update(c.record for c in tally.counted)
            found.update(x.record for x in tally.left_out)
        found.update(getattr(s, "facts", ()))
        if isinstance(s, _steps.Item):
            found.add(s.item)
        found |= _ids(getattr(s, "steps", ()))
    return found


def _plain(value: object) -> bool:
    return value is None or isinstance(value, (str, int, _dt.date, enum.Enum))


def _stated(record: Any) -> _steps.Stated:
    fields = {
        f.name: value.value if isinstance(value, enum.Enum) else value
        for f in attrs.fields(type(record))
        if f.name not in FREE_TEXT and f.name not in ("id", "member")
        if _plain(value := getattr(record, f.name))
    }
    return _steps.Stated(record.id, fields)


def _with_records(steps: tuple[Any, ...], records: dict[str, Any]) -> tuple[Any, ...]:
    """``steps`` with each fact's records stated (those of items and groups too)."""
    found = []
    for s in steps:
        if isinstance(s, _steps.Fact):
            s = attrs.evolve(s, stated=tuple(_stated(records[i]) for i in s.facts if i in records))
        elif isinstance(s, (_steps.Item, _steps.Group)):
            s = attrs.evolve(s, steps=_with_records(s.steps, records))
        found.append(s)
    return tuple(found)


def _records(ctx: Context, rule: Rule, member: Member | None) -> dict[str, list[Any]]:
    """The records of each category the rule reads, for the subject."""
    found: dict[str, list[Any]] = {}
    for category in rule.needs:
        if ctx.has(category):
            mine = member is not None and category in ctx.index.by_member
            found[category] = list(
                ctx.of_member(category, member) if mine and member else ctx.records(category)
            )
    return found


def _not_counted(records: dict[str, list[Any]], named: set[str], cites: str) -> list[NotCounted]:
    found = []
    for category, given in records.items():
        ids = tuple(r.id for r in given if r.id not in named)
        if ids:
            found.append(NotCounted(cites, category, ids))
    return found


def traced(
    ctx: Context, rule: Rule, member: Member | None, made: Result, segment: Segment
) -> Result:
    """``made`` with its trace (a result that measured nothing: the reason, noted)."""
    version = segment.value
    assert isinstance(version, RuleVersion)
    base_cites = f"{made.citation.regulation} {made.rule}"
    cites = f"{segment.source} {made.rule}"
    steps: list[Any] = []
    if made.window is not None:
        year = Period.year_of(made.window.end.year).range.days
        steps.append(Window(base_cites, made.window, made.window.days, year))
    missing = tuple(c for c in rule.needs if not ctx.has(c))
    if version.kind is VersionKind.REPEAL:
        steps.append(Noted("repealed", cites, made.explanation.zh, made.explanation.en))
    elif missing:
        steps.append(_steps.Missed(cites, missing))
    else:
        with _trace.recording():
            parts = _parts(ctx, rule, version, member)
        for from_base, part in parts:
            said = base_cites if from_base else cites
            if isinstance(part, NotApplicable):
                steps.append(Noted("not_applicable", said, part.zh, part.en))
            else:
                steps.extend(_steps.steps(part.condition, said))
        records = _records(ctx, rule, member)
        by_id = {r.id: r for given in records.values() for r in given}
        steps = list(_with_records(tuple(steps), by_id))
        steps += _not_counted(records, _ids(tuple(steps)) | set(made.facts), cites)
    fields = [getattr(made, f.name) for f in attrs.fields(Result)]
    return Traced(*fields, trace=tuple(steps))
