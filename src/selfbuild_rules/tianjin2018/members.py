"""The members' evaluable provisions of tianjin-2018, each a rule over the shared algebra.

Every function here only selects records and builds a condition; counting, date
windows and three-valued logic live in :mod:`.conditions` and :mod:`.rules`.
"""

from __future__ import annotations

import datetime as _dt
import math
from fractions import Fraction

from selfbuild_rules.facts.records import Member, ResearchReport
from selfbuild_rules.law.parameters import IN_FORCE
from selfbuild_rules.law.periods import DateRange, Period
from selfbuild_rules.law.text import SubjectKind
from selfbuild_rules.law.timeline import day_weighted
from selfbuild_rules.rules.conditions import All, AtLeast, AtMost, Condition, ForEach, Tally
from selfbuild_rules.rules.context import Context
from selfbuild_rules.rules.ruleset import Check, Measure, NotApplicable, RuleSet
from selfbuild_rules.rules.tallies import (
    tally_dated,
    tally_days,
    tally_events,
    tally_overlap,
    tally_spans,
    within_deadline,
)

#: The rules of this file, declared below; each reads the day the regulation is in force.
RULES = RuleSet(reads=(IN_FORCE,))
M = SubjectKind.MEMBER
# Reasons given to many members, made once: results share the explanation of one.
_NO_JANUARY_DUE = NotApplicable(
    "本期间内没有报告到期（1月31日）", "no report falls due in the period (31 January)"
)
_NO_TOPIC = NotApplicable("当年未确定重点课题", "no key topic for the year", True)
_NOT_IN_OFFICE_ON_DUE = NotApplicable(
    "报告到期日不在任", "not in office on the day the report falls due"
)


def research_days_required(ctx: Context, window: DateRange) -> int:
    """The days of research required for a window, under the configured reading.

    >>> from selfbuild_rules import load_facts
    >>> f = load_facts({"format": "selfbuild-rules.facts/1",
    ...                 "team": {"id": "t", "name": "班子"}, "members": []})
    >>> from selfbuild_rules.tianjin2018 import BASE
    >>> from selfbuild_rules.plugins.modules import build_law
    >>> ctx = build_law(BASE).context(f, Period.parse("2018"), _dt.date(2019, 3, 1))
    >>> research_days_required(ctx, DateRange(_dt.date(2018, 2, 2), _dt.date(2018, 12, 31)))
    55
    """
    return ctx.remembered(("research_days", "", window), lambda: _required(ctx, window))


def _required(ctx: Context, window: DateRange) -> int:
    year_days = Period.year_of(window.start.year).range.days
    per_month = (
        Fraction(30)
        if ctx.text("research.month_mode", window.end) == "months_as_30_days"
        else Fraction(year_days, 12)
    )
    pro_rated = ctx.text("research.pro_rating", window.end) == "applicable_days"
    # Each value of research.months counts for the days it governs (mid-year amendments).
    parts = ctx.over("research.months", window)
    required = day_weighted(parts, lambda months: per_month * _months(months), per=window.days)
    return math.ceil(required * window.days / year_days if pro_rated else required)


def _months(value: object) -> int:
    assert isinstance(value, int)
    return value


@RULES.yearly(
    "3.research-days",
    M,
    ("research_trips",),
    ("research.months", "research.month_mode", "research.pro_rating"),
    Measure("调研天数", "天", "research days", "research day", "days"),
    compliant_when=(
        "成员在适用期间（当年、任职期间与规定施行期间的交集，以数据截至日已知者为限）"
        "内调研行程覆盖的不同日历日数，达到要求天数即为符合：要求天数由 research.months 按 "
        "research.month_mode 折成天数，再按 research.pro_rating 以适用期间占全年的比例折算，"
        "向上取整。"
    ),
)
def research_days(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    """Compliant when the distinct calendar days covered by the member's research trips
    inside the window (year ∩ tenure ∩ in force, known by ``as_of``) reach the required
    days: ``research.months`` read as days (``research.month_mode``), pro-rated by the
    window's share of the year (``research.pro_rating``) and rounded up once.
    """
    assert member is not None
    # A trip is a span; pairs made in one comprehension, not a generator (~40 a member).
    spans = [(t.id, t) for t in ctx.of_member("research_trips", member)]
    tally = tally_days(spans, window, ctx.as_of)
    return AtLeast(research_days_required(ctx, window), tally)


def _topics(ctx: Context, member: Member, window: DateRange) -> Tally:
    """The member's key topics of the window's year designated by ``as_of`` (an undated
    topic as it stands) and by the window's end."""
    year = window.end.year
    topics = ctx.of_member("research_topics", member)
    return tally_dated([(t.id, t.designated) for t in topics if t.year == year], window, ctx.as_of)


@RULES.yearly(
    "3.research-topics",
    M,
    ("research_topics",),
    ("research.topics_min", "research.topics_max"),
    Measure("重点课题", "个", "key topics", "key topic", "topics"),
    compliant_when=(
        "成员当年确定的重点课题数在 research.topics_min 至 research.topics_max 个之间，即为符合"
        "（有 designated 日期的课题自该日起计入，该日须在当年）。"
    ),
)
def research_topics(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    """Compliant when the member has between ``research.topics_min`` and
    ``research.topics_max`` key topics whose ``year`` is the obligation's year (a topic
    with a ``designated`` day counts from that day, if it is in the window's year).
    """
    assert member is not None
    tally = _topics(ctx, member, window)
    return All(
        (
            AtLeast(ctx.at_least("research.topics_min", window), tally),
            AtMost(ctx.at_most("research.topics_max", window), tally),
        )
    )


@RULES.yearly(
    "3.research-reports",
    M,
    ("research_topics", "research_reports"),
    ("research.report_min_recommendations",),
    Measure("已提交报告的课题", "个", "topics reported on", "", "topics"),
    compliant_when=(
        "成员当年的每个重点课题都有一份当年形成、提出至少 "
        "research.report_min_recommendations 条对策建议的调研报告，即为符合；"
        "截至数据截至日当年未确定重点课题的不适用；适用期间尚未结束时为未到期，"
        "因为仍可能确定新的课题。"
    ),
)
def research_reports(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    """Compliant when every key topic of the year has a report dated in that calendar
    year that makes at least ``research.report_min_recommendations`` recommendations;
    not applicable when the member has no topic for the year as of ``as_of``; open while
    the window is, since a topic may still be designated.
    """
    assert member is not None
    year = _year(ctx, window.end.year)  # a topic's report counts all year long
    topics = _topics(ctx, member, window).facts
    if not topics:
        return _NO_TOPIC
    least = ctx.number("research.report_min_recommendations", window.end)
    reports = [r for r in ctx.of_member("research_reports", member) if r.recommendations >= least]
    items = tuple(
        [
            (topic, AtLeast(1, tally_events(_reports_on(reports, topic), year, ctx.as_of)))
            for topic in topics
        ]
    )
    return ForEach(items, ctx.as_of < window.end)


def _year(ctx: Context, year: int) -> DateRange:
    """The days of calendar year ``year``, made once per evaluation."""
    return ctx.remembered(("year", "", year), lambda: Period.year_of(year).range)


def _reports_on(reports: list[ResearchReport], topic: str) -> list[tuple[str, _dt.date]]:
    # A list, not a generator: a member has a topic or two and as many reports.
    return [(r.id, r.date) for r in reports if r.topic == topic]


_AT_ONCE = Measure(
    "同时指定的联系点",
    "个",
    "contact points designated at once",
    "contact point designated at once",
    "contact points",
)


def _designations(ctx: Context, member: Member, window: DateRange) -> list[tuple[str, DateRange]]:
    kinds = ctx.names("contact_point.kinds", window.end)
    return [
        (c.id, c.designation)
        for c in ctx.of_member("contact_points", member)
        if c.kind.value in kinds and c.start <= ctx.as_of
    ]


@RULES.yearly(
    "4.contact-point",
    M,
    ("contact_points",),
    ("contact_point.kinds",),
    Measure("联系点", "个", "contact points", "contact point", "contact points"),
    compliant_when=(
        "适用期间内有某日指定给成员的联系点属于 contact_point.kinds 所列类型，"
        "且任何一日都不同时指定两个联系点，即为符合。"
    ),
)
def contact_point(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    """Compliant when a contact point of an allowed kind (``contact_point.kinds``) is
    designated to the member on some day of the window, and never two on the same day.
    """
    assert member is not None
    designations = _designations(ctx, member, window)
    at_once = tally_overlap(designations, window, ctx.as_of, _AT_ONCE)
    return All((AtLeast(1, tally_spans(designations, window, ctx.as_of)), AtMost(1, at_once)))


@RULES.yearly(
    "4.contact-point-visits",
    M,
    ("contact_points", "contact_point_visits"),
    ("contact_point.visits_min", "contact_point.kinds"),
    Measure("联系点走访", "次", "contact-point visits", "contact-point visit", "visits"),
    compliant_when=(
        "成员在适用期间内、于联系点指定期间走访本人联系点至少 contact_point.visits_min 次，"
        "即为符合。"
    ),
)
def contact_point_visits(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    """Compliant when the member visits a contact point designated to them, on a day
    of its designation, at least ``contact_point.visits_min`` times in the window.
    """
    assert member is not None
    designated = dict(_designations(ctx, member, window))
    visits = [
        (v.id, v.date)
        for v in ctx.of_member("contact_point_visits", member)
        if v.contact_point in designated and v.date in designated[v.contact_point]
    ]
    tally = tally_events(visits, window, ctx.as_of)
    return AtLeast(ctx.at_least("contact_point.visits_min", window), tally)


@RULES.yearly(
    "6.integrity",
    M,
    ("violations",),
    ("integrity.violation_kinds",),
    Measure("违规记录", "条", "recorded violations", "recorded violation", "violations"),
    compliant_when=(
        "适用期间内成员没有 integrity.violation_kinds 所列类型的违规记录，即为符合；"
        "适用期间尚未结束时为未到期。"
    ),
)
def integrity(ctx: Context, member: Member | None, window: DateRange) -> Condition | NotApplicable:
    """Compliant when no violation of a counted kind (``integrity.violation_kinds``) is
    recorded for the member in the window; pending while the window is still open.
    """
    assert member is not None
    found = [
        (v.id, v.date)
        for v in ctx.of_member("violations", member)
        if v.kind.value in ctx.names("integrity.violation_kinds", v.date)
    ]
    return AtMost(0, tally_events(found, window, ctx.as_of))


@RULES.rule(
    "6.personal-matters-report",
    M,
    ("personal_matters_reports",),
    ("personal_matters.due_month_day",),
    Measure("按时报告", "份", "reports filed on time", "report filed on time", "reports"),
    compliant_when=(
        "上一年度的个人有关事项报告在期间内某年的 personal_matters.due_month_day（"
        "默认1月31日）当日或之前提交，即为符合；到期日早于规定施行日或不在任职期间的不适用。"
    ),
)
def personal_matters_report(ctx: Context, member: Member | None) -> Check | NotApplicable:
    """Compliant when the report for the previous year, due on
    ``personal_matters.due_month_day`` (31 January by default) of a year in the period,
    was filed on or before that day; not applicable when the due day is before the
    regulation is in force or outside the member's tenure.
    """
    assert member is not None
    due = ctx.remembered(("personal_matters.due", "", None), lambda: _report_due(ctx))
    if isinstance(due, NotApplicable):
        return due
    day, window = due
    tenure = member.tenure
    # Compared, not ``day in tenure.range``: that makes a DateRange for every member.
    if day < tenure.start or (tenure.end is not None and day > tenure.end):
        return _NOT_IN_OFFICE_ON_DUE
    filed = [
        (r.id, r.filed)
        for r in ctx.of_member("personal_matters_reports", member)
        if r.year == day.year - 1
    ]
    return Check(within_deadline(filed, window.start, day, ctx.as_of), day, window)


def _report_due(ctx: Context) -> tuple[_dt.date, DateRange] | NotApplicable:
    """The first report due in the period and the days it may be filed on (from the
    start of the year it reports on), or why none is due; the same for every member."""
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
        start = _dt.date(year - 1, 1, 1) if year > 1 else _dt.date.min
        return due, DateRange(start, due)
    return _NO_JANUARY_DUE
