"""The report formats from the Python API: table, Markdown, HTML, JSON, and redaction.

Expected statuses, worked out by hand (period 2018, as of 2019-03-01, in force from
2018-02-02, so the 2018 window is 02-02..12-31 = 333 days and research days need
ceil(60 × 333 / 365) = 55):
  3.research-days  m01 2018-03-01..04-16 = 31 + 16 = 47 days → non_compliant (47 < 55)
                   m02 2018-03-01..04-29 = 31 + 29 = 60 days → compliant
  6.integrity      violations supplied and empty, window closed → compliant for both
  1.loyalty        no assessments → requires_judgment for both
  5.collective-decision (team) major_decisions not supplied → undetermined
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from typing import Any

import attrs
import pytest

import selfbuild_rules as sr
from selfbuild_rules.engine.results import ModuleWarning

ODD_NAME = '<b>乙</b> | "x" & *y*'  # markup in a name: must come out as text everywhere
FACTS: dict[str, Any] = {
    "format": "selfbuild-rules.facts/1",
    "team": {"id": "tj-gov", "name": "天津市人民政府领导班子"},
    "members": [
        {"id": "m01", "name": "成员甲", "post": "mayor", "tenure": {"start": "2018-01-26"}},
        {"id": "m02", "name": ODD_NAME, "post": "vice_mayor", "tenure": {"start": "2018-01-26"}},
    ],
    "research_trips": [
        {"id": "rt-1", "member": "m01", "start": "2018-03-01", "end": "2018-04-16"},
        {"id": "rt-2", "member": "m02", "start": "2018-03-01", "end": "2018-04-29"},
    ],
    "violations": [],
}
RULES = ["3.research-days", "6.integrity", "1.loyalty", "5.collective-decision"]
WARNING = ModuleWarning("district-x", "3.research-days", "local rule: 50 days")


def evaluate(as_of: str = "2019-03-01", rules: list[str] = RULES) -> sr.Report:
    report = sr.evaluate(FACTS, period="2018", as_of=as_of, rules=rules)
    if not report.members:  # until evaluate() fills them itself
        names = {m["id"]: m["name"] for m in FACTS["members"]}
        report = attrs.evolve(report, members=names)
    return report


@pytest.fixture(scope="module")
def report() -> sr.Report:
    return evaluate()


def with_warning(report: sr.Report) -> sr.Report:
    results = tuple(
        attrs.evolve(r, warnings=(WARNING,)) if (r.rule, r.subject) == ("3.research-days", "m02")
        else r
        for r in report.results
    )  # fmt: skip
    return attrs.evolve(report, results=results)


def test_summary_counts(report: sr.Report) -> None:
    assert report.summary() == {
        "compliant": 3, "non_compliant": 1, "pending": 0, "undetermined": 1,
        "requires_judgment": 2, "not_applicable": 0,
    }  # fmt: skip


# --- table ------------------------------------------------------------------------------------


def test_table_matrix_and_attention(report: sr.Report) -> None:
    text = report.to_table()
    lines = text.splitlines()
    assert "\x1b" not in text
    row = next(x for x in lines if x.strip().startswith("Annual grassroots research time"))
    assert "3.research-days" in row  # the title labels the row, the id beside it
    assert row.index("✗") < row.index("✓")  # m01 then m02, in the order of the facts
    head = next(x for x in lines if "m01" in x and "m02" in x and "成员甲" not in x)
    assert head.index("m01") < head.index("m02")
    i = next(n for n, x in enumerate(lines) if x.startswith("  ✗ non-compliant  Annual"))
    assert lines[i].split()[-3:] == ["3.research-days", "成员甲", "(m01)"]
    assert lines[i + 1].strip() == "47 research days, fewer than the 55 required"
    assert any(x.startswith("  ? undetermined  Collective decision") for x in lines)
    assert not any("requires judgment  Loyalty" in x for x in lines)  # not "attention"
    # the judgment provision is counted in a section of its own, not in the matrix
    assert any(
        x.startswith("  成员甲 (m01) ") for x in lines if x.endswith("awaiting assessment 1")
    )
    assert not any(x.strip().startswith("Loyalty to the core") for x in lines)
    assert "✓ compliant 3   ✗ non-compliant 1   ? undetermined 1   ⚖ requires judgment 2" in text


def test_table_colour_only_when_asked(report: sr.Report) -> None:
    coloured = report.to_table(color=True)
    assert "\x1b[1;31m✗ non-compliant\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == report.to_table()


def test_table_in_chinese(report: sr.Report) -> None:
    text = report.to_table(lang="zh")
    assert "  ✗ 不符合  年度基层调研时间  3.research-days  成员甲 (m01)" in text
    assert "人工评定事项 (1)" in text and "已评定 0 · 待评定 1" in text
    assert "调研天数 47 天，少于要求的 55 天" in text


# --- Markdown ---------------------------------------------------------------------------------


def _pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_tables_hold_escaped_names(report: sr.Report) -> None:
    text = report.to_markdown()
    assert "| Annual grassroots research time `3.research-days` | ✗ | ✓ |" in text
    assert "<b>" not in text
    assert r'\<b\>乙\</b\> \| "x" \& \*y\* (m02)' in text
    # the member matrix: its head (with the odd name) and its 3 rows all have 3 cells
    section = text.split("## Member obligations")[1].split("##")[0]
    table = [x for x in section.splitlines() if x.startswith("|")]
    assert len(table) == 2 + 2  # head, alignment, 3.research-days, 6.integrity
    assert {_pipes(x) for x in table} == {4}
    assert (
        "- ✗ non-compliant **Annual grassroots research time `3.research-days`** — "
        "成员甲 (m01): 47 research days"
    ) in text
    judged = text.split("## Judgment provisions (1)")[1]
    assert "<summary>成员甲 (m01) — assessed 0 · awaiting assessment 1</summary>" in judged
    assert "- ⚖ requires judgment Loyalty to the core `1.loyalty`" in judged


# --- HTML -------------------------------------------------------------------------------------


class Page(HTMLParser):
    """The elements the report's reader depends on, by tag."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]  # fmt: skip


def test_html_is_self_contained_and_in_its_language(report: sr.Report) -> None:
    for lang, code in (("en", "en"), ("zh", "zh-CN")):
        text = report.to_html(lang=lang)
        page = Page(text)
        assert page.find("html")[0]["lang"] == code
        assert not page.find("script") and not page.find("link") and not page.find("img")
        assert all(a["href"].startswith("#") for a in page.find("a"))
        assert "@media print" in text


def test_html_summary_and_matrix(report: sr.Report) -> None:
    page = Page(report.to_html())
    counts = {li["data-status"] for li in page.find("li") if "data-status" in li}
    assert counts == {s.value for s in sr.Status}
    rows = {tr["data-rule"] for tr in page.find("tr") if "data-rule" in tr}
    assert rows == set(RULES) - {"1.loyalty"}  # the judgment provision has its own section
    cells = [td for td in page.find("td") if "data-status" in td]
    assert {(c["data-subject"], c["data-status"]) for c in cells} == {
        ("m01", "non_compliant"), ("m02", "compliant"), ("m01", "compliant"),
        ("team", "undetermined"),
    }  # fmt: skip
    assert len(cells) == 5
    assert {d["data-subject"] for d in page.find("details", **{"class": "judged"})} == {
        "m01",
        "m02",
    }


def test_every_cell_leads_to_its_explanation(report: sr.Report) -> None:
    """Click one: the cell's link; click two: the details it leads to, which opens."""
    text = report.to_html()
    page = Page(text)
    details = {d["id"]: d for d in page.find("details") if "id" in d}
    assert len(details) == len(report.results)
    links = re.findall(r'data-subject="([^"]+)" data-status="([a-z_]+)"><a href="#(r\d+)"', text)
    assert len(links) == len([r for r in report.results if r.rule != "1.loyalty"])
    judged = re.findall(r'<li><a href="#(r\d+)"><span class="badge st-([a-z_]+)">', text)
    assert {details[target]["data-rule"] for target, _ in judged} >= {"1.loyalty"}
    for subject, status, target in links:
        assert details[target]["data-subject"] == subject
        assert details[target]["data-status"] == status


def _detail(text: str, rule: str, subject: str) -> str:
    start = text.index(f'data-rule="{rule}" data-subject="{subject}"')
    return text[start : text.index("</details>", start)]


def test_drill_down_shows_clause_numbers_facts_and_sources(report: sr.Report) -> None:
    part = _detail(report.to_html(), "3.research-days", "m01")
    assert "领导班子成员每年深入基层调研时间不少于2个月" in part
    assert "<b>47</b>" in part and "<b>55</b>" in part
    assert "<code>rt-1</code>" in part and "rt-2" not in part
    assert "2018-02-02 – 2018-12-31" in part  # the window
    assert "<code>research.pro_rating</code>" in part
    assert "<td>tianjin-2018</td>" in part  # the interpretation's source


def test_research_day_bars(report: sr.Report) -> None:
    text = report.to_html()
    # the scale is the largest of 47, 55, 60: m01 fills 47/60, the need mark is at 55/60
    m01 = text[text.index('aria-label="47 / 55 days" data-subject="m01"') :][:400]
    assert "width: 78.3%" in m01 and "left: 91.7%" in m01
    m02 = text[text.index('aria-label="60 / 55 days" data-subject="m02"') :][:400]
    assert "width: 100.0%" in m02


def test_html_escapes_every_name(report: sr.Report) -> None:
    text = report.to_html()
    assert "<b>乙</b>" not in text
    assert "&lt;b&gt;乙&lt;/b&gt; | &quot;x&quot; &amp; *y*" in text


# --- warnings, pending, redaction, JSON -----------------------------------------------------


def test_warnings_are_shown_in_every_format(report: sr.Report) -> None:
    warned = with_warning(report)
    line = str(WARNING)
    assert line == "district-x loosens 3.research-days: local rule: 50 days"
    for text in (warned.to_text(), warned.to_table(), warned.to_markdown(), warned.to_html()):
        assert line in text
    assert "warning" not in report.to_text() and line not in report.to_html()
    result = next(r for r in json.loads(warned.to_json())["results"] if r["warnings"])
    assert result["warnings"] == [
        {"module": "district-x", "target": "3.research-days", "reason": "local rule: 50 days"}
    ]


def test_pending_on_track_is_counted_and_at_risk_is_listed() -> None:
    # As of 2018-06-30 m01 has 47 days and 184 days remain (07-01..12-31): 47 + 184 >= 55,
    # and 47 is ahead of the pace (55 x 149 / 333 = 24.6 days due by then): on track.
    pending = evaluate("2018-06-30", ["3.research-days"])
    assert pending.result("3.research-days", "m01").status is sr.Status.PENDING
    assert "Annual grassroots research time  3.research-days  成员甲 (m01)" not in (
        pending.to_table()
    )
    assert "1 pending results on track, not listed." in pending.to_table()
    assert 'data-subject="m01" data-status="pending"' in pending.to_html()
    # As of 2018-12-10 only 21 days remain, fewer than warning.days_left (30): at risk.
    late = evaluate("2018-12-10", ["3.research-days"])
    assert "  ○ pending  Annual grassroots research time  3.research-days  成员甲 (m01)" in (
        late.to_table()
    )
    assert "on track" not in late.to_table()


def test_redacted_reports_hold_no_names(report: sr.Report) -> None:
    hidden = report.redacted()
    forms = (hidden.to_text(), hidden.to_table(), hidden.to_markdown(), hidden.to_html())
    for text in (*forms, hidden.to_json(), hidden.to_table(lang="zh"), hidden.to_html(lang="zh")):
        assert "成员甲" not in text and "乙" not in text
        assert "m01" in text and "m02" in text
    assert json.loads(hidden.to_json())["members"] == [
        {"id": "m01", "name": "m01"}, {"id": "m02", "name": "m02"}
    ]  # fmt: skip


def test_json_is_deterministic_and_names_members(report: sr.Report) -> None:
    again = evaluate()
    assert again.to_json() == report.to_json()
    assert again.to_html() == report.to_html() and again.to_markdown() == report.to_markdown()
    document = json.loads(report.to_json())
    assert document["members"][0] == {"id": "m01", "name": "成员甲"}
    today = dt.date.today().isoformat()
    assert all(today not in t for t in (report.to_json(), report.to_html(), report.to_table()))


def test_unknown_language_is_refused(report: sr.Report) -> None:
    with pytest.raises(ValueError, match="lang"):
        report.to_html(lang="fr")
