"""What the command line imports to start: PyYAML only for the commands that read case files."""

from __future__ import annotations

import subprocess
import sys

import pytest

_PROBE = """
import sys
import selfbuild_rules
import selfbuild_rules.cli.main
{extra}
print(sorted(name for name in sys.modules if name == "yaml" or name.startswith("yaml.")))
"""


def _yaml_modules(extra: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(extra=extra)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_command_line_starts_without_pyyaml() -> None:
    assert _yaml_modules() == "[]"


@pytest.mark.parametrize(
    "use", ["from selfbuild_rules.cases import load", "import selfbuild_rules.cases.format"]
)
def test_case_files_still_bring_pyyaml_when_asked_for(use: str) -> None:
    assert "'yaml'" in _yaml_modules(use)


def test_an_unknown_name_of_the_cases_package_is_an_attribute_error() -> None:
    import selfbuild_rules.cases as cases

    with pytest.raises(AttributeError, match="no_such_name"):
        _ = cases.no_such_name  # type: ignore[attr-defined]
