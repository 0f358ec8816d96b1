"""The shipped example: examples/tianjin-2018.json and examples/evaluate_team.py.

Every expected value below was worked out by hand from the example data and the rule
semantics (regulation in force from 2018-02-02, annual windows = year ∩ tenure ∩ in
force, period 2018, as_of 2019-03-01 so every 2018 window is closed), not by running
the engine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import selfbuild_rules as sr
from selfbuild_rules.facts.records import CATEGORIES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FACTS = EXAMPLES / "tianjin-2018.json"
SCRIPT = EXAMPLES / "evaluate_team.py"
MEMBERS = ("m01", "m02", "m03", "m04", "m05", "m06", "m07")
C, NC, NA = "compliant", "non_compliant", "not_applicable"

# Research days: distinct days of the union of a member's trips inside the window.
# Full-year members: window 2018-02-02..12-31 = 333 days, required ceil(60*333/365) = 55.
# m04 leaves 2018-09-30: window 02-02..09-30 = 27+31+30+31+30+31+31+30 = 241 days,
#   required ceil(60*241/365) = ceil(39.6) = 40.
# m05 joins 2018-07-01: window 07-01..12-31 = 184 days, required ceil(60*184/365) = 31.
RESEARCH_DAYS = {
    # 03-05..16 (12); 04-09..20 and 04-18..25 overlap on 18-20 -> 04-09..25 (17);
    # 06-11..22 (12); 09-10..19 (10); 12-24..2019-01-02 clipped to 12-24..31 (8) -> 59
    "m01": (59, 55, C),
    # 01-29..02-06 clipped to 02-02..06 by the in-force date (5); 03-19..30 (12);
    # 05-14T08:30+08:00..05-25T18:00+08:00 = 05-14..25 (12); 07-02..13 (12);
    # 10-15..26 (12); 11-05..08 (4) -> 57
    "m02": (57, 55, C),
    # 03-12..23 (12); 05-07..18 and 05-16..22 overlap on 16-18 -> 05-07..22 (16);
    # 08-20..29 (10); 11-19..27 (9) -> 47, short of 55
    "m03": (47, 55, NC),
    # 03-26..04-06 (6+6=12); 05-28..06-08 (4+8=12); 07-16..27 (12); 09-17..21 (5) -> 41
    "m04": (41, 40, C),
    # 07-09..20 (12); 09-03..14 (12); 11-12..20 (9) -> 33
    "m05": (33, 31, C),
    # 02-26..03-09 (3+9=12); 04-16..27 (12); 06-04..15 and 06-13..20 overlap on 13-15
    # -> 06-04..20 (17); 09-25..10-06 (6+6=12); 12-03..07 (5) -> 58
    "m06": (58, 55, C),
    # 03-05..16 (12); 05-21..06-01 (11+1=12); 08-06..17 (12); 10-22..11-02 (10+2=12);
    # 12-10..16 (7) -> 55, exactly the requirement
    "m07": (55, 55, C),
}

# Member rules other than research days, per member (m01..m07).
#  3.research-topics: 1-2 topics each; m06 has three (tp-08, tp-09, tp-10).
#  3.research-reports: every topic reported on in the window, except m07's tp-12.
#  4.contact-point: m02's cp-02 (from 02-05) and cp-03 (from 06-01) overlap; m03's cp-04
#    ends 06-30 and cp-05 starts 07-01, which is no overlap.
#  4.contact-point-visits: m07 has no visit at all.
#  6.integrity: vi-01 (m05, 2018-10-16, privilege).
MEMBER_STATUS = {
    "3.research-topics": (C, C, C, C, C, NC, C),
    "3.research-reports": (C, C, C, C, C, C, NC),
    "4.contact-point": (C, NC, C, C, C, C, C),
    "4.contact-point-visits": (C, C, C, C, C, C, NC),
    "6.integrity": (C, C, C, C, NC, C, C),
}

# Team rules: (status, measured, minimum, failing).
TEAM_STATUS = {
    # d-01 is due 01-31, before the regulation is in force; d-09 (issued 12-28) is due
    # 2019-01-04 and belongs to 2019. d-02..d-08 count: d-08 is relayed on day 7 (in
    # time), d-05 (issued 06-28, due 07-05) only on 07-07, day 9.
    "2.relay-directives": (NC, 6, 7, ("d-05",)),
    # ss-03 (03-22), ss-04 (04-16), ss-08 (09-29), ss-10 (12-18): one per quarter.
    "2.central-group-study": (C, 4, 4, ()),
    # lp-01..lp-22 completed in 2018; lp-23..lp-25 are still in progress.
    "4.livelihood-projects": (C, 22, 20, ()),
    # md-04 was decided by an individual; the other five by meetings.
    "5.collective-decision": (NC, 5, 6, ("md-04",)),
    # every decision had its review on or before its date (md-05 on the same day).
    "5.legal-review": (C, 6, 6, ()),
    # dl-01 (2018-01-18) is before the regulation is in force; dl-02 (12-27) counts.
    "6.democratic-life-meeting": (C, 1, 1, ()),
}

# 1.loyalty is assessed (as-01..as-04, dated 2019-01-15) for m01, m02, m06, m07; as-05
# for m03 is dated 2019-03-15, after as_of, so it is not yet known.
LOYALTY_ASSESSED = {"m01", "m02", "m06", "m07"}

# The eight non-compliant results and the explanation each should carry.
NON_COMPLIANT_LINES = (
    ("2.relay-directives", "team", "6 of 7 directives relayed in time; not met: d-05"),
    ("3.research-days", "m03", "47 research days, fewer than the 55 required"),
    ("3.research-topics", "m06", "3 key topics, more than the 2 allowed"),
    ("3.research-reports", "m07", "1 of 2 topics reported on; not met: tp-12"),
    ("4.contact-point", "m02", "2 contact points designated at once, more than the 1 allowed"),
    ("4.contact-point-visits", "m07", "0 contact-point visits, fewer than the 1 required"),
    ("5.collective-decision", "team", "5 of 6 major decisions taken collectively; not met: md-04"),
    ("6.integrity", "m05", "1 recorded violation, more than the 0 allowed"),
)


@pytest.fixture(scope="module")
def report() -> sr.Report:
    return sr.evaluate(FACTS, period="2018", as_of="2019-03-01")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_example_loads_with_every_category() -> None:
    facts = sr.load_facts(FACTS)
    assert [m.id for m in facts.members] == list(MEMBERS)
    empty = [c for c in CATEGORIES if not getattr(facts, c)]
    assert empty == [], "every category is present and non-empty"
    names = {m.name for m in facts.members}
    assert all(n.startswith("成员") for n in names), "members carry placeholder names only"


def test_offset_datetime_trip_is_read_as_china_dates() -> None:
    trips = {t.id: t for t in sr.load_facts(FACTS).research_trips}
    assert (trips["rt-009"].start.isoformat(), trips["rt-009"].end.isoformat()) == (
        "2018-05-14",
        "2018-05-25",
    )


@pytest.mark.parametrize("member", MEMBERS)
def test_research_days(report: sr.Report, member: str) -> None:
    measured, required, status = RESEARCH_DAYS[member]
    result = report.result("3.research-days", member)
    assert result.status.value == status
    assert result.requirement is not None
    assert (result.requirement.measured, result.requirement.minimum) == (measured, required)


def test_research_windows_follow_tenure(report: sr.Report) -> None:
    windows = {m: str(report.result("3.research-days", m).window) for m in ("m01", "m04", "m05")}
    assert windows == {
        "m01": "2018-02-02..2018-12-31",
        "m04": "2018-02-02..2018-09-30",
        "m05": "2018-07-01..2018-12-31",
    }


@pytest.mark.parametrize("rule", sorted(MEMBER_STATUS))
def test_member_rule_statuses(report: sr.Report, rule: str) -> None:
    found = tuple(report.result(rule, m).status.value for m in MEMBERS)
    assert found == MEMBER_STATUS[rule]


def test_failing_topic_and_counted_visits(report: sr.Report) -> None:
    assert report.result("3.research-reports", "m07").failing == ("tp-12",)
    # m03: v-05 (cp-04, 05-10) and v-07 (cp-05, 10-12) count; v-06 visits cp-04 on
    # 08-08, after its designation ended on 06-30, and does not.
    visits = report.result("4.contact-point-visits", "m03")
    assert visits.requirement is not None and visits.requirement.measured == 2
    assert set(visits.facts) == {"v-05", "v-07"}


@pytest.mark.parametrize("rule", sorted(TEAM_STATUS))
def test_team_rule_statuses(report: sr.Report, rule: str) -> None:
    status, measured, minimum, failing = TEAM_STATUS[rule]
    result = report.result(rule, "team")
    assert result.status.value == status
    assert result.requirement is not None
    assert (result.requirement.measured, result.requirement.minimum) == (measured, minimum)
    assert result.failing == failing


def test_relay_counts_only_directives_due_in_2018(report: sr.Report) -> None:
    result = report.result("2.relay-directives", "team")
    assert result.failing == ("d-05",)
    assert "d-09" not in result.facts and "ss-11" not in result.facts
    assert "ss-01" not in result.facts  # relayed d-01, which falls due before in force


def test_loyalty_compliant_where_assessed(report: sr.Report) -> None:
    for member in MEMBERS:
        expected = C if member in LOYALTY_ASSESSED else "requires_judgment"
        assert report.result("1.loyalty", member).status.value == expected, member


def test_personal_matters_not_applicable_for_2018(report: sr.Report) -> None:
    # The 2017 report falls due 2018-01-31, before the regulation is in force (02-02).
    for member in MEMBERS:
        assert report.result("6.personal-matters-report", member).status.value == NA


def test_personal_matters_for_2019() -> None:
    # The 2018 report is due 2019-01-31. In tenure that day: everyone but m04 (left
    # 2018-09-30, no day of 2019 in office). pm-07..pm-12 are filed 01-22..01-31.
    later = sr.evaluate(FACTS, period="2019", as_of="2019-03-01")
    found = {m: later.result("6.personal-matters-report", m).status.value for m in MEMBERS}
    assert found == {m: (NA if m == "m04" else C) for m in MEMBERS}


def test_summary(report: sr.Report) -> None:
    # 19 member provisions x 7 members + 21 team provisions = 154 results.
    # not_applicable: personal matters x 7. requires_judgment: 12 member judgments x 7
    # - 4 loyalty assessments + 15 team judgments - 1 (2.guiding-thought) = 94.
    # compliant: 6 evaluable member rules x 7 - 6 failures + 4 team + 5 assessed = 45.
    assert report.summary() == {
        C: 45,
        NC: 8,
        "pending": 0,
        "undetermined": 0,
        "requires_judgment": 94,
        NA: 7,
    }


def test_non_compliant_explanations(report: sr.Report) -> None:
    found = {(r.rule, r.subject): r.explanation.en for r in report.results if r.status.value == NC}
    assert found == {(rule, subject): en for rule, subject, en in NON_COMPLIANT_LINES}


def test_script_prints_summary_and_failures() -> None:
    run = _run()
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "天津市人民政府领导班子  period 2018  as of 2019-03-01" in out
    assert "  non_compliant        8" in out
    assert "Non-compliant (8):" in out
    for rule, subject, en in NON_COMPLIANT_LINES:
        assert f"- {rule} [{subject}]" in out
        assert f"    en: {en}" in out
    assert "    zh: 调研天数 47 天，少于要求的 55 天" in out
    assert "    zh: 按时传达学习的指示 6/7 项；未满足：d-05" in out


def test_script_accepts_path_period_and_as_of() -> None:
    # As of 2018-06-30 the 2018 windows are still open: m03 has 12 + 16 = 28 of 55
    # days with 184 days left, so no research-day failure can be reported yet.
    run = _run(str(FACTS), "2018", "2018-06-30")
    assert run.returncode == 0, run.stderr
    assert "period 2018  as of 2018-06-30" in run.stdout
    assert "- 3.research-days [m03]" not in run.stdout
    # d-05 is due 07-05, after this as_of: pending, not yet a failure.
    assert "- 2.relay-directives [team]" not in run.stdout


def test_script_reports_bad_facts(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "selfbuild-rules.facts/1"}', encoding="utf-8")
    run = _run(str(bad))
    assert run.returncode == 1
    assert "team: required field missing" in run.stderr
