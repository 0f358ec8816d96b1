"""A real client: LibreOffice opens the template and the xlsx report, shows the values and
dates we wrote, and keeps the drop-downs when it saves the workbook again.

LibreOffice (Debian's ``libreoffice-calc-nogui``) runs headless: ``soffice --convert-to
csv`` writes every sheet as it displays it, and ``--convert-to xlsx`` saves the workbook
the way a clerk's LibreOffice would, which openpyxl and ``load_facts`` then read back.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import selfbuild_rules as sr
from selfbuild_rules.cli.template import template
from selfbuild_rules.evaluation import base_for
from selfbuild_rules.facts.sheets import DATA_ROW, FIELD_ROW
from selfbuild_rules.law.periods import Period
from selfbuild_rules.report.view import SYMBOL
from selfbuild_rules.report.xlsx import xlsx_report

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"
# UTF-8 (76), comma-separated, every sheet (-1) to a file of its own, as shown (formatted).
_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def convert(source: Path, target: str, folder: Path) -> None:
    """Convert with a headless LibreOffice of its own (a profile in ``folder``)."""
    profile = (folder / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(folder / "out"), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def sheets_as_csv(source: Path, folder: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice shows it, by sheet name."""
    convert(source, _CSV, folder)
    found = {}
    for path in (folder / "out").glob(f"{source.stem}-*.csv"):
        with path.open(encoding="utf-8", newline="") as stream:
            found[path.stem.removeprefix(f"{source.stem}-")] = list(csv.reader(stream))
    return found


@pytest.fixture(scope="module")
def facts() -> sr.Facts:
    return sr.load_facts(EXAMPLE)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, facts: sr.Facts) -> Path:
    path = tmp_path_factory.mktemp("template") / "team-2018.xlsx"
    path.write_bytes(template(base_for(), Period.parse("2018"), facts))
    return path


def test_libreoffice_shows_the_templates_values_and_dates(
    made: Path, facts: sr.Facts, tmp_path: Path
) -> None:
    shown = sheets_as_csv(made, tmp_path)
    trips = shown["调研"]
    assert trips[FIELD_ROW - 1] == ["id", "member", "start", "end", "place", "topic"]
    first = facts.research_trips[0]
    row = trips[DATA_ROW - 1]
    assert row[:4] == [first.id, first.member, str(first.start), str(first.end)]
    members = shown["成员"][DATA_ROW - 1]
    assert members[2] == f"市长 {facts.members[0].post.value}"


def test_a_template_saved_by_libreoffice_keeps_dropdowns_dates_and_facts(
    made: Path, facts: sr.Facts, tmp_path: Path
) -> None:
    convert(made, "xlsx", tmp_path)
    saved = tmp_path / "out" / made.name
    book = openpyxl.load_workbook(saved)
    trips = book["调研"]
    lists = [v for v in trips.data_validations.dataValidation if v.type == "list"]
    member = next(v for v in lists if f"B{DATA_ROW}" in str(v.sqref))
    assert "成员" in member.formula1
    posts = book["成员"].data_validations.dataValidation
    assert any("lists" in (v.formula1 or "") for v in posts)
    assert trips[f"C{DATA_ROW}"].is_date
    assert sr.load_facts(saved) == facts


def test_libreoffice_shows_the_reports_results(tmp_path: Path) -> None:
    report = sr.evaluate(EXAMPLE, "2018", "2019-03-01")
    path = tmp_path / "report.xlsx"
    path.write_bytes(xlsx_report(report, "zh"))
    shown = sheets_as_csv(path, tmp_path)
    results = shown["结果"][1:]
    assert len(results) == len(report.results)
    for row, result in zip(results, report.results, strict=True):
        assert row[0] == result.rule
        assert row[3].startswith(SYMBOL[result.status])
        assert row[7] == ("" if result.due is None else str(result.due))
    matrix = shown["矩阵"]
    symbols = {cell for row in matrix[1:] for cell in row[2:] if cell}
    assert symbols <= set(SYMBOL.values()) and symbols


def test_a_report_saved_by_libreoffice_reads_back(tmp_path: Path) -> None:
    report = sr.evaluate(EXAMPLE, "2018", "2019-03-01")
    path = tmp_path / "report.xlsx"
    path.write_bytes(xlsx_report(report, "en"))
    convert(path, "xlsx", tmp_path)
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "out" / path.name).read_bytes()))
    rows = list(book["Results"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [r.rule for r in report.results]
    # (A headless conversion keeps no view settings, frozen panes among them.)
    assert book["Results"].page_setup.orientation == "landscape"
    assert len(book["Matrix"].conditional_formatting) >= 1
