"""Local modules and law over time: amendments, tightening, loosening, conflicts, imports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from conftest import fake_distribution
from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.law.text import Provision, ProvisionKind, SubjectKind
from selfbuild_rules.law.timeline import Timeline
from selfbuild_rules.plugins.discovery import installed_modules, load_module
from selfbuild_rules.plugins.modules import (
    Module,
    ModuleError,
    NewProvision,
    ParameterChange,
    Repeal,
    build_law,
)
from selfbuild_rules.tianjin2018 import BASE
from strategies import facts_documents

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("example_modules")


def module(
    *changes: Any, id: str = "m-test", text: str = "", in_force: dt.date = dt.date(2018, 2, 2)
) -> Module:
    """A module whose text is built from its citations, so each one is found."""
    citations = " ".join(getattr(c, "citation", "") for c in changes)
    return Module(
        id=id,
        title="测试",
        english_title="Test",
        authority="测试",
        adopted=in_force,
        in_force=in_force,
        text=text or citations,
        changes=tuple(changes),
        extends="tianjin-2018",
    )


def member_doc(**categories: Any) -> dict[str, Any]:
    return {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "t", "name": "班子"},
        "members": [
            {
                "id": "m01",
                "name": "甲",
                "post": "mayor",
                "tenure": {"start": "2017-01-01", "end": None},
            }
        ],
        **categories,
    }


def trips(days: int, year: int = 2019) -> list[dict[str, str]]:
    end = dt.date(year, 1, 1) + dt.timedelta(days=days - 1)
    return [{"id": "rt-1", "member": "m01", "start": f"{year}-01-01", "end": end.isoformat()}]


# --- law over time -------------------------------------------------------------------


def test_mid_year_amendment_weighs_each_value_by_its_days() -> None:
    # 2 months until 30 June (181 days of 2019), 3 from 1 July (184 days):
    # ceil(60*181/365 + 90*184/365) = ceil(29.75 + 45.36) = 76.
    amend = module(ParameterChange("research.months", 3, dt.date(2019, 7, 1), "三个月"))
    report = sr.evaluate(
        member_doc(research_trips=trips(75)), "2019", "2020-03-01", modules=[amend]
    )
    result = report.result("3.research-days", "m01")
    assert result.requirement is not None
    assert result.requirement.minimum == 76
    assert result.status is sr.Status.NON_COMPLIANT
    shown = [
        (i.value, i.source, i.valid)
        for i in result.interpretations
        if i.parameter == "research.months"
    ]
    assert shown == [
        (2, "tianjin-2018", DateRange(dt.date(2019, 1, 1), dt.date(2019, 6, 30))),
        (3, "m-test", DateRange(dt.date(2019, 7, 1), dt.date(2019, 12, 31))),
    ]
    again = sr.evaluate(member_doc(research_trips=trips(76)), "2019", "2020-03-01", modules=[amend])
    assert again.result("3.research-days", "m01").status is sr.Status.COMPLIANT


def test_event_obligation_uses_the_deadline_in_force_on_the_issue_day() -> None:
    # From 2019-06-01 a directive must be relayed within 3 days instead of 7.
    amend = module(ParameterChange("relay.deadline_days", 3, dt.date(2019, 6, 1), "三日内"))
    doc = member_doc(
        directives=[
            {"id": "d-1", "issued": "2019-05-31", "kind": "speech"},
            {"id": "d-2", "issued": "2019-06-01", "kind": "speech"},
        ],
        study_sessions=[
            {"id": "s-1", "date": "2019-06-05", "kind": "relay", "directives": ["d-1", "d-2"]}
        ],
    )
    result = sr.evaluate(doc, "2019", "2020-03-01", modules=[amend]).result("2.relay-directives")
    # d-1 (issued under the 7-day rule) is in time on 06-05; d-2 (3-day rule) was due 06-04.
    assert result.failing == ("d-2",)


@given(
    values=st.lists(
        st.tuples(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 9)),
        max_size=8,
    ),
    day=st.dates(dt.date(1999, 1, 1), dt.date(2031, 12, 31)),
)
def test_point_in_time_lookup_returns_the_value_whose_interval_holds_the_date(
    values: list[tuple[dt.date, int]], day: dt.date
) -> None:
    timeline = Timeline.constant(-1, "base")
    expected = -1
    for start, value in values:  # each value applies from its date on, over what came before
        timeline = timeline.splice(DateRange(start, dt.date.max), value, "m")
        if start <= day:
            expected = value
    segment = timeline.at(day)
    assert day in segment.days
    assert segment.value == expected
    starts = [s.days.start for s in timeline.segments]
    assert starts == sorted(starts) and starts[0] == dt.date.min
    for a, b in zip(timeline.segments, timeline.segments[1:], strict=False):
        assert a.days.end + dt.timedelta(days=1) == b.days.start


# --- strictness ----------------------------------------------------------------------


def test_loosening_without_a_reason_is_refused_naming_the_module() -> None:
    loose = module(ParameterChange("research.months", 1, dt.date(2019, 1, 1), "一个月"), id="lax")
    with pytest.raises(ModuleError, match=r"module lax: research\.months .* loosens"):
        build_law(BASE, [loose])


def test_loosening_with_a_reason_warns_on_every_affected_result() -> None:
    change = ParameterChange("research.months", 1, dt.date(2019, 1, 1), "一个月", reason="pilot")
    report = sr.evaluate(
        member_doc(research_trips=trips(40)),
        "2019",
        "2020-03-01",
        modules=[module(change, id="lax")],
    )
    result = report.result("3.research-days", "m01")
    assert result.status is sr.Status.COMPLIANT  # 40 >= 30
    assert [str(w) for w in result.warnings] == ["lax loosens research.months: pilot"]
    assert report.result("6.integrity", "m01").warnings == ()


def test_repeal_needs_a_reason_and_makes_the_rule_not_applicable() -> None:
    with pytest.raises(ModuleError, match=r"repealing 6\.integrity"):
        build_law(BASE, [module(Repeal("6.integrity", dt.date(2019, 1, 1), "废止"))])
    repeal = module(Repeal("6.integrity", dt.date(2019, 1, 1), "废止", reason="merged"))
    result = sr.evaluate(member_doc(violations=[]), "2019", "2020-03-01", modules=[repeal]).result(
        "6.integrity", "m01"
    )
    assert result.status is sr.Status.NOT_APPLICABLE
    assert result.source == "m-test"
    assert str(result.warnings[0]) == "m-test loosens 6.integrity: merged"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (ParameterChange("research.weeks", 3, dt.date(2019, 1, 1), "x"), "unknown parameter"),
        (ParameterChange("research.months", "3", dt.date(2019, 1, 1), "x"), "not a whole number"),
        (Repeal("9.nothing", dt.date(2019, 1, 1), "x", reason="r"), "unknown rule"),
    ],
)
def test_a_malformed_module_is_refused_naming_it(change: Any, message: str) -> None:
    with pytest.raises(ModuleError, match=f"module m-test: .*{message}"):
        build_law(BASE, [module(change)])


def test_citation_must_quote_the_module_text() -> None:
    change = ParameterChange("research.months", 3, dt.date(2019, 1, 1), "三个月")
    with pytest.raises(ModuleError, match="citation '三个月' not in its text"):
        build_law(BASE, [module(change, text="别的文字")])


def test_two_modules_changing_one_parameter_conflict_unless_ordered() -> None:
    a = module(ParameterChange("research.months", 3, dt.date(2019, 1, 1), "三"), id="a")
    b = module(ParameterChange("research.months", 4, dt.date(2019, 1, 1), "四"), id="b")
    with pytest.raises(ModuleError, match=r"modules a and b both change research\.months"):
        build_law(BASE, [a, b])
    law = build_law(BASE, [a, b], ordered=True)
    segment = law.parameters["research.months"].at(dt.date(2019, 5, 1))
    assert (segment.value, segment.source) == (4, "b")


TIGHTENING = st.sampled_from(
    [
        ("research.months", st.integers(2, 4)),
        ("contact_point.visits_min", st.integers(1, 3)),
        ("livelihood.projects_min", st.integers(20, 25)),
        ("research.topics_max", st.integers(1, 2)),
        ("relay.deadline_days", st.integers(1, 7)),
        ("democratic_life.meetings_min", st.integers(1, 2)),
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=facts_documents(), data=st.data())
def test_a_module_that_only_tightens_never_turns_non_compliant_compliant(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    name, values = data.draw(TIGHTENING)
    start = data.draw(st.dates(dt.date(2017, 1, 1), dt.date(2020, 12, 31)))
    year = data.draw(st.integers(2018, 2020))
    as_of = data.draw(st.dates(dt.date(year, 1, 1), dt.date(year + 1, 6, 30)))
    tight = module(ParameterChange(name, data.draw(values), start, "更严"))
    base = sr.evaluate(doc, str(year), as_of)
    stricter = sr.evaluate(doc, str(year), as_of, modules=[tight])
    for before, after in zip(base.results, stricter.results, strict=True):
        if before.status is sr.Status.NON_COMPLIANT:
            assert after.status is not sr.Status.COMPLIANT, (before.rule, before.subject)


@settings(max_examples=25, deadline=None)
@given(doc=facts_documents(), year=st.integers(2018, 2020))
def test_an_empty_module_changes_no_result(doc: dict[str, Any], year: int) -> None:
    as_of = dt.date(year + 1, 3, 1)
    assert (
        sr.evaluate(doc, str(year), as_of, modules=[module()]).results
        == sr.evaluate(doc, str(year), as_of).results
    )


@settings(max_examples=25, deadline=None)
@given(doc=facts_documents(), year=st.integers(2018, 2020))
def test_non_conflicting_modules_give_the_same_report_in_any_order(
    doc: dict[str, Any], year: int
) -> None:
    a = module(ParameterChange("research.months", 3, dt.date(2019, 1, 1), "三"), id="a")
    b = module(ParameterChange("contact_point.visits_min", 2, dt.date(2018, 7, 1), "二"), id="b")
    as_of = dt.date(year + 1, 3, 1)
    first = sr.evaluate(doc, str(year), as_of, modules=[a, b]).to_json()
    assert first == sr.evaluate(doc, str(year), as_of, modules=[b, a]).to_json()


# --- the shipped example modules, installed with pip ---------------------------------


def test_example_district_from_the_api() -> None:
    doc = json.loads((ROOT / "examples" / "tianjin-2018.json").read_text("utf-8"))
    report = sr.evaluate(doc, "2019", "2020-03-01", modules=["example-district"])
    days = report.result("3.research-days", "m01")
    assert days.requirement is not None and days.requirement.minimum == 90  # 3 months all 2019
    assert days.source == "tianjin-2018"
    assert {i.source for i in days.interpretations if i.parameter == "research.months"} == {
        "example-district"
    }
    visits = report.result("4.contact-point-visits", "m01")
    assert visits.requirement is not None and visits.requirement.minimum == 2
    quarterly = report.result("example-district/4.quarterly-visit", "m01")
    assert quarterly.citation.regulation == "example-district"
    assert "每季度至少1次深入联系点" in quarterly.citation.text
    base_2018 = sr.evaluate(doc, "2018", "2019-03-01", modules=["example-district"])
    assert base_2018.result("example-district/4.quarterly-visit", "m01").status is (
        sr.Status.NOT_APPLICABLE
    )  # the module is in force from 2019-01-01


DECISION = {"decided_by": "executive_meeting", "legal_review": "2019-08-01"}


@pytest.mark.parametrize(
    ("day", "procedures", "expected"),
    [
        ("2019-08-31", None, sr.Status.NOT_APPLICABLE),  # before the decree's first day
        ("2019-09-01", None, sr.Status.UNDETERMINED),  # procedures not recorded
        ("2019-09-01", [], sr.Status.NON_COMPLIANT),
        (
            "2019-09-01",
            [
                {"kind": k, "date": "2019-08-20"}
                for k in ("public_participation", "expert_argumentation", "risk_assessment")
            ],
            sr.Status.COMPLIANT,
        ),
        (
            "2019-09-01",
            [
                {"kind": k, "date": "2019-09-02"}
                for k in ("public_participation", "expert_argumentation", "risk_assessment")
            ],
            sr.Status.NON_COMPLIANT,
        ),  # steps after the decision do not count
    ],
)
def test_decree_713_from_its_first_day(day: str, procedures: Any, expected: sr.Status) -> None:
    decision: dict[str, Any] = {"id": "md-1", "date": day, **DECISION}
    if procedures is not None:
        decision["procedures"] = procedures
    doc = member_doc(major_decisions=[decision])
    report = sr.evaluate(doc, "2019", "2020-03-01", modules=["cn-major-decisions-2019"])
    assert report.result("cn-major-decisions-2019/5.procedures").status is expected


def test_a_module_that_raises_on_import_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_distribution(tmp_path, "broken_mod", "raise RuntimeError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "broken-mod" in installed_modules()  # listed without being imported
    with pytest.raises(
        ModuleError, match="module broken-mod: failed to import: RuntimeError: boom"
    ):
        load_module("broken-mod")
    with pytest.raises(ModuleError, match="not installed"):
        load_module("no-such-module")


def test_a_module_judgment_provision_can_be_assessed() -> None:
    judged = NewProvision(
        provision=Provision(
            id="m-test/1.conduct",
            principle="一",
            kind=ProvisionKind.JUDGMENT,
            subject=SubjectKind.MEMBER,
            title="Conduct",
            text=("作风",),
            english="Conduct.",
        ),
        rule=None,
        effective=dt.date(2019, 1, 1),
    )
    assessment = {
        "id": "as-1",
        "rule": "m-test/1.conduct",
        "subject": "m01",
        "period": "2019",
        "result": "non_compliant",
        "date": "2020-01-10",
    }
    doc = member_doc(assessments=[assessment])
    result = sr.evaluate(doc, "2019", "2020-03-01", modules=[module(judged, text="作风")]).result(
        "m-test/1.conduct", "m01"
    )
    assert result.status is sr.Status.NON_COMPLIANT
    assert result.facts == ("as-1",)
    with pytest.raises(
        sr.FactsError, match=r"assessments\[0\]\.subject: m99 is not a known member"
    ):
        sr.load_facts(member_doc(assessments=[{**assessment, "subject": "m99"}]))


def test_the_report_records_where_the_law_came_from() -> None:
    doc = member_doc()
    installed = sr.evaluate(doc, "2019", "2020-03-01", modules=["example-district"])
    made = installed.provenance
    assert made is not None
    assert made.library.startswith("selfbuild-rules ")
    assert (made.regulation.id, made.regulation.distribution) == ("tianjin-2018", "selfbuild-rules")
    ((district,),) = [made.modules]
    assert (district.id, district.distribution, district.distribution_version) == (
        "example-district",
        "selfbuild-example-district",
        "0.1.0",
    )
    written = json.loads(installed.to_json())["provenance"]
    assert written["modules"][0]["distribution"] == "selfbuild-example-district"
    # A module made in code, not installed, says so: no distribution.
    in_code = module(ParameterChange("research.months", 3, dt.date(2019, 1, 1), "三个月"))
    local = sr.evaluate(doc, "2019", "2020-03-01", modules=[in_code]).provenance
    assert local is not None and local.modules[0].distribution is None
