"""The facts a team records: members, research trips, visits, decisions and so on.

These classes are the input contract ``selfbuild-rules.facts/1``. They are built by
:func:`selfbuild_rules.load_facts`, which validates everything at the edge; inside the
library a :class:`Facts` is always consistent.

A category that is ``None`` was not supplied and is *unknown*; an empty tuple means
"supplied, and there is none" (closed world per category).

>>> from datetime import date
>>> trip = ResearchTrip(id="rt-1", member="m01", start=date(2018, 3, 1), end=date(2018, 3, 10))
>>> trip.days.days
10
"""

from __future__ import annotations

import datetime as _dt
import enum

import attrs

from selfbuild_rules.law.periods import DateRange

__all__ = [
    "CATEGORIES",
    "FREE_TEXT",
    "Assessment",
    "AssessmentResult",
    "ContactPoint",
    "ContactPointKind",
    "ContactPointVisit",
    "DecisionBody",
    "DemocraticLifeMeeting",
    "Directive",
    "DirectiveKind",
    "Facts",
    "LivelihoodArea",
    "LivelihoodProject",
    "MajorDecision",
    "Member",
    "PersonalMattersReport",
    "Post",
    "Procedure",
    "ProcedureKind",
    "ProjectStatus",
    "ResearchReport",
    "ResearchTopic",
    "ResearchTrip",
    "StudySession",
    "StudySessionKind",
    "Team",
    "Tenure",
    "Violation",
    "ViolationKind",
]

FORMAT = "selfbuild-rules.facts/1"

#: Fields of free text, whatever record they are in: names (of the team, a member, a
#: contact point), titles, a violation's summary, an assessor, a trip's place. A problem
#: message never quotes their values: it may go to a log that others read.
FREE_TEXT = frozenset({"name", "title", "summary", "assessor", "place"})


class Post(enum.Enum):
    """A member's post in the leadership team."""

    MAYOR = "mayor"
    EXECUTIVE_VICE_MAYOR = "executive_vice_mayor"
    VICE_MAYOR = "vice_mayor"
    SECRETARY_GENERAL = "secretary_general"
    OTHER = "other"


class ContactPointKind(enum.Enum):
    """What a contact point (联系点) is: 村或社区、企事业单位、项目、学校."""

    VILLAGE = "village"
    COMMUNITY = "community"
    ENTERPRISE = "enterprise"
    INSTITUTION = "institution"
    PROJECT = "project"
    SCHOOL = "school"


class LivelihoodArea(enum.Enum):
    """The field of a livelihood project (民心工程), after 幼有所育…弱有所扶."""

    CHILDCARE = "childcare"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    HEALTHCARE = "healthcare"
    ELDERLY_CARE = "elderly_care"
    HOUSING = "housing"
    SOCIAL_ASSISTANCE = "social_assistance"
    OTHER = "other"


class ProjectStatus(enum.Enum):
    """How far a livelihood project has come."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class DirectiveKind(enum.Enum):
    """An important speech (重要讲话) or an instruction or comment (指示批示)."""

    SPEECH = "speech"
    INSTRUCTION = "instruction"
    OTHER = "other"


class StudySessionKind(enum.Enum):
    """A central-group study session, a relay of directives, or another session."""

    CENTRAL_GROUP = "central_group"
    RELAY = "relay"
    OTHER = "other"


class DecisionBody(enum.Enum):
    """Who took a major decision."""

    EXECUTIVE_MEETING = "executive_meeting"
    PLENARY_MEETING = "plenary_meeting"
    INDIVIDUAL = "individual"
    OTHER = "other"


class ProcedureKind(enum.Enum):
    """A step of the major-decision procedure (公众参与、专家论证、风险评估、合法性审查)."""

    PUBLIC_PARTICIPATION = "public_participation"
    EXPERT_ARGUMENTATION = "expert_argumentation"
    RISK_ASSESSMENT = "risk_assessment"
    LEGALITY_REVIEW = "legality_review"


class ViolationKind(enum.Enum):
    """What a recorded violation of principle 六 was."""

    IMPROPER_BENEFIT = "improper_benefit"
    MARKET_INTERFERENCE = "market_interference"
    JUDICIAL_INTERFERENCE = "judicial_interference"
    PRIVILEGE = "privilege"
    IMPOSTOR_RECEPTION = "impostor_reception"
    OTHER = "other"


class AssessmentResult(enum.Enum):
    """What a human assessor concluded about a judgment provision."""

    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"


@attrs.frozen(weakref_slot=False)
class Team:
    """The leadership team the facts describe."""

    id: str
    name: str


@attrs.frozen(weakref_slot=False)
class Tenure:
    """A member's time in the team; ``end=None`` means still serving."""

    start: _dt.date
    end: _dt.date | None = None

    @property
    def range(self) -> DateRange:
        """The tenure as a date range (open-ended tenures run to the end of time)."""
        return DateRange(self.start, self.end or _dt.date.max)


@attrs.frozen(weakref_slot=False)
class Member:
    """A member of the leadership team (领导班子成员)."""

    id: str
    name: str
    post: Post
    tenure: Tenure


@attrs.frozen(weakref_slot=False)
class ResearchTrip:
    """Time a member spent researching at the grassroots (深入基层调研)."""

    id: str
    member: str
    start: _dt.date
    end: _dt.date
    place: str | None = None
    topic: str | None = None

    @property
    def days(self) -> DateRange:
        """The calendar days the trip touches."""
        return DateRange(self.start, self.end)


@attrs.frozen(weakref_slot=False)
class ResearchTopic:
    """A key research topic (重点课题) a member chose for a year; ``designated``, when
    given, is the day it was chosen (before that day ``as_of`` does not know it)."""

    id: str
    member: str
    year: int
    title: str | None = None
    designated: _dt.date | None = None


@attrs.frozen(weakref_slot=False)
class ResearchReport:
    """A research report (调研报告) on a topic, with its number of recommendations."""

    id: str
    member: str
    topic: str
    date: _dt.date
    recommendations: int = attrs.field(validator=attrs.validators.ge(0))


@attrs.frozen(weakref_slot=False)
class ContactPoint:
    """A member's contact point (联系点), designated from ``start`` to ``end``."""

    id: str
    member: str
    kind: ContactPointKind
    start: _dt.date
    end: _dt.date | None = None
    name: str | None = None

    @property
    def designation(self) -> DateRange:
        """The days the contact point is designated."""
        return DateRange(self.start, self.end or _dt.date.max)


@attrs.frozen(weakref_slot=False)
class ContactPointVisit:
    """A member's visit to a contact point."""

    id: str
    member: str
    contact_point: str
    date: _dt.date


@attrs.frozen(weakref_slot=False)
class LivelihoodProject:
    """One of the year's livelihood projects (民心工程); ``completed``, when given, is the
    day it was completed (only for the status ``completed``)."""

    id: str
    year: int
    area: LivelihoodArea
    status: ProjectStatus
    title: str | None = None
    completed: _dt.date | None = None


@attrs.frozen(weakref_slot=False)
class Directive:
    """An important speech, instruction or comment to be relayed (传达学习)."""

    id: str
    issued: _dt.date
    kind: DirectiveKind
    title: str | None = None


@attrs.frozen(weakref_slot=False)
class StudySession:
    """A study session of the team; ``directives`` lists those it relayed."""

    id: str
    date: _dt.date
    kind: StudySessionKind
    directives: tuple[str, ...] = ()


@attrs.frozen(weakref_slot=False)
class Procedure:
    """A procedural step taken before a major decision, and when."""

    kind: ProcedureKind
    date: _dt.date


@attrs.frozen(weakref_slot=False)
class MajorDecision:
    """A major matter (重大事项) decided; ``legal_review=None`` means none took place.

    ``procedures`` (optional, added for modules such as the 2019 national decree)
    lists the steps taken before the decision; ``None`` means not recorded.
    """

    id: str
    date: _dt.date
    decided_by: DecisionBody
    legal_review: _dt.date | None
    title: str | None = None
    procedures: tuple[Procedure, ...] | None = None


@attrs.frozen(weakref_slot=False)
class PersonalMattersReport:
    """When a member filed the personal-matters report for ``year`` (never its content)."""

    id: str
    member: str
    year: int
    filed: _dt.date


@attrs.frozen(weakref_slot=False)
class DemocraticLifeMeeting:
    """A democratic life meeting (民主生活会) of the team."""

    id: str
    date: _dt.date


@attrs.frozen(weakref_slot=False)
class Violation:
    """A recorded breach of the integrity provisions of principle 六."""

    id: str
    member: str
    date: _dt.date
    kind: ViolationKind
    summary: str | None = None


@attrs.frozen(weakref_slot=False)
class Assessment:
    """A human assessment of a judgment provision for a subject and period."""

    id: str
    rule: str
    subject: str
    period: str
    result: AssessmentResult
    date: _dt.date
    assessor: str | None = None


@attrs.frozen(weakref_slot=False)
class Facts:
    """Everything known about one team; ``None`` marks a category not supplied.

    >>> import selfbuild_rules as sr
    >>> f = sr.load_facts({"format": "selfbuild-rules.facts/1",
    ...                    "team": {"id": "t", "name": "班子"}, "members": [], "violations": []})
    >>> f.violations, f.research_trips
    ((), None)
    """

    team: Team
    members: tuple[Member, ...]
    research_trips: tuple[ResearchTrip, ...] | None = None
    research_topics: tuple[ResearchTopic, ...] | None = None
    research_reports: tuple[ResearchReport, ...] | None = None
    contact_points: tuple[ContactPoint, ...] | None = None
    contact_point_visits: tuple[ContactPointVisit, ...] | None = None
    livelihood_projects: tuple[LivelihoodProject, ...] | None = None
    directives: tuple[Directive, ...] | None = None
    study_sessions: tuple[StudySession, ...] | None = None
    major_decisions: tuple[MajorDecision, ...] | None = None
    personal_matters_reports: tuple[PersonalMattersReport, ...] | None = None
    democratic_life_meetings: tuple[DemocraticLifeMeeting, ...] | None = None
    violations: tuple[Violation, ...] | None = None
    assessments: tuple[Assessment, ...] | None = None
    format: str = FORMAT


#: Each record category of the facts format and the class of its records.
CATEGORIES: dict[str, type] = {
    "members": Member,
    "research_trips": ResearchTrip,
    "research_topics": ResearchTopic,
    "research_reports": ResearchReport,
    "contact_points": ContactPoint,
    "contact_point_visits": ContactPointVisit,
    "livelihood_projects": LivelihoodProject,
    "directives": Directive,
    "study_sessions": StudySession,
    "major_decisions": MajorDecision,
    "personal_matters_reports": PersonalMattersReport,
    "democratic_life_meetings": DemocraticLifeMeeting,
    "violations": Violation,
    "assessments": Assessment,
}
