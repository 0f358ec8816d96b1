"""Member rules of tianjin-2018 evaluated on small hand-built facts, boundary days pinned.

Every expected status and number is worked out by hand from the documented semantics
(window = year ∩ tenure ∩ in force from 2018-02-02; facts after ``as_of`` ignored;
lower bounds pending while still reachable, upper bounds pending while the window is
open). Day counts include both ends: 2018-03-01..2018-04-16 is 31 + 16 = 47 days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import selfbuild_rules as sr
from selfbuild_rules import DateRange, Status

C, N, P, U, NA, J = (
    Status.COMPLIANT,
    Status.NON_COMPLIANT,
    Status.PENDING,
    Status.UNDETERMINED,
    Status.NOT_APPLICABLE,
    Status.REQUIRES_JUDGMENT,
)
AFTER = "2019-03-01"  # an as_of after the 2018 window has closed
MID = "2018-06-30"  # an as_of in the middle of 2018


def member(start: str = "2017-01-01", end: str | None = None) -> dict[str, Any]:
    return {"id": "m01", "name": "成员甲", "post": "mayor", "tenure": {"start": start, "end": end}}


def facts(*, tenure: tuple[str, str | None] | None = None, **categories: Any) -> dict[str, Any]:
    """A minimal valid document: member m01 (2017-01-01..open unless ``tenure``) + categories."""
    doc = {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "tj-gov", "name": "天津市人民政府领导班子"},
        "members": [member(*tenure) if tenure else member()],
    }
    doc.update({k: v for k, v in categories.items() if v is not None})
    return doc


def trips(*spans: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"id": f"rt-{i}", "member": "m01", "start": s, "end": e}
        for i, (s, e) in enumerate(spans, 1)
    ]


def topics(*years: int) -> list[dict[str, Any]]:
    return [{"id": f"tp-{i}", "member": "m01", "year": y} for i, y in enumerate(years, 1)]


def reports(*rows: tuple[str, str, int]) -> list[dict[str, Any]]:
    return [
        {"id": f"rr-{i}", "member": "m01", "topic": t, "date": d, "recommendations": n}
        for i, (t, d, n) in enumerate(rows, 1)
    ]


def tp1_report(day: str, recommendations: int) -> list[dict[str, Any]]:
    return reports(("tp-1", day, recommendations))


def points(*spans: tuple[str, str | None]) -> list[dict[str, Any]]:
    return [
        {"id": f"cp-{i}", "member": "m01", "kind": "village", "start": s, "end": e}
        for i, (s, e) in enumerate(spans, 1)
    ]


def visits(*rows: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"id": f"v-{i}", "member": "m01", "contact_point": cp, "date": d}
        for i, (cp, d) in enumerate(rows, 1)
    ]


def pm_reports(*rows: tuple[int, str]) -> list[dict[str, Any]]:
    return [
        {"id": f"pm-{i}", "member": "m01", "year": y, "filed": f}
        for i, (y, f) in enumerate(rows, 1)
    ]


def violations(*days: str) -> list[dict[str, Any]]:
    return [
        {"id": f"vi-{i}", "member": "m01", "date": d, "kind": "market_interference"}
        for i, d in enumerate(days, 1)
    ]


def result(
    doc: dict[str, Any],
    rule: str,
    period: str = "2018",
    as_of: str = AFTER,
    params: dict[str, object] | None = None,
) -> sr.Result:
    report = sr.evaluate(doc, period=period, as_of=as_of, parameters=params, rules=[rule])
    return report.result(rule, "m01")


# --- 3.research-days -------------------------------------------------------------------
IN_2017 = ("2016-01-01", "2017-12-31")
LEAVES = ("2017-01-01", "2018-06-30")
JUL15 = "2018-07-15"


def days(name, status, measured, minimum, *spans, period="2018", as_of=AFTER, params=None,
         tenure=None, **categories):  # fmt: skip
    """A research-days case: trips from ``spans`` unless ``research_trips`` is given."""
    categories.setdefault("research_trips", trips(*spans))
    doc = facts(tenure=tenure, **categories)
    return pytest.param(doc, period, as_of, params, status, measured, minimum, id=name)


# minimum = ceil(60 * window days / days in the year); day counts include both ends.
DAYS = [
    # 2018 window 02-02..12-31 = 333 days -> ceil(60*333/365) = ceil(54.74) = 55.
    days("55-of-55", C, 55, 55, ("2018-03-01", "2018-04-24")),  # 31 + 24
    days("47-of-55", N, 47, 55, ("2018-03-01", "2018-04-16")),  # 31 + 16
    # 03-01..03-10 and 03-08..03-12 cover 03-01..03-12 = 12 days.
    days("overlap-once", N, 12, 55, ("2018-03-01", "2018-03-10"), ("2018-03-08", "2018-03-12")),
    days("pending-mid-year", P, 0, 55, as_of=MID),
    days("undetermined", U, None, None, research_trips=None),
    days("tenure-all-2017", NA, None, None, tenure=IN_2017),
    days("tenure-ends-before-in-force", NA, None, None, tenure=("2017-06-01", "2018-01-31")),
    # 31 Dec / 1 Jan: 2018-12-30..2019-01-02 is 2 days in each year.
    days("year-end-trip-2018", N, 2, 55, ("2018-12-30", "2019-01-02")),
    # 2019 is a full year: 60*365/365 = 60; 2 known + 305 days left (03-02..12-31) -> pending.
    days("year-end-trip-2019", P, 2, 60, ("2018-12-30", "2019-01-02"), period="2019"),
    # 2018-12-31T17:00Z is 2019-01-01 01:00 in Shanghai: a 2019 day, not a 2018 one.
    days("utc-is-next-day-in-china", N, 0, 55, ("2018-12-31T17:00:00+00:00", "2018-12-31T18:00Z")),
    # In force 2018-02-02: of 01-20..02-03 only 02-02 and 02-03 count.
    days("in-force-day", N, 2, 55, ("2018-01-20", "2018-02-03")),
    # Joining 07-01: window 07-01..12-31 = 31+31+30+31+30+31 = 184 -> ceil(30.25) = 31.
    days("joins-07-01", C, 31, 31, ("2018-07-01", "2018-07-31"), tenure=("2018-07-01", None)),
    # Leaving 06-30: window 02-02..06-30 = 27+31+30+31+30 = 149 -> ceil(24.49) = 25; as_of
    # 07-15 is past the window end, so nothing more can be added: the result is final.
    days("leaves-short", N, 24, 25, ("2018-03-01", "2018-03-24"), tenure=LEAVES, as_of=JUL15),
    days("leaves-met", C, 25, 25, ("2018-03-01", "2018-03-25"), tenure=LEAVES, as_of=JUL15),
    # Leap year 2020: 60*366/366 = 60; 02-28, 02-29, 03-01 = 3 days.
    days("leap-2020", N, 3, 60, ("2020-02-28", "2020-03-01"), period="2020", as_of="2021-03-01"),
    # From 2020-03-01: 366 - 31 - 29 = 306 days -> ceil(60*306/366) = ceil(50.16) = 51.
    days("leap-joins-03-01", N, 0, 51, period="2020", as_of="2021-03-01",
         tenure=("2020-03-01", None)),
    # as_of = due date: 54 days (03-01..04-23) + 12-31 -> 55 on 12-31 itself.
    days("met-on-due-date", C, 55, 55, ("2018-03-01", "2018-04-23"), ("2018-12-31", "2018-12-31"),
         as_of="2018-12-31"),
    # as_of 12-30: 12-31 not yet known; 54 known + 1 day left = 55 >= 55 -> pending.
    days("54-and-1-day-left", P, 54, 55, ("2018-03-01", "2018-04-23"),
         ("2018-12-31", "2018-12-31"), as_of="2018-12-30"),
    # 50 days (03-01..04-19) + 1 day left = 51 < 55 -> already non_compliant.
    days("50-cannot-reach", N, 50, 55, ("2018-03-01", "2018-04-19"), as_of="2018-12-30"),
    # twelfths_of_year: 2/12 of 365 days, times 333/365 = 2*333/12 = 55.5 -> 56.
    days("twelfths-mode", N, 0, 56, params={"research.month_mode": "twelfths_of_year"}),
    # pro_rating none: the full 60 even for the 149-day window of a member leaving 06-30.
    days("no-pro-rating", N, 0, 60, params={"research.pro_rating": "none"}, tenure=LEAVES),
]  # fmt: skip


@pytest.mark.parametrize(
    ("doc", "period", "as_of", "params", "status", "measured", "minimum"), DAYS
)
def test_research_days(doc, period, as_of, params, status, measured, minimum):
    r = result(doc, "3.research-days", period, as_of, params)
    assert r.status is status
    if measured is None:
        assert r.requirement is None
    else:
        assert (r.requirement.measured, r.requirement.minimum) == (measured, minimum)


def test_research_days_result_in_full():
    doc = facts(research_trips=trips(("2018-03-01", "2018-04-16"), ("2017-05-01", "2017-05-10")))
    r = result(doc, "3.research-days")
    assert r.status is N
    assert (r.requirement.measured, r.requirement.minimum, r.requirement.maximum) == (47, 55, None)
    assert r.facts == ("rt-1",)  # the 2017 trip rt-2 lies outside the window
    assert r.due == date(2018, 12, 31)
    assert r.window == DateRange(date(2018, 2, 2), date(2018, 12, 31))
    mode = {i.parameter: i for i in r.interpretations}["research.month_mode"]
    assert mode.value == "months_as_30_days" and mode.default is True
    assert r.citation.provision == "3.research-days" and "2个月" in r.citation.text
    assert r.explanation.zh == "调研天数 47 天，少于要求的 55 天"
    assert r.explanation.en == "47 research days, fewer than the 55 required"


def test_overridden_interpretation_is_marked_not_default():
    r = result(facts(research_trips=[]), "3.research-days",
               params={"research.month_mode": "twelfths_of_year"})  # fmt: skip
    mode = {i.parameter: i for i in r.interpretations}["research.month_mode"]
    assert (mode.value, mode.default) == ("twelfths_of_year", False)


# --- the other member rules: (rule, facts, period, as_of, params, expected status) -----------
def case(name, rule, status, *, period="2018", as_of=AFTER, params=None, tenure=None, **cats):
    """A case of ``rule`` on m01 (tenure as given) with the categories ``cats``."""
    doc = facts(tenure=tenure, **cats)
    return pytest.param(rule, doc, period, as_of, params, status, id=f"{rule}:{name}")


T, R, CP, V, PM, INT = (
    "3.research-topics",
    "3.research-reports",
    "4.contact-point",
    "4.contact-point-visits",
    "6.personal-matters-report",
    "6.integrity",
)
TP = topics(2018)
CP_OPEN = points(("2018-03-01", None))
IN_FORCE_0101 = {"regulation.in_force_from": "2018-01-01"}
CASES = [
    # Topics: 1 <= n <= 2, open until the window end.
    case("0-after-year", T, N, research_topics=[]),
    case("1", T, C, research_topics=topics(2018)),
    case("2", T, C, research_topics=topics(2018, 2018)),
    case("3", T, N, research_topics=topics(2018, 2018, 2018)),
    case("3-mid-year", T, N, as_of=MID, research_topics=topics(2018, 2018, 2018)),
    case("1-mid-year", T, P, as_of=MID, research_topics=topics(2018)),
    case("0-mid-year", T, P, as_of=MID, research_topics=[]),
    case("2017-topic-only", T, N, research_topics=topics(2017)),
    case("absent", T, U),
    case("tenure-2017", T, NA, tenure=IN_2017, research_topics=[]),
    # Reports: every topic of the year reported in the window with >= 1 recommendation.
    case("no-topics", R, NA, research_topics=[], research_reports=[]),
    case("reported", R, C, research_topics=TP, research_reports=tp1_report("2018-11-30", 5)),
    case("0-recs", R, N, research_topics=TP, research_reports=tp1_report("2018-11-30", 0)),
    case("dated-2019", R, N, research_topics=TP, research_reports=tp1_report("2019-01-05", 3)),
    # "a report dated in the year": January 2018 counts, though the rule is in force from 2 Feb.
    case("pre-force", R, C, research_topics=TP, research_reports=tp1_report("2018-01-15", 3)),
    case("not-yet", R, P, as_of=MID, research_topics=TP, research_reports=[]),
    case("reports-absent", R, U, research_topics=TP),
    case("topics-absent", R, U, research_reports=[]),
    case("tenure-2017", R, NA, tenure=IN_2017, research_topics=[], research_reports=[]),
    # Contact point: >= 1 designation touching the window, never two on one day.
    case("one", CP, C, contact_points=CP_OPEN),
    case("none", CP, N, contact_points=[]),
    case("overlapping", CP, N, contact_points=points(("2018-03-01", None), ("2018-06-01", None))),
    case("back-to-back", CP, C,
         contact_points=points(("2018-03-01", "2018-06-30"), ("2018-07-01", None))),
    # The overlap 2018-01-05..01-10 lies before the in-force day, outside the window.
    case("overlap-before-window", CP, C,
         contact_points=points(("2017-01-01", "2018-01-10"), ("2018-01-05", None))),
    case("ended-2017-12-31", CP, N, contact_points=points(("2017-03-01", "2017-12-31"))),
    case("mid-year", CP, P, as_of=MID, contact_points=CP_OPEN),
    case("absent", CP, U),
    case("tenure-2017", CP, NA, tenure=IN_2017, contact_points=[]),
    # Visits: >= 1 visit in the window, to the member's point, inside its designation.
    case("visited", V, C, contact_points=CP_OPEN,
         contact_point_visits=visits(("cp-1", "2018-05-05"))),
    case("outside-designation", V, N, contact_points=points(("2018-03-01", "2018-06-30")),
         contact_point_visits=visits(("cp-1", "2018-08-01"))),
    case("before-in-force", V, N, contact_points=points(("2017-01-01", None)),
         contact_point_visits=visits(("cp-1", "2018-01-20"))),
    case("dated-2019", V, N, contact_points=CP_OPEN,
         contact_point_visits=visits(("cp-1", "2019-01-02"))),
    case("none-mid-year", V, P, as_of=MID, contact_points=CP_OPEN, contact_point_visits=[]),
    case("visits-absent", V, U, contact_points=CP_OPEN),
    case("tenure-2017", V, NA, tenure=IN_2017, contact_points=[], contact_point_visits=[]),
    # Personal matters: report for Y-1 due Y-01-31 (in the period, in force, in tenure).
    case("filed-on-due-day", PM, C, period="2019",
         personal_matters_reports=pm_reports((2018, "2019-01-31"))),
    case("filed-a-day-late", PM, N, period="2019",
         personal_matters_reports=pm_reports((2018, "2019-02-01"))),
    case("wrong-year", PM, N, period="2019",
         personal_matters_reports=pm_reports((2019, "2019-01-20"))),
    case("not-yet", PM, P, period="2019", as_of="2019-01-15", personal_matters_reports=[]),
    case("quarter-with-due-day", PM, C, period="2019-Q1",
         personal_matters_reports=pm_reports((2018, "2019-01-31"))),
    # 2018-01-31 is before 2018-02-02: no report falls due in 2018 ...
    case("2018-before-in-force", PM, NA,
         personal_matters_reports=pm_reports((2017, "2018-01-20"))),
    # ... unless in force from 2018-01-01: then the report for 2017 is due 2018-01-31.
    case("2018-in-force-01-01", PM, C, params=IN_FORCE_0101,
         personal_matters_reports=pm_reports((2017, "2018-01-20"))),
    case("2018-in-force-01-01-none", PM, N, params=IN_FORCE_0101, personal_matters_reports=[]),
    case("left-before-due-day", PM, NA, period="2019", tenure=("2017-01-01", "2019-01-15"),
         personal_matters_reports=[]),
    case("absent", PM, U, period="2019"),
    # No due day in 2019-Q2 at all: a calendar reason, so not_applicable even without the data.
    case("absent-no-due-day", PM, NA, period="2019-Q2"),
    case("none-no-due-day", PM, NA, period="2019-Q2", personal_matters_reports=[]),
    # Integrity: at most 0 violations in the window.
    case("violation", INT, N, violations=violations("2018-06-01")),
    case("violation-mid-year", INT, N, as_of=MID, violations=violations("2018-05-01")),
    case("none", INT, C, violations=[]),
    case("none-mid-year", INT, P, as_of=MID, violations=[]),
    case("after-as-of", INT, P, as_of=MID, violations=violations("2018-07-01")),
    case("2019-01-01-not-2018", INT, C, violations=violations("2019-01-01")),
    case("2019-01-01-in-2019", INT, N, period="2019", violations=violations("2019-01-01")),
    case("before-in-force", INT, C, violations=violations("2018-01-15")),
    case("after-tenure", INT, C, tenure=LEAVES, as_of="2018-07-15",
         violations=violations("2018-07-10")),
    case("absent", INT, U),
    case("tenure-2017", INT, NA, tenure=IN_2017, violations=[]),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "doc", "period", "as_of", "params", "status"), CASES)
def test_member_rule(rule, doc, period, as_of, params, status):
    assert result(doc, rule, period, as_of, params).status is status


@pytest.mark.parametrize(
    ("rule", "doc", "missing"),
    [
        ("3.research-days", facts(), "research_trips"),
        (T, facts(), "research_topics"),
        (R, facts(research_topics=TP), "research_reports"),
        (R, facts(research_reports=[]), "research_topics"),
        (CP, facts(), "contact_points"),
        (V, facts(contact_points=CP_OPEN), "contact_point_visits"),
        (INT, facts(), "violations"),
    ],
)
def test_undetermined_names_missing_category(rule, doc, missing):
    r = result(doc, rule)
    assert r.status is U
    assert missing in r.explanation.en and missing in r.explanation.zh


def test_undetermined_personal_matters_names_category():
    r = result(facts(), PM, period="2019")
    assert r.status is U and "personal_matters_reports" in r.explanation.en


def test_violation_ids_in_facts_and_reports_failing_topic():
    r = result(facts(violations=violations("2018-06-01", "2019-02-01")), INT)
    assert (r.status, r.facts) == (N, ("vi-1",))  # vi-2 is dated 2019
    r = result(
        facts(research_topics=topics(2018, 2018),
              research_reports=tp1_report("2018-11-30", 2)), R)  # fmt: skip
    assert (r.status, r.failing) == (N, ("tp-2",))
    assert (r.requirement.measured, r.requirement.minimum) == (1, 2)  # 1 of 2 topics reported


def test_personal_matters_2018_explains_in_force():
    r = result(facts(personal_matters_reports=[]), PM)
    assert r.status is NA and "in force" in r.explanation.en


# --- a judgment provision: 1.loyalty ------------------------------------------------------
def assessment(aid: str, verdict: str, day: str, period: str = "2018") -> dict[str, Any]:
    return {"id": aid, "rule": "1.loyalty", "subject": "m01", "period": period,
            "result": verdict, "date": day}  # fmt: skip


@pytest.mark.parametrize(
    ("records", "status", "facts_used"),
    [
        pytest.param(None, J, (), id="category-absent"),
        pytest.param([], J, (), id="none-recorded"),
        pytest.param([assessment("as-1", "compliant", "2019-01-15")], C, ("as-1",), id="compliant"),
        pytest.param([assessment("as-1", "non_compliant", "2019-01-15")], N, ("as-1",),
                     id="non-compliant"),
        pytest.param([assessment("as-1", "compliant", "2019-03-01")], C, ("as-1",),
                     id="dated-on-as-of"),
        pytest.param([assessment("as-1", "compliant", "2019-03-02")], J, (), id="after-as-of"),
        pytest.param([assessment("as-2", "non_compliant", "2019-02-01"),
                      assessment("as-1", "compliant", "2019-01-15")], N, ("as-2",),
                     id="latest-wins"),
        pytest.param([assessment("as-1", "non_compliant", "2019-01-15"),
                      assessment("as-2", "compliant", "2019-02-01"),
                      assessment("as-3", "non_compliant", "2019-04-01")], C, ("as-2",),
                     id="latest-known-by-as-of-wins"),
        pytest.param([assessment("as-1", "compliant", "2018-01-15", period="2017")], J, (),
                     id="other-period"),
    ],
)  # fmt: skip
def test_loyalty_judgment(records, status, facts_used):
    doc = facts() if records is None else facts(assessments=records)
    r = result(doc, "1.loyalty")
    assert r.status is status
    assert r.facts == facts_used


def test_judgment_not_applicable_outside_tenure():
    doc = facts(tenure=IN_2017, assessments=[assessment("as-1", "compliant", "2019-01-15")])
    assert result(doc, "1.loyalty").status is NA
