"""One facts document read in parts by ``--jobs`` workers (facts/parts.py, report/in_parts.py).

The parts must hold exactly the whole document's records, refuse exactly what the whole
load refuses, and give a report byte for byte the whole facts' — or, when they cannot,
leave the report to the whole facts.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import selfbuild_rules as sr
from selfbuild_rules.cli.main import main
from selfbuild_rules.engine.setup import Options
from selfbuild_rules.evaluation import setup_for
from selfbuild_rules.facts import parts
from selfbuild_rules.facts.digest import Digest
from selfbuild_rules.facts.loading import FactsError
from selfbuild_rules.law.text import Provision, ProvisionKind, SubjectKind
from selfbuild_rules.plugins.modules import Module, NewProvision
from selfbuild_rules.report import in_parts, stream
from selfbuild_rules.report.stream import LAYOUTS, Layout, json_report, layout_of
from selfbuild_rules.rules.conditions import AtLeast, Measure
from selfbuild_rules.rules.ruleset import Check, Context, Rule
from selfbuild_rules.rules.tallies import tally_records

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2019-03-01"


def generated(folder: Path, members: int) -> Path:
    path = folder / f"facts-{members}.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--members", str(members)]
    subprocess.run([*command, "-o", str(path)], check=True, capture_output=True)
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory.mktemp("parts"), 12)


@pytest.fixture(scope="module")
def batched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Large enough that its research trips are decoded in several batches."""
    return generated(tmp_path_factory.mktemp("parts"), 200)


def taken(path: Path, jobs: int) -> list[sr.Facts | None]:
    top = parts.split(path.read_bytes())
    assert top is not None
    ids = [m.id for m in top.facts.members]
    bounds = [(len(ids) * k // jobs, len(ids) * (k + 1) // jobs) for k in range(jobs)]
    return [parts.take(top, frozenset(ids[a:b]), k, jobs) for k, (a, b) in enumerate(bounds)]


@pytest.mark.parametrize("jobs", [1, 2, 3, 5])
def test_the_parts_hold_every_record_once(batched: Path, jobs: int) -> None:
    whole = sr.load_facts(batched)
    found = taken(batched, jobs)
    assert all(f is not None for f in found)
    for name in sr.Facts.__attrs_attrs__:
        records = getattr(whole, name.name)
        if name.name not in parts.OWNED:
            assert all(getattr(f, name.name) == records for f in found)
            continue
        mine = [r for f in found for r in tuple.__iter__(getattr(f, name.name))]
        assert sorted(mine, key=lambda r: r.id) == sorted(records, key=lambda r: r.id)


def edited(path: Path, edit: Callable[[dict[str, Any]], None]) -> bytes:
    document = json.loads(path.read_bytes())
    edit(document)
    return json.dumps(document, ensure_ascii=False).encode()


def _same_id(doc: dict[str, Any]) -> None:  # two members' trips, one id
    doc["research_trips"][-1]["id"] = doc["research_trips"][0]["id"]


def _other_members_point(doc: dict[str, Any]) -> None:
    visit = doc["contact_point_visits"][0]
    visit["contact_point"] = next(
        c["id"] for c in doc["contact_points"] if c["member"] != visit["member"]
    )


def _unknown_field(doc: dict[str, Any]) -> None:
    doc["research_trips"][-1]["colour"] = "red"


def _ends_before(doc: dict[str, Any]) -> None:
    doc["research_trips"][-1]["end"] = "2000-01-01"


def _no_such_member(doc: dict[str, Any]) -> None:
    doc["violations"].append({**doc["violations"][0], "id": "v-new", "member": "nobody"})


WRONG = [_same_id, _other_members_point, _unknown_field, _ends_before, _no_such_member]


@pytest.mark.parametrize("edit", WRONG, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("jobs", [2, 3])
def test_what_the_whole_load_refuses_some_part_refuses(
    batched: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None], jobs: int
) -> None:
    path = tmp_path / "wrong.json"
    path.write_bytes(edited(batched, edit))
    with pytest.raises(FactsError):
        sr.load_facts(path)
    top = parts.split(path.read_bytes())
    assert top is None or None in taken(path, jobs)


@settings(max_examples=20)
@given(st.integers(0, 10**6), st.sampled_from([2, 3]))
def test_a_key_given_twice_in_any_batch_is_refused(batched: Path, seed: int, jobs: int) -> None:
    """A key twice in one record of a category read in batches: whichever worker counts
    that batch's keys refuses it (compact JSON, so the batches fall as they will)."""
    document = json.loads(batched.read_bytes())
    trips = document["research_trips"]
    index = seed % len(trips)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    one = json.dumps(trips[index], ensure_ascii=False, separators=(",", ":"))
    twice = one[:-1] + ',"place":"别处"}'
    assert text.count(one) == 1
    data = text.replace(one, twice).encode()
    top = parts.split(data)
    assert top is not None  # the top is right: the trips are the workers' to check
    ids = [m.id for m in top.facts.members]
    cut = [len(ids) * k // jobs for k in range(jobs + 1)]
    found = [parts.take(top, frozenset(ids[cut[k] : cut[k + 1]]), k, jobs) for k in range(jobs)]
    assert None in found


def test_withheld_records_refuse_to_be_read_whole_once_sealed() -> None:
    part = parts.Withheld(("t-1", "t-2"))
    assert list(part) == ["t-1", "t-2"] and len(part) == 2
    part.seal()
    for read in (list, len, bool, lambda p: p[0], lambda p: "t-1" in p):
        with pytest.raises(parts.PartRefused):
            read(part)
    assert part is not None  # still supplied: the closed-world test holds


def report_bytes(path: Path, tmp_path: Path, layout: Layout, jobs: int) -> bytes:
    """The report as the workers write it in parts, into a file of its own."""
    setup = setup_for(Options.of("2018", AS_OF, jobs=jobs))

    def whole() -> Any:
        raise AssertionError("the parts were refused")

    parted = in_parts.json_report_in_parts(path, setup, whole, layout=layout, smallest=0)
    assert parted is not None
    out = tmp_path / "parted.json"
    with out.open("wb") as stream:
        parted.write_into(stream, seekable=True)
    return out.read_bytes()


def whole_bytes(path: Path, tmp_path: Path, layout: Layout) -> bytes:
    setup = setup_for(Options.of("2018", AS_OF))
    digest = Digest()
    facts = sr.load_facts(path, digest=digest)
    out = tmp_path / "whole.json"
    with out.open("wb") as stream:
        json_report(facts, setup, digest=digest.value(), layout=layout).write_into(stream)
    return out.read_bytes()


@pytest.mark.usefixtures("many_cpus")
@pytest.mark.parametrize("layout", [*LAYOUTS, "indented"])
@pytest.mark.parametrize("jobs", [2, 3])
def test_the_report_in_parts_is_the_whole_facts_report(
    small: Path, tmp_path: Path, layout: str, jobs: int
) -> None:
    chosen = layout_of("json", indent=True) if layout == "indented" else LAYOUTS[layout]
    assert report_bytes(small, tmp_path, chosen, jobs) == whole_bytes(small, tmp_path, chosen)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, capsys.readouterr().err


def spy_on_parts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every document read in parts, and every report of the whole facts made instead."""
    made: list[str] = []
    monkeypatch.setattr(in_parts, "SMALLEST", 0)
    real = stream.Streamed._whole

    def whole(self: stream.Streamed) -> stream.Streamed:
        made.append("whole")
        return real(self)

    def read(*args: Any, **kwargs: Any) -> stream.Streamed | None:
        found = in_parts.json_report_in_parts(*args, **kwargs)
        made.extend(["parts"] if found is not None else [])
        return found

    monkeypatch.setattr(stream.Streamed, "_whole", whole)
    monkeypatch.setattr("selfbuild_rules.cli.main.json_report_in_parts", read)
    return made


@pytest.mark.usefixtures("many_cpus")
def test_wrong_facts_read_in_parts_say_what_the_whole_load_says(
    batched: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    made = spy_on_parts(monkeypatch)
    path = tmp_path / "wrong.json"
    path.write_bytes(edited(batched, _same_id))
    said = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        args = ["evaluate", str(path), "--period", "2018", "--as-of", AS_OF, "--jobs", jobs]
        status, err = cli(capsys, *args, "-o", str(out))
        assert status == 2 and not out.exists()
        said.append(err)
    assert said[0] == said[1] and "research_trips" in said[0]
    assert made == ["parts", "whole"]  # read in parts, refused, then loaded whole


@pytest.mark.usefixtures("many_cpus")
def test_the_command_writes_in_parts_what_one_process_writes(
    batched: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    made = spy_on_parts(monkeypatch)
    written = []
    for jobs in ("1", "3"):
        out = tmp_path / f"report-{jobs}.json"
        args = ["evaluate", str(batched), "--period", "2018", "--as-of", "2018-09-02"]
        assert cli(capsys, *args, "--jobs", jobs, "-o", str(out))[0] == 0
        written.append(out.read_bytes())
    assert written[0] == written[1]
    assert made == ["parts"]  # and never the whole facts


def all_trips_module(subject: SubjectKind) -> Module:
    """A module whose one rule counts every member's research trips, not its subject's."""

    def obligation(ctx: Context, member: Any) -> Check:
        every = tally_records((t.id for t in ctx.records("research_trips")), open=False)
        return Check(AtLeast(0, every), ctx.period.range.end)

    provision = Provision(
        id="all/3.all-trips",
        principle="三",
        kind=ProvisionKind.EVALUABLE,
        subject=subject,
        title="All trips",
        text=("调研",),
        english="Every trip.",
    )
    rule = Rule(
        "all/3.all-trips", subject, ("research_trips",), (), Measure("次", "次", "trips"),
        obligation,
    )  # fmt: skip
    return Module(
        id="all", title="全部", english_title="All", authority="测试",
        adopted=dt.date(2018, 2, 2), in_force=dt.date(2018, 2, 2), text="调研",
        changes=(NewProvision(provision, rule, dt.date(2018, 2, 2)),), extends="tianjin-2018",
    )  # fmt: skip


@pytest.mark.usefixtures("many_cpus")
def test_a_rule_that_reads_every_members_records_gets_the_whole_facts(
    small: Path, tmp_path: Path
) -> None:
    module = all_trips_module(SubjectKind.MEMBER)
    setup = setup_for(Options.of("2018", AS_OF, modules=[module], jobs=2))
    wholes: list[bytes] = []

    def whole() -> stream.Streamed:
        digest = Digest()
        facts = sr.load_facts(small, digest=digest)
        wholes.append(b"made")
        return json_report(facts, setup, digest=digest.value())

    parted = in_parts.json_report_in_parts(small, setup, whole, smallest=0)
    assert parted is not None
    with (tmp_path / "parted.json").open("wb") as out:
        parted.write_into(out, seekable=True)
    assert wholes == [b"made"]
    one = setup_for(Options.of("2018", AS_OF, modules=[module]))
    digest = Digest()
    expected = json_report(sr.load_facts(small, digest=digest), one, digest=digest.value())
    assert (tmp_path / "parted.json").read_bytes() == b"".join(expected.chunks())
    assert parted.counts == expected.counts


def test_a_team_rule_that_reads_members_records_is_not_read_in_parts(small: Path) -> None:
    module = all_trips_module(SubjectKind.TEAM)
    setup = setup_for(Options.of("2018", AS_OF, modules=[module], jobs=2))
    assert in_parts.json_report_in_parts(small, setup, lambda: None, smallest=0) is None  # type: ignore[arg-type, return-value]


@pytest.mark.usefixtures("many_cpus")
def test_some_subjects_are_evaluated_from_the_whole_facts(
    batched: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the workers' members' records would be checked: another member's wrong trip
    must still be refused, as the whole load refuses it."""
    made = spy_on_parts(monkeypatch)
    path = tmp_path / "wrong.json"
    path.write_bytes(edited(batched, _ends_before))
    out = tmp_path / "report.json"
    args = ["evaluate", str(path), "--period", "2018", "--as-of", AS_OF, "--jobs", "2"]
    status, err = cli(capsys, *args, "--subjects", "m000000,m000001", "-o", str(out))
    assert status == 2 and "research_trips" in err and not out.exists()
    assert made == []
