"""The rest of the command line in Chinese (issue 17): --set type words, module load and
integrity errors, case files, new-module and serve. Each is run for real, under
LANG=zh_CN.UTF-8 and in English: same exit status, the Chinese line has no English word
outside what it names (ids, paths, values, as written), and English is as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import fake_distribution
from selfbuild_rules.internal import i18n
from test_cli_language import CJK, EXAMPLE, run

ZH = {"LANG": "zh_CN.UTF-8"}
#: Kept in Chinese too, as the catalog's other messages and the help keep it.
TERMS = frozenset({"id"})
TOP = "facts: FACTS\nperiod: 2018\n"
EXPECT = "    expect:\n      team:\n        research.annual_days: {status: compliant}\n"
EVALUATE = ("evaluate", str(EXAMPLE), "--period", "2018")


def both(*args: str, **env: str) -> tuple[str, str, int]:
    """The one error line in Chinese and in English, and the exit status (the same)."""
    zh, en = run(*args, **ZH, **env), run(*args, LANG="C", **env)
    assert zh.returncode == en.returncode != 0, (zh.stderr, en.stderr)
    assert zh.stdout == en.stdout == ""
    (zh_line,), (en_line,) = zh.stderr.splitlines(), en.stderr.splitlines()
    assert en_line.startswith("error: ") and not CJK.search(en_line)
    assert zh_line.startswith("错误：")
    return zh_line, en_line, zh.returncode


def english_left(line: str, *kept: str) -> list[str]:
    """English words in ``line`` once what it names as written is taken out."""
    for name in sorted(kept, key=len, reverse=True):
        assert name in line, (name, line)
        line = line.replace(name, " ")
    return [w for w in re.findall(r"[A-Za-z]{2,}", line) if w not in TERMS]


def test_a_set_value_of_the_wrong_type_is_named_in_chinese() -> None:
    zh, en, status = both(*EVALUATE, "--set", "relay.deadline_days=abc")
    assert status == 2
    assert en == "error: relay.deadline_days: a str is not a whole number"
    assert english_left(zh, "relay.deadline_days", "str") == []


def test_every_kind_word_is_chinese() -> None:
    with i18n.use("zh"):
        for kind in i18n.KINDS:
            assert CJK.search(i18n.translated(f"x: {kind} is not a whole number")), kind
        told = i18n.translated("x: a Frobnicator is not a whole number")
        bare = i18n.translated("x: a week is not a whole number")  # a word, not a type
    assert told.startswith("x: ") and "Frobnicator" in told and "Python" in told
    assert bare == "x: a week 不是整数"


def test_a_module_not_installed_and_one_that_fails_to_import(tmp_path: Path) -> None:
    zh, en, _status = both(*EVALUATE, "--module", "no-such-module")
    installed = re.search(r"\(installed: (.*)\)$", en)
    assert installed, en
    names = installed.group(1).split(", ") if installed.group(1) != "none" else []
    assert english_left(zh, "no-such-module", *names) == []
    fake_distribution(tmp_path, "broken_mod", "raise RuntimeError('boom')\n")
    zh, en, status = both(*EVALUATE, "--module", "broken-mod", PYTHONPATH=str(tmp_path))
    assert status == 2
    assert en == "error: module broken-mod: failed to import: RuntimeError: boom"
    assert english_left(zh, "broken-mod", "RuntimeError: boom") == []


def test_a_module_that_rewrites_the_law_on_import_is_refused_in_chinese(tmp_path: Path) -> None:
    source = (
        "import selfbuild_rules.tianjin2018.members as members\n"
        "members.research_days_required = lambda *a, **k: 0\n"
        "MODULE = None\n"
    )
    fake_distribution(tmp_path, "rewriter_mod", source)
    zh, en, _status = both(*EVALUATE, "--module", "rewriter-mod", PYTHONPATH=str(tmp_path))
    changed = "selfbuild_rules.tianjin2018.members.research_days_required"
    assert en.startswith(f"error: module rewriter-mod: changed the law's code on import ({changed}")
    assert english_left(zh, "rewriter-mod", changed) == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("cases:\n  - name: x\n    bogus: 1\n", ("cases[0].bogus",)),
        ("cases: [\n", ()),
        ("", ()),
        (
            f"{TOP}as_of: 2019-03-01\ncases:\n  - name: x\n{EXPECT.replace('compliant', 'met')}",
            ("cases[0].expect.team.research.annual_days", "'met'"),
        ),
        ("cases: 3\n", ("cases",)),
        (
            f"{TOP}as_of: 2019-02-30\ncases:\n  - name: x\n{EXPECT}",
            ("as_of", "'2019-02-30'", "YYYY-MM-DD"),
        ),
    ],
)
def test_a_malformed_case_file_is_told_in_chinese(
    tmp_path: Path, text: str, kept: tuple[str, ...]
) -> None:
    path = tmp_path / "bad.cases.yaml"
    path.write_text(text.replace("FACTS", str(EXAMPLE)), encoding="utf-8")
    zh, en, status = both("test", str(path))
    assert status == 2
    where = re.match(r"error: (\S+?:\d+)", en)
    assert where, en
    known = re.search(r"\(known: (.*)\)$", en)  # the field names, as the file spells them
    fields = known.group(1).split(", ") if known else []
    statuses = re.search(r"is not a status \((.*)\)$", en)  # the status names, as written
    kept += tuple(statuses.group(1).split(", ")) if statuses else ()
    parser = en.partition("not YAML: ")[2]  # PyYAML's own words, as it says them
    kept += (parser, "YAML") if parser else ()
    assert english_left(zh, where.group(1), *kept, *fields) == [], zh


def test_the_test_command_keeps_its_closing_line_in_english(tmp_path: Path) -> None:
    case = (
        f"facts: {EXAMPLE}\nperiod: 2018\nas_of: 2019-03-01\ncases:\n"
        "  - name: wrong on purpose\n    expect:\n      m03:\n"
        "        3.research-days: {status: compliant, measured: 1}\n"
    )
    path = tmp_path / "one.cases.yaml"
    path.write_text(case, encoding="utf-8")
    zh, en = run("test", str(path), **ZH), run("test", str(path), LANG="C")
    assert zh.returncode == en.returncode
    assert zh.stdout.splitlines()[-1] == en.stdout.splitlines()[-1]
    assert re.fullmatch(r"\d+ passed, \d+ failed", en.stdout.splitlines()[-1])
    assert en.returncode == 1, en.stderr  # the case fails: its details are told in Chinese
    assert "expected" in en.stdout and "because: " in en.stdout
    assert "预期" in zh.stdout and "原因：" in zh.stdout and "expected" not in zh.stdout


def test_a_case_the_run_refuses_is_told_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "one.cases.yaml"
    text = f"{TOP}as_of: 2019-03-01\ncases:\n  - name: no such rule\n{EXPECT}"
    path.write_text(text.replace("FACTS", str(EXAMPLE)), encoding="utf-8")
    zh, en = run("test", str(path), **ZH), run("test", str(path), LANG="C")
    assert zh.returncode == en.returncode == 2
    assert en.stderr.endswith("case 'no such rule': unknown rule(s): research.annual_days\n")
    (line,) = zh.stderr.splitlines()
    assert english_left(line, f"{path}:5", "'no such rule'", "research.annual_days") == []
    assert zh.stdout.splitlines()[-1] == en.stdout.splitlines()[-1] == "0 passed, 0 failed"


def test_new_module_into_an_existing_folder_or_with_a_bad_id(tmp_path: Path) -> None:
    zh, en, status = both("new-module", "my-mod", "--dir", str(tmp_path))
    assert status == 2 and "already exists" in en
    assert english_left(zh, str(tmp_path), "--dir") == []
    zh, _en, _status = both("new-module", "Bad_Id", "--dir", str(tmp_path / "new"))
    assert english_left(zh, "'Bad_Id'") == []


@pytest.mark.parametrize(
    ("tokens", "kept"),
    [
        ("a b c\n", ("'name token'",)),
        ("alice short\n", ("alice",)),
        ("# none\n", ()),
        (None, ()),  # no such file: the system's reason told too
    ],
)
def test_a_bad_tokens_file_is_told_in_chinese(
    tmp_path: Path, tokens: str | None, kept: tuple[str, ...]
) -> None:
    pytest.importorskip("uvicorn", reason="serve needs the serve extra")
    path = tmp_path / "tokens"
    if tokens is not None:
        path.write_text(tokens, encoding="utf-8")
    zh, _en, status = both("serve", "--tokens", str(path), "--port", "1")
    assert status == 2
    assert english_left(zh, str(path), *kept) == []


def test_serve_on_a_public_address_without_tokens_is_refused_in_chinese() -> None:
    zh, en, status = both("serve", "--host", "0.0.0.0", "--port", "1")
    assert status == 2 and "--tokens" in en
    assert english_left(zh, "0.0.0.0", "--tokens") == []


def test_english_lines_are_unchanged_by_the_catalog() -> None:
    done = run(*EVALUATE, "--set", "relay.deadline_days=true", LANG="en_US.UTF-8")
    assert done.stderr == "error: relay.deadline_days: a bool is not a whole number\n"
