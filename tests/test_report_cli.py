"""`selfbuild-rules evaluate` as a pipeline sees it: formats, --fail-on, --redact, atomic
-o, colour and progress only on a terminal. Real processes, real files, real terminals
(a pseudo-terminal from the pty module).

The facts are those of tests/test_render.py: m01 has 47 research days of the 55
required (non_compliant), m02 has 60 (compliant); 6.integrity is compliant for both,
1.loyalty requires judgment, 5.collective-decision (team) is undetermined.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_render import FACTS, RULES

RULE_ARGS = [arg for rule in RULES for arg in ("--rule", rule)]


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    return path


def command(facts: Path, *args: str) -> list[str]:
    return [
        sys.executable, "-m", "selfbuild_rules.cli", "evaluate", str(facts),
        "--period", "2018", "--as-of", "2019-03-01", *RULE_ARGS, *args,
    ]  # fmt: skip


def run(facts: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run(
        command(facts, *args), capture_output=True, text=True, check=False, env=env
    )


def on_terminal(cmd: list[str], *, stdout: bool, stderr: bool, **env: str) -> tuple[str, str]:
    """Run with stdout and/or stderr on a pseudo-terminal; (terminal text, piped text)."""
    primary, secondary = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env
    process = subprocess.Popen(
        cmd,
        stdout=secondary if stdout else subprocess.PIPE,
        stderr=secondary if stderr else subprocess.PIPE,
        env=environment,
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the other end closed: the process is done with the terminal
            break
        if not chunk:
            break
        seen += chunk
    piped = (process.stdout or process.stderr).read()  # type: ignore[union-attr]
    process.wait()
    os.close(primary)
    return seen.decode("utf-8", "replace"), piped.decode("utf-8", "replace")


# --- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start"),
    [("r.html", "<!DOCTYPE html>"), ("r.md", "# 天津市人民政府领导班子"),
     ("r.json", "{"), ("r.txt", "tianjin-2018  天津市人民政府领导班子")],
)  # fmt: skip
def test_output_format_follows_the_file_ending(
    facts: Path, tmp_path: Path, name: str, start: str
) -> None:
    target = tmp_path / name
    done = run(facts, "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    assert target.read_text(encoding="utf-8").startswith(start)


def test_each_format_on_stdout(facts: Path) -> None:
    html = run(facts, "--format", "html", "--lang", "zh").stdout
    assert '<html lang="zh-CN">' in html and "调研天数 47 天" in html
    markdown = run(facts, "--format", "markdown").stdout
    assert "| Annual grassroots research time `3.research-days` | ✗ | ✓ |" in markdown
    table = run(facts, "--format", "table").stdout
    assert re.search(
        r"✗ non-compliant  Annual grassroots research time +3\.research-days  成员甲", table
    )
    assert "\x1b" not in table
    document = json.loads(run(facts, "--format", "json").stdout)
    assert document["members"][0] == {"id": "m01", "name": "成员甲"}


def test_written_file_is_readable_like_any_other(facts: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        assert run(facts, "-o", str(target)).returncode == 0
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644  # not the 0600 of a temporary file


# --- exit status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fail_on", "status"),
    [
        ([], 0),
        (["--fail-on", "non_compliant"], 1),
        (["--fail-on", "pending"], 0),  # nothing is pending
        (["--fail-on", "pending", "--fail-on", "undetermined"], 1),
        (["--fail-on", "pending,undetermined"], 1),
    ],
)
def test_fail_on(facts: Path, tmp_path: Path, fail_on: list[str], status: int) -> None:
    target = tmp_path / "r.json"
    done = run(facts, *fail_on, "-o", str(target))
    assert done.returncode == status, done.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["non_compliant"] == 1


def test_fail_on_unknown_status_is_a_usage_error(facts: Path) -> None:
    done = run(facts, "--fail-on", "late")
    assert done.returncode == 2 and "non_compliant" in done.stderr


def test_redact_removes_names_from_every_format(facts: Path) -> None:
    for form in ("json", "html", "markdown", "table", "text"):
        out = run(facts, "--format", form, "--redact").stdout
        assert "成员甲" not in out and "乙" not in out, form
        assert "m01" in out, form


# --- -o never leaves a partial or wrong file --------------------------------------------------


def test_bad_input_leaves_the_old_report_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**FACTS, "violations": [{"id": "vi-1"}]}), encoding="utf-8")
    target = tmp_path / "report.html"
    target.write_text("yesterday's report", encoding="utf-8")
    done = run(bad, "-o", str(target))
    assert done.returncode == 2
    assert "error: violations[0].member: required field missing" in done.stderr
    assert target.read_text(encoding="utf-8") == "yesterday's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "report.html"]


def test_unwritable_destination_is_one_line(facts: Path, tmp_path: Path) -> None:
    done = run(facts, "-o", str(tmp_path / "missing" / "r.json"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: cannot write ") and "Traceback" not in done.stderr
    assert not (tmp_path / "missing").exists()


# --- terminals ---------------------------------------------------------------------------------


def test_terminal_gets_a_coloured_table_by_default(facts: Path) -> None:
    shown, _ = on_terminal(command(facts), stdout=True, stderr=False)
    assert "\x1b[1;31m✗ non-compliant\x1b[0m" in shown
    assert "Member obligations" in shown


def test_no_color_is_honoured(facts: Path) -> None:
    shown, _ = on_terminal(command(facts), stdout=True, stderr=False, NO_COLOR="1")
    assert "Member obligations" in shown and "\x1b[" not in shown


def test_pipe_gets_plain_text_by_default(facts: Path) -> None:
    done = run(facts)
    line = next(x for x in done.stdout.splitlines() if x.startswith("3.research-days"))
    assert "non_compliant" in line and "\x1b" not in done.stdout


def test_progress_only_on_a_terminal(facts: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    shown, _ = on_terminal(command(facts, "-o", str(target)), stdout=False, stderr=True)
    assert "selfbuild-rules: reading facts" in shown
    assert "writing the json report" in shown
    assert shown.endswith("\r\x1b[K")  # the status line is cleared at the end
    assert "成员甲" not in shown  # progress names no one
    assert run(facts, "-o", str(target)).stderr == ""
