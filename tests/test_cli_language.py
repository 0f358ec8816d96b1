"""The command line in Chinese: the catalogs are whole and match what is shipped, every
help string is in them, the language follows --lang, SELFBUILD_LANG, then the locale,
and English stays exactly as it was."""

from __future__ import annotations

import argparse
import ast
import gettext
import inspect
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given as hypothesis_given
from hypothesis import strategies as st

from selfbuild_rules.cli import language
from selfbuild_rules.cli.parser import build_parser
from selfbuild_rules.cli.progress import Progress
from selfbuild_rules.internal import i18n

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"
MESSAGES = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES"
DOMAINS = ("selfbuild_rules", "argparse")
#: Placeholders: ours ({name}) and argparse's (%(name)s, %r, %s).
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)[rsd]|%[rsd]")
CJK = re.compile("[\u4e00-\u9fff]")
UPDATE = (
    "pybabel extract -F src/selfbuild_rules/locale/babel.cfg --no-location --sort-output "
    "--no-wrap -o src/selfbuild_rules/locale/selfbuild_rules.pot src/selfbuild_rules && "
    "pybabel update -i src/selfbuild_rules/locale/selfbuild_rules.pot "
    "-d src/selfbuild_rules/locale -D selfbuild_rules --no-wrap --no-fuzzy-matching "
    "--ignore-obsolete"
)
COMPILE = "pybabel compile -d src/selfbuild_rules/locale -D {domain}"


def po_snippet(msgids: list[str]) -> str:
    """Entries to paste into selfbuild_rules.po, their msgstr to fill in."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    return "".join(f"\nmsgid {quoted(m)}\nmsgstr {quoted('')}\n" for m in msgids)


def shipped(domain: str) -> dict[object, str]:
    """The messages of the compiled catalog, as gettext reads it (the header left out)."""
    with open(MESSAGES / f"{domain}.mo", "rb") as stream:
        table: dict[object, str] = gettext.GNUTranslations(stream)._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in table.items() if k != ""}


def source_catalog(domain: str) -> Iterator[object]:
    pofile = pytest.importorskip("babel.messages.pofile", reason="Babel (the docs extra) reads .po")
    with open(MESSAGES / f"{domain}.po", "rb") as stream:
        yield from (m for m in pofile.read_po(stream) if m.id)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_a_chinese_translation(domain: str) -> None:
    entries = list(source_catalog(domain))
    assert len(entries) > 30
    for entry in entries:
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)  # type: ignore[attr-defined]
        assert not entry.fuzzy, f"{domain}.po: fuzzy: {entry.id!r}"  # type: ignore[attr-defined]
        assert all(s.strip() for s in strings), f"{domain}.po: untranslated: {entry.id!r}"  # type: ignore[attr-defined]
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)  # type: ignore[attr-defined]
        wanted = sorted(set(PLACEHOLDER.findall(ids[-1])))
        for text in strings:
            assert sorted(set(PLACEHOLDER.findall(text))) == wanted, (entry.id, text)  # type: ignore[attr-defined]
            assert CJK.search(text) or not re.search("[a-z]{4,}", essential(ids[0])), (
                entry.id,
                text,
            )  # type: ignore[attr-defined]


def essential(text: str) -> str:
    """Text with placeholders, option names and code left out: what must be Chinese."""
    text = PLACEHOLDER.sub("", text)
    return re.sub(r"--?[\w-]+|\S*[._=/]\S*|\b(?:YYYY|json|zh|en|table|text)\b", "", text)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalog_matches_its_source(domain: str) -> None:
    expected: dict[object, str] = {}
    for entry in source_catalog(domain):
        if isinstance(entry.id, tuple):  # type: ignore[attr-defined]
            for n, text in enumerate(entry.string):  # type: ignore[attr-defined]
                expected[(entry.id[0], n)] = text  # type: ignore[attr-defined]
        else:
            expected[entry.id] = entry.string  # type: ignore[attr-defined]
    assert shipped(domain) == expected, (
        f"{domain}.mo is not compiled from {domain}.po: run {COMPILE.format(domain=domain)}"
    )


def test_every_help_string_is_in_the_catalog() -> None:
    """Walks every parser; an option added without its translation is listed, ready to
    paste into selfbuild_rules.po."""
    table = shipped("selfbuild_rules")
    missing = list(dict.fromkeys(t for t in language.help_texts(build_parser()) if t not in table))
    assert not missing, (
        "help without a Chinese translation; add to "
        f"src/selfbuild_rules/locale/zh_CN/LC_MESSAGES/selfbuild_rules.po (then "
        f"{COMPILE.format(domain='selfbuild_rules')}):\n{po_snippet(missing)}"
    )


def test_every_marked_message_is_in_the_catalog() -> None:
    extract = pytest.importorskip("babel.messages.extract", reason="Babel extracts messages")
    frontend = pytest.importorskip("babel.messages.frontend")
    config = i18n.LOCALE_DIR / "babel.cfg"
    with open(config, encoding="utf-8") as stream:
        method_map, options_map = frontend.parse_mapping_cfg(stream, str(config))
    found = extract.extract_from_dir(str(i18n.LOCALE_DIR.parent), method_map, options_map)
    table = {k if isinstance(k, str) else k[0] for k in shipped("selfbuild_rules")}
    ids = [m[2] if isinstance(m[2], str) else m[2][0] for m in found]
    missing = list(dict.fromkeys(m for m in ids if m not in table))
    assert not missing, f"not in the catalog; run {UPDATE}, translate, compile:\n" + po_snippet(
        missing
    )


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel's extraction reads no call inside an f-string: a message marked there would
    never reach the catalog, and no test would notice."""
    hidden = []
    for path in sorted(i18n.LOCALE_DIR.parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                name = getattr(getattr(call, "func", None), "id", None)
                arguments = getattr(call, "args", [])
                literal = [a for a in arguments if isinstance(a, ast.Constant)]
                if name in ("_", "N_", "ngettext") and literal:
                    hidden.append(f"{path.name}:{call.lineno}")  # type: ignore[attr-defined]
    assert not hidden


def _argparse_messages() -> set[str]:
    """The messages the running Python's argparse looks up (``_()`` and ``ngettext``)."""
    tree = ast.parse(inspect.getsource(argparse))
    found = set()
    for node in ast.walk(tree):
        called = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if called and node.func.id in ("_", "ngettext") and node.args:  # type: ignore[attr-defined]
            first = node.args[0]  # type: ignore[attr-defined]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_argparse_of_this_python_is_translated() -> None:
    table = {k if isinstance(k, str) else k[0] for k in shipped("argparse")}
    messages = _argparse_messages()
    assert "usage: " in messages
    missing = sorted(messages - table)
    assert not missing, (
        f"argparse of Python {sys.version_info[:2]} says these; add them to "
        f"src/selfbuild_rules/locale/zh_CN/LC_MESSAGES/argparse.po:\n{po_snippet(missing)}"
    )


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_english_help_is_what_argparse_alone_prints() -> None:
    """The translating formatter changes nothing in English: each parser's help equals
    the help its own formatter class, untranslated, gives."""
    for parser in _parsers(build_parser()):
        translating = parser.formatter_class
        plain = [c for c in translating.__mro__[1:] if not issubclass(c, language._Translating)]
        told = parser.format_help()
        parser.formatter_class = plain[0]
        assert parser.format_help() == told, parser.prog


# The language chosen: --lang, then SELFBUILD_LANG, then LC_ALL, LC_MESSAGES, LANG.

LOCALES = st.sampled_from(
    ["", "C", "POSIX", "C.UTF-8", "en_US.UTF-8", "zh_CN.UTF-8", "zh_TW", "de"]
)
ORDER = ("SELFBUILD_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@hypothesis_given(
    st.dictionaries(st.sampled_from(ORDER), LOCALES), st.sampled_from([None, "zh", "en"])
)
def test_the_first_set_source_decides(environ: dict[str, str], flag: str | None) -> None:
    first = next((environ[n] for n in ORDER if environ.get(n, "").strip()), "")
    expected = flag or ("zh" if first.startswith("zh") else "en")
    assert i18n.chosen(flag, environ) == expected


ARGUMENTS = ["evaluate", "x.json", "--period", "2018", "--lang", "--la", "zh", "en", "fr"]
ARGUMENTS += ["--lang=zh", "--lang=en", "--la=zh", "--", "-h"]


@hypothesis_given(st.lists(st.sampled_from(ARGUMENTS)))
def test_given_reads_lang_as_argparse_would(argv: list[str]) -> None:
    """Whatever argparse makes of these arguments, a --lang it accepts is the one found."""
    parser = argparse.ArgumentParser(exit_on_error=False, add_help=False)
    parser.add_argument("--lang", choices=("zh", "en"))
    try:
        known, _rest = parser.parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):
        return  # a bad --lang: argparse refuses it, whatever given() said
    assert language.given(argv) == known.lang


@hypothesis_given(st.text(alphabet="调研天数 abc，。（）", max_size=80), st.integers(10, 40))
def test_chinese_help_wraps_by_terminal_columns(text: str, columns: int) -> None:
    lines = language._wrapped(" ".join(text.split()), columns)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        core = line.rstrip("".join(language._NO_START) + " ")  # closing marks stay on it
        one_word = len(language._TOKEN.findall(core)) <= 1  # a word is never broken
        assert i18n_width(core) <= columns or one_word
        assert line[:1] not in language._NO_START or line == lines[0]


def i18n_width(text: str) -> int:
    from selfbuild_rules.report.view import width

    return width(text)


SAFE = st.from_regex(r"[A-Za-z0-9_.\-\[\]]{1,12}", fullmatch=True)


@hypothesis_given(st.data())
def test_a_message_made_in_english_is_told_from_its_template(data: st.DataObject) -> None:
    """Any catalog template, filled with values, comes back in Chinese with the same values."""
    zh = i18n.catalog("zh")._catalog  # type: ignore[attr-defined]
    templates = sorted(k for k in zh if isinstance(k, str) and i18n._FIELD.search(k))
    msgid = data.draw(st.sampled_from(templates))
    names = set(i18n._FIELD.findall(msgid)) - i18n._MESSAGES - i18n._WORDS
    values = {n: data.draw(SAFE) for n in i18n._FIELD.findall(msgid)}
    assume_plain = {n: v for n, v in values.items() if n in names}
    if len(assume_plain) != len(values):
        return  # fields that are told too are tested by example below
    with i18n.use("zh"):
        assert i18n.translated(msgid.format(**values)) == zh[msgid].format(**values)


def test_nested_messages_and_words_are_told_too() -> None:
    with i18n.use("zh"):
        told = i18n.translated(
            "not valid JSON: the file ends early (truncated?) at line 3 column 9"
        )
        assert told == "不是有效的 JSON：第 3 行第 9 列，文件提前结束（被截断？）"
        assert i18n.translated("m9 is not a known member") == "m9 不是已知的成员"
        assert i18n.translated("no such message, kept as it is") == "no such message, kept as it is"


def test_a_message_after_a_name_is_told_and_the_name_kept() -> None:
    with i18n.use("zh"):
        told = i18n.translated("relay.deadline_days: -1 is not a whole number from 0 to 10,000")
        assert told == "relay.deadline_days: -1 不是 0 到 10,000 之间的整数"
        assert i18n.translated("x.y: not ours") == "x.y: not ours"


def test_progress_lines_are_told_in_the_language() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True)
    with i18n.use("zh"):
        progress.records(12345)
    progress.records(7)
    shown = stream.getvalue()
    assert "selfbuild-rules: 读取事实：12,345 条记录" in shown
    assert "selfbuild-rules: reading facts: 7 records" in shown


def test_section_titles_end_in_a_chinese_colon_on_every_python() -> None:
    with i18n.use("zh"), language.argparse_speaking("zh"):
        text = build_parser().format_help()
    assert "选项：\n" in text and "位置参数：\n" in text
    assert ":\n" not in text.replace("exit status:", "")


def test_chinese_help_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    for parser in _parsers(build_parser()):
        with i18n.use("zh"), language.argparse_speaking("zh"):
            text = parser.format_help()
        _usage, _blank, rest = text.partition("\n\n")
        for line in rest.splitlines():
            core = line.rstrip("".join(language._NO_START) + " ")
            assert i18n_width(core) <= 60 or not CJK.search(line), (parser.prog, line)


def test_a_chinese_usage_lines_up_on_a_terminal() -> None:
    with i18n.use("zh"), language.argparse_speaking("zh"):
        usage = build_parser()._subparsers._group_actions[0].choices["evaluate"].format_usage()  # type: ignore[union-attr]
    first, second, *_rest = usage.splitlines()
    assert first.startswith("用法：selfbuild-rules evaluate [")
    column = i18n_width(first[: first.index("[")])
    assert second[:column].isspace() and second[column] == "["


# Real runs of the installed command.


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ORDER and k != "LANGUAGE"}
    return subprocess.run(
        ["selfbuild-rules", *args], capture_output=True, text=True, check=False,
        env={**environ, **env},
    )  # fmt: skip


def chinese(text: str) -> bool:
    return len(CJK.findall(text)) > 20


def test_help_follows_the_locale() -> None:
    done = run("evaluate", "--help", LANG="zh_CN.UTF-8")
    assert done.returncode == 0
    assert done.stdout.startswith("用法：selfbuild-rules evaluate")
    assert "显示此帮助信息并退出" in done.stdout and "退出状态：" in done.stdout
    assert chinese(done.stdout)


@pytest.mark.parametrize(
    ("args", "env", "lang"),
    [
        ((), {"LANG": "zh_CN.UTF-8"}, "zh"),
        ((), {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ((), {"SELFBUILD_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        (("--lang", "en"), {"SELFBUILD_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
        (("--lang", "zh"), {"SELFBUILD_LANG": "en", "LANG": "C"}, "zh"),
    ],
)
def test_the_report_and_help_follow_lang_then_selfbuild_lang_then_the_locale(
    args: tuple[str, ...], env: dict[str, str], lang: str
) -> None:
    report = run(
        "evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01", *args, **env
    )
    assert report.returncode == 0, report.stderr
    english = run("evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01",
                  "--lang", lang)  # fmt: skip
    assert report.stdout == english.stdout
    said = "需由人工评定" if lang == "zh" else "needs a human assessment"
    assert said in report.stdout
    helped = run("evaluate", *args, "--help", **env)  # --lang before --help rules it
    assert helped.stdout.startswith("用法：" if lang == "zh" else "usage: ")


def test_a_bad_record_is_told_in_chinese_with_its_path_as_written(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('"2018-03-09"', '"2018-02-30"', 1)
    assert text != EXAMPLE.read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    zh = run("evaluate", str(bad), "--period", "2018", LANG="zh_CN.UTF-8")
    en = run("evaluate", str(bad), "--period", "2018", LANG="C")
    assert zh.returncode == en.returncode == 2
    path = re.match(r"error: (\S+): 2018-02-30 is not a date$", en.stderr.strip())
    assert path, en.stderr
    assert zh.stderr.strip() == f"错误：{path.group(1)}: 2018-02-30 不是日期"


def test_argparse_errors_are_told_in_chinese_with_the_same_status() -> None:
    zh = run("evaluate", str(EXAMPLE), LANG="zh_CN.UTF-8")
    en = run("evaluate", str(EXAMPLE))
    assert zh.returncode == en.returncode == 2
    assert "缺少以下必需参数：--period" in zh.stderr
    assert "the following arguments are required: --period" in en.stderr


@pytest.mark.parametrize("env", [{"LANG": "C"}, {"LANG": "en_US.UTF-8"}, {"LC_ALL": "C.UTF-8"}])
def test_english_is_the_default_and_the_same_under_every_english_locale(
    env: dict[str, str],
) -> None:
    for args in (("--help",), ("evaluate", "--help"), ("evaluate", str(EXAMPLE))):
        baseline, done = run(*args), run(*args, **env)
        assert (done.stdout, done.stderr) == (baseline.stdout, baseline.stderr)
        assert "usage: selfbuild-rules" in done.stdout + done.stderr
        assert not CJK.search(done.stdout + done.stderr)


def test_version() -> None:
    from importlib.metadata import version

    done = run("--version", LANG="zh_CN.UTF-8")
    assert done.returncode == 0
    assert done.stdout == f"selfbuild-rules {version('selfbuild-rules')}\n"
