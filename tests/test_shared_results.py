"""Results made for many members at once, sharing what members share (the explanation
of the same numbers, the window's parameter values, a single bound settled as one
before it), are each the result made for that member alone with nothing shared.

The reference is :func:`entry_results` for one member with a fresh :class:`Memo`: the
careful path, where every outcome is evaluated in full.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.engine.provisions import Memo, entry_results, results_by_entry
from selfbuild_rules.engine.run import prepared
from selfbuild_rules.engine.setup import Evaluation, Options
from selfbuild_rules.evaluation import setup_for
from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.rules.conditions import AtLeast, Measure, Tally
from selfbuild_rules.rules.outlook import Outlook
from strategies import facts_documents

AS_OF = ["2018-01-15", "2018-09-02", "2018-12-31", "2019-03-01"]


def run_of(doc: dict[str, Any], as_of: str) -> Evaluation:
    return prepared(sr.load_facts(doc), setup_for(Options.of("2018", as_of)))


def assert_shared_equals_alone(run: Evaluation) -> None:
    shared = results_by_entry(run.ctx, run.law, run.entries, run.members)
    for entry, made in zip(run.entries, shared, strict=True):
        if not entry.binds_members:
            continue
        alone = [r for m in run.members for r in entry_results(run.ctx, entry, [m], Memo(run.law))]
        assert made == alone, entry.provision.id


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(facts_documents(), st.sampled_from(AS_OF))
def test_results_made_together_are_those_made_alone(doc: dict[str, Any], as_of: str) -> None:
    assert_shared_equals_alone(run_of(doc, as_of))


def trips(member: str, days: int, start: date) -> list[dict[str, str]]:
    """``days`` one-day trips from ``start`` on, every other day."""
    return [
        {
            "id": f"{member}-rt-{i}",
            "member": member,
            "start": (start + timedelta(days=2 * i)).isoformat(),
            "end": (start + timedelta(days=2 * i)).isoformat(),
            "place": "宝坻区",
        }
        for i in range(days)
    ]


def test_members_with_the_same_numbers_share_and_stay_their_own() -> None:
    # Pairs of members with the same counts (the second of each takes the shared path),
    # with their own records, tenures that cut their windows, and a violation.
    members, records = [], []
    for i in range(8):
        member = f"m{i}"
        tenure = {"start": "2017-01-01"} if i < 6 else {"start": "2018-07-01"}
        members.append({"id": member, "name": f"成员{i}", "post": "mayor", "tenure": tenure})
        records += trips(member, 30 + 30 * (i % 2), date(2018, 7, 2))
    doc = {
        "format": "selfbuild-rules.facts/1",
        "team": {"id": "t", "name": "班子"},
        "members": members,
        "research_trips": records,
        "violations": [
            {"id": "v-1", "member": "m3", "date": "2018-05-04", "kind": "privilege"},
        ],
        "contact_point_visits": [],
        "contact_points": [],
    }
    for as_of in AS_OF:
        assert_shared_equals_alone(run_of(doc, as_of))


def test_a_pending_count_is_told_once_per_window() -> None:
    # The same numbers over another window can be behind the pace or not.
    doc = {"format": "selfbuild-rules.facts/1", "team": {"id": "t", "name": "班子"}, "members": []}
    run = run_of(doc, "2018-09-02")
    memo, due = Memo(run.law), date(2018, 12, 31)
    days = Measure("调研天数", "天", "research days", "research day", "days")
    open_ = AtLeast(55, Tally(20, room=120, by=due)).evaluate()
    early = DateRange(date(2018, 2, 2), due)  # 213 of 333 days gone: 20 is behind
    late = DateRange(date(2018, 8, 1), due)  # 33 of 153 days gone: 20 is ahead
    told = memo.pending(run.ctx, open_, days, due, early)
    assert told[3] is Outlook.AT_RISK
    assert memo.pending(run.ctx, open_, days, due, late)[3] is Outlook.ON_TRACK
    assert memo.pending(run.ctx, open_, days, due, early) is told  # shared, not made again
