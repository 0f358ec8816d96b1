"""A base regulation: the value a regulation package hands to the engine.

The engine holds no law. A regulation package (the bundled one is
``base_for()``'s default) builds a :class:`Base` from its text, parameter table and rule set, and
registers it under the entry-point group ``selfbuild_rules.regulations``; local
modules then extend it by id.

>>> from selfbuild_rules.evaluation import base_for
>>> BASE = base_for()  # the bundled base regulation
>>> len(BASE.rules), len(BASE.judgments())
(13, 27)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from selfbuild_rules.law.parameters import IN_FORCE, ParameterTable
from selfbuild_rules.law.text import Provision, ProvisionKind, Regulation
from selfbuild_rules.plugins import integrity
from selfbuild_rules.rules.ruleset import Rule

__all__ = ["IN_FORCE", "Base"]


def _frozen_rules(rules: Mapping[str, Rule]) -> Mapping[str, Rule]:
    return MappingProxyType(dict(rules))


@attrs.frozen(eq=False)  # a base is itself: compared and hashed by identity
class Base:
    """A regulation, its parameter table and its rules, checked to fit together.

    Every evaluable provision has exactly one rule and every rule a provision; every
    parameter a rule reads is in the table, and the table says when the regulation is
    in force (``regulation.in_force_from``). ``version`` names this encoding of the
    law, for reports to cite. The rules are kept read-only.

    >>> from selfbuild_rules.evaluation import base_for
    >>> BASE = base_for()  # the bundled base regulation
    >>> Base(BASE.regulation, BASE.parameters, {})
    Traceback (most recent call last):
    ...
    ValueError: base ...: 2.central-group-study: evaluable provision without a rule; ...
    """

    regulation: Regulation
    parameters: ParameterTable
    rules: Mapping[str, Rule] = attrs.field(converter=_frozen_rules)
    version: str = "1"

    def __attrs_post_init__(self) -> None:
        evaluable = {p.id for p in self.provisions() if p.kind is ProvisionKind.EVALUABLE}
        problems = [f"{i}: evaluable provision without a rule" for i in evaluable - set(self.rules)]
        problems += [
            f"{i}: rule without an evaluable provision" for i in set(self.rules) - evaluable
        ]
        if IN_FORCE not in self.parameters:
            problems.append(f"the parameter table lacks {IN_FORCE}")
        for rule in self.rules.values():
            problems += [
                f"{rule.id}: reads unknown parameter {name!r}"
                for name in rule.parameters
                if name not in self.parameters
            ]
        if problems:
            raise ValueError(f"base {self.regulation.id}: " + "; ".join(sorted(problems)))
        integrity.register(self)  # watched whenever a plug-in is loaded

    def __reduce__(self) -> tuple[type[Base], tuple[object, ...]]:
        return (Base, (self.regulation, self.parameters, dict(self.rules), self.version))

    @property
    def id(self) -> str:
        """The regulation's id, by which modules name the base they extend."""
        return self.regulation.id

    def provisions(self) -> tuple[Provision, ...]:
        """The regulation's provisions in the order of the law."""
        return tuple(self.regulation.provisions())

    def judgments(self) -> dict[str, str]:
        """Judgment provision ids and whom they bind (``member`` or ``team``)."""
        return {
            p.id: p.subject.value for p in self.provisions() if p.kind is ProvisionKind.JUDGMENT
        }
