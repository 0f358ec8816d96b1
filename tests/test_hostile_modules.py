"""The plug-in boundary tried as an attacker would, with real installed distributions
(``tests/hostile/``): a module that rewrites the base at import, one that calls
``sys.exit(0)``, one that takes another distribution's name. Each runs in a process of
its own, since a module that rewrites the law would taint this one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

HOSTILE = ROOT / "tests" / "hostile"
FACTS = str(ROOT / "examples" / "tianjin-2018.json")
EVALUATE = ("evaluate", FACTS, "--period", "2019", "--as-of", "2020-03-01", "--format", "json")

pytestmark = pytest.mark.usefixtures("example_modules")


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile packages, installed with pip into a folder of their own (never into
    the environment, where they would break every other test)."""
    target = tmp_path_factory.mktemp("hostile")
    packages = [str(p) for p in sorted(HOSTILE.iterdir()) if (p / "pyproject.toml").is_file()]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            *packages,
        ],
        check=True,
        capture_output=True,
    )
    return target


def run(installed: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(installed), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "selfbuild_rules.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("module", "changed"),
    [
        ("hostile-patcher", "selfbuild_rules.tianjin2018.members.research_days_required"),
        ("hostile-defaults", "tianjin-2018 parameter research.months"),
    ],
)
def test_a_module_that_rewrites_the_base_at_import_is_refused(
    installed: Path, module: str, changed: str
) -> None:
    done = run(installed, *EVALUATE, "--module", module)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""  # no report
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: module {module}: changed the law's code on import")
    assert changed in line and "Traceback" not in done.stderr


def test_the_same_evaluation_without_it_is_untouched(installed: Path) -> None:
    done = run(installed, *EVALUATE, "--module", "example-district", "--rule", "3.research-days")
    assert done.returncode == 2  # the impostor is installed too: see the next test
    plain = run(installed, *EVALUATE, "--rule", "3.research-days")
    assert plain.returncode == 0, plain.stderr
    results = json.loads(plain.stdout)["results"]
    minimum = {r["requirement"]["minimum"] for r in results if r["requirement"]}
    assert 60 in minimum  # installed, never named: nothing of theirs ran


def test_two_distributions_claiming_one_name_are_an_error_naming_both(installed: Path) -> None:
    for args in (("modules",), (*EVALUATE, "--module", "example-district")):
        done = run(installed, *args)
        assert done.returncode == 2, (args, done.stdout)
        (line,) = done.stderr.splitlines()
        assert "example-district: claimed by more than one distribution" in line
        assert "hostile-clash 9.9.9" in line and "selfbuild-example-district 0.1.0" in line


def test_a_module_that_exits_at_import_is_an_error_not_success(installed: Path) -> None:
    done = run(installed, *EVALUATE, "--module", "hostile-exit")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "error: module hostile-exit: failed to import: SystemExit: 0"
