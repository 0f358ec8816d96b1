"""Bad input is a one-line error naming what is wrong (exit 2), never a traceback.

The command line runs in-process here (``main(argv)``): the same code as the real
command, without a new interpreter per case.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

import selfbuild_rules as sr
from selfbuild_rules.cli.main import main
from selfbuild_rules.law.periods import DateRange, Period, max_overlap, merge, parse_day, shifted

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tianjin-2018.json"
BASE_ARGS = ("evaluate", str(EXAMPLE), "--period", "2018", "--as-of", "2019-03-01")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of one in-process run (argparse exits by itself)."""
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "relay.deadline_days=1000000000"), "relay.deadline_days: 1000000000 is not"),
        (("--set", "research.months=-3"), "research.months: -3 is not a whole number"),
        (("--set", "personal_matters.due_month_day=5"), "personal_matters.due_month_day: an int"),
        (("--set", "personal_matters.due_month_day=13-45"), "'13-45' is not a day of every year"),
        (("--set", "contact_point.kinds=[[1]]"), "contact_point.kinds: each item must be a str"),
        (("--set", "personal_matters.due_month_day=02-29"), "'02-29' is not a day of every year"),
        (("--set", "personal_matters.due_month_day=02-29", "--jobs", "2"), "'02-29' is not"),
        (("--jobs", "100000"), "'100000': use a whole number from 1 to 1024"),
        (("--jobs", "٢"), "use a whole number from 1 to 1024"),
        (("--jobs", "1_0"), "use a whole number from 1 to 1024"),
        (("--as-of", "20190301"), "--as-of: '20190301' is not a date (YYYY-MM-DD)"),
        (("--as-of", "2019-W09-5"), "--as-of: '2019-W09-5' is not a date (YYYY-MM-DD)"),
        (("--as-of", "٢٠١٩-٠٣-٠١"), "is not a date (YYYY-MM-DD)"),
    ],
)
def test_bad_options_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    status, out, err = cli(capsys, *BASE_ARGS, *args)
    assert status == 2
    assert out == ""
    assert message in err.splitlines()[-1]
    assert "Traceback" not in err
    if args[0] != "--jobs":  # argparse's own errors come after its usage lines
        assert err.splitlines() == [f"error: {err.splitlines()[0][7:]}"]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("-5", "is not a period"),
        ("99999", "is not a period"),
        ("0000", "years run from 0001 to 9998"),
        ("9999", "years run from 0001 to 9998"),
        ("٢٠١٨", "is not a period"),
        ("2018\n", None),  # surrounding whitespace is not a different period
    ],
)
def test_periods_are_ascii_years_from_1_to_9998(
    capsys: pytest.CaptureFixture[str], period: str, message: str | None
) -> None:
    status, _out, err = cli(capsys, "evaluate", str(EXAMPLE), "--period", period)
    if message is None:
        assert status == 0
        return
    assert status == 2
    assert message in err and "Traceback" not in err
    with pytest.raises(ValueError, match="is not a period"):
        Period.parse(period)


def test_dates_at_the_end_of_the_calendar_do_not_overflow(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = example()
    for trip in document["research_trips"][:3]:
        trip["start"] = trip["end"] = "9999-12-31"
    document["directives"][0]["issued"] = "9999-12-31"
    document["violations"][0]["date"] = "9999-12-31"
    document["members"][0]["tenure"] = {"start": "9999-12-30", "end": "9999-12-31"}
    path = tmp_path / "late.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    for as_of in ("9999-12-31", "9999-12-30"):
        for extra in ((), ("--set", "relay.deadline_days=10000")):
            args = ("evaluate", str(path), "--period", "9998", "--as-of", as_of, *extra)
            status, out, err = cli(capsys, *args, "--format", "text")
            assert (status, err) == (0, ""), err
            assert "9998" in out


def test_calendar_arithmetic_is_held_at_its_ends() -> None:
    last = dt.date.max
    assert DateRange(dt.date(9999, 1, 1), last).after(last) is None
    assert merge([DateRange(last, last), DateRange(dt.date(9999, 12, 1), last)]) == [
        DateRange(dt.date(9999, 12, 1), last)
    ]
    assert max_overlap([DateRange(last, last), DateRange(last, last)]) == 2
    assert shifted(dt.date(9999, 12, 25), 10_000) == last
    assert shifted(dt.date(1, 1, 5), -10) == dt.date.min
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("2019-3-1")


@pytest.mark.parametrize("lines", [False, True])
def test_deeply_nested_json_is_one_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lines: bool
) -> None:
    deep = "[" * 1000 + "]" * 1000
    if lines:
        path = tmp_path / "deep.jsonl"
        text = '{"format": "selfbuild-rules.facts/1"}\n{"category": "members", "record": '
        path.write_text(text + deep + "}\n", encoding="utf-8")
    else:
        path = tmp_path / "deep.json"
        raw = EXAMPLE.read_text(encoding="utf-8")
        path.write_text(raw.replace('"members": [', '"members": [' + deep + ",", 1), "utf-8")
    for command in ("validate", "evaluate"):
        extra = ("--period", "2018") if command == "evaluate" else ()
        status, _out, err = cli(capsys, command, str(path), *extra)
        assert status == 2
        assert "Traceback" not in err


@pytest.mark.parametrize(
    "source",
    [1, None, [1], b'{"format": "selfbuild-rules.facts/1"}', 3.5, object()],
)
def test_load_facts_of_something_that_is_no_source_is_a_type_error(source: Any) -> None:
    with pytest.raises(TypeError, match="is not a path, an open file or a dict of facts"):
        sr.load_facts(source)


def test_load_facts_of_bytes_in_a_file_object_works() -> None:
    facts = sr.load_facts(io.BytesIO(EXAMPLE.read_bytes()))
    assert len(facts.members) == 7


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"as_of": dt.datetime(2019, 3, 1, 12)}, TypeError, "as_of: a datetime is not a date"),
        ({"as_of": 5}, TypeError, "as_of: an int is not a date"),
        ({"as_of": "20190301"}, ValueError, "as_of: '20190301' is not a date"),
        ({"rules": [None]}, TypeError, "rules: each must be an id"),
        ({"rules": "3.research-days"}, TypeError, "rules: give a list of ids, not a str"),
        ({"modules": [None]}, TypeError, "modules: each must be a module id or a Module"),
        ({"modules": "example-district"}, TypeError, "modules: give a list"),
        ({"period": 2018.5}, ValueError, "2018.5 is not a period"),
        ({"parameters": {"research.months": 10**30}}, ValueError, "a larger number is not"),
    ],
)
def test_evaluate_refuses_bad_arguments_clearly(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments: dict[str, Any] = {"period": "2018", "as_of": "2019-03-01", **kwargs}
    with pytest.raises(error, match=message.replace("(", r"\(")):
        sr.evaluate(str(EXAMPLE), **arguments)


def test_evaluate_with_a_date_as_of_and_list_arguments_still_works() -> None:
    report = sr.evaluate(str(EXAMPLE), "2018", dt.date(2019, 3, 1), rules=["6.integrity"])
    assert {r.rule for r in report.results} == {"6.integrity"}


# --- what a message quotes ---------------------------------------------------------------

SECRET = "张三的个人事项报告内容不宜外传"


def _problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(sr.FactsError) as caught:
        sr.load_facts(document)
    return [str(p) for p in caught.value.problems]


def test_a_bad_value_is_quoted_only_in_part() -> None:
    document = example()
    document["research_trips"][0]["end"] = "2018-13-01" + "x" * 500
    document["members"][0]["post"] = "boss" * 100
    found = _problems(document)
    assert all(len(p) < 200 for p in found), found
    assert any("research_trips[0].end: 2018-13-01xxxxxxxxxxxxxxxxxxxxxx…" in p for p in found)


@pytest.mark.parametrize(
    ("category", "field"),
    [
        ("members", "name"),
        ("research_trips", "place"),
        ("research_topics", "title"),
        ("contact_points", "name"),
        ("livelihood_projects", "title"),
        ("directives", "title"),
        ("major_decisions", "title"),
        ("violations", "summary"),
        ("assessments", "assessor"),
    ],
)
def test_free_text_is_never_quoted(category: str, field: str) -> None:
    document = example()
    document[category][0][field] = SECRET + "\ud800"
    (found,) = _problems(document)
    assert found == f"{category}[0].{field}: not valid Unicode (a lone surrogate)"
    document[category][0][field] = [SECRET]
    (found,) = _problems(document)
    assert found == f"{category}[0].{field}: a list is not a string"
    assert SECRET not in found


def test_the_team_name_is_free_text_too() -> None:
    document = example()
    document["team"]["name"] = 5
    assert _problems(document) == ["team.name: a number is not a string"]


def test_a_set_value_nested_past_reading_is_taken_as_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Found by the fuzzer: json.loads raised RecursionError out of argparse's type.
    status, _out, err = cli(capsys, *BASE_ARGS, "--set", "contact_point.kinds=" + "[" * 3000)
    assert status == 2
    assert err.startswith("error: contact_point.kinds: a str is not a list")
