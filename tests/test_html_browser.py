"""The HTML report in a real browser: headless Chromium parses it into the expected rows
and renders it; the screenshots are kept under test-artifacts/ for a person to look at.

Needs Debian's ``chromium`` (and a Chinese font, e.g. ``fonts-wqy-zenhei``); skipped
with the reason when it is not installed. Expected cells come from the example's hand
computations in tests/test_examples.py (m03 has 47 research days of 55, m05 a
recorded violation, m07 no contact-point visit).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import selfbuild_rules as sr

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"
ARTIFACTS = ROOT / "test-artifacts"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="chromium is not installed (Debian: apt-get install -y chromium fonts-wqy-zenhei)",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    profile = tmp_path / "profile"
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", *args,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


class Cells(HTMLParser):
    """(rule, subject, status) of every matrix cell, and the ids of all drill-downs."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rule = ""
        self.cells: set[tuple[str, str, str]] = set()
        self.details: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-rule" in a:
            self.rule = a["data-rule"]
        elif tag == "td" and "data-status" in a:
            self.cells.add((self.rule, a["data-subject"], a["data-status"]))
        elif tag == "details" and "id" in a:  # a result's drill-down
            self.details.append(a["id"])


@pytest.fixture(scope="module")
def report() -> sr.Report:
    result = sr.evaluate(EXAMPLE, period="2018", as_of="2019-03-01")
    if not result.members:  # until evaluate() fills them itself
        names = {m.id: m.name for m in sr.load_facts(EXAMPLE).members}
        result = attrs.evolve(result, members=names)
    return result


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_renders_in_chromium(report: sr.Report, tmp_path: Path, lang: str) -> None:
    page = tmp_path / f"report-{lang}.html"
    page.write_text(report.to_html(lang=lang), encoding="utf-8")
    shot = tmp_path / f"report-{lang}.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    assert png_size(shot) == (1280, 2000)
    # A blank page compresses to a few kilobytes; the report's colours and text do not.
    assert shot.stat().st_size > 60_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / shot.name)
    shutil.copy(page, ARTIFACTS / page.name)


def test_browser_dom_holds_the_expected_rows(report: sr.Report, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report.to_html(), encoding="utf-8")
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = Cells(done.stdout)
    assert len(dom.details) == len(report.results)
    assert {
        ("3.research-days", "m03", "non_compliant"),
        ("3.research-days", "m01", "compliant"),
        ("6.integrity", "m05", "non_compliant"),
        ("4.contact-point-visits", "m07", "non_compliant"),
        ("5.collective-decision", "team", "non_compliant"),
        ("6.personal-matters-report", "m01", "not_applicable"),
    } <= dom.cells
    # one cell per evaluable result: 7 members × 7 member rules + 6 team rules; the
    # judgment provisions are counted in a section of their own
    assert len(dom.cells) == 7 * 7 + 6
    assert not {rule for rule, _, _ in dom.cells} & {"1.loyalty", "4.grassroots-work"}
