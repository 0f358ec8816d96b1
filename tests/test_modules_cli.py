"""Local modules from the command line: listed without import, applied only when named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, fake_distribution
from selfbuild_rules.plugins.discovery import installed_modules

FACTS = str(ROOT / "examples" / "tianjin-2018.json")


pytestmark = pytest.mark.usefixtures("example_modules")


def run(*args: str, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "selfbuild_rules.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_modules_lists_installed_modules_without_importing_them(tmp_path: Path) -> None:
    # A module that raises when imported: listing must not import it, so this succeeds.
    fake_distribution(tmp_path, "broken_mod", "raise RuntimeError('boom')\n")
    done = run("modules", "--format", "json", path=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = {m["id"]: m["entry_point"] for m in json.loads(done.stdout)}
    assert listed["broken-mod"] == "broken_mod:MODULE"
    assert listed["example-district"] == "example_district:MODULE"
    # Evaluating without naming it never imports it either.
    plain = run("evaluate", FACTS, "--period", "2018", "--as-of", "2019-03-01", path=tmp_path)
    assert plain.returncode == 0, plain.stderr
    named = run("evaluate", FACTS, "--period", "2018", "--module", "broken-mod", path=tmp_path)
    assert named.returncode == 2
    assert "module broken-mod: failed to import: RuntimeError: boom" in named.stderr
    assert "Traceback" not in named.stderr


# The JSON report of 2019, as known on 1 March 2020.
EVALUATE_2019 = ("evaluate", FACTS, "--period", "2019", "--as-of", "2020-03-01", "--format", "json")


def research_minimum(*args: str) -> int:
    done = run(
        *EVALUATE_2019,
        "--rule",
        "3.research-days",
        *args,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["results"][0]
    minimum: int = result["requirement"]["minimum"]
    return minimum


def test_a_named_module_changes_results_and_says_so() -> None:
    # m01 serves all of 2019: 2 months = 60 days by default, 3 months = 90 with the module.
    assert research_minimum() == 60
    assert research_minimum("--module", "example-district") == 90
    done = run(
        *EVALUATE_2019,
        "--module",
        "example-district",
        "--module",
        "cn-major-decisions-2019",
    )
    report = json.loads(done.stdout)
    assert report["modules"] == ["cn-major-decisions-2019", "example-district"]
    rules = {r["rule"] for r in report["results"]}
    assert {"example-district/4.quarterly-visit", "cn-major-decisions-2019/5.procedures"} <= rules


def test_unknown_module_is_a_usage_error() -> None:
    done = run("evaluate", FACTS, "--period", "2019", "--module", "no-such")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: module no-such: not installed (installed: "
        + ", ".join(sorted(installed_modules()))
        + ")"
    )


def test_catalog_and_explain_show_a_module_and_its_provision() -> None:
    text = run("catalog", "--module", "example-district").stdout
    assert "research.months = 3 from 2019-01-01" in text
    assert "「调研时间不少于3个月」" in text
    document = json.loads(
        run("catalog", "--format", "json", "--module", "cn-major-decisions-2019").stdout
    )
    (decree,) = document["modules"]
    assert decree["in_force"] == "2019-09-01"
    explained = run("explain", "example-district/4.quarterly-visit")
    assert explained.returncode == 0
    assert "每季度至少1次深入联系点" in explained.stdout
    assert "contact_point_visits" in explained.stdout
