"""Team rules of tianjin-2018 evaluated on small hand-built facts, boundary days pinned.

Expected statuses are worked out by hand from the documented semantics: the regulation
is in force from 2018-02-02; a directive is due 7 days after issue and belongs to the
period holding its due day; each quarter whose last day is in the period needs a
central-group session in (quarter ∩ in force); facts dated after ``as_of`` are ignored.
"""

from __future__ import annotations

from typing import Any

import pytest

import selfbuild_rules as sr
from selfbuild_rules import Status

C, N, P, U, NA = (
    Status.COMPLIANT,
    Status.NON_COMPLIANT,
    Status.PENDING,
    Status.UNDETERMINED,
    Status.NOT_APPLICABLE,
)
AFTER = "2019-03-01"  # an as_of after every 2018 window has closed
MID = "2018-06-30"


def facts(**categories: Any) -> dict[str, Any]:
    """A minimal valid document: one member m01 in office 2017-01-01..open, plus categories."""
    doc = {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "tj-gov", "name": "天津市人民政府领导班子"},
        "members": [
            {"id": "m01", "name": "成员甲", "post": "mayor",
             "tenure": {"start": "2017-01-01", "end": None}},
        ],
    }  # fmt: skip
    doc.update(categories)
    return doc


def directives(*issued: str) -> list[dict[str, Any]]:
    return [{"id": f"d-{i}", "issued": d, "kind": "speech"} for i, d in enumerate(issued, 1)]


def sessions(*rows: tuple[str, str, list[str]] | tuple[str, str]) -> list[dict[str, Any]]:
    """Study sessions from (date, kind) or (date, kind, directive ids)."""
    return [
        {"id": f"ss-{i}", "date": row[0], "kind": row[1],
         "directives": list(row[2]) if len(row) > 2 else []}
        for i, row in enumerate(rows, 1)
    ]  # fmt: skip


def central(*days: str) -> list[dict[str, Any]]:
    return sessions(*((d, "central_group") for d in days))


def projects(year: int, completed: int, in_progress: int = 0) -> list[dict[str, Any]]:
    statuses = ["completed"] * completed + ["in_progress"] * in_progress
    return [
        {"id": f"lp-{year}-{i}", "year": year, "area": "housing", "status": s}
        for i, s in enumerate(statuses, 1)
    ]


def decisions(*rows: tuple[str, str, str | None]) -> list[dict[str, Any]]:
    """Major decisions from (date, decided_by, legal_review)."""
    return [
        {"id": f"md-{i}", "date": d, "decided_by": by, "legal_review": review}
        for i, (d, by, review) in enumerate(rows, 1)
    ]


def meetings(*days: str) -> list[dict[str, Any]]:
    return [{"id": f"dl-{i}", "date": d} for i, d in enumerate(days, 1)]


def result(
    doc: dict[str, Any],
    rule: str,
    period: str = "2018",
    as_of: str = AFTER,
    params: dict[str, object] | None = None,
) -> sr.Result:
    report = sr.evaluate(doc, period=period, as_of=as_of, parameters=params, rules=[rule])
    return report.result(rule, "team")


def case(name, rule, status, *, period="2018", as_of=AFTER, params=None, **categories):
    """A case of team rule ``rule`` on the facts ``categories``."""
    doc = facts(**categories)
    return pytest.param(rule, doc, period, as_of, params, status, id=f"{rule}:{name}")


def relayed(day: str, kind: str = "relay") -> list[dict[str, Any]]:
    """One study session on ``day`` listing directive d-1."""
    return sessions((day, kind, ["d-1"]))


def decided(day: str, by: str, review: str | None = None) -> list[dict[str, Any]]:
    return decisions((day, by, review))


RL, CG, LP, CD, LR, DL = (
    "2.relay-directives",
    "2.central-group-study",
    "4.livelihood-projects",
    "5.collective-decision",
    "5.legal-review",
    "6.democratic-life-meeting",
)
D_0301 = directives("2018-03-01")  # due 2018-03-01 + 7 = 2018-03-08
ALL_QUARTERS = central("2018-03-01", "2018-05-01", "2018-08-01", "2018-11-01")
CASES = [
    # Relay: relayed in a session listing the directive, dated in [issued, issued + 7].
    case("none-as-of-due-day", RL, N, as_of="2018-03-08", directives=D_0301, study_sessions=[]),
    case("none-day-before-due", RL, P, as_of="2018-03-07", directives=D_0301, study_sessions=[]),
    case("session-on-due-day", RL, C, directives=D_0301, study_sessions=relayed("2018-03-08")),
    case("session-day-after-due", RL, N, directives=D_0301, study_sessions=relayed("2018-03-09")),
    case("session-on-issue-day", RL, C, directives=D_0301, study_sessions=relayed("2018-03-01")),
    case("session-before-issue", RL, N, directives=D_0301, study_sessions=relayed("2018-02-28")),
    case("any-kind", RL, C, directives=D_0301, study_sessions=relayed("2018-03-05", "other")),
    case("not-listed", RL, N, directives=D_0301, study_sessions=sessions(("2018-03-05", "relay"))),
    case("session-after-as-of", RL, P, as_of="2018-03-07", directives=D_0301,
         study_sessions=relayed("2018-03-08")),
    # Issued 01-25 -> due 02-01, before the in-force day: no obligation arises.
    case("due-before-in-force", RL, NA, directives=directives("2018-01-25"), study_sessions=[]),
    # Issued 01-26 -> due 02-02, the in-force day: counted; a session 01-30 is in [01-26, 02-02].
    case("due-on-in-force-day", RL, N, directives=directives("2018-01-26"), study_sessions=[]),
    case("due-on-in-force-day-relayed", RL, C, directives=directives("2018-01-26"),
         study_sessions=relayed("2018-01-30")),
    # Issued 2018-12-28 -> due 2019-01-04: belongs to 2019, not 2018.
    case("due-next-year", RL, NA, directives=directives("2018-12-28"), study_sessions=[]),
    case("due-this-year", RL, N, period="2019", directives=directives("2018-12-28"),
         study_sessions=[]),
    case("issued-after-as-of", RL, NA, as_of="2018-02-28", directives=D_0301, study_sessions=[]),
    case("no-directives", RL, NA, directives=[], study_sessions=[]),
    case("directives-absent", RL, U, study_sessions=[]),
    case("sessions-absent", RL, U, directives=D_0301),
    case("period-before-in-force", RL, NA, period="2017", directives=[], study_sessions=[]),
    # Central group: each quarter ending in the period needs a central_group session.
    case("every-quarter", CG, C, study_sessions=ALL_QUARTERS),
    case("q3-open", CG, P, as_of="2018-08-15", study_sessions=central("2018-03-01", "2018-05-01")),
    case("relay-is-not-central", CG, N, study_sessions=sessions(
        ("2018-03-01", "central_group"), ("2018-05-01", "central_group"),
        ("2018-08-01", "relay"), ("2018-11-01", "central_group"))),
    case("q1-on-03-31", CG, C, period="2018-Q1", study_sessions=central("2018-03-31")),
    case("03-31-not-in-q2", CG, N, period="2018-Q2", study_sessions=central("2018-03-31")),
    case("q2-on-04-01", CG, C, period="2018-Q2", study_sessions=central("2018-04-01")),
    # The Q1 2018 window is 02-02..03-31: 01-15 is before it.
    case("q1-before-in-force", CG, N, period="2018-Q1", study_sessions=central("2018-01-15")),
    case("q1-on-in-force-day", CG, C, period="2018-Q1", study_sessions=central("2018-02-02")),
    case("month-without-quarter-end", CG, NA, period="2018-05", study_sessions=[]),
    case("month-with-quarter-end", CG, N, period="2018-06", study_sessions=[]),
    case("absent", CG, U),
    case("period-before-in-force", CG, NA, period="2017", study_sessions=[]),
    # Livelihood: >= 20 projects of the year with status completed (undated records).
    case("20-completed", LP, C, livelihood_projects=projects(2018, 20)),
    case("20-completed-mid-year", LP, C, as_of=MID, livelihood_projects=projects(2018, 20)),
    case("19-and-5-in-progress", LP, N, livelihood_projects=projects(2018, 19, 5)),
    case("19-and-5-in-progress-open", LP, P, as_of="2018-10-01",
         livelihood_projects=projects(2018, 19, 5)),
    case("2017-projects", LP, N, livelihood_projects=projects(2017, 20) + projects(2018, 19)),
    case("none", LP, N, livelihood_projects=[]),
    case("absent", LP, U),
    case("quarter", LP, NA, period="2018-Q1", livelihood_projects=projects(2018, 20)),
    case("period-before-in-force", LP, NA, period="2017", livelihood_projects=[]),
    # Major decisions dated in period ∩ in force, known by as_of.
    case("before-in-force", CD, NA, major_decisions=decided("2018-02-01", "individual")),
    case("on-in-force-day", CD, N, major_decisions=decided("2018-02-02", "individual")),
    case("executive-meeting", CD, C, major_decisions=decided("2018-02-02", "executive_meeting")),
    case("plenary-meeting", CD, C, major_decisions=decided("2018-04-10", "plenary_meeting")),
    case("other-body", CD, N, major_decisions=decided("2018-04-10", "other")),
    case("after-as-of", CD, NA, as_of=MID, major_decisions=decided("2018-07-01", "individual")),
    case("other-quarter", CD, NA, period="2018-Q3",
         major_decisions=decided("2018-04-10", "individual")),
    case("none", CD, NA, major_decisions=[]),
    case("absent", CD, U),
    case("before-in-force", LR, NA, major_decisions=decided("2018-02-01", "other")),
    case("on-in-force-day", LR, C, major_decisions=decided("2018-02-02", "other", "2018-01-20")),
    case("no-review", LR, N, major_decisions=decided("2018-04-10", "executive_meeting")),
    case("same-day", LR, C, major_decisions=decided("2018-04-10", "individual", "2018-04-10")),
    case("review-after", LR, N, major_decisions=decided("2018-04-10", "other", "2018-04-11")),
    case("none", LR, NA, major_decisions=[]),
    case("absent", LR, U),
    # Democratic life meeting: >= 1 in the window.
    case("on-12-31", DL, C, democratic_life_meetings=meetings("2018-12-31")),
    case("on-01-01-not-2018", DL, N, democratic_life_meetings=meetings("2019-01-01")),
    case("on-01-01-is-2019", DL, C, period="2019", democratic_life_meetings=meetings("2019-01-01")),
    case("before-in-force", DL, N, democratic_life_meetings=meetings("2018-01-20")),
    case("after-as-of", DL, P, as_of="2018-12-30", democratic_life_meetings=meetings("2018-12-31")),
    case("none-mid-year", DL, P, as_of=MID, democratic_life_meetings=[]),
    case("absent", DL, U),
    case("quarter", DL, NA, period="2018-Q1", democratic_life_meetings=[]),
    case("period-before-in-force", DL, NA, period="2017", democratic_life_meetings=[]),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "doc", "period", "as_of", "params", "status"), CASES)
def test_team_rule(rule, doc, period, as_of, params, status):
    assert result(doc, rule, period, as_of, params).status is status


@pytest.mark.parametrize(
    ("rule", "doc", "missing"),
    [
        (RL, facts(study_sessions=[]), "directives"),
        (RL, facts(directives=D_0301), "study_sessions"),
        (CG, facts(), "study_sessions"),
        (LP, facts(), "livelihood_projects"),
        (CD, facts(), "major_decisions"),
        (LR, facts(), "major_decisions"),
        (DL, facts(), "democratic_life_meetings"),
    ],
)
def test_undetermined_names_missing_category(rule, doc, missing):
    r = result(doc, rule)
    assert r.status is U
    assert missing in r.explanation.en and missing in r.explanation.zh


@pytest.mark.parametrize(
    ("doc", "period", "as_of", "status", "failing", "measured", "items"),
    [
        # Q1, Q2, Q4 held; Q3 (07-01..09-30) empty and closed.
        pytest.param(central("2018-03-01", "2018-05-01", "2018-11-01"), "2018", AFTER, N,
                     ("2018-Q3",), 3, 4, id="q3-missing"),
        pytest.param(ALL_QUARTERS, "2018", AFTER, C, (), 4, 4, id="all"),
        # As of 08-15, Q3 and Q4 are still open: both not (yet) met, so both listed.
        pytest.param(central("2018-03-01", "2018-05-01"), "2018", "2018-08-15", P,
                     ("2018-Q3", "2018-Q4"), 2, 4, id="open-quarters"),
        # 03-31 is the last day of Q1 and 04-01 the first of Q2: one each.
        pytest.param(central("2018-03-31", "2018-04-01", "2018-08-01", "2018-11-01"), "2018",
                     AFTER, C, (), 4, 4, id="quarter-boundary"),
        # 01-15 is before the in-force day, so Q1 has nothing.
        pytest.param(central("2018-01-15", "2018-05-01", "2018-08-01", "2018-11-01"), "2018",
                     AFTER, N, ("2018-Q1",), 3, 4, id="q1-before-in-force"),
        # Period 2018-Q2 evaluates Q2 alone: one item, met.
        pytest.param(central("2018-05-01"), "2018-Q2", AFTER, C, (), 1, 1, id="only-q2"),
    ],
)  # fmt: skip
def test_central_group_quarters(doc, period, as_of, status, failing, measured, items):
    r = result(facts(study_sessions=doc), CG, period, as_of)
    assert r.status is status
    assert r.failing == failing
    assert (r.requirement.measured, r.requirement.minimum) == (measured, items)


def test_relay_failing_and_facts():
    doc = facts(
        directives=directives("2018-03-01", "2018-04-01"),  # due 03-08 and 04-08
        study_sessions=sessions(("2018-03-05", "relay", ["d-1"]), ("2018-04-20", "relay", ["d-2"])),
    )
    r = result(doc, RL)
    assert r.status is N
    assert r.failing == ("d-2",)  # relayed 04-20, twelve days late
    assert r.facts == ("ss-1",)
    assert (r.requirement.measured, r.requirement.minimum) == (1, 2)


def test_decisions_failing():
    doc = facts(
        major_decisions=decisions(
            ("2018-03-01", "executive_meeting", "2018-02-20"),
            ("2018-05-01", "individual", None),
        )
    )
    collective, review = result(doc, CD), result(doc, LR)
    assert (collective.status, collective.failing) == (N, ("md-2",))
    assert (review.status, review.failing) == (N, ("md-2",))
    assert (collective.requirement.measured, collective.requirement.minimum) == (1, 2)


def test_livelihood_counts_only_completed_of_the_year():
    doc = facts(livelihood_projects=projects(2017, 20) + projects(2018, 19, 5))
    r = result(doc, LP)
    assert (r.requirement.measured, r.requirement.minimum) == (19, 20)
    assert set(r.facts) == {f"lp-2018-{i}" for i in range(1, 20)}


def test_team_rule_subject_is_team():
    r = result(facts(democratic_life_meetings=meetings("2018-12-31")), DL)
    assert r.subject == "team" and r.facts == ("dl-1",)
