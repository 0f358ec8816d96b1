"""Worked examples for the evaluable provisions, written by hand.

Each example is reST with doctest blocks; the generator puts it under its provision
on the principle page, and ``sphinx-build -b doctest`` runs it against the code.
The expected outputs were worked out from the regulation's semantics (window,
due date, requirement), not copied from a run: when the code disagrees with an
example, the doctest build fails and one of the two is wrong.

Unless an example says otherwise: one member ``m01`` in office since 2018-01-26,
period ``2018``, ``as_of`` 2019-03-01. The 2018 window of an annual member rule is
then 2018-02-02 (in force) to 2018-12-31: 333 days.
"""

from __future__ import annotations

PREAMBLE = '''
.. rubric:: About the worked examples

The worked examples on this page evaluate a small team with a single member,
``m01``, in office since 26 January 2018. The helper below builds its facts; each
example passes only the categories it is about, so every other evaluable
provision is ``undetermined`` (see :ref:`closed-world`). Unless an example says
otherwise it evaluates the period ``2018`` as known on 1 March 2019.

>>> import selfbuild_rules as sr
>>> def facts(**categories):
...     """A one-member team (m01, in office since 2018-01-26) with these records."""
...     return {"format": "selfbuild-rules.facts/1",
...             "team": {"id": "tj-gov", "name": "天津市人民政府领导班子"},
...             "members": [{"id": "m01", "name": "成员甲", "post": "mayor",
...                          "tenure": {"start": "2018-01-26", "end": None}}],
...             **categories}
'''

EXAMPLES: dict[str, str] = {}

EXAMPLES["2.relay-directives"] = """
A speech issued on 20 March 2018 is relayed two days later; an instruction issued
on 1 June is studied on 15 June, after its 7-day deadline of 8 June.

>>> directives = [
...     {"id": "d-1", "issued": "2018-03-20", "kind": "speech"},
...     {"id": "d-2", "issued": "2018-06-01", "kind": "instruction"}]
>>> sessions = [
...     {"id": "ss-1", "date": "2018-03-22", "kind": "relay", "directives": ["d-1"]},
...     {"id": "ss-2", "date": "2018-06-15", "kind": "central_group", "directives": ["d-2"]}]
>>> report = sr.evaluate(facts(directives=directives, study_sessions=sessions),
...                      period="2018", as_of="2019-03-01")
>>> r = report.result("2.relay-directives")
>>> r.status.value, r.failing
('non_compliant', ('d-2',))
>>> str(r.explanation)
'1 of 2 directives relayed in time; not met: d-2'

Known on 5 June, the same instruction could still be relayed in time:

>>> r = sr.evaluate(facts(directives=directives, study_sessions=sessions),
...                 period="2018", as_of="2018-06-05").result("2.relay-directives")
>>> print(r.status.value, *str(r.explanation).split("; "), sep=chr(10))
pending
as of 2018-06-05: 1 of 2 directives relayed in time
still needed: d-2 by 2018-06-08
at risk: little time left
"""

EXAMPLES["2.central-group-study"] = """
Central-group sessions in January (before the regulation was in force), May,
August and November 2018: the first quarter's window, 2 February to 31 March,
has none.

>>> sessions = [{"id": f"cg-{i}", "date": day, "kind": "central_group"}
...             for i, day in enumerate(
...                 ["2018-01-20", "2018-05-10", "2018-08-30", "2018-11-20"], start=1)]
>>> r = sr.evaluate(facts(study_sessions=sessions), period="2018",
...                 as_of="2019-03-01").result("2.central-group-study")
>>> r.status.value, r.failing
('non_compliant', ('2018-Q1',))
>>> r.requirement.measured, r.requirement.minimum
(3, 4)

For the period ``2018-Q2`` only the second quarter falls due:

>>> sr.evaluate(facts(study_sessions=sessions), period="2018-Q2",
...             as_of="2019-03-01").result("2.central-group-study").status.value
'compliant'
"""

EXAMPLES["3.research-days"] = """
Three trips: 1–20 March, 15 March–10 April (overlapping the first) and 1–10
September. The union covers 1 March–10 April (41 days) and 1–10 September
(10 days): 51 days. The window 2018-02-02..2018-12-31 has 333 days, so the
requirement is ⌈60 × 333 / 365⌉ = 55.

>>> trips = [
...     {"id": "rt-1", "member": "m01", "start": "2018-03-01", "end": "2018-03-20"},
...     {"id": "rt-2", "member": "m01", "start": "2018-03-15", "end": "2018-04-10"},
...     {"id": "rt-3", "member": "m01", "start": "2018-09-01", "end": "2018-09-10"}]
>>> r = sr.evaluate(facts(research_trips=trips), period="2018",
...                 as_of="2019-03-01").result("3.research-days", "m01")
>>> r.status.value, r.requirement.measured, r.requirement.minimum
('non_compliant', 51, 55)
>>> str(r.window), r.due.isoformat(), r.facts
('2018-02-02..2018-12-31', '2018-12-31', ('rt-1', 'rt-2', 'rt-3'))
>>> str(r.explanation)
'51 research days, fewer than the 55 required'

Known on 1 December, 30 days of the window remain: 51 + 30 ≥ 55, so the
obligation is still achievable.

>>> r = sr.evaluate(facts(research_trips=trips), period="2018",
...                 as_of="2018-12-01").result("3.research-days", "m01")
>>> print(r.status.value, *str(r.explanation).split("; "), sep=chr(10))
pending
as of 2018-12-01: 51 research days so far
55 required by 2018-12-31
4 more days needed by 2018-12-31 (30 days left)

Without pro-rating the full 60 days are required:

>>> sr.evaluate(facts(research_trips=trips), period="2018", as_of="2019-03-01",
...             parameters={"research.pro_rating": "none"},
...             ).result("3.research-days", "m01").requirement.minimum
60
"""

EXAMPLES["3.research-topics"] = """
Three key topics registered for 2018 are one more than the two allowed.

>>> topics = [{"id": f"tp-{i}", "member": "m01", "year": 2018} for i in (1, 2, 3)]
>>> r = sr.evaluate(facts(research_topics=topics), period="2018",
...                 as_of="2019-03-01").result("3.research-topics", "m01")
>>> r.status.value, r.requirement.measured, r.requirement.maximum
('non_compliant', 3, 2)
>>> sr.evaluate(facts(research_topics=topics[:1]), period="2018",
...             as_of="2019-03-01").result("3.research-topics", "m01").status.value
'compliant'
"""

EXAMPLES["3.research-reports"] = """
Two topics; the report on ``tp-2`` makes no recommendation, so it does not count.

>>> topics = [{"id": "tp-1", "member": "m01", "year": 2018},
...           {"id": "tp-2", "member": "m01", "year": 2018}]
>>> reports = [
...     {"id": "rr-1", "member": "m01", "topic": "tp-1", "date": "2018-11-30",
...      "recommendations": 5},
...     {"id": "rr-2", "member": "m01", "topic": "tp-2", "date": "2018-12-10",
...      "recommendations": 0}]
>>> r = sr.evaluate(facts(research_topics=topics, research_reports=reports),
...                 period="2018", as_of="2019-03-01").result("3.research-reports", "m01")
>>> r.status.value, r.failing
('non_compliant', ('tp-2',))

With no key topic for the year, no report is owed:

>>> sr.evaluate(facts(research_topics=[], research_reports=[]), period="2018",
...             as_of="2019-03-01").result("3.research-reports", "m01").status.value
'not_applicable'
"""

EXAMPLES["4.contact-point"] = """
A village designated from 1 March 2018 satisfies the provision; designating an
enterprise as well from 1 June makes two contact points at once.

>>> village = {"id": "cp-1", "member": "m01", "kind": "village", "start": "2018-03-01",
...            "end": None}
>>> enterprise = {"id": "cp-2", "member": "m01", "kind": "enterprise",
...               "start": "2018-06-01", "end": None}
>>> def contact_point(*points):
...     report = sr.evaluate(facts(contact_points=list(points)), period="2018",
...                          as_of="2019-03-01")
...     return report.result("4.contact-point", "m01").status.value
>>> contact_point(village)
'compliant'
>>> contact_point(village, enterprise)
'non_compliant'
"""

EXAMPLES["4.contact-point-visits"] = """
The contact point is designated from 1 March 2018; a visit on 20 February came
before the designation and does not count, the one on 5 May does.

>>> points = [{"id": "cp-1", "member": "m01", "kind": "village", "start": "2018-03-01"}]
>>> visits = [
...     {"id": "v-1", "member": "m01", "contact_point": "cp-1", "date": "2018-02-20"},
...     {"id": "v-2", "member": "m01", "contact_point": "cp-1", "date": "2018-05-05"}]
>>> r = sr.evaluate(facts(contact_points=points, contact_point_visits=visits),
...                 period="2018", as_of="2019-03-01").result("4.contact-point-visits", "m01")
>>> r.status.value, r.facts
('compliant', ('v-2',))
>>> sr.evaluate(facts(contact_points=points, contact_point_visits=visits[:1]),
...             period="2018", as_of="2019-03-01",
...             ).result("4.contact-point-visits", "m01").status.value
'non_compliant'
"""

EXAMPLES["4.livelihood-projects"] = """
Of twenty projects for 2018, nineteen are completed and one is still in progress.

>>> projects = [{"id": f"lp-{i}", "year": 2018, "area": "housing",
...              "status": "completed" if i < 20 else "in_progress"} for i in range(1, 21)]
>>> r = sr.evaluate(facts(livelihood_projects=projects), period="2018",
...                 as_of="2019-03-01").result("4.livelihood-projects")
>>> r.subject, r.status.value, r.requirement.measured, r.requirement.minimum
('team', 'non_compliant', 19, 20)

In the middle of the year the last project may still be completed:

>>> sr.evaluate(facts(livelihood_projects=projects), period="2018",
...             as_of="2018-06-30").result("4.livelihood-projects").status.value
'pending'
"""

_DECISIONS = """
>>> decisions = [
...     {"id": "md-1", "date": "2018-04-10", "decided_by": "executive_meeting",
...      "legal_review": "2018-04-02"},
...     {"id": "md-2", "date": "2018-07-01", "decided_by": "individual",
...      "legal_review": None},
...     {"id": "md-3", "date": "2018-09-01", "decided_by": "plenary_meeting",
...      "legal_review": "2018-09-05"}]
"""

EXAMPLES["5.legal-review"] = (
    """
Three major decisions: ``md-2`` had no legal review and ``md-3`` was reviewed
four days after it was taken.
"""
    + _DECISIONS
    + """>>> r = sr.evaluate(facts(major_decisions=decisions), period="2018",
...                 as_of="2019-03-01").result("5.legal-review")
>>> r.status.value, r.failing
('non_compliant', ('md-2', 'md-3'))

A year without major decisions owes no review:

>>> sr.evaluate(facts(major_decisions=[]), period="2018",
...             as_of="2019-03-01").result("5.legal-review").status.value
'not_applicable'
"""
)

EXAMPLES["5.collective-decision"] = (
    """
The same three decisions: ``md-2`` was taken by one person.
"""
    + _DECISIONS
    + """>>> r = sr.evaluate(facts(major_decisions=decisions), period="2018",
...                 as_of="2019-03-01").result("5.collective-decision")
>>> r.status.value, r.failing
('non_compliant', ('md-2',))
"""
)

EXAMPLES["6.personal-matters-report"] = """
The report for 2017 would fall due on 31 January 2018, before the regulation was
in force, so in the period 2018 no report is owed. The report for 2018 falls due
on 31 January 2019:

>>> def report_filed(day):
...     records = [{"id": "pm-1", "member": "m01", "year": 2018, "filed": day}]
...     report = sr.evaluate(facts(personal_matters_reports=records), period="2019",
...                          as_of="2019-03-01")
...     return report.result("6.personal-matters-report", "m01")
>>> r = report_filed("2019-01-20")
>>> r.status.value, r.due.isoformat()
('compliant', '2019-01-31')
>>> report_filed("2019-02-10").status.value
'non_compliant'
>>> sr.evaluate(facts(personal_matters_reports=[]), period="2018", as_of="2019-03-01",
...             ).result("6.personal-matters-report", "m01").status.value
'not_applicable'
"""

EXAMPLES["6.integrity"] = """
One recorded violation in the window makes the member non-compliant. With none
recorded, the year must be over before the result is final.

>>> violations = [{"id": "vi-1", "member": "m01", "date": "2018-06-01",
...                "kind": "market_interference"}]
>>> r = sr.evaluate(facts(violations=violations), period="2018",
...                 as_of="2019-03-01").result("6.integrity", "m01")
>>> r.status.value, r.facts
('non_compliant', ('vi-1',))
>>> [sr.evaluate(facts(violations=[]), period="2018", as_of=day,
...              ).result("6.integrity", "m01").status.value
...  for day in ("2018-06-30", "2019-03-01")]
['pending', 'compliant']
"""

EXAMPLES["6.democratic-life-meeting"] = """
>>> meetings = [{"id": "dl-1", "date": "2018-12-20"}]
>>> sr.evaluate(facts(democratic_life_meetings=meetings), period="2018",
...             as_of="2019-03-01").result("6.democratic-life-meeting").status.value
'compliant'

Without a meeting, the result is ``pending`` until the year is over:

>>> [sr.evaluate(facts(democratic_life_meetings=[]), period="2018", as_of=day,
...              ).result("6.democratic-life-meeting").status.value
...  for day in ("2018-10-01", "2019-03-01")]
['pending', 'non_compliant']
"""
