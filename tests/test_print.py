"""The HTML report on paper: headless Chromium prints it to PDF (A4 landscape), poppler's
``pdftotext`` reads the PDF back, and the summary of a 15-member team must show every
member and every result that needs attention in at most four pages, the appendix of
every result following on a page of its own.

The PDF and a PNG of each summary page are kept under test-artifacts/ for a person to
look at. Needs Debian's ``chromium``, ``fonts-wqy-zenhei`` and ``poppler-utils``;
skipped with the reason when one is missing. The matrix's column groups are checked
without a browser as well.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import selfbuild_rules as sr
from selfbuild_rules.report.html_matrix import GROUP
from selfbuild_rules.report.view import Grid, subject_label
from test_html_browser import ARTIFACTS, BROWSER, EXAMPLE, chromium

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdffonts")


def _chinese_font() -> bool:
    """Whether fontconfig knows a face with Chinese glyphs (else names print as boxes)."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


printing = pytest.mark.skipif(
    BROWSER is None or not POPPLER or not _chinese_font(),
    reason="needs chromium, poppler-utils and a Chinese font (Debian: apt-get install -y "
    "chromium fonts-wqy-zenhei poppler-utils)",
)
#: The heading the appendix starts with, as pdftotext reads it.
APPENDIX = {"en": "Every result", "zh": "全部结果明细"}


def fifteen_members() -> dict[str, Any]:
    """The example team grown to 15 members: members 8 to 15 repeat members 1 to 7 in turn,
    each with copies of that member's records under ids of their own."""
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    first = [m["id"] for m in doc["members"]]
    for n in range(len(first) + 1, 16):
        source, tag, new = first[(n - 1) % len(first)], f"-x{n}", f"m{n:02d}"
        original = next(m for m in doc["members"] if m["id"] == source)
        doc["members"].append(dict(original, id=new, name=f"成员{n}"))
        for name, records in doc.items():
            if not isinstance(records, list) or name == "members":
                continue
            for record in [r for r in records if source in (r.get("member"), r.get("subject"))]:
                made = copy.deepcopy(record)
                made["id"] += tag
                made["member" if "member" in made else "subject"] = new
                for reference in ("topic", "contact_point"):  # to the copies, not the originals
                    if made.get(reference):
                        made[reference] += tag
                records.append(made)
    return doc


@pytest.fixture(scope="module")
def team() -> sr.Report:
    return sr.evaluate(fifteen_members(), period="2018", as_of="2019-03-01")


class Matrices(HTMLParser):
    """The member ids in the head of each members × rules matrix."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.groups: list[list[str]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("class") == "matrix members":
            self.groups.append([])
        elif tag == "th" and a.get("scope") == "col" and self.groups:
            self.groups[-1].append(a["data-subject"] or "")


def test_the_matrix_splits_into_groups_that_keep_every_member(team: sr.Report) -> None:
    text = team.to_html("zh")
    groups = Matrices(text).groups
    assert len(team.members) == 15 and len(groups) == -(-15 // GROUP)
    assert [m for g in groups for m in g] == list(team.members)  # each once, in order
    assert all(len(g) <= GROUP for g in groups)
    # every group repeats the rule column: each holds a row for every evaluable member rule
    rows = re.findall(r'<tr data-rule="([^"]+)"><th>', text.split('id="members"')[1])
    assert len(rows) >= len(groups) * len(Grid(team).member_rules)


def _print(report: sr.Report, lang: str, tmp_path: Path) -> tuple[Path, list[str]]:
    page = tmp_path / f"team15-{lang}.html"
    page.write_text(report.to_html(lang), encoding="utf-8")
    pdf = tmp_path / f"team15-{lang}.pdf"
    done = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pdf, text.split("\f")


def _keep(pdf: Path, pages: int) -> None:
    """The PDF and a PNG of each summary page, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / pdf.name)
    prefix = ARTIFACTS / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", str(pages), str(pdf), str(prefix)],
        check=True,
    )
    print(f"kept {pdf.name} and its summary pages as PNG under {ARTIFACTS}")


@printing
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_fifteen_member_summary_prints_on_four_a4_pages(
    team: sr.Report, tmp_path: Path, lang: str
) -> None:
    pdf, pages = _print(team, lang, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)", info), info
    start = next(n for n, p in enumerate(pages) if APPENDIX[lang] in p)
    summary = "\n".join(pages[:start])
    _keep(pdf, start)
    assert 1 <= start <= 4, f"the summary takes {start} pages"
    for member, name in team.members.items():
        assert re.search(rf"\b{member}\b", summary) and name in summary, member
    lines = summary.splitlines()
    found = list(Grid(team).attention())
    assert found, "the example team has results that need attention"
    for r in found:
        who = subject_label(team, r.subject, lang)
        assert any(r.rule in x and who in x for x in lines), (r.rule, who)
    if lang == "zh":  # Chinese headings, bold or not, are drawn with the Chinese face
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "WenQuanYi" in fonts or "Noto" in fonts, fonts
        assert "成员义务" in summary and "人工评定事项" in summary
