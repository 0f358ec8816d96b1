"""The trace (``evaluate(..., trace=True)``, ``evaluate --trace``): a checker recounts a
figure from it by hand, and it changes nothing else in the report.

Research days are recounted from generated trips: the merged ranges sum to the figure
measured, every trip is either counted or left out with a reason that holds. An item
rule's trace is pinned at the deadline's boundary days."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.law.periods import DateRange
from selfbuild_rules.module_api import AmendRule
from selfbuild_rules.report.trace_view import html as trace_html
from selfbuild_rules.rules import conditions as c
from selfbuild_rules.rules import tallied as tr
from selfbuild_rules.rules import tallies as t
from selfbuild_rules.rules.ruleset import Check
from selfbuild_rules.rules.trace import recording
from test_modules import module

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tianjin-2018.json"
FORMAT = "selfbuild-rules.facts/1"
DAY = dt.timedelta(days=1)


def _team(**categories: Any) -> dict[str, Any]:
    member = {"id": "m01", "name": "甲", "post": "mayor",
              "tenure": {"start": "2018-01-26", "end": None}}  # fmt: skip
    return {"format": FORMAT, "team": {"id": "t", "name": "班子"}, "members": [member]} | categories


@st.composite
def trips(draw: st.DrawFn) -> list[dict[str, str]]:
    found = []
    for i in range(draw(st.integers(0, 8))):
        start = draw(st.dates(dt.date(2017, 11, 1), dt.date(2019, 2, 1)))
        end = start + dt.timedelta(days=draw(st.integers(0, 40)))
        found.append({"id": f"rt-{i}", "member": "m01", "start": str(start), "end": str(end)})
    return found


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@settings(max_examples=150)
@given(given_trips=trips(), as_of=st.dates(dt.date(2018, 1, 1), dt.date(2019, 3, 1)))
def test_the_merged_ranges_recount_the_research_days(
    given_trips: list[dict[str, str]], as_of: dt.date
) -> None:
    doc = _team(research_trips=given_trips)
    plain = sr.evaluate(doc, "2018", as_of, rules=["3.research-days"]).results[0]
    traced = sr.evaluate(doc, "2018", as_of, rules=["3.research-days"], trace=True).results[0]
    steps = {s.step: s for s in traced.trace}
    tally = steps["at_least"].tally
    assert plain.requirement is not None and traced.requirement == plain.requirement
    # By hand: the days of each merged range, added up.
    by_hand = sum((r.end - r.start).days + 1 for r in tally.ranges)
    assert by_hand == tally.count == plain.requirement.measured
    window = steps["window"].window
    assert window == plain.window and steps["window"].days == (window.end - window.start).days + 1
    days = [(r.start, r.end) for r in tally.ranges]
    assert days == sorted(days)
    assert all(a[1] + DAY < b[0] for a, b in itertools.pairwise(days))  # merged
    assert all(window.start <= a and b <= min(window.end, as_of) for a, b in days)
    covered = {r: rng for rng in tally.ranges for r in rng.records}
    trip = {t["id"]: (_day(t["start"]), _day(t["end"])) for t in given_trips}
    left = {x.record: x for x in tally.left_out}
    assert set(covered) | set(left) == set(trip) and not set(covered) & set(left)
    for record, x in left.items():
        start, end = trip[record]
        if x.why == tr.OUTSIDE_WINDOW:
            assert end < window.start or start > window.end
        elif x.why == tr.AFTER_AS_OF:
            assert max(start, window.start) > as_of and start <= window.end  # its days there
        else:  # every day of it inside the window and known is already a counted one's
            assert x.why == tr.OVERLAP and set(x.by) <= set(covered)
            first, last = max(start, window.start), min(end, window.end, as_of)
            assert any(r.start <= first and last <= r.end for r in tally.ranges)
    assert [c.record for c in tally.counted] == list(plain.facts)


@settings(max_examples=80)
@given(
    spans=st.lists(
        st.tuples(st.dates(dt.date(2017, 6, 1), dt.date(2019, 6, 1)), st.integers(0, 90)),
        max_size=6,
    ),
    as_of=st.dates(dt.date(2017, 12, 1), dt.date(2019, 3, 1)),
    open_=st.booleans(),
)
def test_a_recording_tally_counts_what_a_plain_one_does(
    spans: list[tuple[dt.date, int]], as_of: dt.date, open_: bool
) -> None:
    window = DateRange(dt.date(2018, 2, 2), dt.date(2018, 12, 31))
    ranges = [(f"x-{i}", DateRange(s, s + dt.timedelta(days=n))) for i, (s, n) in enumerate(spans)]
    events = [(f"e-{i}", s) for i, (s, _) in enumerate(spans)]
    dated = [(i, None if n % 3 == 0 else day) for n, (i, day) in enumerate(events)]
    made = [
        lambda: t.tally_days(iter(ranges), window, as_of),
        lambda: t.tally_spans(iter(ranges), window, as_of),
        lambda: t.tally_overlap(iter(ranges), window, as_of),
        lambda: t.tally_events(iter(events), window, as_of),
        lambda: t.tally_records(iter(i for i, _ in events), open=open_, by=window.end),
        lambda: t.tally_dated(iter(dated), window, as_of),
    ]
    for make in made:
        plain = make()
        with recording():
            recorded = make()
        assert plain.trace is None and recorded.trace is not None
        assert (recorded.count, recorded.facts, recorded.room, recorded.by) == (
            plain.count, plain.facts, plain.room, plain.by,
        )  # fmt: skip


def _relay(session_day: dt.date, as_of: dt.date) -> Any:
    doc = _team(
        directives=[{"id": "d-1", "kind": "speech", "issued": "2018-03-05"}],
        study_sessions=[
            {"id": "ss-1", "date": str(session_day), "kind": "central_group", "directives": ["d-1"]}
        ],
    )
    report = sr.evaluate(doc, "2018", as_of, rules=["2.relay-directives"], trace=True)
    (item,) = [s for s in report.results[0].trace if s.step == "item"]
    return report.results[0], item


ISSUED, DUE = dt.date(2018, 3, 5), dt.date(2018, 3, 12)  # relay.deadline_days = 7


@pytest.mark.parametrize(
    ("session", "counted", "why"),
    [(ISSUED, True, None), (DUE, True, None),
     (ISSUED - DAY, False, tr.OUTSIDE_WINDOW), (DUE + DAY, False, tr.OUTSIDE_WINDOW)],
)  # fmt: skip
def test_an_items_trace_at_the_deadlines_boundary_days(
    session: dt.date, counted: bool, why: str | None
) -> None:
    result, item = _relay(session, dt.date(2019, 3, 1))
    (compared,) = item.steps
    assert (item.item, item.due, compared.tally.window) == ("d-1", DUE, DateRange(ISSUED, DUE))
    assert item.truth == ("true" if counted else "false")
    assert [x.record for x in compared.tally.counted] == (["ss-1"] if counted else [])
    assert [(x.record, x.why) for x in compared.tally.left_out] == (
        [] if counted else [("ss-1", why)]
    )
    assert all(s.cites == "tianjin-2018 2.relay-directives" for s in result.trace)


def test_a_session_on_the_due_day_after_as_of_is_left_out_as_not_known() -> None:
    _result, item = _relay(DUE, DUE - DAY)
    (compared,) = item.steps
    assert item.truth == "unknown" and compared.tally.room is None
    assert [(x.record, x.why) for x in compared.tally.left_out] == [("ss-1", tr.AFTER_AS_OF)]
    assert compared.tally.known == DateRange(ISSUED, DUE - DAY)


def test_without_trace_nothing_changes_and_no_result_has_the_key() -> None:
    plain = sr.evaluate(str(EXAMPLE), "2018", "2018-06-30")
    traced = sr.evaluate(str(EXAMPLE), "2018", "2018-06-30", trace=True)
    assert '"trace"' not in plain.to_json()
    documents = [json.loads(r.to_json())["results"] for r in (plain, traced)]
    for before, after in zip(*documents, strict=True):
        after.pop("trace", None)
        assert before == after
    assert traced.to_json(indent=True) == json.dumps(traced.to_dict(), ensure_ascii=False,
                                                     indent=2, sort_keys=True) + "\n"  # fmt: skip
    assert plain.to_text() == plain.to_text() and "[tianjin-2018" not in plain.to_markdown()


@pytest.mark.usefixtures("many_cpus")
def test_the_trace_is_the_same_in_worker_processes(tmp_path: Path) -> None:
    one = sr.evaluate(str(EXAMPLE), "2018", "2018-06-30", trace=True)
    two = sr.evaluate(str(EXAMPLE), "2018", "2018-06-30", trace=True, jobs=2)
    assert two.to_json_bytes() == one.to_json_bytes()
    found = subprocess.run(
        ["selfbuild-rules", "evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2018-06-30",
         "--format", "json", "--trace", "--jobs", "2"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert found.stdout == one.to_json_bytes()
    written = tmp_path / "traced.json"  # each worker writes its part in place
    subprocess.run([*found.args, "-o", str(written)], check=True)
    assert written.read_bytes() == one.to_json_bytes()


def test_a_tightening_modules_steps_cite_the_module() -> None:
    def at_least_one_topic(ctx: Any, member: Any) -> Check:
        topics = t.tally_records(["tp-x"], open=False)
        return Check(c.AtLeast(1, topics), dt.date(2018, 12, 31))

    change = AmendRule("3.research-days", at_least_one_topic, dt.date(2018, 2, 2), "另有课题")
    doc = _team(research_trips=[{"id": "rt-1", "member": "m01", "start": "2018-03-01",
                                 "end": "2018-03-02"}])  # fmt: skip
    report = sr.evaluate(doc, "2018", "2019-03-01", modules=[module(change)], trace=True)
    traced = report.result("3.research-days", "m01")
    cited = [s.cites for s in traced.trace if s.step == "at_least"]
    assert cited == ["tianjin-2018 3.research-days", "m-test 3.research-days"]


def test_the_forms_show_the_trace_only_when_asked() -> None:
    traced = sr.evaluate(str(EXAMPLE), "2018", "2018-06-30", rules=["3.research-days"], trace=True)
    plain = sr.evaluate(str(EXAMPLE), "2018", "2018-06-30", rules=["3.research-days"])
    first = traced.results[0]
    tally = next(s for s in first.trace if s.step == "at_least").tally
    shown = f"days {tally.ranges[0].start}..{tally.ranges[0].end}: {tally.ranges[0].days}"
    for text in (traced.to_text(), traced.to_markdown(), traced.to_html()):
        assert shown in text
    for text in (plain.to_text(), plain.to_markdown(), plain.to_html()):
        assert "days " + str(tally.ranges[0].start) not in text
    assert "合并区间" in traced.to_text("zh") and 'class="trace"' in traced.to_html("zh")


class _Nesting(HTMLParser):
    """Checks that tags close in order and that a list sits only in an item or the page."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "ol" and self.open and self.open[-1] == "ol":
            raise AssertionError("a list directly inside a list")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


def test_the_html_trace_nests_each_steps_list_in_its_item() -> None:
    report = sr.evaluate(str(EXAMPLE), "2018", "2018-06-30", rules=["2.relay-directives"],
                         trace=True)  # fmt: skip
    nested = trace_html(report.results[0], "en")
    checker = _Nesting()
    checker.feed(nested)
    assert checker.open == [] and nested.count("<ol") == nested.count("</ol>") > 2
    assert "<li>item d-02, due 2018-03-12: holds" in nested


@pytest.mark.parametrize(
    ("review", "truth"),
    [(dt.date(2018, 5, 9), "true"), (dt.date(2018, 5, 10), "true"),
     (dt.date(2018, 5, 11), "false"), (None, "false")],
)  # fmt: skip
def test_a_decisions_trace_states_what_met_it_at_the_boundary_days(
    review: dt.date | None, truth: str
) -> None:
    decided = dt.date(2018, 5, 10)  # a review on or before this day meets the rule
    reviewed = None if review is None else str(review)
    decision = {"id": "md-1", "date": str(decided), "title": "某事项",
                "decided_by": "individual", "legal_review": reviewed}  # fmt: skip
    doc = _team(major_decisions=[decision])
    report = sr.evaluate(doc, "2018", "2019-03-01", rules=["5.legal-review"], trace=True)
    (item,) = [s for s in report.results[0].trace if s.step == "item"]
    (fact,) = item.steps
    assert (item.item, item.truth, fact.truth) == ("md-1", truth, truth)
    (stated,) = fact.stated
    assert stated.fields["date"] == decided and stated.fields["legal_review"] == review
    assert stated.fields["decided_by"] == "individual" and "title" not in stated.fields
    text = report.to_text()
    assert f"md-1: date {decided}, decided_by individual, legal_review {review or 'none'}" in text


def test_a_chinese_trace_has_no_english_words() -> None:
    from selfbuild_rules.facts.records import CATEGORIES
    from test_reports_zh import Visible, codes, english_words

    facts = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for as_of in ("2018-06-30", "2019-03-01"):
        report = sr.evaluate(facts, "2018", as_of, trace=True)
        # Ids and codes a trace may show as they are: each record's field names and the
        # codes it holds (decided_by executive_meeting), beside the report's own.
        records = [r for v in facts.values() if isinstance(v, list) for r in v]
        allowed = codes(report, facts) | {k for r in records for k in r}
        allowed |= {v for r in records for v in r.values() if isinstance(v, str)}
        allowed |= {f.name for cls in CATEGORIES.values() for f in attrs.fields(cls)}
        allowed |= {
            s.item for r in report.results for s in getattr(r, "trace", ()) if s.step == "item"
        }
        forms = {
            "html": " ".join(Visible(report.to_html("zh")).parts),
            "markdown": report.to_markdown("zh"),
            "text": report.to_text("zh"),
        }
        found = {f: words for f, text in forms.items() if (words := english_words(text, allowed))}
        assert found == {}, f"English words in the Chinese trace: {found}"
        assert "合并区间" in forms["text"] and "计算区间" in forms["markdown"]
