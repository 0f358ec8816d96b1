"""Hypothesis strategies for VALID ``selfbuild-rules.facts/1`` documents (plain dicts).

``facts_documents()`` draws a document with a random subset of the optional categories
present (absent = unknown, ``[]`` = known to be empty), ids unique within each category,
every reference resolving (to a record of the same member where the format demands it),
``end >= start`` and every date between 2016-01-01 and 2021-12-31.

Written from the format description in the brief, not from the loader's code.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import strategies as st

from selfbuild_rules.tianjin2018 import BASE

#: The facts example of the core issue, verbatim.
ISSUE_EXAMPLE: dict[str, Any] = json.loads("""{
  "format": "selfbuild-rules.facts/1",
  "team": {"id": "tj-gov", "name": "天津市人民政府领导班子"},
  "members": [{"id": "m01", "name": "成员甲", "post": "mayor",
               "tenure": {"start": "2018-01-26", "end": null}}],
  "research_trips": [{"id": "rt-1", "member": "m01", "start": "2018-03-01", "end": "2018-03-10",
                      "place": "宝坻区", "topic": "tp-1"}],
  "research_topics": [{"id": "tp-1", "member": "m01", "year": 2018, "title": "…"}],
  "research_reports": [{"id": "rr-1", "member": "m01", "topic": "tp-1", "date": "2018-11-30",
                        "recommendations": 5}],
  "contact_points": [{"id": "cp-1", "member": "m01", "kind": "village", "name": "…",
                      "start": "2018-03-01", "end": null}],
  "contact_point_visits": [{"id": "v-1", "member": "m01", "contact_point": "cp-1",
                            "date": "2018-05-05"}],
  "livelihood_projects": [{"id": "lp-1", "year": 2018, "area": "elderly_care", "title": "…",
                           "status": "completed"}],
  "directives": [{"id": "d-1", "issued": "2018-03-20", "kind": "speech", "title": "…"}],
  "study_sessions": [{"id": "ss-1", "date": "2018-03-22", "kind": "relay", "directives": ["d-1"]}],
  "major_decisions": [{"id": "md-1", "date": "2018-04-10", "title": "…",
                       "decided_by": "executive_meeting", "legal_review": "2018-04-02"}],
  "personal_matters_reports": [{"id": "pm-1", "member": "m01", "year": 2018,
                                "filed": "2019-01-20"}],
  "democratic_life_meetings": [{"id": "dl-1", "date": "2018-12-20"}],
  "violations": [{"id": "vi-1", "member": "m01", "date": "2018-06-01",
                  "kind": "market_interference", "summary": "…"}],
  "assessments": [{"id": "as-1", "rule": "1.loyalty", "subject": "m01", "period": "2018",
                   "result": "compliant", "assessor": "…", "date": "2019-01-15"}]
}""")  # the example of the brief, verbatim

FORMAT = "selfbuild-rules.facts/1"
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2021, 12, 31)
MAX_RECORDS = 4

#: Every record category other than ``members`` (which is required).
OPTIONAL_CATEGORIES = (
    "research_trips",
    "research_topics",
    "research_reports",
    "contact_points",
    "contact_point_visits",
    "livelihood_projects",
    "directives",
    "study_sessions",
    "major_decisions",
    "personal_matters_reports",
    "democratic_life_meetings",
    "violations",
    "assessments",
)

ENUMS = {
    "post": "mayor executive_vice_mayor vice_mayor secretary_general other",
    "contact_kind": "village community enterprise institution project school",
    "area": "childcare education employment healthcare elderly_care housing social_assistance "
    "other",
    "status": "planned in_progress completed",
    "directive_kind": "speech instruction other",
    "session_kind": "central_group relay other",
    "decided_by": "executive_meeting plenary_meeting individual other",
    "violation_kind": "improper_benefit market_interference judicial_interference privilege "
    "impostor_reception other",
    "result": "compliant non_compliant",
}


def one_of(enum: str) -> st.SearchStrategy[str]:
    """A valid value of one of the format's enumerations (a key of :data:`ENUMS`)."""
    return st.sampled_from(ENUMS[enum].split())


dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY).map(dt.date.isoformat)
years = st.integers(min_value=2016, max_value=2021)
texts = st.text(max_size=6)


@st.composite
def spans(draw: st.DrawFn, open_ended: bool) -> dict[str, str | None]:
    """``{"start", "end"}`` with end on or after start; ``end`` may be null if ``open_ended``."""
    start = draw(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
    if open_ended and draw(st.booleans()):
        return {"start": start.isoformat(), "end": None}
    end = draw(st.dates(min_value=start, max_value=LAST_DAY))
    return {"start": start.isoformat(), "end": end.isoformat()}


def _record(draw: st.DrawFn, required: dict[str, Any], optional: dict[str, Any]) -> dict:
    """Draw each required field; each optional one is left out, null, or drawn."""
    record = {key: draw(values) for key, values in required.items()}
    for key, values in optional.items():
        choice = draw(st.sampled_from(("omit", "null", "value")))
        if choice != "omit":
            record[key] = None if choice == "null" else draw(values)
    return record


@st.composite
def facts_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid facts document with a random subset of the optional categories."""
    present = draw(st.sets(st.sampled_from(OPTIONAL_CATEGORIES)))
    doc: dict[str, Any] = {"format": FORMAT, "team": {"id": draw(texts), "name": draw(texts)}}

    def add(category: str, prefix: str, required: dict, optional: dict | None = None) -> list:
        """Add 0..MAX_RECORDS records with ids ``prefix-0``, … if the category is present.

        A strategy that cannot draw (``st.nothing()``, e.g. no member to refer to) means the
        category, when present, must be empty.
        """
        if category not in present and category != "members":
            return []
        possible = not any(v.is_empty for v in required.values())
        count = draw(st.integers(0, MAX_RECORDS)) if possible else 0
        records = [
            {"id": f"{prefix}-{i}", **_record(draw, required, optional or {})} for i in range(count)
        ]
        doc[category] = records
        return records

    members = add(
        "members",
        "m",
        {"name": texts, "post": one_of("post"), "tenure": spans(open_ended=True)},
    )
    a_member = st.sampled_from([m["id"] for m in members]) if members else st.nothing()

    topics = add(
        "research_topics",
        "tp",
        {"member": a_member, "year": years},
        {"title": texts, "designated": dates},
    )
    trips = add("research_trips", "rt", {"member": a_member, "span": spans(open_ended=False)})
    for trip in trips:  # flatten the span, then maybe point at one of the member's topics
        trip.update(trip.pop("span"))
        own = [t["id"] for t in topics if t["member"] == trip["member"]]
        optional = {"place": texts, **({"topic": st.sampled_from(own)} if own else {})}
        trip.update(_record(draw, {}, optional))

    reports = add(
        "research_reports",
        "rr",
        {
            "topic": st.sampled_from(topics) if topics else st.nothing(),
            "date": dates,
            "recommendations": st.integers(0, 30),
        },
    )
    for report in reports:  # a report is by the member whose topic it reports on
        chosen = report.pop("topic")
        report.update(member=chosen["member"], topic=chosen["id"])

    points = add(
        "contact_points",
        "cp",
        {"member": a_member, "kind": one_of("contact_kind"), "span": spans(open_ended=True)},
        {"name": texts},
    )
    for point in points:
        point.update(point.pop("span"))

    visits = add(
        "contact_point_visits",
        "v",
        {"point": st.sampled_from(points) if points else st.nothing(), "date": dates},
    )
    for visit in visits:  # a member visits one of their own contact points
        chosen = visit.pop("point")
        visit.update(member=chosen["member"], contact_point=chosen["id"])

    projects = add(
        "livelihood_projects",
        "lp",
        {"year": years, "area": one_of("area"), "status": one_of("status")},
        {"title": texts, "completed": dates},
    )
    for project in projects:  # a completion day only on a completed project
        if project["status"] != "completed" and project.get("completed"):
            del project["completed"]
    directives = add(
        "directives", "d", {"issued": dates, "kind": one_of("directive_kind")}, {"title": texts}
    )
    listed = st.lists(st.sampled_from([d["id"] for d in directives]), unique=True)
    sessions = add("study_sessions", "ss", {"date": dates, "kind": one_of("session_kind")})
    for session in sessions:  # the directives field may be left out (default [])
        if draw(st.booleans()):
            session["directives"] = draw(listed) if directives else []

    add(
        "major_decisions",
        "md",
        {"date": dates, "decided_by": one_of("decided_by"), "legal_review": st.none() | dates},
        {"title": texts},
    )
    add(
        "personal_matters_reports",
        "pm",
        {"member": a_member, "year": years, "filed": dates},
    )
    add("democratic_life_meetings", "dl", {"date": dates})
    add(
        "violations",
        "vi",
        {"member": a_member, "date": dates, "kind": one_of("violation_kind")},
        {"summary": texts},
    )

    judged = BASE.judgments()
    rules = sorted(r for r, kind in judged.items() if members or kind == "team")
    periods = st.one_of(
        years.map(str),
        st.builds("{}-Q{}".format, years, st.integers(1, 4)),
        st.builds("{}-{:02d}".format, years, st.integers(1, 12)),
    )
    assessments = add(
        "assessments",
        "as",
        {
            "rule": st.sampled_from(rules),
            "period": periods,
            "result": one_of("result"),
            "date": dates,
        },
        {"assessor": texts},
    )
    for assessment in assessments:  # team provisions judge the team, member ones a member
        team_rule = judged[assessment["rule"]] == "team"
        assessment["subject"] = "team" if team_rule else draw(a_member)
    return doc


def locations(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indexes) to a value inside a JSON document."""
    found = [here] if here else []
    if isinstance(node, dict):
        children: Any = node.items()
    else:
        children = enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        found += locations(child, (*here, key))
    return found
