"""Shared fixtures: the example module packages, installed as a user would install them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from selfbuild_rules.plugins.discovery import installed_modules

ROOT = Path(__file__).resolve().parent.parent
#: The suite's expected output is English, whatever the locale of whoever runs it (the
#: command line follows LANG, and subprocesses inherit this); test_cli_language.py sets
#: the language of each of its runs itself.
os.environ["SELFBUILD_LANG"] = "en"
#: Packages that tests install into folders of their own; importing them here would run
#: their hostile code in the test process.
collect_ignore = ["hostile"]
EXAMPLES = {
    "example-district": "example_district",
    "cn-major-decisions-2019": "national_major_decisions",
}


@pytest.fixture(scope="session")
def example_modules() -> None:
    """Install the example module packages with pip, once, if they are not installed."""
    missing = [folder for name, folder in EXAMPLES.items() if name not in installed_modules()]
    if missing:
        paths = [str(ROOT / "examples" / folder) for folder in missing]
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", *paths], check=True
        )


def fake_distribution(root: Path, name: str, source: str) -> None:
    """A real installed distribution under ``root`` whose module runs ``source`` on import."""
    (root / f"{name}.py").write_text(source, encoding="utf-8")
    info = root / f"{name}-0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0\n", "utf-8")
    entry = f"[selfbuild_rules.modules]\n{name.replace('_', '-')} = {name}:MODULE\n"
    (info / "entry_points.txt").write_text(entry, "utf-8")


@pytest.fixture
def many_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if this machine had 64 usable CPUs: ``jobs`` is capped at the usable CPUs, and
    a test of how the members are shared out among 3 or 20 processes must get them."""
    monkeypatch.setattr("selfbuild_rules.engine.setup.usable_cpus", lambda: 64)


# CI machines are shared and slow at times; a test's own assertions decide, not its speed.
settings.register_profile("selfbuild", deadline=None)
settings.load_profile("selfbuild")
