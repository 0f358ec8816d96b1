"""Reports in Chinese read as Chinese: no English word in the zh HTML, Markdown, text and
table forms of the bundled example, apart from ids and codes (rule, member, record and
team ids, parameter names, fact categories, periods, the regulation's and modules' ids).

Several periods and evaluation dates, with and without the example district module, so
that pending, not-applicable, module and per-quarter results all appear. A failure lists
the English words found, per form.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

import selfbuild_rules as sr
from test_html_browser import EXAMPLE

#: A word: letters and digits with the joiners ids and codes use (3.research-days,
#: research.months, rt-001, example-district/4.quarterly-visit, 2019-Q1).
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-/]*[A-Za-z0-9]|[A-Za-z]")
#: (period, as of, modules): year end, mid-year, a module, a quarter, a module mid-year.
CASES = [
    ("2018", "2019-03-01", ()),
    ("2018", "2018-06-30", ()),
    ("2019", "2020-03-01", ("example-district",)),
    ("2019-Q2", "2019-08-01", ()),
    ("2019", "2019-06-30", ("example-district",)),
]


class Visible(HTMLParser):
    """The text a reader sees: text nodes (not the style sheet) and tooltips."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden = tag == "style"
        self.parts += [v for k, v in attrs if k in ("title", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        self.hidden = False

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def codes(report: sr.Report, facts: dict[str, Any]) -> set[str]:
    """Every id and code the report may show as it is."""
    found = {report.regulation, report.team.id, report.period, *report.modules}
    found |= {"selfbuild-rules", "selfbuild-rules.report/2", *facts}  # fact categories
    for records in facts.values():
        if isinstance(records, list):
            found |= {r["id"] for r in records if isinstance(r, dict) and "id" in r}
    for r in report.results:
        found |= {r.rule, r.citation.regulation, r.source, *r.facts, *r.failing, *r.open}
        found |= {i.parameter for i in r.interpretations} | {i.source for i in r.interpretations}
        found |= {r.subject} - {"team"}  # the team is 班子, never "team"
    return found


def english_words(text: str, allowed: set[str]) -> list[str]:
    text = re.sub(r"</?(details|summary)>", " ", text)  # Markdown's folding markup
    return sorted({w for w in WORD.findall(text) if re.search("[A-Za-z]", w)} - allowed)


@pytest.mark.usefixtures("example_modules")
@pytest.mark.parametrize(("period", "as_of", "modules"), CASES)
def test_chinese_reports_have_no_english_words(
    period: str, as_of: str, modules: tuple[str, ...]
) -> None:
    facts = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    report = sr.evaluate(facts, period, as_of, modules=list(modules))
    allowed = codes(report, facts)
    forms = {
        "html": " ".join(Visible(report.to_html("zh")).parts),
        "markdown": report.to_markdown("zh"),
        "text": report.to_text("zh"),
        "table": report.to_table("zh"),
    }
    found = {form: words for form, text in forms.items() if (words := english_words(text, allowed))}
    assert found == {}, f"English words in the Chinese report: {found}"


def test_the_scan_finds_english() -> None:
    # The scan itself: an English word among ids is found, ids and numbers are not.
    allowed = {"3.research-days", "m01"}
    assert english_words("年度基层调研时间 3.research-days m01 47 天", allowed) == []
    assert english_words("实测 22 completed livelihood projects · 至少 20", allowed) == [
        "completed", "livelihood", "projects"
    ]  # fmt: skip


@pytest.mark.usefixtures("example_modules")
def test_chinese_reports_write_dates_the_chinese_way() -> None:
    report = sr.evaluate(EXAMPLE, "2018", "2018-06-30")
    for text in (report.to_html("zh"), report.to_markdown("zh"), report.to_table("zh")):
        assert "数据截至 2018年6月30日" in text or "数据截至 <b>2018年6月30日</b>" in text
    html = report.to_html("zh")
    assert "2018年2月2日 – 2018年12月31日" in html  # a window
    assert "截至 2018年6月30日，调研天数" in html  # a pending explanation
    assert "每月按30天计" in html and "months_as_30_days" not in html  # a parameter value
    assert "2018-06-30" in report.to_html("en")  # English keeps ISO dates


def test_the_chinese_drill_down_names_the_measure_once_with_its_unit() -> None:
    html = sr.evaluate(EXAMPLE, "2018", "2019-03-01").to_html("zh")
    projects = html[html.index('data-rule="4.livelihood-projects" data-subject="team"') :]
    measured = projects[projects.index("<dt>实测</dt>") :].split("</dd>")[0]
    assert measured == "<dt>实测</dt><dd>已完成民心工程 <b>22</b> 项 · 至少 <b>20</b> 项"
    # a measure only the condition names (two contact points at once): the rule's unit
    at_once = html[html.index('data-rule="4.contact-point" data-subject="m02"') :]
    assert "<dt>实测</dt><dd><b>2</b> 个 · 至多 <b>1</b> 个</dd>" in at_once
