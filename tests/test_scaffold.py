"""``selfbuild-rules new-module``: the skeleton it writes installs and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import attrs
import jsonschema
import pytest

from selfbuild_rules.cases import load, run_case
from selfbuild_rules.cases.nodes import compose, plain
from selfbuild_rules.cases.scaffold import scaffold
from selfbuild_rules.cases.schema import cases_schema
from selfbuild_rules.cli.main import main


def test_it_writes_the_package_and_refuses_an_existing_folder(tmp_path: Path, capsys) -> None:
    target = tmp_path / "pilot-district"
    assert main(["new-module", "pilot-district", "--dir", str(target)]) == 0
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert written == [
        ".ci/run",
        "README.md",
        "cases/example.cases.yaml",
        "pyproject.toml",
        "src/pilot_district/__init__.py",
    ]
    assert 'pilot-district = "pilot_district:MODULE"' in (target / "pyproject.toml").read_text()
    readme = (target / "README.md").read_text("utf-8")
    assert "## 中文" in readme and "## English" in readme
    assert os.access(target / ".ci" / "run", os.X_OK)
    assert main(["new-module", "pilot-district", "--dir", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["Pilot", "pilot.district", "pilot_district", "pi lot", ""])
def test_it_refuses_an_invalid_id(name: str, tmp_path: Path, capsys) -> None:
    assert main(["new-module", name, "--dir", str(tmp_path / "x")]) == 2
    assert "is not a module id" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_the_module_loads_and_its_change_quotes_its_own_text(tmp_path: Path) -> None:
    scaffold("pilot-district", tmp_path / "p")
    source = (tmp_path / "p" / "src" / "pilot_district" / "__init__.py").read_text("utf-8")
    namespace: dict[str, object] = {}
    exec(compile(source, "pilot_district", "exec"), namespace)
    module = namespace["MODULE"]
    [change] = module.changes  # type: ignore[attr-defined]
    assert change.citation in module.text and change.reason is None  # type: ignore[attr-defined]
    # The case expects the module's change, so it runs with the module object itself.
    path = tmp_path / "p" / "cases" / "example.cases.yaml"
    case = load(path).cases[0]
    assert run_case(attrs.evolve(case, modules=(module,))).passed
    jsonschema.validate(plain(compose(path.read_text("utf-8"), str(path))), cases_schema())


def _fresh_venv(root: Path) -> Path:
    """A new environment that sees this one's packages (selfbuild-rules and its deps)."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(root)],
        check=True,
        timeout=120,
    )
    python = root / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # This environment may itself be a virtual one, which --system-site-packages does not
    # reach: add its site folder (processing its .pth files, so an editable install works).
    here = sysconfig.get_paths()["purelib"]
    Path(purelib, "selfbuild_parent.pth").write_text(f"import site; site.addsitedir({here!r})\n")
    return python


@pytest.mark.slow
def test_the_skeleton_installs_in_a_fresh_venv_and_passes_pytest_and_test(tmp_path: Path) -> None:
    target = tmp_path / "pilot-district"
    assert main(["new-module", "pilot-district", "--dir", str(target)]) == 0
    try:
        python = _fresh_venv(tmp_path / "venv")
    except (subprocess.CalledProcessError, OSError) as exc:  # pragma: no cover
        pytest.skip(f"cannot create a virtual environment here: {exc}")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(python), *args],
            cwd=target,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    installed = run("-m", "pip", "install", "--quiet", "--no-deps", ".")
    assert installed.returncode == 0, installed.stderr
    tested = run("-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "1 passed" in tested.stdout
    cases = run("-m", "selfbuild_rules.cli.main", "test", "cases")
    assert cases.returncode == 0, cases.stdout + cases.stderr
    assert cases.stdout.endswith(
        "✓ three months of research meet the module's minimum\n1 passed, 0 failed\n"
    )
