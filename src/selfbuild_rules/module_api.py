"""Everything an author of a base regulation or a local module imports, in one place.

A base regulation package builds its text (:func:`build_regulation`), its parameter
table (:class:`ParameterTable`) and its rules (:class:`RuleSet`) into a :class:`Base`;
a module declares dated changes to a base (:class:`Module`). Both write their rules
the same way, over the facts (records such as :class:`ResearchTrip`) and the shared
condition algebra (:class:`AtLeast`, :func:`tally_days`, …).

>>> from selfbuild_rules.module_api import RuleSet, SubjectKind, Measure, AtLeast, tally_records
>>> rules = RuleSet()
>>> @rules.yearly("4.visits", SubjectKind.MEMBER, ("contact_point_visits",), (),
...               Measure("走访", "次", "visits", "visit"))
... def visits(ctx, member, window):
...     "Compliant with at least one visit in the window."
...     return AtLeast(1, tally_records([], open=False))
>>> sorted(rules)
['4.visits']
"""

from __future__ import annotations

from selfbuild_rules.facts.records import (
    CATEGORIES,
    Assessment,
    AssessmentResult,
    ContactPoint,
    ContactPointKind,
    ContactPointVisit,
    DecisionBody,
    DemocraticLifeMeeting,
    Directive,
    DirectiveKind,
    Facts,
    LivelihoodArea,
    LivelihoodProject,
    MajorDecision,
    Member,
    PersonalMattersReport,
    Post,
    Procedure,
    ProcedureKind,
    ProjectStatus,
    ResearchReport,
    ResearchTopic,
    ResearchTrip,
    StudySession,
    StudySessionKind,
    Team,
    Tenure,
    Violation,
    ViolationKind,
)
from selfbuild_rules.law.parameters import (
    IN_FORCE,
    Direction,
    Parameter,
    ParameterTable,
)
from selfbuild_rules.law.periods import (
    DateRange,
    Period,
    PeriodKind,
)
from selfbuild_rules.law.text import (
    Principle,
    Provision,
    ProvisionKind,
    Regulation,
    SubjectKind,
    build_regulation,
)
from selfbuild_rules.law.timeline import (
    day_weighted,
)
from selfbuild_rules.plugins.base import (
    Base,
)
from selfbuild_rules.plugins.modules import (
    AmendRule,
    Module,
    ModuleError,
    NewProvision,
    ParameterChange,
    Repeal,
    build_law,
)
from selfbuild_rules.rules.conditions import (
    All,
    AtLeast,
    AtMost,
    Condition,
    ForEach,
    Holds,
    Measure,
    Missing,
    Not,
    Outcome,
    Tally,
    Truth,
)
from selfbuild_rules.rules.context import (
    Context,
)
from selfbuild_rules.rules.ruleset import (
    Check,
    NotApplicable,
    Rule,
    RuleSet,
    annual,
    applicable,
    quarterly,
)
from selfbuild_rules.rules.tallies import (
    tally_dated,
    tally_days,
    tally_events,
    tally_overlap,
    tally_records,
    tally_spans,
    within_deadline,
)

__all__ = [
    "CATEGORIES",
    "IN_FORCE",
    "All",
    "AmendRule",
    "Assessment",
    "AssessmentResult",
    "AtLeast",
    "AtMost",
    "Base",
    "Check",
    "Condition",
    "ContactPoint",
    "ContactPointKind",
    "ContactPointVisit",
    "Context",
    "DateRange",
    "DecisionBody",
    "DemocraticLifeMeeting",
    "Direction",
    "Directive",
    "DirectiveKind",
    "Facts",
    "ForEach",
    "Holds",
    "LivelihoodArea",
    "LivelihoodProject",
    "MajorDecision",
    "Measure",
    "Member",
    "Missing",
    "Module",
    "ModuleError",
    "NewProvision",
    "Not",
    "NotApplicable",
    "Outcome",
    "Parameter",
    "ParameterChange",
    "ParameterTable",
    "Period",
    "PeriodKind",
    "PersonalMattersReport",
    "Post",
    "Principle",
    "Procedure",
    "ProcedureKind",
    "ProjectStatus",
    "Provision",
    "ProvisionKind",
    "Regulation",
    "Repeal",
    "ResearchReport",
    "ResearchTopic",
    "ResearchTrip",
    "Rule",
    "RuleSet",
    "StudySession",
    "StudySessionKind",
    "SubjectKind",
    "Tally",
    "Team",
    "Tenure",
    "Truth",
    "Violation",
    "ViolationKind",
    "annual",
    "applicable",
    "build_law",
    "build_regulation",
    "day_weighted",
    "quarterly",
    "tally_dated",
    "tally_days",
    "tally_events",
    "tally_overlap",
    "tally_records",
    "tally_spans",
    "within_deadline",
]
