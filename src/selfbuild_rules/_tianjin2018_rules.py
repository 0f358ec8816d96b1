"""The evaluable provisions of tianjin-2018, each as a rule over the shared algebra.

Every function here only selects records and builds a condition; counting, date
windows and three-valued logic live in :mod:`.conditions` and :mod:`.rules`.
"""

from __future__ import annotations

import datetime as _dt
import math
from fractions import Fraction

import attrs

from ._context import Context
from .conditions import (
    All,
    AtLeast,
    AtMost,
    Condition,
    ForEach,
    Holds,
    tally_days,
    tally_events,
    tally_overlap,
    tally_records,
    tally_spans,
    within_deadline,
)
from .facts import Member
from .law import day_weighted
from .periods import DateRange, Period
from .regulation import SubjectKind
from .rules import Check, Measure, NotApplicable, applicable, quarterly, rule, yearly

M, T = SubjectKind.MEMBER, SubjectKind.TEAM
_NONE_ARISEN = NotApplicable(
    "截至评估日，本期间内未产生该项义务",
    "no such obligation has arisen in the period as of the evaluation date",
    True,
)
_NO_JANUARY_DUE = NotApplicable(
    "本期间内没有报告到期（1月31日）", "no report falls due in the period (31 January)"
)
_NO_QUARTER = NotApplicable(
    "本期间内没有季度义务到期", "no quarter's obligation falls due in the period"
)


def research_days_required(ctx: Context, window: DateRange) -> int:
    """The days of research required for a window, under the configured reading.

    >>> from selfbuild_rules import load_facts
    >>> f = load_facts({"format": "selfbuild-rules.facts/1",
    ...                 "team": {"id": "t", "name": "班子"}, "members": []})
    >>> ctx = Context.build(f, Period.parse("2018"), _dt.date(2019, 3, 1))
    >>> research_days_required(ctx, DateRange(_dt.date(2018, 2, 2), _dt.date(2018, 12, 31)))
    55
    """
    year_days = Period.year_of(window.start.year).range.days
    per_month = (
        Fraction(30)
        if ctx.text("research.month_mode", window.end) == "months_as_30_days"
        else Fraction(year_days, 12)
    )
    pro_rated = ctx.text("research.pro_rating", window.end) == "applicable_days"
    # Each value of research.months counts for the days it governs (mid-year amendments).
    parts = ctx.law.parameters["research.months"].over(window)
    required = day_weighted(parts, lambda months: per_month * _months(months), per=window.days)
    return math.ceil(required * window.days / year_days if pro_rated else required)


def _months(value: object) -> int:
    assert isinstance(value, int)
    return value


@yearly(
    "3.research-days",
    M,
    ("research_trips",),
    ("research.months", "research.month_mode", "research.pro_rating"),
    Measure("调研天数", "天", "research days", "research day"),
)
def research_days(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    assert member is not None
    spans = ((t.id, t.days) for t in ctx.of_member("research_trips", member))
    tally = tally_days(spans, window, ctx.as_of)
    return AtLeast(research_days_required(ctx, window), tally)


def _topics(ctx: Context, member: Member, year: int) -> list[str]:
    return [t.id for t in ctx.of_member("research_topics", member) if t.year == year]


@yearly(
    "3.research-topics",
    M,
    ("research_topics",),
    ("research.topics_min", "research.topics_max"),
    Measure("重点课题", "个", "key topics", "key topic"),
)
def research_topics(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    assert member is not None
    tally = tally_records(_topics(ctx, member, window.end.year), open=ctx.as_of < window.end)
    return All(
        (
            AtLeast(ctx.at_least("research.topics_min", window), tally),
            AtMost(ctx.at_most("research.topics_max", window), tally),
        )
    )


@yearly(
    "3.research-reports",
    M,
    ("research_topics", "research_reports"),
    ("research.report_min_recommendations",),
    Measure("已提交报告的课题", "个", "topics reported on"),
)
def research_reports(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    assert member is not None
    topics = _topics(ctx, member, window.end.year)
    if not topics:
        return NotApplicable("当年未确定重点课题", "no key topic for the year", True)
    least = ctx.number("research.report_min_recommendations", window.end)
    reports = [r for r in ctx.of_member("research_reports", member) if r.recommendations >= least]
    items = tuple(
        (
            topic,
            AtLeast(
                1,
                tally_events(
                    ((r.id, r.date) for r in reports if r.topic == topic), window, ctx.as_of
                ),
            ),
        )
        for topic in topics
    )
    return ForEach(items)


_AT_ONCE = Measure(
    "同时指定的联系点",
    "个",
    "contact points designated at once",
    "contact point designated at once",
)


def _designations(ctx: Context, member: Member, window: DateRange) -> list[tuple[str, DateRange]]:
    kinds = ctx.names("contact_point.kinds", window.end)
    return [
        (c.id, c.designation)
        for c in ctx.of_member("contact_points", member)
        if c.kind.value in kinds and c.start <= ctx.as_of
    ]


@yearly(
    "4.contact-point",
    M,
    ("contact_points",),
    ("contact_point.kinds",),
    Measure("联系点", "个", "contact points", "contact point"),
)
def contact_point(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    assert member is not None
    designations = _designations(ctx, member, window)
    at_once = attrs.evolve(tally_overlap(designations, window, ctx.as_of), measure=_AT_ONCE)
    return All((AtLeast(1, tally_spans(designations, window, ctx.as_of)), AtMost(1, at_once)))


@yearly(
    "4.contact-point-visits",
    M,
    ("contact_points", "contact_point_visits"),
    ("contact_point.visits_min", "contact_point.kinds"),
    Measure("联系点走访", "次", "contact-point visits", "contact-point visit"),
)
def contact_point_visits(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    assert member is not None
    designated = dict(_designations(ctx, member, window))
    visits = (
        (v.id, v.date)
        for v in ctx.of_member("contact_point_visits", member)
        if v.contact_point in designated and v.date in designated[v.contact_point]
    )
    tally = tally_events(visits, window, ctx.as_of)
    return AtLeast(ctx.at_least("contact_point.visits_min", window), tally)


@yearly(
    "4.livelihood-projects",
    T,
    ("livelihood_projects",),
    ("livelihood.projects_min",),
    Measure(
        "已完成民心工程", "项", "completed livelihood projects", "completed livelihood project"
    ),
)
def livelihood_projects(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    done = (
        p.id
        for p in ctx.records("livelihood_projects")
        if p.year == window.end.year and p.status.value == "completed"
    )
    tally = tally_records(done, open=ctx.as_of < window.end)
    return AtLeast(ctx.at_least("livelihood.projects_min", window), tally)


@yearly(
    "6.democratic-life-meeting",
    T,
    ("democratic_life_meetings",),
    ("democratic_life.meetings_min",),
    Measure("民主生活会", "次", "democratic life meetings", "democratic life meeting"),
)
def democratic_life_meeting(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    meetings = ((m.id, m.date) for m in ctx.records("democratic_life_meetings"))
    tally = tally_events(meetings, window, ctx.as_of)
    return AtLeast(ctx.at_least("democratic_life.meetings_min", window), tally)


@yearly(
    "6.integrity",
    M,
    ("violations",),
    ("integrity.violation_kinds",),
    Measure("违规记录", "条", "recorded violations", "recorded violation"),
)
def integrity(ctx: Context, member: Member | None, window: DateRange) -> Condition | NotApplicable:
    assert member is not None
    found = (
        (v.id, v.date)
        for v in ctx.of_member("violations", member)
        if v.kind.value in ctx.names("integrity.violation_kinds", v.date)
    )
    return AtMost(0, tally_events(found, window, ctx.as_of))


@rule(
    "2.central-group-study",
    T,
    ("study_sessions",),
    ("central_group.sessions_per_quarter",),
    Measure("有中心组学习的季度", "个", "quarters with central-group study"),
)
def central_group_study(ctx: Context, member: Member | None) -> Check | NotApplicable:
    sessions = [
        (s.id, s.date) for s in ctx.records("study_sessions") if s.kind.value == "central_group"
    ]
    items = tuple(
        (
            str(q),
            AtLeast(
                ctx.at_least("central_group.sessions_per_quarter", window),
                tally_events(sessions, window, ctx.as_of),
            ),
        )
        for q, _due, window in quarterly(ctx)
    )
    if not items:
        return _NO_QUARTER
    return Check(ForEach(items), ctx.period.range.end)


@rule(
    "2.relay-directives",
    T,
    ("directives", "study_sessions"),
    ("relay.deadline_days",),
    Measure("按时传达学习的指示", "项", "directives relayed in time"),
)
def relay_directives(ctx: Context, member: Member | None) -> Check | NotApplicable:
    relays: dict[str, list[tuple[str, _dt.date]]] = {}
    for s in ctx.records("study_sessions"):
        for directive in s.directives:
            relays.setdefault(directive, []).append((s.id, s.date))
    items = []
    for d in ctx.records("directives"):
        # The deadline in force on the day the directive was issued applies to it.
        due = d.issued + _dt.timedelta(days=ctx.number("relay.deadline_days", d.issued))
        if d.issued <= ctx.as_of and due in ctx.period.range and due in ctx.in_force:
            relayed = within_deadline(relays.get(d.id, []), d.issued, due, ctx.as_of)
            items.append((d.id, relayed))
    if not items:
        return _NONE_ARISEN
    return Check(ForEach(tuple(items)), ctx.period.range.end)


def _decisions(ctx: Context, test: str) -> Check | NotApplicable:
    window = applicable(ctx, ctx.period.range, None)
    items = []
    for d in ctx.records("major_decisions"):
        if window is None or d.date not in window or d.date > ctx.as_of:
            continue
        if test == "collective":
            holds = d.decided_by.value in ctx.names("decision.collective_bodies", d.date)
        else:
            holds = d.legal_review is not None and d.legal_review <= d.date
        items.append((d.id, Holds(holds, (d.id,))))
    if not items:
        return _NONE_ARISEN
    return Check(ForEach(tuple(items)), ctx.period.range.end, window)


@rule(
    "5.collective-decision",
    T,
    ("major_decisions",),
    ("decision.collective_bodies",),
    Measure("集体研究决定的重大事项", "项", "major decisions taken collectively"),
)
def collective_decision(ctx: Context, member: Member | None) -> Check | NotApplicable:
    return _decisions(ctx, "collective")


@rule(
    "5.legal-review",
    T,
    ("major_decisions",),
    (),
    Measure("经合法性审查的重大事项", "项", "major decisions with prior legal review"),
)
def legal_review(ctx: Context, member: Member | None) -> Check | NotApplicable:
    return _decisions(ctx, "legal_review")


@rule(
    "6.personal-matters-report",
    M,
    ("personal_matters_reports",),
    ("personal_matters.due_month_day",),
    Measure("按时报告", "份", "reports filed on time", "report filed on time"),
)
def personal_matters_report(ctx: Context, member: Member | None) -> Check | NotApplicable:
    assert member is not None
    for year in range(ctx.period.range.start.year, ctx.period.range.end.year + 1):
        month_day = ctx.text("personal_matters.due_month_day", _dt.date(year, 1, 1))
        month, day = map(int, month_day.split("-"))
        due = _dt.date(year, month, day)
        if due not in ctx.period.range:
            continue
        if due not in ctx.in_force:
            return NotApplicable(
                "报告到期日早于规定施行日", "the report falls due before the regulation is in force"
            )
        if due not in member.tenure.range:
            return NotApplicable(
                "报告到期日不在任", "not in office on the day the report falls due"
            )
        start = _dt.date(year - 1, 1, 1)
        filed = (
            (r.id, r.filed)
            for r in ctx.of_member("personal_matters_reports", member)
            if r.year == year - 1
        )
        on_time = within_deadline(filed, start, due, ctx.as_of)
        return Check(on_time, due, DateRange(start, due))
    return _NO_JANUARY_DUE
