"""A bounded, seeded fuzzer: facts mutated from the example, and command lines.

Each case is made from one ``random.Random(seed)`` draw, so a case number and the seed
reproduce it exactly. What may come out of a case:

* the loader: facts, or :class:`~selfbuild_rules.FactsError` (then the loaded facts are
  sometimes evaluated and rendered too: that may not fail either);
* the command line, run in-process through ``main(argv)``: exit status 0, 1 or 2
  (argparse's own usage errors exit 2 through ``SystemExit``).

Anything else is a crash. Used by ``tests/test_fuzz.py`` (a few thousand cases) and
``benchmarks/fuzz.py`` (as many as asked for).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import selfbuild_rules as sr
from selfbuild_rules.cli.main import main
from selfbuild_rules.facts.loading import dump_facts_lines

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PATH = ROOT / "examples" / "tianjin-2018.json"
EXAMPLE_BYTES = EXAMPLE_PATH.read_bytes()
EXAMPLE: dict[str, Any] = json.loads(EXAMPLE_BYTES)
KINDS = ("document", "lines", "cli", "set")

# Values a field might be given that a careless reader would trip on.
_DAYS = ["9999-12-31", "9999-12-30", "0001-01-01", "2018-02-29", "2018-13-01", "20180301"]
_DAYS += ["2019-W09-5", "2018-05-05T10:00:00+08:00", "9999-12-31T23:59:59-12:00"]
_DAYS += ["0001-01-01T00:00:00+14:00", "٢٠١٨-٠١-٠١", "2018-1-1", ""]
_TEXTS = ["", " ", "\x1b[2J", "a\nb", "\u202e", "\ud800", "x" * 5000, "成员甲", "m01", "null"]
_NUMBERS = [0, -1, 1, 2**63, -(2**63), 10**30, 1.5, float("nan"), float("inf"), True, False]
_SHAPES: list[Any] = [None, [], {}, [[]], {"": None}, [None], {"id": "x"}]
# Nesting deeper than json.dumps writes: a marker, written out as text by _dumps.
_DEEP = [f"\x00deep{n}\x00" for n in (50, 1500, 100_000)]


def _interesting(rng: random.Random) -> Any:
    pool = rng.choice([_DAYS, _TEXTS, _NUMBERS, _SHAPES, _DEEP])
    return copy.deepcopy(rng.choice(pool))


def _places(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _places(child, (*here, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _places(child, (*here, index))
    return found


def _parent(document: Any, where: tuple[Any, ...]) -> Any:
    for part in where[:-1]:
        document = document[part]
    return document


def _mutate_tree(rng: random.Random, document: Any) -> Any:
    """One to three changes to the parsed example: a value replaced, a key removed or
    added or renamed, a record copied (repeating its id)."""
    for _ in range(rng.randint(1, 3)):
        places = _places(document)[1:]
        if not places:
            return _interesting(rng)
        where = rng.choice(places)
        parent, last = _parent(document, where), where[-1]
        action = rng.randrange(5)
        if action == 0:
            parent[last] = _interesting(rng)
        elif action == 1:
            del parent[last]
        elif action == 2 and isinstance(parent, dict):
            parent[rng.choice(["extra", "id", "end", "", "\x00", "format"])] = _interesting(rng)
        elif action == 3 and isinstance(parent, dict):
            parent[f"{last}\u200f" if rng.random() < 0.5 else str(last).upper()] = parent.pop(last)
        elif isinstance(parent, list):
            parent.insert(rng.randrange(len(parent) + 1), copy.deepcopy(parent[last]))
        else:
            parent[last] = _interesting(rng)
    return document


_EDGE_DAYS = ["9999-12-31", "9999-12-30", "0001-01-01", "0001-01-02", "2018-02-28", "2020-02-29"]
_EDGE_TEXTS = ["\x1b]0;x\x07", "a\r\nb", "\u202egnp", "成员\n✓ compliant", "", "\x00", "|*`<>"]


def _mutate_gently(rng: random.Random, document: Any) -> Any:
    """Changes that mostly keep the facts valid: leaves given edge values of their type
    (the last days of the calendar, hostile but valid text, large counts)."""
    for _ in range(rng.randint(1, 6)):
        where = rng.choice(_places(document)[1:])
        parent, last = _parent(document, where), where[-1]
        value = parent[last]
        if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
            parent[last] = rng.choice(_EDGE_DAYS)
        elif isinstance(value, str) and last in ("name", "title", "summary", "assessor", "place"):
            parent[last] = rng.choice(_EDGE_TEXTS)
        elif isinstance(value, int) and not isinstance(value, bool):
            parent[last] = rng.choice([0, 1, 9998, 9999, 10**6])
    return document


def _dumps(rng: random.Random, document: Any) -> bytes:
    """JSON text of ``document``, sometimes with a key given twice or oddly spelled."""
    text = json.dumps(document, ensure_ascii=rng.random() < 0.3, indent=rng.choice([None, 2]))
    for marker in _DEEP:
        depth = int(marker[5:-1])
        text = text.replace(json.dumps(marker), "[" * depth + "1" + "]" * depth)
    if rng.random() < 0.2 and '"id": ' in text:
        cut = rng.choice([i for i in range(len(text)) if text.startswith('"id": ', i)][:50])
        text = text[:cut] + '"id": "twice", ' + text[cut:]
    return text.encode("utf-8", "surrogatepass")


def _mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        at = rng.randrange(len(data))
        action = rng.randrange(6)
        if action == 0:
            data[at] = rng.randrange(256)
        elif action == 1:
            data[at:at] = rng.choice([b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\xff"])
        elif action == 2:
            del data[at : at + rng.randint(1, 40)]
        elif action == 3:
            data[at:at] = data[at : at + rng.randint(1, 200)]
        elif action == 4:
            del data[at:]
        else:
            data[at:at] = rng.choice([b"\\u003a", b"\\ud800", b"NaN", b"1e999", b"-0", b"\r\n"])
    return bytes(data)


def _document_case(rng: random.Random) -> bytes:
    document = copy.deepcopy(EXAMPLE)
    if rng.random() < 0.4:
        return _dumps(rng, _mutate_gently(rng, document))
    if rng.random() < 0.85:
        document = _mutate_tree(rng, document)
    raw = _dumps(rng, document)
    return _mutate_bytes(rng, raw) if rng.random() < 0.35 else raw


def _lines_case(rng: random.Random) -> bytes:
    facts = sr.load_facts(EXAMPLE)
    lines = [line.encode("utf-8") for line in dump_facts_lines(facts)]
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines))
        action = rng.randrange(5)
        if action == 0:
            try:
                value = json.loads(lines[at])
            except (ValueError, RecursionError):  # broken by an earlier change: bytes then
                lines[at] = _mutate_bytes(rng, lines[at])
            else:
                lines[at] = _dumps(rng, _mutate_tree(rng, value)) + b"\n"
        elif action == 1:
            lines.insert(rng.randrange(len(lines) + 1), lines[at])
        elif action == 2:
            del lines[at]
        elif action == 3:
            lines[at] = _mutate_bytes(rng, lines[at])
        else:
            lines.insert(at, rng.choice([b"\n", b"[]\n", b"{}\n", b'{"category": 5}\n']))
    return b"".join(lines)


@dataclass
class Case:
    """One fuzz case: what kind, how to make it again, and running it."""

    kind: str
    seed: int
    number: int
    data: bytes | None = None
    argv: list[str] | None = None

    @property
    def reproducer(self) -> str:
        return f"benchmarks/fuzz.py --seed {self.seed} --only {self.kind}:{self.number}"


_PERIODS = ["2018", "2018-Q2", "2018-03", "9998", "0001", "2018-13", "-5", "99999", "٢٠١٨", ""]
_AS_OF = ["2019-03-01", "9999-12-31", "0001-01-01", "20190301", "2019-W09-5", "2019-02-30"]
_SETS = [
    "research.months", "relay.deadline_days", "personal_matters.due_month_day",
    "contact_point.kinds", "regulation.in_force_from", "research.month_mode",
    "integrity.violation_kinds", "decision.collective_bodies", "livelihood.projects_min",
    "no.such", "",
]  # fmt: skip
_SET_VALUES = [
    "-3", "0", "10000", "10001", "1000000000", "1e400", "5", "02-29", "12-31", "13-45",
    "[[1]]", '["village"]', '["moon"]', "[]", "null", "true", '"x"', "2018-01-01",
    "9999-12-31", "0001-01-01", "twelfths_of_year", "\x1b[2J", "{}", "[" * 3000,
]  # fmt: skip
_RULES = ["2.relay-directives", "6.personal-matters-report", "3.research-days", "9.nothing"]


def _set_argv(rng: random.Random) -> list[str]:
    argv = ["evaluate", str(EXAMPLE_PATH), "--period", rng.choice(["2018", "2019", "9998"])]
    argv += ["--as-of", rng.choice(["2019-03-01", "9999-12-31", "2018-06-30"])]
    for _ in range(rng.randint(1, 3)):
        argv += ["--set", f"{rng.choice(_SETS)}={rng.choice(_SET_VALUES)}"]
    argv += ["--rule", rng.choice(_RULES[:3])]  # one rule: a run stays short
    argv += ["--format", rng.choice(["text", "table", "json", "markdown"])]
    return argv


def _cli_argv(rng: random.Random, facts: str) -> list[str]:
    command = rng.choice(["evaluate"] * 4 + ["validate"] * 2 + ["schema", "catalog", "explain"])
    argv = [command]
    if command in ("evaluate", "validate"):
        argv.append(facts)
    if command == "explain":
        argv.append(rng.choice([*_RULES, "example-district/x", "", "\x1b"]))
    options: list[list[str]] = [
        ["--format", rng.choice(["text", "json", "table", "html", "markdown", "xml"])],
        ["--regulation", rng.choice(["tianjin-2018", "nowhere", ""])],
        ["--input-format", rng.choice(["json", "jsonl", "yaml"])],
    ]
    if command == "evaluate":
        options += [
            ["--period", rng.choice(_PERIODS)],
            ["--as-of", rng.choice(_AS_OF)],
            ["--rule", rng.choice(_RULES)],
            ["--set", f"{rng.choice(_SETS)}={rng.choice(_SET_VALUES)}"],
            ["--jobs", rng.choice(["1", "0", "x", "٢", "1_0", "99999999999"])],
            ["--fail-on", rng.choice(["non_compliant", "pending,undetermined", "x", ","])],
            ["--lang", rng.choice(["zh", "en", "fr"])],
            ["--module", rng.choice(["example-district", "nope"])],
            ["--redact"],
            ["--module-order"],
        ]
        argv += ["--period", rng.choice(_PERIODS[:4])] if rng.random() < 0.7 else []
    if command == "schema":
        options = [["--lines"]]
    for option in rng.sample(options, rng.randint(0, min(4, len(options)))):
        argv += option
    if rng.random() < 0.05:
        argv.insert(rng.randrange(len(argv) + 1), rng.choice(["--", "-x", "--help", "\x00"]))
    return argv


def make(kind: str, seed: int, number: int, workdir: Path) -> Case:
    """Case ``number`` of ``kind`` for ``seed``: the same every time."""
    rng = random.Random(f"{seed}:{kind}:{number}")
    case = Case(kind, seed, number)
    if kind == "document":
        case.data = _document_case(rng)
    elif kind == "lines":
        case.data = _lines_case(rng)
    elif kind == "set":
        case.argv = _set_argv(rng)
    else:
        facts = str(EXAMPLE_PATH)
        if rng.random() < 0.5:
            data = _document_case(rng) if rng.random() < 0.7 else _lines_case(rng)
            suffix = ".jsonl" if rng.random() < 0.4 else ".json"
            path = workdir / f"case-{number}{suffix}"
            path.write_bytes(data)
            facts = str(path)
        elif rng.random() < 0.1:
            facts = str(workdir / "missing.json")
        case.argv = _cli_argv(rng, facts)
    return case


def _load(case: Case, rng: random.Random) -> str:
    assert case.data is not None
    lines = case.kind == "lines"
    try:
        facts = sr.load_facts(io.BytesIO(case.data), lines=lines)
    except sr.FactsError:
        return "refused"
    if rng.random() < 0.25:  # what was accepted must evaluate and render too
        period = rng.choice(["2018", "2019", "9998", "0001"])
        as_of = rng.choice(["2019-03-01", "9999-12-31", "0001-01-01"])
        try:
            report = sr.evaluate(facts, period, as_of)
        except ValueError as exc:  # only a clear refusal, never something else
            if "period" not in str(exc) and "as_of" not in str(exc):
                raise
            return "loaded"
        report.to_text()
        report.to_table(color=True)
        report.to_markdown()
        report.to_json()
        return "evaluated"
    return "loaded"


def _cli(case: Case) -> str:
    assert case.argv is not None
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(case.argv)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
    if status not in (0, 1, 2):
        raise AssertionError(f"exit status {status}")
    if "Traceback" in err.getvalue():
        raise AssertionError("a traceback on stderr")
    return f"exit {status}"


def run(case: Case) -> tuple[str, str | None]:
    """``(outcome, None)``, or ``("crash", traceback)`` for anything not allowed."""
    rng = random.Random(f"{case.seed}:{case.kind}:{case.number}:run")
    try:
        outcome = _load(case, rng) if case.kind in ("document", "lines") else _cli(case)
    except Exception:  # a crash: what the fuzzer is looking for
        return "crash", traceback.format_exc()
    return outcome, None


def cases(seed: int, counts: dict[str, int], workdir: Path) -> Iterator[Case]:
    """Every case of each kind, interleaved so a cut-short run still tries them all."""
    most = max(counts.values(), default=0)
    for number in range(most):
        for kind in KINDS:
            if number < counts.get(kind, 0):
                yield make(kind, seed, number, workdir)


def fuzz(
    seed: int, counts: dict[str, int], report: Callable[[Case, str, str | None], None]
) -> dict[str, int]:
    """Run the cases; ``report`` hears each; returns how many had each outcome."""
    tally: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for case in cases(seed, counts, Path(folder)):
            outcome, trace = run(case)
            key = f"{case.kind}: {outcome}"
            tally[key] = tally.get(key, 0) + 1
            report(case, outcome, trace)
    return tally
