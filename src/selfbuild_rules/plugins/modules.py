"""Local regulation modules: declared changes to the base regulation, checked before use.

A module is data: its own text, and dated changes each quoting that text. Installed
modules are found through the entry-point group ``selfbuild_rules.plugins.modules`` and are
imported only when named, so installed code never runs just because it is installed.

A change that makes an obligation stricter applies silently; one that may loosen it
is refused unless it gives a ``reason``, and then every affected result carries a
warning naming the module and the reason. Two modules changing the same thing is an
error unless the caller fixes their order.

>>> from datetime import date
>>> from selfbuild_rules.evaluation import base_for
>>> BASE = base_for()  # the bundled base regulation
>>> m = Module(id="demo", title="示例", english_title="Demo", authority="示例机关",
...            adopted=date(2019, 1, 1), in_force=date(2019, 1, 1), text="每年调研不少于3个月。",
...            changes=(ParameterChange("research.months", 3, date(2019, 1, 1), "不少于3个月"),),
...            extends=BASE.id)
>>> law = build_law(BASE, [m])
>>> law.value("research.months", date(2018, 12, 31)), law.value("research.months", date(2019, 1, 1))
(2, 3)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from types import MappingProxyType
from typing import Union

import attrs

from selfbuild_rules.internal import exact as _exact
from selfbuild_rules.internal.i18n import N_
from selfbuild_rules.internal.text import quoted
from selfbuild_rules.law.parameters import IN_FORCE, Parameters
from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.law.text import Provision
from selfbuild_rules.law.timeline import ModuleWarning, Timeline
from selfbuild_rules.plugins.base import Base
from selfbuild_rules.plugins.law import Entry, Law
from selfbuild_rules.rules.ruleset import Obligation, Rule, RuleVersion, VersionKind

__all__ = [
    "AmendRule",
    "Module",
    "ModuleError",
    "NewProvision",
    "ParameterChange",
    "Repeal",
    "build_law",
]


class ModuleError(ValueError):
    """A module could not be loaded or applied; the message names the module.

    >>> import selfbuild_rules as sr
    >>> try:
    ...     sr.evaluate({"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"},
    ...                  "members": []}, "2019", "2020-03-01", modules=["no-such-module"])
    ... except sr.ModuleError as exc:
    ...     print(str(exc).split(" (")[0])
    module no-such-module: not installed
    """


@attrs.frozen
class ParameterChange:
    """A new value for a parameter from ``effective`` (until ``until``, inclusive)."""

    parameter: str
    value: object
    effective: _dt.date
    citation: str
    until: _dt.date | None = None
    reason: str | None = None


@attrs.frozen
class AmendRule:
    """A new version of an existing rule from ``effective``.

    By default it *tightens*: the amended condition must hold as well as the base one.
    With ``replaces=True`` it stands alone, which may loosen, so it needs a ``reason``.
    """

    rule: str
    obligation: Obligation = attrs.field(repr=False)
    effective: _dt.date
    citation: str
    until: _dt.date | None = None
    replaces: bool = False
    reason: str | None = None


@attrs.frozen
class Repeal:
    """A rule no longer applies from ``effective``; always loosening, so a reason is due."""

    rule: str
    effective: _dt.date
    citation: str
    reason: str | None = None


@attrs.frozen
class NewProvision:
    """A provision of the module's own, with its rule (``None`` for a judgment provision)."""

    provision: Provision
    rule: Rule | None
    effective: _dt.date
    until: _dt.date | None = None


Change = Union[ParameterChange, AmendRule, Repeal, NewProvision]  # noqa: UP007


@attrs.frozen
class Module:
    """A local regulation extending the base one, with its own text and dated changes.

    >>> from datetime import date
    >>> from selfbuild_rules import Module
    >>> from selfbuild_rules.evaluation import base_for
    >>> from selfbuild_rules.plugins.modules import ParameterChange
    >>> change = ParameterChange("research.months", 3, date(2019, 7, 1), "不少于3个月")
    >>> m = Module(id="pilot", title="试点", english_title="Pilot", authority="某区",
    ...            adopted=date(2019, 6, 1), in_force=date(2019, 7, 1),
    ...            text="调研时间不少于3个月。", changes=(change,), extends=base_for().id)
    >>> m.extends == base_for().id, len(m.changes)
    (True, 1)
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(r"^[a-z0-9][a-z0-9-]*$"))
    title: str
    english_title: str
    authority: str
    adopted: _dt.date
    in_force: _dt.date
    text: str
    changes: tuple[Change, ...]
    #: The id of the base regulation this module amends.
    extends: str


def _loosens(strictness: int | None) -> bool:
    return strictness is None or strictness < 0


def _refused(module: Module, message: str) -> ModuleError:
    """The error naming ``module`` (returned, for ``raise _refused(...)``)."""
    return ModuleError(N_("module {name}: {message}").format(name=module.id, message=message))


def _day(module: Module, what: str, value: object) -> _dt.date:
    """A module's date as an exact ``date``: a subclass could lie about its order."""
    try:
        return _exact.day(value)
    except TypeError as exc:
        raise _refused(module, f"{what}: {exc}") from None


def _span(module: Module, start: object, until: object) -> DateRange:
    first = max(_day(module, "effective", start), _day(module, "in_force", module.in_force))
    last = _dt.date.max if until is None else _day(module, "until", until)
    if last < first:
        raise _refused(
            module, N_("change ends {last} before it starts {first}").format(last=last, first=first)
        )
    return DateRange(first, last)


def _reason(module: Module, reason: object) -> str | None:
    """A stated reason as exact text, or ``None`` for none (blank counts as none)."""
    if reason is None:
        return None
    try:
        return _exact.text(reason).strip() or None
    except TypeError as exc:
        raise _refused(module, f"reason: {exc}") from None


class _Builder:
    """Applies modules one by one to timelines, refusing what they may not do."""

    def __init__(self, base: Base, parameters: Parameters, ordered: bool) -> None:
        self.base = base
        self.parameters = {
            name: Timeline.constant(
                parameters[name], base.id if parameters.is_default(name) else "user"
            )
            for name in base.parameters
        }
        first = RuleVersion(VersionKind.BASE)
        self.rules = {rule_id: Timeline.constant(first, base.id) for rule_id in base.rules}
        self.provisions: list[tuple[Provision, Rule | None, DateRange, str]] = []
        self.touched: dict[str, str] = {}
        self.ordered = ordered

    def claim(self, module: Module, target: str) -> None:
        other = self.touched.setdefault(target, module.id)
        if other != module.id and not self.ordered:
            raise ModuleError(
                N_(
                    "modules {other} and {name} both change {target}; "
                    "give an explicit order to let the later one win"
                ).format(other=other, name=module.id, target=target)
            )
        self.touched[target] = module.id

    def warn(self, module: Module, target: str, given: object, what: str) -> ModuleWarning:
        reason = _reason(module, given)
        if reason is None:
            raise _refused(
                module, N_("{message} loosens the regulation; give a reason").format(message=what)
            )
        return ModuleWarning(module.id, target, reason)

    def parameter(self, module: Module, change: ParameterChange) -> None:
        # Each attribute read once, as exact values: a subclass's property could answer
        # one way to the check and another way to the timeline.
        given, raw, effective, until = (
            change.parameter,
            change.value,
            change.effective,
            change.until,
        )
        reason = change.reason
        try:
            name = _exact.text(given)
        except TypeError as exc:
            raise _refused(module, N_("unknown parameter: {reason}").format(reason=exc)) from None
        spec = self.base.parameters.get(name)
        if spec is None:
            raise _refused(module, N_("unknown parameter {name}").format(name=quoted(name)))
        try:
            value = spec.check(raw)
        except ValueError as exc:
            raise _refused(module, str(exc)) from None
        days = _span(module, effective, until)
        self.claim(module, name)
        timeline = self.parameters[name]
        looser = [s for _, s in timeline.over(days) if _loosens(spec.strictness(s.value, value))]
        warning = None
        if looser:
            what = f"{name} ({looser[0].value!r} → {value!r})"
            warning = self.warn(module, name, reason, what)
        self.parameters[name] = timeline.splice(days, value, module.id, warning)

    def rule(self, module: Module, change: AmendRule | Repeal) -> None:
        try:
            rule = _exact.text(change.rule)
        except TypeError as exc:
            raise _refused(module, N_("unknown rule: {reason}").format(reason=exc)) from None
        if rule not in self.rules:
            raise _refused(module, N_("unknown rule {name}").format(name=quoted(rule)))
        self.claim(module, rule)
        warning = None
        if isinstance(change, Repeal):
            version = RuleVersion(VersionKind.REPEAL)
            warning = self.warn(
                module, rule, change.reason, N_("repealing {rule}").format(rule=rule)
            )
            days = _span(module, change.effective, None)
        else:
            replaces = change.replaces
            if type(replaces) is not bool:  # an object's truth could change between asks
                raise _refused(module, N_("replaces must be True or False"))
            kind = VersionKind.REPLACE if replaces else VersionKind.TIGHTEN
            version = RuleVersion(kind, change.obligation)
            if replaces:
                what = N_("replacing {rule}").format(rule=rule)
                warning = self.warn(module, rule, change.reason, what)
            days = _span(module, change.effective, change.until)
        self.rules[rule] = self.rules[rule].splice(days, version, module.id, warning)

    def provision(self, module: Module, change: NewProvision) -> None:
        p = change.provision
        if not p.id.startswith(f"{module.id}/"):
            raise _refused(
                module,
                N_("provision id {id} must start with {prefix}").format(
                    id=repr(p.id), prefix=repr(f"{module.id}/")
                ),
            )
        for fragment in p.text:
            if fragment not in module.text:
                raise _refused(module, N_("{id} quotes text not in the module").format(id=p.id))
        if change.rule is not None:
            self.rules[p.id] = Timeline.constant(RuleVersion(VersionKind.BASE), module.id)
        days = _span(module, change.effective, change.until)
        self.provisions.append((p, change.rule, days, module.id))

    def apply(self, module: Module) -> None:
        if module.extends != self.base.id:
            raise _refused(
                module,
                N_("extends {given}, not {base}").format(
                    given=repr(module.extends), base=repr(self.base.id)
                ),
            )
        for change in module.changes:
            citation = getattr(change, "citation", None)
            if citation is not None and citation not in module.text:
                raise _refused(
                    module,
                    N_("citation {citation} not in its text").format(citation=repr(citation)),
                )
            if isinstance(change, ParameterChange):
                self.parameter(module, change)
            elif isinstance(change, NewProvision):
                self.provision(module, change)
            else:
                self.rule(module, change)


def build_law(
    base: Base,
    modules: Sequence[Module] = (),
    parameters: Parameters | None = None,
    *,
    ordered: bool = False,
) -> Law:
    """The base regulation with ``parameters`` and ``modules`` applied, in that order.

    Raises :class:`ModuleError` naming the module for an unknown target, a loosening
    without a reason, or two modules changing one thing while ``ordered`` is false.
    Nothing is half-applied: the law is built whole or not at all.
    """
    builder = _Builder(base, parameters or Parameters(table=base.parameters), ordered)
    seen: set[str] = set()
    for module in modules:
        if module.id in seen:
            raise _refused(module, N_("given twice"))
        seen.add(module.id)
        builder.apply(module)
    start = builder.parameters[IN_FORCE].at(_dt.date.max).value
    assert isinstance(start, _dt.date)
    in_force = DateRange(start, _dt.date.max)
    entries = [Entry(p, base.rules.get(p.id), in_force, base.id) for p in base.provisions()]
    entries += [Entry(p, r, (days & in_force) or days, s) for p, r, days, s in builder.provisions]
    kept = tuple(modules) if ordered else tuple(sorted(modules, key=lambda m: m.id))
    return Law(
        base=base,
        parameters=MappingProxyType(builder.parameters),
        rules=MappingProxyType(builder.rules),
        provisions=tuple(entries),
        # Without an explicit order, the order given makes no difference, so none is kept.
        modules=tuple(m.id for m in kept),
        applied=kept,
    )
