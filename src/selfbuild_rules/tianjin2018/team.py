"""The team's evaluable provisions of tianjin-2018: study, projects, decisions, meetings.

Like the members' rules in :mod:`.members`, each only selects records and
builds a condition from the shared algebra; each result's subject is ``team``.
"""

from __future__ import annotations

import datetime as _dt

from selfbuild_rules.facts.records import Member
from selfbuild_rules.law.parameters import IN_FORCE
from selfbuild_rules.law.periods import DateRange, shifted
from selfbuild_rules.law.text import SubjectKind
from selfbuild_rules.rules.conditions import AtLeast, Condition, ForEach, Holds
from selfbuild_rules.rules.context import Context
from selfbuild_rules.rules.ruleset import (
    Check,
    Measure,
    NotApplicable,
    RuleSet,
    applicable,
    quarterly,
)
from selfbuild_rules.rules.tallies import tally_dated, tally_events, within_deadline

#: The rules of this file, declared below; each reads the day the regulation is in force.
RULES = RuleSet(reads=(IN_FORCE,))
T = SubjectKind.TEAM
_NONE_ARISEN = NotApplicable(
    "截至评估日，本期间内未产生该项义务",
    "no such obligation has arisen in the period as of the evaluation date",
    True,
)
_NO_QUARTER = NotApplicable(
    "本期间内没有季度义务到期", "no quarter's obligation falls due in the period"
)


@RULES.yearly(
    "4.livelihood-projects",
    T,
    ("livelihood_projects",),
    ("livelihood.projects_min",),
    Measure(
        "已完成民心工程",
        "项",
        "completed livelihood projects",
        "completed livelihood project",
        "projects",
    ),
    compliant_when=(
        "当年状态为已完成的民心工程至少 livelihood.projects_min 项，即为符合"
        "（有 completed 日期的工程自该日起计入，该日须不晚于适用期间末日）。"
    ),
)
def livelihood_projects(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    """Compliant when at least ``livelihood.projects_min`` livelihood projects of the
    year have the status ``completed`` (one with a ``completed`` day counts from that
    day, if it is by the window's end).
    """
    done = (
        (p.id, p.completed)
        for p in ctx.records("livelihood_projects")
        if p.year == window.end.year and p.status.value == "completed"
    )
    tally = tally_dated(done, window, ctx.as_of)
    return AtLeast(ctx.at_least("livelihood.projects_min", window), tally)


@RULES.yearly(
    "6.democratic-life-meeting",
    T,
    ("democratic_life_meetings",),
    ("democratic_life.meetings_min",),
    Measure("民主生活会", "次", "democratic life meetings", "democratic life meeting", "meetings"),
    compliant_when=(
        "班子在适用期间内召开民主生活会至少 democratic_life.meetings_min 次，即为符合。"
    ),
)
def democratic_life_meeting(
    ctx: Context, member: Member | None, window: DateRange
) -> Condition | NotApplicable:
    """Compliant when the team holds at least ``democratic_life.meetings_min``
    democratic life meetings in the window.
    """
    meetings = ((m.id, m.date) for m in ctx.records("democratic_life_meetings"))
    tally = tally_events(meetings, window, ctx.as_of)
    return AtLeast(ctx.at_least("democratic_life.meetings_min", window), tally)


@RULES.rule(
    "2.central-group-study",
    T,
    ("study_sessions",),
    ("central_group.sessions_per_quarter",),
    Measure("有中心组学习的季度", "个", "quarters with central-group study", "", "quarters"),
    compliant_when=(
        "最后一日落在期间内的每个季度，在规定施行的部分至少有 "
        "central_group.sessions_per_quarter 次中心组学习，即为符合。"
    ),
)
def central_group_study(ctx: Context, member: Member | None) -> Check | NotApplicable:
    """Compliant when every quarter whose last day falls in the period has at least
    ``central_group.sessions_per_quarter`` central-group sessions in its in-force part.
    """
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


@RULES.rule(
    "2.relay-directives",
    T,
    ("directives", "study_sessions"),
    ("relay.deadline_days",),
    Measure("按时传达学习的指示", "项", "directives relayed in time", "", "directives"),
    compliant_when=(
        "数据截至日前发布、传达期限（发布日加 relay.deadline_days 天，取发布日有效的值）"
        "落在期间内的每项重要指示，都在发布日至期限日之间的学习会上传达学习，即为符合；"
        "期间尚未结束时为未到期，因为仍可能发布新的指示。"
    ),
)
def relay_directives(ctx: Context, member: Member | None) -> Check | NotApplicable:
    """Compliant when every directive issued by ``as_of`` whose relay falls due in the
    period (issue day + ``relay.deadline_days``, as in force on the issue day) was listed
    in a study session dated from its issue day to its due day; open while the
    period is, since another directive may still be issued.
    """
    relays: dict[str, list[tuple[str, _dt.date]]] = {}
    for s in ctx.records("study_sessions"):
        for directive in s.directives:
            relays.setdefault(directive, []).append((s.id, s.date))
    items = []
    for d in ctx.records("directives"):
        # The deadline in force on the day the directive was issued applies to it.
        due = shifted(d.issued, ctx.number("relay.deadline_days", d.issued))
        if d.issued <= ctx.as_of and due in ctx.period.range and due in ctx.in_force:
            relayed = within_deadline(relays.get(d.id, []), d.issued, due, ctx.as_of)
            items.append((d.id, relayed))
    if not items:
        return _NONE_ARISEN
    arising = ctx.as_of < ctx.period.range.end
    return Check(ForEach(tuple(items), arising), ctx.period.range.end)


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
    assert window is not None  # else no decision would have been found
    return Check(ForEach(tuple(items), ctx.as_of < window.end), ctx.period.range.end, window)


@RULES.rule(
    "5.collective-decision",
    T,
    ("major_decisions",),
    ("decision.collective_bodies",),
    Measure("集体研究决定的重大事项", "项", "major decisions taken collectively", "", "decisions"),
    compliant_when=(
        "期间内（规定施行且数据截至日已知）的每项重大决策都由 decision.collective_bodies "
        "所列机构作出，即为符合。"
    ),
)
def collective_decision(ctx: Context, member: Member | None) -> Check | NotApplicable:
    """Compliant when every major decision dated in the period (and in force, known
    by ``as_of``) was taken by a body in ``decision.collective_bodies``.
    """
    return _decisions(ctx, "collective")


@RULES.rule(
    "5.legal-review",
    T,
    ("major_decisions",),
    (),
    Measure(
        "经合法性审查的重大事项", "项", "major decisions with prior legal review", "", "decisions"
    ),
    compliant_when=("期间内的每项重大决策都在作出当日或之前经过合法性审查，即为符合。"),
)
def legal_review(ctx: Context, member: Member | None) -> Check | NotApplicable:
    """Compliant when every major decision dated in the period had a legal review on or
    before the day it was taken.
    """
    return _decisions(ctx, "legal_review")
