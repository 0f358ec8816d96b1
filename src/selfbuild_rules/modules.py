"""Local regulation modules: declared changes to the base regulation, checked before use.

A module is data: its own text, and dated changes each quoting that text. Installed
modules are found through the entry-point group ``selfbuild_rules.modules`` and are
imported only when named, so installed code never runs just because it is installed.

A change that makes an obligation stricter applies silently; one that may loosen it
is refused unless it gives a ``reason``, and then every affected result carries a
warning naming the module and the reason. Two modules changing the same thing is an
error unless the caller fixes their order.

>>> from datetime import date
>>> m = Module(id="demo", title="示例", english_title="Demo", authority="示例机关",
...            adopted=date(2019, 1, 1), in_force=date(2019, 1, 1), text="每年调研不少于3个月。",
...            changes=(ParameterChange("research.months", 3, date(2019, 1, 1), "不少于3个月"),))
>>> law = build_law([m])
>>> law.value("research.months", date(2018, 12, 31)), law.value("research.months", date(2019, 1, 1))
(2, 3)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from importlib import metadata
from typing import Union

import attrs

from .law import Law, RuleVersion, Timeline
from .parameters import PARAMETERS, Parameters
from .periods import DateRange
from .regulation import Provision
from .results import ModuleWarning
from .rules import RULES, Obligation, Rule

__all__ = [
    "ENTRY_POINT_GROUP",
    "AmendRule",
    "Module",
    "ModuleError",
    "NewProvision",
    "ParameterChange",
    "Repeal",
    "build_law",
    "installed_modules",
    "load_module",
]

#: The entry-point group under which installed modules make themselves known.
ENTRY_POINT_GROUP = "selfbuild_rules.modules"
BASE = "tianjin-2018"


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
    >>> from selfbuild_rules.modules import ParameterChange
    >>> change = ParameterChange("research.months", 3, date(2019, 7, 1), "不少于3个月")
    >>> m = Module(id="pilot", title="试点", english_title="Pilot", authority="某区",
    ...            adopted=date(2019, 6, 1), in_force=date(2019, 7, 1),
    ...            text="调研时间不少于3个月。", changes=(change,))
    >>> m.extends, len(m.changes)
    ('tianjin-2018', 1)
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(r"^[a-z0-9][a-z0-9-]*$"))
    title: str
    english_title: str
    authority: str
    adopted: _dt.date
    in_force: _dt.date
    text: str
    changes: tuple[Change, ...]
    extends: str = BASE


def installed_modules() -> dict[str, str]:
    """Installed modules by id, with where they live, read without importing them."""
    found = metadata.entry_points(group=ENTRY_POINT_GROUP)
    return {ep.name: ep.value for ep in sorted(found, key=lambda ep: ep.name)}


def load_module(name: str) -> Module:
    """Import the installed module ``name``; a :class:`ModuleError` names it on failure."""
    matches = [ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not matches:
        known = ", ".join(installed_modules()) or "none"
        raise ModuleError(f"module {name}: not installed (installed: {known})")
    try:
        loaded = matches[0].load()
    except Exception as exc:  # any failure of third-party code is reported, not raised
        raise ModuleError(f"module {name}: failed to import: {type(exc).__name__}: {exc}") from exc
    module = loaded() if callable(loaded) and not isinstance(loaded, Module) else loaded
    if not isinstance(module, Module):
        raise ModuleError(f"module {name}: entry point gives {type(module).__name__}, not a Module")
    if module.id != name:
        raise ModuleError(f"module {name}: declares id {module.id!r}")
    return module


def _loosens(strictness: int | None) -> bool:
    return strictness is None or strictness < 0


def _span(module: Module, start: _dt.date, until: _dt.date | None) -> DateRange:
    first = max(start, module.in_force)
    if until is not None and until < first:
        raise ModuleError(f"module {module.id}: change ends {until} before it starts {first}")
    return DateRange(first, until or _dt.date.max)


class _Builder:
    """Applies modules one by one to timelines, refusing what they may not do."""

    def __init__(self, parameters: Parameters, ordered: bool) -> None:
        self.parameters = {
            name: Timeline.constant(
                parameters[name], BASE if parameters.is_default(name) else "user"
            )
            for name in PARAMETERS
        }
        self.rules = {rule_id: Timeline.constant(RuleVersion("base"), BASE) for rule_id in RULES}
        self.provisions: list[tuple[object, object, DateRange, str]] = []
        self.touched: dict[str, str] = {}
        self.ordered = ordered

    def claim(self, module: Module, target: str) -> None:
        other = self.touched.setdefault(target, module.id)
        if other != module.id and not self.ordered:
            raise ModuleError(
                f"modules {other} and {module.id} both change {target}; "
                "give an explicit order to let the later one win"
            )
        self.touched[target] = module.id

    def warn(self, module: Module, target: str, reason: str | None, what: str) -> ModuleWarning:
        if not reason:
            raise ModuleError(f"module {module.id}: {what} loosens the regulation; give a reason")
        return ModuleWarning(module.id, target, reason)

    def parameter(self, module: Module, change: ParameterChange) -> None:
        spec = PARAMETERS.get(change.parameter)
        if spec is None:
            raise ModuleError(f"module {module.id}: unknown parameter {change.parameter!r}")
        try:
            value = spec.check(change.value)
        except ValueError as exc:
            raise ModuleError(f"module {module.id}: {exc}") from None
        days = _span(module, change.effective, change.until)
        self.claim(module, change.parameter)
        timeline = self.parameters[change.parameter]
        looser = [s for _, s in timeline.over(days) if _loosens(spec.strictness(s.value, value))]
        warning = None
        if looser:
            what = f"{change.parameter} ({looser[0].value!r} → {value!r})"
            warning = self.warn(module, change.parameter, change.reason, what)
        self.parameters[change.parameter] = timeline.splice(days, value, module.id, warning)

    def rule(self, module: Module, change: AmendRule | Repeal) -> None:
        if change.rule not in self.rules:
            raise ModuleError(f"module {module.id}: unknown rule {change.rule!r}")
        self.claim(module, change.rule)
        warning = None
        if isinstance(change, Repeal):
            version = RuleVersion("repeal")
            warning = self.warn(module, change.rule, change.reason, f"repealing {change.rule}")
            days = _span(module, change.effective, None)
        else:
            version = RuleVersion("replace" if change.replaces else "tighten", change.obligation)
            if change.replaces:
                what = f"replacing {change.rule}"
                warning = self.warn(module, change.rule, change.reason, what)
            days = _span(module, change.effective, change.until)
        self.rules[change.rule] = self.rules[change.rule].splice(days, version, module.id, warning)

    def provision(self, module: Module, change: NewProvision) -> None:
        p = change.provision
        if not p.id.startswith(f"{module.id}/"):
            raise ModuleError(
                f"module {module.id}: provision id {p.id!r} must start with '{module.id}/'"
            )
        for fragment in p.text:
            if fragment not in module.text:
                raise ModuleError(f"module {module.id}: {p.id} quotes text not in the module")
        if change.rule is not None:
            self.rules[p.id] = Timeline.constant(RuleVersion("base"), module.id)
        days = _span(module, change.effective, change.until)
        self.provisions.append((p, change.rule, days, module.id))

    def apply(self, module: Module) -> None:
        if module.extends != BASE:
            raise ModuleError(f"module {module.id}: extends {module.extends!r}, not {BASE}")
        for change in module.changes:
            citation = getattr(change, "citation", None)
            if citation is not None and citation not in module.text:
                raise ModuleError(f"module {module.id}: citation {citation!r} not in its text")
            if isinstance(change, ParameterChange):
                self.parameter(module, change)
            elif isinstance(change, NewProvision):
                self.provision(module, change)
            else:
                self.rule(module, change)


def build_law(
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
    builder = _Builder(parameters or Parameters(), ordered)
    seen: set[str] = set()
    for module in modules:
        if module.id in seen:
            raise ModuleError(f"module {module.id}: given twice")
        seen.add(module.id)
        builder.apply(module)
    return Law(
        parameters=builder.parameters,
        rules=builder.rules,
        provisions=tuple(builder.provisions),
        # Without an explicit order, the order given makes no difference, so none is kept.
        modules=tuple(m.id for m in modules) if ordered else tuple(sorted(m.id for m in modules)),
    )
