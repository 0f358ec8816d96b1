"""Every threshold and interpretation as a named parameter with a documented default.

Nothing in a rule is a bare number: each value is looked up here, and each result
lists the parameters it used, so a reader always sees which reading was applied.

>>> PARAMETERS["research.months"].default
2
>>> Parameters({"research.months": 3})["research.months"]
3
>>> Parameters({"research.month": 3})
Traceback (most recent call last):
...
ValueError: unknown parameter 'research.month'
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator, Mapping

import attrs

__all__ = ["PARAMETERS", "Direction", "Parameter", "Parameters"]


class Direction(enum.Enum):
    """Which way a value makes an obligation stricter.

    ``MINIMUM``: a larger value is stricter; ``MAXIMUM``: a smaller value is stricter;
    ``DEADLINE``: an earlier date or shorter delay is stricter; ``ALLOWED``: a set of
    what is accepted, fewer is stricter; ``COUNTED``: a set of what counts against the
    subject, more is stricter; ``CHOICE``: a reading with no order between its options.

    >>> from selfbuild_rules import PARAMETERS, Direction
    >>> PARAMETERS["research.months"].direction is Direction.MINIMUM
    True
    >>> PARAMETERS["integrity.violation_kinds"].direction.value
    'counted'
    """

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    DEADLINE = "deadline"
    ALLOWED = "allowed"
    COUNTED = "counted"
    CHOICE = "choice"


@attrs.frozen
class Parameter:
    """A named value a rule depends on: default, unit, the provision it reads.

    >>> from selfbuild_rules import PARAMETERS
    >>> p = PARAMETERS["relay.deadline_days"]
    >>> p.default, p.unit, p.citation, p.direction.value
    (7, 'days', '2.relay-directives', 'deadline')
    """

    name: str
    default: object
    unit: str
    citation: str
    description: str
    direction: Direction
    choices: tuple[object, ...] = ()

    def strictness(self, old: object, new: object) -> int | None:
        """``1`` if ``new`` is stricter than ``old``, ``0`` the same, ``-1`` looser.

        ``None`` when the two cannot be ordered (a different reading of a choice, or
        sets neither of which contains the other): such a change is treated as one
        that may loosen.

        >>> PARAMETERS["research.months"].strictness(2, 3)
        1
        >>> PARAMETERS["contact_point.kinds"].strictness(("village", "school"), ("village",))
        1
        """
        if old == new:
            return 0
        d = self.direction
        if d in (Direction.ALLOWED, Direction.COUNTED):
            before, after = set(old), set(new)  # type: ignore[call-overload]
            if before == after:
                return 0
            if before <= after or after <= before:
                grew = before < after
                return 1 if grew == (d is Direction.COUNTED) else -1
            return None
        if d is Direction.CHOICE:
            return None
        larger = new > old  # type: ignore[operator]
        return 1 if larger == (d is Direction.MINIMUM) else -1

    def check(self, value: object) -> object:
        """``value`` if it suits this parameter; ``ValueError`` saying why not.

        >>> from selfbuild_rules import PARAMETERS
        >>> PARAMETERS["regulation.in_force_from"].check("2018-01-01")
        datetime.date(2018, 1, 1)
        """
        if self.choices and not isinstance(self.default, tuple):
            if value not in self.choices:
                options = " | ".join(map(str, self.choices))
                raise ValueError(f"{self.name}: {value!r} is not one of {options}")
        elif isinstance(self.default, tuple):
            if not isinstance(value, (tuple, list)) or not set(value) <= set(self.choices):
                raise ValueError(f"{self.name}: {value!r} must be a list drawn from {self.choices}")
            return tuple(value)
        elif isinstance(self.default, _dt.date):
            if isinstance(value, str):
                try:
                    value = _dt.date.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"{self.name}: {value!r} is not a date (YYYY-MM-DD)") from None
            if not isinstance(value, _dt.date):
                raise ValueError(f"{self.name}: {value!r} is not a date")
        elif isinstance(self.default, int) and (
            isinstance(value, bool) or not isinstance(value, int)
        ):
            raise ValueError(f"{self.name}: {value!r} is not a whole number")
        return value


def _p(
    name: str,
    default: object,
    unit: str,
    citation: str,
    description: str,
    direction: Direction,
    choices: tuple[object, ...] = (),
) -> Parameter:
    return Parameter(name, default, unit, citation, description, direction, choices)


_KINDS = ("village", "community", "enterprise", "institution", "project", "school")
_VIOLATIONS = (
    "improper_benefit",
    "market_interference",
    "judicial_interference",
    "privilege",
    "impostor_reception",
    "other",
)
M, X, D, C = Direction.MINIMUM, Direction.MAXIMUM, Direction.DEADLINE, Direction.CHOICE
A, K = Direction.ALLOWED, Direction.COUNTED

#: Every parameter, by name, with its default.
PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        _p(
            "regulation.in_force_from",
            _dt.date(2018, 2, 2),
            "date",
            "tianjin-2018 (issued)",
            "The text names no effective date; read as in force from its date of issue.",
            D,
        ),
        _p(
            "research.months",
            2,
            "months",
            "3.research-days",
            "Grassroots research time per year: 不少于2个月.",
            M,
        ),
        _p(
            "research.month_mode",
            "months_as_30_days",
            "",
            "3.research-days",
            "How a month becomes days: months_as_30_days (2 months = 60 days) or "
            "twelfths_of_year (2 months = 2/12 of the year's days).",
            C,
            ("months_as_30_days", "twelfths_of_year"),
        ),
        _p(
            "research.pro_rating",
            "applicable_days",
            "",
            "3.research-days",
            "applicable_days: scale the yearly requirement by applicable days / days in the "
            "year and round up; none: require the full amount whatever the window.",
            C,
            ("applicable_days", "none"),
        ),
        _p(
            "research.topics_min",
            1,
            "topics",
            "3.research-topics",
            "确定1至2个重点课题: at least.",
            M,
        ),
        _p(
            "research.topics_max",
            2,
            "topics",
            "3.research-topics",
            "确定1至2个重点课题: at most.",
            X,
        ),
        _p(
            "research.report_min_recommendations",
            1,
            "recommendations",
            "3.research-reports",
            "A report counts when it makes at least this many recommendations (提出对策建议).",
            M,
        ),
        _p(
            "contact_point.kinds",
            _KINDS,
            "",
            "4.contact-point",
            "Kinds a contact point may be: 村或社区、企事业单位、项目、学校.",
            A,
            _KINDS,
        ),
        _p(
            "contact_point.visits_min",
            1,
            "visits",
            "4.contact-point-visits",
            "Visits to the member's contact point per year: 每年至少1次.",
            M,
        ),
        _p(
            "livelihood.projects_min",
            20,
            "projects",
            "4.livelihood-projects",
            "Completed livelihood projects per year: 20项民心工程.",
            M,
        ),
        _p(
            "relay.deadline_days",
            7,
            "days",
            "2.relay-directives",
            "第一时间 read as: relayed in a study session within this many days of issue.",
            D,
        ),
        _p(
            "central_group.sessions_per_quarter",
            1,
            "sessions",
            "2.central-group-study",
            "定期 read as: at least this many central-group sessions each calendar quarter.",
            M,
        ),
        _p(
            "decision.collective_bodies",
            ("executive_meeting", "plenary_meeting"),
            "",
            "5.collective-decision",
            "Bodies whose decision counts as 集体研究决定.",
            A,
            ("executive_meeting", "plenary_meeting", "other"),
        ),
        _p(
            "personal_matters.due_month_day",
            "01-31",
            "MM-DD",
            "6.personal-matters-report",
            "The report for year Y-1 is due on this day of year Y.",
            D,
        ),
        _p(
            "democratic_life.meetings_min",
            1,
            "meetings",
            "6.democratic-life-meeting",
            "Democratic life meetings per year (坚持民主生活会制度).",
            M,
        ),
        _p(
            "integrity.violation_kinds",
            _VIOLATIONS,
            "",
            "6.integrity",
            "Violation kinds that breach the integrity provisions.",
            K,
            _VIOLATIONS,
        ),
    )
}


def _as_dict(values: Mapping[str, object]) -> dict[str, object]:
    return dict(values)


@attrs.frozen
class Parameters(Mapping[str, object]):
    """The defaults with any overrides applied, each override checked.

    >>> from selfbuild_rules import Parameters
    >>> p = Parameters({"research.pro_rating": "none"})
    >>> p["research.pro_rating"], p.is_default("research.pro_rating")
    ('none', False)
    """

    overrides: Mapping[str, object] = attrs.field(factory=dict, converter=_as_dict)
    _values: dict[str, object] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        values = {name: p.default for name, p in PARAMETERS.items()}
        for name, value in self.overrides.items():
            if name not in PARAMETERS:
                raise ValueError(f"unknown parameter {name!r}")
            values[name] = PARAMETERS[name].check(value)
        object.__setattr__(self, "_values", values)

    def __getitem__(self, name: str) -> object:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def number(self, name: str) -> int:
        """A whole-number parameter."""
        value = self._values[name]
        assert isinstance(value, int)
        return value

    def text(self, name: str) -> str:
        """A parameter given as text (a choice or a month-day)."""
        value = self._values[name]
        assert isinstance(value, str)
        return value

    def day(self, name: str) -> _dt.date:
        """A date parameter."""
        value = self._values[name]
        assert isinstance(value, _dt.date)
        return value

    def names(self, name: str) -> frozenset[str]:
        """A parameter that is a set of enumeration values."""
        value = self._values[name]
        assert isinstance(value, tuple)
        return frozenset(map(str, value))

    def is_default(self, name: str) -> bool:
        """Whether ``name`` keeps its documented default."""
        return self._values[name] == PARAMETERS[name].default
