"""A route measured, not taken: each ``--jobs`` worker loading only its own members' records.

    python benchmarks/split_load.py /tmp/selfbuild-bench/facts-1000000.json [--jobs 2]

With ``--jobs N`` the command loads the whole document in one process before any
worker starts: about 1.1x ``json.load`` that no number of cores shortens. Issue 18
asks whether each worker could parse its own part instead. A JSON document groups
records by category, not by member, so a worker still has to decode all of the
text to find its own records; what it can leave out is the rest: filling in
defaults and days, sharing values, converting to records, and the cross-record
checks of the other members' records.

This times, side by side in one process (collector paused, as the loader runs it),
fastest of ``--repeat``:

- ``whole``: :func:`selfbuild_rules.load_facts` of the document, as today;
- ``worker``: what worker 1 of ``--jobs`` would do to stay as strict: decode every
  record (types, enumerations, member references checked in C), count the keys given
  of every batch (a key given twice), keep every id of a category to check them
  unique, and fill, share, convert and cross-check only its own members' records;
- ``lower bound``: the same without the keys counted and the ids kept, a floor
  for any such design.

Figures only: it asserts nothing, and the library never loads this way.
"""

from __future__ import annotations

import argparse
import gc
import mmap
import operator
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import msgspec

import selfbuild_rules as sr
from selfbuild_rules.facts import fastload
from selfbuild_rules.facts.consistency import consistent
from selfbuild_rules.facts.faststructs import TOP_DECODER, members_decoder, one_of
from selfbuild_rules.facts.records import CATEGORIES

_ID = operator.attrgetter("id")


def _own(items: list[Any], keep: frozenset[str] | None) -> list[Any]:
    if keep is None or not items or not hasattr(items[0], "member"):
        return items  # the members themselves, and the team's own categories: all
    return [item for item in items if item.member in keep]


def worker_load(path: str, jobs: int, worker: int, strict: bool) -> dict[str, Any]:
    """The records worker ``worker`` of ``jobs`` would hold, by category."""
    with open(path, "rb") as stream:
        data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    if strict:
        fastload.colons_in(data)
    top = TOP_DECODER.decode(data)
    shared, categories = fastload.Shared(), {}
    members: Any = None
    keep: frozenset[str] | None = None
    for name in CATEGORIES:
        raw = getattr(top, name)
        if raw is msgspec.UNSET:
            continue
        count = len(categories.get("members", ()))
        special = members_decoder(name, members, len(memoryview(raw)), count)
        decode = (special or fastload.decoder(name)).decode
        records: list[Any] = []
        ids: list[str] = []
        for number, batch in enumerate(fastload.batches(raw)):
            items = decode(batch)
            mine = _own(items, keep)
            if strict and number % jobs == worker:  # this worker's share of the key check
                fastload.fill(CATEGORIES[name], items)
                fastload.count_colons(batch)
            else:
                fastload.fill(CATEGORIES[name], mine)
            if strict:
                ids += map(_ID, items)
            records += fastload.build(name, mine, shared, ("member",) if special else ())
        ids.sort()  # unique ids: sorted, as the loader checks ids that come in order
        categories[name] = tuple(records)
        if name == "members":
            every = [m.id for m in records]
            members = one_of(tuple(every))
            size = len(every)
            keep = frozenset(every[size * worker // jobs : size * (worker + 1) // jobs])
    consistent(categories, frozenset())
    return categories


def _best(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    gc.disable()
    last = args.jobs - 1
    whole = _best(lambda: sr.load_facts(args.facts), args.repeat)
    worker = _best(lambda: worker_load(args.facts, args.jobs, last, True), args.repeat)
    lower = _best(lambda: worker_load(args.facts, args.jobs, last, False), args.repeat)
    print(f"whole document, as loaded today: {whole:6.2f} s")
    for name, seconds in (("one worker of --jobs", worker), ("lower bound", lower)):
        print(f"{name + f' {args.jobs}':<31}: {seconds:6.2f} s = {seconds / whole:.2f} x whole")
    return 0


if __name__ == "__main__":
    sys.exit(main())
