"""What is still needed by when, the outlook, one mid-period semantics, dated records.

Expected values are worked out by hand from docs/concepts.rst: the regulation is in
force from 2018-02-02, so a full-year member's 2018 window is 02-02..12-31 (333 days)
and owes 55 research days; ``warning.days_left`` is 30, ``warning.pace_percent`` 100
and ``warning.pace_from`` 10.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules import Outlook, Status
from selfbuild_rules.engine.setup import Options
from selfbuild_rules.evaluation import setup_for
from selfbuild_rules.facts.digest import Digest
from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.report.stream import json_report
from selfbuild_rules.rules.conditions import AtLeast, Tally
from selfbuild_rules.rules.outlook import OutlookRule
from selfbuild_rules.rules.tallies import tally_dated

C, N, P, NA = Status.COMPLIANT, Status.NON_COMPLIANT, Status.PENDING, Status.NOT_APPLICABLE
ON, RISK = Outlook.ON_TRACK, Outlook.AT_RISK


def facts(**categories: Any) -> dict[str, Any]:
    """One member m01 in office since 2017, plus the categories given."""
    return {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "tj-gov", "name": "天津市人民政府领导班子"},
        "members": [{"id": "m01", "name": "成员甲", "post": "mayor",
                     "tenure": {"start": "2017-01-01"}}],
        **categories,
    }  # fmt: skip


def result(doc: dict[str, Any], rule: str, as_of: str, subject: str = "team") -> sr.Result:
    return sr.evaluate(doc, "2018", as_of, rules=[rule]).result(rule, subject)


TRIP = {"id": "rt-1", "member": "m01", "start": "2018-03-01", "end": "2018-04-09"}  # 40 days


# -- still_needed and the outlook of research days -------------------------------------


def test_research_days_say_what_is_still_needed_by_when() -> None:
    r = result(facts(research_trips=[TRIP]), "3.research-days", "2018-09-02", "m01")
    assert (r.status, r.outlook) == (P, ON)
    assert r.still_needed == sr.StillNeeded(15, "days", dt.date(2018, 12, 31), 120)
    assert "还需调研天数 15 天，截至 2018年12月31日（剩余 120 天）" in r.explanation.zh
    assert "15 more days needed by 2018-12-31 (120 days left)" in r.explanation.en


@pytest.mark.parametrize(
    ("as_of", "outlook"),
    [("2018-12-01", ON), ("2018-12-02", RISK), ("2018-12-30", RISK)],
)
def test_at_risk_once_fewer_than_warning_days_left_remain(as_of: str, outlook: Outlook) -> None:
    # 12-01 leaves 30 days (not fewer than 30); 12-02 leaves 29. 54 of 55 days: on pace.
    trip = {**TRIP, "end": "2018-04-23"}
    r = result(facts(research_trips=[trip]), "3.research-days", as_of, "m01")
    assert (r.status, r.outlook) == (P, outlook)
    assert "at risk: little time left" in r.explanation.en or outlook is ON


def test_deadline_day_and_after_are_final() -> None:
    doc = facts(research_trips=[TRIP])
    for as_of in ("2018-12-31", "2019-01-01"):
        r = result(doc, "3.research-days", as_of, "m01")
        assert r.status is N and r.still_needed is sr.engine.results.UNSET
        assert "still_needed" not in json.dumps(sr.evaluate(doc, "2018", as_of).to_dict())


@pytest.mark.parametrize(
    ("as_of", "outlook"),
    # 40 days by then; on pace: 55 x gone / 333. 2018-07-10 gone 159 -> 26.3 (ahead);
    # with 20 days (trip cut at 03-20): 03-20 gone 47 -> 7.8 ahead; 06-30 gone 149 -> 24.6 behind.
    [("2018-03-20", ON), ("2018-06-30", RISK)],
)
def test_behind_the_pace_so_far_is_at_risk(as_of: str, outlook: Outlook) -> None:
    short = {**TRIP, "end": "2018-03-20"}  # 20 days
    r = result(facts(research_trips=[short]), "3.research-days", as_of, "m01")
    assert (r.status, r.outlook) == (P, outlook)


def test_the_pace_rule_is_a_parameter() -> None:
    short = {**TRIP, "end": "2018-03-20"}
    report = sr.evaluate(facts(research_trips=[short]), "2018", "2018-06-30",
                         parameters={"warning.pace_percent": 50})  # fmt: skip
    assert report.result("3.research-days", "m01").outlook is ON  # 20 >= 12.3


def test_one_visit_a_year_is_not_paced() -> None:
    doc = facts(contact_points=[{"id": "cp-1", "member": "m01", "kind": "village",
                                 "start": "2018-01-01"}], contact_point_visits=[])  # fmt: skip
    r = result(doc, "4.contact-point-visits", "2018-06-30", "m01")
    assert (r.status, r.outlook) == (P, ON)
    assert (r.still_needed.amount, r.still_needed.unit) == (1, "visits")
    assert "1 more visit needed" in r.explanation.en


def test_an_upper_bound_not_exceeded_is_on_track_and_needs_nothing() -> None:
    r = result(facts(violations=[]), "6.integrity", "2018-06-30", "m01")
    assert (r.status, r.outlook) == (P, ON)
    assert r.still_needed is sr.engine.results.UNSET


# -- one mid-period semantics for rules of items -----------------------------------------

DIRECTIVE = {"id": "d-1", "issued": "2018-03-20", "kind": "speech"}
RELAYED = {"id": "ss-1", "date": "2018-03-22", "kind": "relay", "directives": ["d-1"]}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2018-12-30", P), ("2018-12-31", C), ("2019-01-01", C)],
)
def test_relay_with_every_item_met_is_pending_while_the_period_is_open(
    as_of: str, status: Status
) -> None:
    r = result(facts(directives=[DIRECTIVE], study_sessions=[RELAYED]), "2.relay-directives", as_of)
    assert r.status is status
    assert r.outlook is (ON if status is P else sr.engine.results.UNSET)


@pytest.mark.parametrize(
    ("as_of", "status", "left"),
    # d-1 issued 03-20 is due 03-27: open to 03-26; as_of takes in the whole of its day,
    # so as of the deadline day itself the item is settled.
    [("2018-03-25", P, 2), ("2018-03-26", P, 1), ("2018-03-27", N, None)],
)
def test_an_open_item_is_listed_with_its_own_deadline(
    as_of: str, status: Status, left: int | None
) -> None:
    r = result(facts(directives=[DIRECTIVE], study_sessions=[]), "2.relay-directives", as_of)
    assert r.status is status
    if left is None:
        assert r.failing == ("d-1",) and r.still_needed is sr.engine.results.UNSET
        return
    assert r.outlook is RISK  # fewer than 30 days to its deadline
    needed = r.still_needed
    assert (needed.amount, needed.by, needed.days_left) == (1, dt.date(2018, 3, 27), left)
    assert needed.items == (sr.Due("d-1", dt.date(2018, 3, 27)),)
    item = json.loads(sr.evaluate(facts(directives=[DIRECTIVE], study_sessions=[]), "2018",
                                  as_of).to_json())  # fmt: skip
    found = next(x for x in item["results"] if x["rule"] == "2.relay-directives")
    assert found["still_needed"]["items"] == [{"item": "d-1", "by": "2018-03-27"}]


def test_a_failed_item_is_non_compliant_at_once_though_others_are_open() -> None:
    late = {"id": "d-2", "issued": "2018-06-28", "kind": "speech"}  # due 07-05
    doc = facts(directives=[DIRECTIVE, late], study_sessions=[])
    r = result(doc, "2.relay-directives", "2018-06-30")
    assert r.status is N and r.failing == ("d-1", "d-2") and r.open == ("d-2",)


DECISION = {"id": "md-1", "date": "2018-03-01", "title": "示例", "decided_by": "executive_meeting",
            "legal_review": "2018-02-20"}  # fmt: skip


@pytest.mark.parametrize("rule", ["5.collective-decision", "5.legal-review"])
@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2018-02-28", NA), ("2018-03-01", P), ("2018-12-30", P), ("2018-12-31", C)],
)
def test_decisions_are_pending_while_more_may_be_taken(
    rule: str, as_of: str, status: Status
) -> None:
    r = result(facts(major_decisions=[DECISION]), rule, as_of)
    assert r.status is status
    assert r.due == dt.date(2018, 12, 31) or status is NA


def test_a_decision_without_review_is_non_compliant_at_once() -> None:
    bad = {**DECISION, "legal_review": None}
    assert result(facts(major_decisions=[bad]), "5.legal-review", "2018-03-01").status is N


@pytest.mark.parametrize(("as_of", "status"), [("2018-12-30", P), ("2018-12-31", C)])
def test_reports_on_every_topic_stay_pending_while_a_topic_may_be_added(
    as_of: str, status: Status
) -> None:
    doc = facts(research_topics=[{"id": "tp-1", "member": "m01", "year": 2018}],
                research_reports=[{"id": "rr-1", "member": "m01", "topic": "tp-1",
                                   "date": "2018-05-01", "recommendations": 2}])  # fmt: skip
    assert result(doc, "3.research-reports", as_of, "m01").status is status


def test_quarters_list_each_open_quarter_with_its_last_day() -> None:
    doc = facts(study_sessions=[{"id": "ss-1", "date": "2018-03-01", "kind": "central_group"}])
    r = result(doc, "2.central-group-study", "2018-03-31")
    assert r.status is P
    assert [(d.item, d.by) for d in r.still_needed.items] == [
        ("2018-Q2", dt.date(2018, 6, 30)), ("2018-Q3", dt.date(2018, 9, 30)),
        ("2018-Q4", dt.date(2018, 12, 31)),
    ]  # fmt: skip


def test_a_window_that_closes_before_the_due_date_settles_then() -> None:
    # m02 leaves on 2018-09-30: research days are reachable only up to then.
    doc = facts(research_trips=[])
    doc["members"].append({"id": "m02", "name": "成员乙", "post": "vice_mayor",
                           "tenure": {"start": "2017-01-01", "end": "2018-09-30"}})  # fmt: skip
    before = result(doc, "3.research-days", "2018-09-29", "m02")
    assert before.status is N  # 40 owed, 1 day left
    doc["research_trips"] = [{"id": "rt-2", "member": "m02", "start": "2018-08-01",
                              "end": "2018-09-29"}]  # fmt: skip
    r = result(doc, "3.research-days", "2018-08-15", "m02")
    assert r.status is P and r.due == dt.date(2018, 12, 31)
    assert r.still_needed.by == dt.date(2018, 9, 30) and r.still_needed.days_left == 46
    assert result(doc, "3.research-days", "2018-10-01", "m02").status is C


def test_an_out_of_office_member_is_not_applicable_even_with_a_category_missing() -> None:
    doc = facts()
    doc["members"].append({"id": "m03", "name": "成员丙", "post": "vice_mayor",
                           "tenure": {"start": "2016-01-01", "end": "2017-12-31"}})  # fmt: skip
    assert result(doc, "3.research-days", "2019-03-01", "m03").status is NA
    assert result(doc, "3.research-days", "2019-03-01", "m01").status is Status.UNDETERMINED


# -- dates for the undated ---------------------------------------------------------------


def projects(n: int, completed: str | None) -> list[dict[str, Any]]:
    return [{"id": f"lp-{i}", "year": 2018, "area": "education", "status": "completed",
             "completed": completed} for i in range(n)]  # fmt: skip


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2018-09-29", P), ("2018-09-30", C), ("2018-10-01", C)],
)
def test_completed_projects_count_from_their_completion_day(as_of: str, status: Status) -> None:
    doc = facts(livelihood_projects=projects(20, "2018-09-30"))
    assert result(doc, "4.livelihood-projects", as_of).status is status


def test_a_project_completed_after_the_year_does_not_count_for_it() -> None:
    doc = facts(livelihood_projects=projects(20, "2019-01-05"))
    r = result(doc, "4.livelihood-projects", "2019-03-01")
    assert (r.status, r.requirement.measured) == (N, 0)


@pytest.mark.parametrize(("as_of", "count"), [("2017-12-31", 0), ("2018-01-01", 20)])
def test_undated_projects_are_known_once_their_year_has_begun(as_of: str, count: int) -> None:
    doc = facts(livelihood_projects=projects(20, None))
    r = sr.evaluate(doc, "2018", as_of, rules=["4.livelihood-projects"]).result(
        "4.livelihood-projects"
    )
    assert r.requirement.measured == count


@pytest.mark.parametrize(("as_of", "status"), [("2018-04-30", P), ("2018-05-01", P)])
def test_topics_count_from_their_designation_day(as_of: str, status: Status) -> None:
    doc = facts(research_topics=[{"id": "tp-1", "member": "m01", "year": 2018,
                                  "designated": "2018-05-01"}])  # fmt: skip
    r = result(doc, "3.research-topics", as_of, "m01")
    assert r.status is status
    assert r.requirement.measured == (0 if as_of < "2018-05-01" else 1)
    assert (r.still_needed is sr.engine.results.UNSET) == (as_of >= "2018-05-01")


def test_completed_is_refused_on_a_project_not_completed() -> None:
    doc = facts(
        livelihood_projects=[
            {
                "id": "lp-1",
                "year": 2018,
                "area": "education",
                "status": "in_progress",
                "completed": "2018-05-01",
            }
        ]
    )
    with pytest.raises(sr.FactsError, match=r"livelihood_projects\[0\]\.completed"):
        sr.load_facts(doc)


# -- the generic machinery, for any dates ------------------------------------------------

days = st.dates(dt.date(2017, 6, 1), dt.date(2019, 6, 30))


@given(days, days, st.lists(st.one_of(st.none(), days), max_size=8))
def test_dated_records_count_once_known_and_by_the_window_end(
    as_of: dt.date, start: dt.date, dated: list[dt.date | None]
) -> None:
    window = DateRange(start, max(start, dt.date(start.year, 12, 31)))
    tally = tally_dated([(str(i), d) for i, d in enumerate(dated)], window, as_of)
    for i, d in enumerate(dated):
        counted = str(i) in tally.facts
        if d is None:
            assert counted == (as_of.year >= window.end.year)
        else:
            assert counted == (d <= as_of and d <= window.end)
    assert (tally.room == 0) == (as_of >= window.end) and tally.by == window.end


@given(
    st.integers(0, 400), st.integers(1, 400), days, st.integers(0, 500),
    st.integers(0, 60), st.integers(0, 200), st.integers(1, 50),
)  # fmt: skip
def test_the_outlook_follows_its_rule(
    count: int, minimum: int, as_of: dt.date, length: int, left: int, pace: int, paced: int
) -> None:
    window = DateRange(as_of - dt.timedelta(days=length), as_of + dt.timedelta(days=400))
    by = as_of + dt.timedelta(days=left)
    outcome = AtLeast(minimum, Tally(count, room=None, by=by)).evaluate()
    rule = OutlookRule(30, pace, paced)
    found = rule.judge(outcome, as_of, window).outlook
    if count >= minimum:
        assert outcome.needed is None and found is ON
        return
    assert outcome.needed is not None and outcome.needed.amount == minimum - count
    gone = length + 1
    behind = pace > 0 and minimum >= paced and count * window.days * 100 < pace * minimum * gone
    assert (found is RISK) == (left < 30 or behind)


# -- the report's bytes ------------------------------------------------------------------

EXAMPLE = json.loads(
    (Path(__file__).resolve().parent.parent / "examples" / "tianjin-2018.json").read_text("utf-8")
)


@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_json_has_the_same_bytes_mid_year(jobs: int) -> None:
    options = Options.of("2018", "2018-06-30", jobs=jobs)
    digest = Digest()  # the provenance names the facts read, as evaluate() does
    facts = sr.load_facts(EXAMPLE, digest=digest)
    made = json_report(facts, setup_for(options), digest=digest.value())
    streamed = b"".join(made.chunks())
    whole = sr.evaluate(EXAMPLE, "2018", "2018-06-30")
    assert streamed == whole.to_json_bytes()
    results = json.loads(streamed)["results"]
    pending = [r for r in results if r["status"] == "pending"]
    assert pending and all(r["outlook"] in ("on_track", "at_risk") for r in pending)
    others = [r for r in results if r["status"] != "pending"]
    assert not any("outlook" in r or "still_needed" in r for r in others)


def test_the_attention_list_is_the_same_in_every_format() -> None:
    report = sr.evaluate(EXAMPLE, "2018", "2018-06-30")
    listed = [r for r in report.results if r.status in (N, Status.UNDETERMINED)
              or r.outlook is RISK]  # fmt: skip
    on_track = sum(r.status is P and r.outlook is ON for r in report.results)
    assert on_track and listed
    table, markdown, html = report.to_table(), report.to_markdown(), report.to_html()
    for text in (table, markdown, html):
        assert f"({len(listed)})" in text
        assert f"{on_track} pending results on track, not listed." in text
    section = markdown.split("## Needs attention")[1].split("\n## ")[0]  # not the judgment list
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == len(listed)
    # failed first, then at risk by the last day they can be met
    assert all("non-compliant" in line for line in lines[:2])
    assert "2.relay-directives" in lines[2]  # d-05 by 2018-07-05, before 09-30 and 12-31
