"""The parameter table of tianjin-2018: every threshold and reading, with its default.

Each value a rule reads is named here with the provision it reads, its unit and which
way is stricter, so a module can change it and a reader always sees which reading
was applied.

>>> PARAMETERS["research.months"].default
2
"""

from __future__ import annotations

import datetime as _dt

from selfbuild_rules.law.parameters import Direction, Parameter, ParameterTable

__all__ = ["PARAMETERS"]


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
PARAMETERS = ParameterTable(
    (
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
        # The outlook of pending results (rules/outlook.py): warnings, not obligations, so
        # no value is stricter than another.
        _p(
            "warning.days_left",
            30,
            "days",
            "outlook of pending results",
            "A pending result that still needs something is at risk when fewer than this "
            "many days remain before the last day it can be met.",
            C,
        ),
        _p(
            "warning.pace_percent",
            100,
            "per cent",
            "outlook of pending results",
            "At risk when the count so far is below this share of the linear pace: the "
            "requirement times the days of the window gone by over its days (0: no pace test).",
            C,
        ),
        _p(
            "warning.pace_from",
            10,
            "units",
            "outlook of pending results",
            "Only requirements of at least this many units (days, projects) are paced; one "
            "meeting or visit a year is not.",
            C,
        ),
    )
)
